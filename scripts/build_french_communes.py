"""Regenerate fixtures/sources/french_communes.csv: the French communes and their département.

The list comes from the registry package npm `@etalab/decoupage-administratif@6.0.0`
(code MIT, data under the Licence Ouverte of Etalab: the Code officiel géographique of INSEE),
file data/communes.json. The CSV keeps what the import needs to give a French partner its
département: the name, the INSEE code, the département code and the kind of commune (current,
delegated or associated: a commune of 2008 may since have merged into a commune nouvelle and
survive as a delegated commune, in the same département). Municipal arrondissements (Paris,
Lyon, Marseille) are left out. Rows are sorted by INSEE code and kind, so the diff of a new
version of the package is readable.

The import reads the CSV only (through partnerships.importers.references), never the package.

    .venv/bin/python scripts/build_french_communes.py               # npm pack into a temp dir
    .venv/bin/python scripts/build_french_communes.py --package DIR # an unpacked package
"""

import argparse
import csv
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE = "@etalab/decoupage-administratif@6.0.0"
OUTPUT = BASE_DIR / "fixtures/sources/french_communes.csv"
KINDS = {
    "commune-actuelle": "actuelle",
    "commune-deleguee": "deleguee",
    "commune-associee": "associee",
}


def fetch(directory: Path) -> Path:
    """Download the package with the npm client (npm pack) and unpack it."""
    subprocess.run(["npm", "pack", PACKAGE], cwd=directory, check=True, capture_output=True)
    archive = next(directory.glob("*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(directory, filter="data")
    return directory / "package"


def build(package: Path) -> list[dict]:
    communes = json.loads((package / "data/communes.json").read_text(encoding="utf-8"))
    rows = [
        {
            "insee": c["code"],
            "name": c["nom"],
            "department": c["departement"],
            "kind": KINDS[c["type"]],
        }
        for c in communes
        if c["type"] in KINDS
    ]
    return sorted(rows, key=lambda r: (r["insee"], r["kind"], r["name"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="an unpacked copy of the npm package")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        package = args.package or fetch(Path(tmp))
        rows = build(package)
    with open(OUTPUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["insee", "name", "department", "kind"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} communes écrites dans {OUTPUT.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
