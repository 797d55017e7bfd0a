"""{% mali_map regions towns %}: the SVG map of Mali, for templates/includes/_map_mali.html."""

from django import template

from .. import maps

register = template.Library()


@register.simple_tag
def mali_map(regions, towns=()):
    return maps.mali_map(list(regions), towns or ())
