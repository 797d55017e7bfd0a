"""The gazetteer of Mali over time and the rule that places a Malian collectivity in each of its
divisions, from the reference tables of fixtures/sources/ (pure: no database).

Inputs: ``mali_divisions.csv`` (the three divisions and their laws), ``mali_regions_over_time.csv``
(each region with its validity period and predecessors), ``mali_cercles.csv`` (the 49 cercles of
2008) with ``mali_cercles_over_time.csv`` (each cercle's region in 2016 and 2023, how sure), and
``mali_collectivity_cercles.csv`` (the cercle of collectivities the répertoire prints without one).

Each Malian collectivity is placed in each division from its 2008 cercle: the cercle's region
in that division. Without a cercle, it keeps its 2008 region as long as that region keeps its
extent; a regional assembly or the District follows the region of the same name. The import
(``importers/gazetteer.py``) writes the placements of every collectivity into the fixtures;
``Placement.objects.recompute`` places one again when staff save it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

REFORM_2016 = "2016-01-01"
REFORM_2023 = "2023-03-13"
CERTAINTY = {"probable": "rattachement probable", "uncertain": "rattachement incertain"}


def read(sources_dir: Path, name: str) -> list[dict[str, str]]:
    with open(sources_dir / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class Gazetteer:
    divisions: list[dict]
    regions: list[dict]
    cercles: list[dict] = field(default_factory=list)

    def unit(self, key: str) -> dict:
        return next(u for u in self.regions + self.cercles if u["key"] == key)

    def region_in(self, slug: str, division: dict) -> dict | None:
        """The region (or District) ``slug`` in force when ``division`` began."""
        for unit in self.regions:
            if unit["slug"] == slug and in_force(unit, division["valid_from"]):
                return unit
        return None

    def cercle_in(self, slug: str, division: dict) -> dict | None:
        for unit in self.cercles:
            if unit["slug"] == slug and in_force(unit, division["valid_from"]):
                return unit
        return None


def in_force(unit: dict, day: str) -> bool:
    return (not unit["valid_from"] or unit["valid_from"] <= day) and (
        not unit["valid_to"] or unit["valid_to"] > day
    )


def load(sources_dir: Path) -> Gazetteer:
    divisions = read(sources_dir, "mali_divisions.csv")
    regions = []
    for row in read(sources_dir, "mali_regions_over_time.csv"):
        regions.append({**row, "predecessors": row["predecessors"].split()})
    gazetteer = Gazetteer(divisions, regions)
    region_2008 = {row["cercle"]: row["region"] for row in read(sources_dir, "mali_cercles.csv")}
    capitals = {row["cercle"]: row for row in read(sources_dir, "mali_cercle_capitals.csv")}
    for row in read(sources_dir, "mali_cercles_over_time.csv"):
        name = row["cercle"]
        slug = slugify(name)
        capital = capitals.get(name, {})
        common = {
            "slug": slug,
            "kind": "cercle",
            "name": name,
            "capital": capital.get("capital", ""),
            "latitude": capital.get("latitude", ""),
            "longitude": capital.get("longitude", ""),
            "region_2008": "",
            "region_2023": row["region_2023"],
            "certainty": row["certainty"],
        }
        first = f"cercle-{slug}-1991"
        moved = region_2008[name] in ("gao", "tombouctou")
        # Every 2008 cercle was redrawn by the 2023 law (156 to 159 cercles): they end there.
        # Those of Tombouctou and Gao changed region in 2016 (their region lost its north or
        # Ménaka), so a 2016 unit follows them.
        gazetteer.cercles.append(
            {
                **common,
                "key": first,
                "valid_from": "",
                "valid_to": REFORM_2016 if moved else REFORM_2023,
                "parent": gazetteer.region_in(region_2008[name], divisions[0])["key"],
                "predecessors": [],
                "source": "Loi n°99-035 du 10 août 1999 (cercles) ; " + row["note"],
            }
        )
        if moved:
            parent = gazetteer.region_in(row["region_2016"], divisions[1])
            gazetteer.cercles.append(
                {
                    **common,
                    "key": f"cercle-{slug}-2016",
                    "valid_from": REFORM_2016,
                    "valid_to": REFORM_2023,
                    "parent": parent["key"],
                    "predecessors": [first],
                    "source": "Loi n°2012-017 ; " + row["note"],
                }
            )
    return gazetteer


def load_overrides(sources_dir: Path) -> dict[str, dict]:
    """The cercle (and 2023 region) of collectivities the répertoire prints without one, by
    collectivity slug."""
    return {row["collectivity"]: row for row in read(sources_dir, "mali_collectivity_cercles.csv")}


@dataclass
class Unplaced:
    collectivity: str
    division: str
    region_2008: str
    line: int | None
    reason: str


def place(gazetteer: Gazetteer, collectivity: dict, overrides: dict) -> tuple[list, list]:
    """The placements of one collectivity record (one per division it can be placed in) and
    what could not be placed."""
    fields = collectivity["fields"]
    region_2008 = (fields.get("malian_region") or [None])[0]
    if not region_2008:
        return [], []
    override = overrides.get(fields["slug"], {})
    if fields.get("cercle") and slugify(fields["cercle"]) != slugify(override.get("cercle", "")):
        # Another cercle than the table's (given by staff since): its 2023 region and basis
        # were about the table's cercle.
        override = {}
    cercle_name = fields.get("cercle") or override.get("cercle", "")
    cercle_slug = slugify(cercle_name) if cercle_name else ""
    if cercle_slug and not any(unit["slug"] == cercle_slug for unit in gazetteer.cercles):
        # A cercle typed by staff that no table knows: placed as if printed without one.
        cercle_name = cercle_slug = ""
    first_region = gazetteer.region_in(region_2008, gazetteer.divisions[0])
    placements, unplaced = [], []
    for division in gazetteer.divisions:
        region, cercle, basis = None, None, ""
        if cercle_slug:
            cercle = gazetteer.cercle_in(cercle_slug, division)
            if cercle is not None:
                region = gazetteer.unit(cercle["parent"])
                basis = f"cercle de {cercle_name}"
            else:  # 2023: the cercles of 2008 were redrawn; their region comes from the table
                first = gazetteer.unit(f"cercle-{cercle_slug}-1991")
                slug = override.get("region_2023") or first["region_2023"]
                region = gazetteer.region_in(slug, division)
                basis = f"cercle de {cercle_name} en 2008"
                if first["certainty"] != "sure" and not override.get("region_2023"):
                    basis += f" ({CERTAINTY[first['certainty']]})"
            if override.get("basis"):
                basis += f" ; {override['basis']}"
        else:
            same = gazetteer.region_in(region_2008, division)
            if same is not None and first_region is not None and same["key"] == first_region["key"]:
                region, basis = same, "région de 2008, inchangée"
            elif same is not None and fields["kind"] in ("ml_region", "district"):
                region, basis = same, "région du même nom (collectivité régionale)"
        if region is None:
            unplaced.append(
                Unplaced(
                    fields["slug"],
                    division["slug"],
                    region_2008,
                    fields.get("source_line"),
                    "cercle inconnu, région de 2008 redécoupée",
                )
            )
            continue
        placements.append(
            {
                "model": "partnerships.placement",
                "fields": {
                    "collectivity": [fields["slug"]],
                    "division": [division["slug"]],
                    "region": [region["key"]],
                    "cercle": [cercle["key"]] if cercle else None,
                    "basis": basis[:300],
                },
            }
        )
    return placements, unplaced
