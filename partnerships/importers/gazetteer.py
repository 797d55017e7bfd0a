"""fixtures/gazetteer.json from the reference tables of fixtures/sources/ and the records of
``fixtures/collectivities.json`` (pure: no database): the divisions, regions and cercles of
Mali over time, each Malian collectivity placed in each division by the rule of
``partnerships/gazetteer.py``, and what cannot be placed as a review item.
"""

from __future__ import annotations

from pathlib import Path

from ..gazetteer import Unplaced, load, load_overrides, place

SOURCE_SLUG = "cuf-repertoire-2008"


def build(sources_dir: Path, collectivities: list[dict]) -> tuple[list[dict], list[Unplaced]]:
    """The records of fixtures/gazetteer.json and what could not be placed."""
    gazetteer = load(sources_dir)
    overrides = load_overrides(sources_dir)
    records = []
    for division in gazetteer.divisions:
        records.append(
            {
                "model": "partnerships.division",
                "fields": {
                    "slug": division["slug"],
                    "name": division["name"],
                    "valid_from": division["valid_from"],
                    "valid_to": division["valid_to"] or None,
                    "legal_basis": division["legal_basis"],
                },
            }
        )
    for unit in gazetteer.regions + gazetteer.cercles:
        records.append(
            {
                "model": "partnerships.administrativeunit",
                "fields": {
                    "key": unit["key"],
                    "slug": unit["slug"],
                    "kind": unit["kind"],
                    "number": int(unit["number"]) if unit.get("number") else None,
                    "name": unit["name"],
                    "capital": unit["capital"],
                    "latitude": unit["latitude"] or None,
                    "longitude": unit["longitude"] or None,
                    "valid_from": unit["valid_from"] or None,
                    "valid_to": unit["valid_to"] or None,
                    "parent": [unit["parent"]] if unit.get("parent") else None,
                    "predecessors": [[key] for key in unit["predecessors"]],
                    "malian_region": [unit["region_2008"]] if unit["region_2008"] else None,
                    "source": unit["source"],
                },
            }
        )
    unplaced = []
    malian = [c for c in collectivities if c["fields"].get("country") == "ML"]
    for collectivity in sorted(malian, key=lambda c: c["fields"]["slug"]):
        found, missing = place(gazetteer, collectivity, overrides)
        records.extend(found)
        unplaced.extend(missing)
    for item in unplaced:
        records.append(
            {
                "model": "partnerships.reviewitem",
                "fields": {
                    "key": f"gazetteer-{item.collectivity}-{item.division}",
                    "source": [SOURCE_SLUG],
                    "line": item.line or 0,
                    "kind": "unplaced-in-division",
                    "message": (
                        f"Collectivité « {item.collectivity} » non placée dans le découpage "
                        f"{item.division} : {item.reason} ({item.region_2008})"
                    )[:300],
                    "value": item.collectivity,
                    "field": "cercle",
                    "partnership": None,
                },
            }
        )
    return records, unplaced
