"""Server-rendered SVG maps of Mali by region and of France by département.

Pure functions: counts and places in, SVG markup out, so that the maps show without JavaScript
and without a tile server. The outlines are static/map/*.json, generated from Natural Earth by
scripts/build_map_outlines.py (see static/map/README.md).
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import MapPrecision

MAP_DIR = settings.BASE_DIR / "static" / "map"

# ColorBrewer YlOrBr (colour-blind safe, prints in grey): no partnership, then five classes.
EMPTY = "#f0f0f0"
PALETTE = ["#fff7bc", "#fee391", "#fec44f", "#fe9929", "#d95f0e"]


Precision = MapPrecision
APPROXIMATE = {MapPrecision.CERCLE, MapPrecision.REGION}


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    precision: str


@lru_cache
def outline(name: str) -> dict:
    return json.loads((MAP_DIR / f"{name}.json").read_text(encoding="utf-8"))


def place(collectivity) -> Place | None:
    """Where to draw a Malian collectivity: its own coordinates, else the capital the import
    chose for it (``map_*`` fields, see partnerships.importers.mapping)."""
    if collectivity.latitude is not None and collectivity.longitude is not None:
        return Place(float(collectivity.latitude), float(collectivity.longitude), Precision.EXACT)
    if collectivity.map_latitude is not None and collectivity.map_longitude is not None:
        return Place(
            float(collectivity.map_latitude),
            float(collectivity.map_longitude),
            collectivity.map_precision,
        )
    return None


def project(latitude: float, longitude: float, projection: dict) -> tuple[float, float]:
    scale = projection["scale"]
    x = (longitude - projection["lon_min"]) * projection["kx"] * scale
    return round(x, 1), round((projection["lat_max"] - latitude) * scale, 1)


def classes(values) -> list[int]:
    """Upper bounds of at most five classes of counts, from 1 to the largest."""
    top = max(values, default=0)
    if top <= 0:
        return []
    bounds = sorted({max(1, math.ceil(top * k / 5)) for k in range(1, 6)})
    return bounds


def fill(value: int, bounds: list[int]) -> str:
    if not value:
        return EMPTY
    for i, bound in enumerate(bounds):
        if value <= bound:
            return PALETTE[i + len(PALETTE) - len(bounds)]
    return PALETTE[-1]


def partnerships_label(name: str, count: int) -> str:
    return _("%(name)s — partenariats : %(count)d") % {"name": name, "count": count}


def legend(bounds: list[int], x: float, y: float) -> SafeString:
    rows = [(EMPTY, "0")]
    low = 1
    for i, bound in enumerate(bounds):
        rows.append((fill(bound, bounds), str(bound) if low == bound else f"{low}–{bound}"))
        low = bound + 1
        del i
    return format_html(
        '<g class="map-legend" transform="translate({},{})">'
        '<text x="0" y="-6" class="map-legend-title">{}</text>{}</g>',
        x,
        y,
        _("Partenariats"),
        format_html_join(
            "",
            '<rect x="0" y="{}" width="14" height="14" fill="{}" stroke="#555"/>'
            '<text x="20" y="{}">{}</text>',
            ((i * 18, colour, i * 18 + 11, label) for i, (colour, label) in enumerate(rows)),
        ),
    )


def mali_map(regions, towns=()) -> SafeString:
    """Mali's regions shaded by their number of partnerships, each a link to its page.

    regions: objects or dicts with slug, name and partnership_count;
    towns: (name, Place, count) triples drawn as dots, hollow when placed approximately.
    """
    data = outline("mali_regions")
    p = data["projection"]
    get = (lambda r, k: r[k]) if regions and isinstance(next(iter(regions)), dict) else getattr
    rows = [(get(r, "slug"), get(r, "name"), get(r, "partnership_count") or 0) for r in regions]
    bounds = classes([n for _, _, n in rows])
    shapes = format_html_join(
        "\n",
        '<a href="{}" aria-label="{}"><path d="{}" fill="{}" class="map-region">'
        "<title>{}</title></path></a>",
        (
            (
                reverse("region_detail", args=[slug]),
                partnerships_label(name, n),
                data["regions"][slug],
                fill(n, bounds),
                partnerships_label(name, n),
            )
            for slug, name, n in rows
            if slug in data["regions"]
        ),
    )
    labels = format_html_join(
        "\n",
        '<text x="{}" y="{}" class="map-label">{}<tspan x="{}" dy="1.1em">{}</tspan></text>',
        (
            (
                *_label_at(slug, data),
                name if slug != "district-de-bamako" else "Bamako",
                _label_at(slug, data)[0],
                n,
            )
            for slug, name, n in rows
            if slug in data["labels"]
        ),
    )
    dots = format_html_join(
        "\n",
        '<circle cx="{}" cy="{}" r="{}" class="map-town {}"><title>{}</title></circle>',
        (
            (
                *project(where.latitude, where.longitude, p),
                round(2.5 + math.sqrt(count), 1),
                "map-town-approximate" if where.precision in APPROXIMATE else "",
                partnerships_label(name, count),
            )
            for name, where, count in towns
        ),
    )
    return format_html(
        '<svg class="map map-mali" viewBox="0 0 {} {}" role="group" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<path d="{}" class="map-country"/>{}{}{}{}</svg>',
        p["width"],
        p["height"],
        _("Carte du Mali : nombre de partenariats par région"),
        mark_safe(data["outline"]),
        shapes,
        dots,
        labels,
        legend(bounds, 10, 24),  # the empty Sahara north-west of Kayes
    )


def capitals_map(
    units, region_url="/regions/{slug}/?division={division}", division=""
) -> SafeString:
    """The regions of a later division as dots at their capitals, over the 2008 outlines.

    No outline of the 2016 or 2023 regions exists in the registry packages the maps come from
    (Natural Earth has the 2008 ones): each region is a dot sized by its number of
    partnerships, placed at its capital, linked to its page. units: objects with slug, name,
    latitude, longitude and partnership_count.
    """
    data = outline("mali_regions")
    p = data["projection"]
    rows = [u for u in units if u.latitude is not None and u.longitude is not None]
    top = max((u.partnership_count or 0 for u in rows), default=0) or 1
    borders = format_html_join(
        "\n",
        '<path d="{}" class="map-region map-region-former"/>',
        ((d,) for d in data["regions"].values()),
    )
    dots = format_html_join(
        "\n",
        '<a href="{}" aria-label="{}"><circle cx="{}" cy="{}" r="{}" class="map-capital{}">'
        "<title>{}</title></circle></a>"
        '<text x="{}" y="{}" class="map-label map-capital-label">{}</text>',
        (
            (
                region_url.format(slug=u.slug, division=division),
                partnerships_label(u.name, u.partnership_count or 0),
                *(xy := project(float(u.latitude), float(u.longitude), p)),
                round(3 + 12 * math.sqrt((u.partnership_count or 0) / top), 1),
                "" if u.partnership_count else " map-capital-empty",
                partnerships_label(u.name, u.partnership_count or 0),
                xy[0] + 6,
                xy[1] - 6,
                u.name if u.slug != "district-de-bamako" else "Bamako",
            )
            for u in rows
        ),
    )
    return format_html(
        '<svg class="map map-mali" viewBox="0 0 {} {}" role="group" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<path d="{}" class="map-country"/>{}{}</svg>',
        p["width"],
        p["height"],
        _("Carte du Mali : partenariats par région, point au chef-lieu de chaque région"),
        mark_safe(data["outline"]),
        borders,
        dots,
    )


def _label_at(slug: str, data: dict) -> tuple[float, float]:
    x, y = data["labels"][slug]
    if slug == "district-de-bamako":  # too small to hold its name: set it below-left
        return x - 30, y + 26
    return x, y


def france_map(departements: dict[str, tuple[str, int]]) -> SafeString:
    """Metropolitan France with a circle per département sized by its number of partnerships.

    departements: {code: (name, count)}; codes without a point (overseas) are left out.
    """
    data = outline("france_departements")
    p = data["projection"]
    top = max((n for _, n in departements.values()), default=0) or 1
    circles = format_html_join(
        "\n",
        '<circle cx="{}" cy="{}" r="{}" class="map-dot"><title>{}</title></circle>',
        (
            (
                *data["departements"][code],
                round(3 + 14 * math.sqrt(n / top), 1),
                partnerships_label(f"{name} ({code})", n),
            )
            for code, (name, n) in sorted(departements.items(), key=lambda i: -i[1][1])
            if n and code in data["departements"]
        ),
    )
    return format_html(
        '<svg class="map map-france" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<path d="{}" class="map-country"/><path d="{}" class="map-borders"/>{}</svg>',
        p["width"],
        p["height"],
        _("Carte de France : partenaires français par département"),
        mark_safe(data["outline"]),
        mark_safe(data["borders"]),
        circles,
    )
