"""The management commands: import (fixtures from sources), seed, export."""

import csv
import io
import json
import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from partnerships.importers.repertoire import REPERTOIRE_FILE
from partnerships.models import Budget, Collectivity, Contact, Partnership, ReviewItem


def test_committed_fixtures_regenerate_identically_from_the_sources():
    out = io.StringIO()
    call_command("import_repertoire", "--check", stdout=out)
    assert "correspondent aux sources" in out.getvalue()


@pytest.fixture
def sources_copy(tmp_path):
    """A scratch copy of the sources and fixtures, so tests can spoil them."""
    sources = tmp_path / "sources"
    shutil.copytree(settings.SOURCES_DIR, sources)
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    for path in settings.FIXTURES_DIR.glob("*.json"):
        shutil.copy(path, fixtures / path.name)
    return sources, fixtures


def test_check_fails_when_a_fixture_was_edited_by_hand(sources_copy):
    sources, fixtures = sources_copy
    path = fixtures / "regions.json"
    path.write_text(path.read_text(encoding="utf-8").replace("Kayes", "Kaye"), encoding="utf-8")
    with pytest.raises(CommandError, match="regions.json"):
        call_command("import_repertoire", "--check", sources=str(sources), output=str(fixtures))


def test_import_writes_the_fixtures_and_prints_the_report(sources_copy):
    sources, fixtures = sources_copy
    for path in fixtures.glob("*.json"):
        path.unlink()
    out = io.StringIO()
    call_command("import_repertoire", sources=str(sources), output=str(fixtures), stdout=out)
    assert "point(s) à vérifier" in out.getvalue()
    for name in ["partnerships.json", "collectivities.json", "review.json"]:
        assert (fixtures / name).read_text(encoding="utf-8") == (
            settings.FIXTURES_DIR / name
        ).read_text(encoding="utf-8")


def test_a_bad_source_stops_the_import_with_its_line_and_writes_nothing(sources_copy):
    sources, fixtures = sources_copy
    path = sources / REPERTOIRE_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[321].startswith("Date de mise à jour")
    lines[321] = "Date de mise à jour : 10 avril\n"
    path.write_text("".join(lines), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in fixtures.glob("*.json")}
    with pytest.raises(CommandError, match="ligne 322"):
        call_command("import_repertoire", sources=str(sources), output=str(fixtures))
    assert {p.name: p.read_bytes() for p in fixtures.glob("*.json")} == before


def test_a_source_that_is_not_utf8_is_refused_with_its_line(sources_copy):
    sources, fixtures = sources_copy
    path = sources / REPERTOIRE_FILE
    data = path.read_bytes().split(b"\n")
    data[9] = "Répertoire".encode("latin-1")
    path.write_bytes(b"\n".join(data))
    with pytest.raises(CommandError, match="ligne 10"):
        call_command("import_repertoire", sources=str(sources), output=str(fixtures))


@pytest.mark.django_db
def test_seed_runs_twice_with_the_same_result():
    def counts():
        return [m.objects.count() for m in (Partnership, Collectivity, Contact, Budget, ReviewItem)]

    before = counts()
    assert before[0] > 0
    call_command("seed", verbosity=0)
    assert counts() == before


@pytest.mark.django_db
def test_a_bad_fixture_leaves_the_database_as_it_was(tmp_path, settings):
    for path in settings.FIXTURES_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    partnerships = json.loads((tmp_path / "partnerships.json").read_text(encoding="utf-8"))
    partnerships[0]["fields"]["title"] = "Titre modifié"
    (tmp_path / "partnerships.json").write_text(json.dumps(partnerships), encoding="utf-8")
    contacts = json.loads((tmp_path / "contacts.json").read_text(encoding="utf-8"))
    contacts[0]["fields"]["partnership"] = ["partenariat-inexistant"]
    (tmp_path / "contacts.json").write_text(json.dumps(contacts), encoding="utf-8")
    settings.FIXTURES_DIR = tmp_path
    slug = partnerships[0]["fields"]["slug"]
    title = Partnership.objects.get(slug=slug).title
    with pytest.raises(CommandError, match="base est inchangée.*contacts.json"):
        call_command("seed", verbosity=0)
    assert Partnership.objects.get(slug=slug).title == title


@pytest.mark.django_db
def test_export_json_is_the_partnership_document_without_contacts():
    out = io.StringIO()
    call_command("export_partnerships", "--format", "json", stdout=out)
    documents = json.loads(out.getvalue())
    assert len(documents) == Partnership.objects.count()
    angers = next(d for d in documents if d["slug"] == "angers-bamako")
    assert "contacts" not in angers
    assert angers["status"] == "documented"
    assert angers["updated_on"] == "2007-04-10"
    title = "Répertoire des partenariats de coopération décentralisée franco-maliens (2008)"
    assert angers["source"] == {"document": title, "line": 741, "page": None}
    assert [p["name"] for p in angers["french_partners"]] == ["Angers"]
    assert angers["french_partners"][0]["department"] == "Maine-et-Loire"
    assert angers["malian_partners"][0]["region"] == "District de Bamako"
    assert angers["contacts_start_year"] == 1974
    assert angers["formalisation_kind"] == "charte"
    assert angers["motivations_french"] is None  # empty answer: null, not ""
    assert {
        "kind": "cd_annual",
        "amount": 220000.0,
        "currency": "EUR",
        "amount_eur": 220000.0,
        "year": None,
        "as_printed": "220 000 Euros",
    } in angers["budgets"]


@pytest.mark.django_db
def test_export_with_contacts_and_as_csv(tmp_path):
    path = tmp_path / "export.csv"
    call_command("export_partnerships", "--format", "csv", "--include-contacts", output=str(path))
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())  # spreadsheets then read the accents as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == Partnership.objects.count()
    angers = next(r for r in rows if r["slug"] == "angers-bamako")
    assert "Jean-Claude ANTONINI" in angers["contacts"]
    assert angers["title"] == "Angers / Bamako"


@pytest.mark.django_db
def test_export_queries_do_not_grow_with_the_partnerships(django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        call_command("export_partnerships", "--include-contacts", stdout=io.StringIO())
