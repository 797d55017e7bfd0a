"""{% mali_map regions towns %}: the SVG map of Mali, for templates/includes/_map_mali.html."""

from django import template
from django.urls import reverse

from .. import maps

register = template.Library()


@register.simple_tag
def mali_map(regions, towns=()):
    return maps.mali_map(list(regions), towns or ())


@register.simple_tag
def mali_capitals_map(units, division):
    # reverse() keeps the links right wherever the pages are mounted (language prefixes).
    url = reverse("region_detail", args=["SLUG"]).replace("SLUG", "{slug}") + "?division={division}"
    return maps.capitals_map(list(units), region_url=url, division=division.slug)
