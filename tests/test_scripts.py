"""The scripts that build reference tables from registry packages."""

import importlib.util
import json
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def load(name):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_french_communes_keep_name_code_department_and_kind(tmp_path):
    script = load("build_french_communes")
    data = tmp_path / "data"
    data.mkdir()
    communes = [
        {"code": "75056", "nom": "Paris", "departement": "75", "type": "commune-actuelle"},
        {
            "code": "75101",
            "nom": "Paris 1er Arrondissement",
            "departement": "75",
            "type": "arrondissement-municipal",
        },
        {"code": "01015", "nom": "Arbignieu", "departement": "01", "type": "commune-deleguee"},
    ]
    (data / "communes.json").write_text(json.dumps(communes), encoding="utf-8")
    assert script.build(tmp_path) == [
        {"insee": "01015", "name": "Arbignieu", "department": "01", "kind": "deleguee"},
        {"insee": "75056", "name": "Paris", "department": "75", "kind": "actuelle"},
    ]
