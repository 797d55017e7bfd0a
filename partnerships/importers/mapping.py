"""Where the maps draw each Malian collectivity that has no coordinates of its own.

Computed once, at import time, and seeded (``Collectivity.map_latitude``/``map_longitude``/
``map_precision``): the web layer never reads ``mali_cercle_capitals.csv``. A regional assembly
or the District sits in its region's capital, a cercle council in its cercle's, the commune that
gives its name to a cercle is that capital itself; any other commune is drawn, approximately, at
its cercle's capital, else at its region's.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .text import fold

# The values of partnerships.models.MapPrecision (the importers never import the models).
SEAT, CERCLE, REGION = "seat", "cercle", "region"


def read_cercle_capitals(path: Path) -> dict[str, tuple[str, str]]:
    """{folded cercle name: (latitude, longitude)} as printed in the reference table."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {
            fold(row["cercle"]): (row["latitude"], row["longitude"])
            for row in csv.DictReader(handle)
        }


def fallback_place(
    *,
    kind: str,
    name: str,
    cercle: str,
    region: dict | None,
    capitals: dict[str, tuple[str, str]],
) -> tuple[str, str, str] | None:
    """(latitude, longitude, precision) for a collectivity, or None when nothing places it.

    ``region`` is its row of ``malian_regions.csv`` (with ``latitude``/``longitude``)."""
    if kind in {"ml_region", "district"} and region is not None:
        return region["latitude"], region["longitude"], SEAT
    capital = capitals.get(fold(cercle)) if cercle else None
    if capital:
        seat = kind == "cercle" or fold(name) == fold(cercle)
        return (*capital, SEAT if seat else CERCLE)
    if region is not None:
        return region["latitude"], region["longitude"], REGION
    return None
