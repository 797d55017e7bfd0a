"""The workshops' import: counts against the documents, links to the directory, fixtures that
regenerate identically, seeding that can run again."""

import json

import pytest
from django.conf import settings
from django.core.management import call_command

from partnerships.models import Collectivity, Partnership
from workshops.importers.build import build, challenge_kinds, public_heading
from workshops.importers.linking import Directory
from workshops.models import Link, Participant, QuestionnaireAnswer, Workshop

CUF = "cuf-atelier-zones-a-risques-2016"
HORIZONS = "horizons-solidaires-collectivites-comites-jumelage"
MAURITANIA = "synthese-jumelages-franco-mauritaniens"
BAGNOLET = "bagnolet-cooperation-internationale"

# Every answer about Mali whose French collectivity has a fiche, and the fiche(s) it concerns.
EXPECTED_ANSWER_LINKS = {
    1: {"alencon-koutiala"},
    4: {"allonnes-sangha"},
    9: {"angouleme-segou"},
    10: {"viroflay-cercle-de-kolokani"},
    13: {"conseil-general-de-l-allier-cercle-de-niafunke"},
    15: {"conseil-general-d-ille-et-vilaine-region-de-mopti"},
    18: {"conseil-regional-du-centre-assemblee-regionale-de-mopti"},
    21: {"ivry-sur-seine-commune-rurale-de-dianguirde"},
    23: {"montreuil-yelimane", "montreuil-2-cercle-de-yelimane-paddy"},
    24: {"mulhouse-commune-rurale-de-sofara-fakala"},
    26: {"saint-denis-djeloubou-karokoro-et-sahel"},
}


@pytest.fixture(scope="module")
def dataset():
    return build(settings.SOURCES_DIR, settings.FIXTURES_DIR)


def _objects(dataset, model):
    return [o["fields"] for o in dataset.fixtures["workshops.json"] if o["model"] == model]


def test_fixture_regenerates_identically(dataset):
    call_command("import_workshops", "--check", verbosity=0)
    again = build(settings.SOURCES_DIR, settings.FIXTURES_DIR)
    assert again.fixtures == dataset.fixtures


def test_report_is_short_and_names_what_it_could_not_link(dataset):
    assert len(dataset.report) < 50
    values = {item.value for _, item in dataset.report if item.kind == "unmatched-collectivity"}
    assert {"Choisy Le Roi", "Tremblay-en-France", "Toulouse & Métropole"} <= values
    kinds = {item.kind for _, item in dataset.report}
    assert "unlisted-twin-town" in kinds  # Le Robert (Martinique), still reported
    for _, item in dataset.report:
        assert item.line > 0


@pytest.mark.django_db
def test_counts_match_the_documents():
    cuf = Workshop.objects.get(slug=CUF)
    assert cuf.participants.filter(status="present").count() == 32
    assert cuf.participants.filter(status="excused").count() == 46
    assert cuf.participants.filter(status="team").exists()
    assert cuf.answers.count() == 29
    for answer in cuf.answers.exclude(number=27):  # 27 (Toulouse) prints one text cell
        assert answer.respondent and answer.partner_as_printed and answer.challenges
        assert answer.tools and answer.contact and answer.source_line
    row = cuf.participants.get(status="present", number=1)
    assert (row.organisation, row.last_name, row.function) == ("ACTED", "LALOGE", "Administrateur")
    meeting = Workshop.objects.get(slug=HORIZONS)
    assert meeting.participants.filter(status="present").count() == 17
    assert meeting.participants.filter(status="speaker").count() == 5
    assert meeting.sections.filter(kind="testimony", level=2).count() == 6
    assert meeting.date is None and meeting.date_precision == "partial"
    assert "année absente" in meeting.date_note
    assert cuf.date.isoformat() == "2016-05-19" and cuf.date_precision == "exact"
    synthesis = Workshop.objects.get(slug=MAURITANIA)
    assert synthesis.quotes.count() == 6
    assert list(synthesis.quotes.exclude(value="").values_list("value", flat=True)) == [
        "AMITIE",
        "SINCERITE",
        "RECIPROCITE",
    ]
    assert synthesis.recommendations.count() == 14
    assert synthesis.recommendations.values("theme").distinct().count() == 2


@pytest.mark.django_db
def test_every_malian_answer_with_a_fiche_is_linked_to_it():
    links = Link.objects.filter(workshop__slug=CUF, answer__isnull=False, partnership__isnull=False)
    found = {}
    for link in links.select_related("answer", "partnership"):
        found.setdefault(link.answer.number, set()).add(link.partnership.slug)
    assert found == EXPECTED_ANSWER_LINKS
    # Tremblay (28) and Choisy-le-Roi (8) are not in the répertoire: no link is guessed.
    assert not Link.objects.filter(answer__number__in=[8, 28], answer__workshop__slug=CUF).exists()


@pytest.mark.django_db
def test_the_allier_answer_reaches_niafunke_although_its_locality_is_missing():
    answer = QuestionnaireAnswer.objects.get(workshop__slug=CUF, number=13)
    assert answer.places == [{"country": "Mali", "locality": None}]
    link = answer.links.get(partnership__isnull=False)
    assert link.partnership.slug == "conseil-general-de-l-allier-cercle-de-niafunke"
    assert "niafunke" in link.method
    assert answer.links.get(collectivity__isnull=False).collectivity.slug == (
        "conseil-general-de-l-allier"
    )


@pytest.mark.django_db
def test_bagnolet_page_links_massala_and_the_town():
    massala = Collectivity.objects.get(slug="massala")
    town = massala.workshop_links.get().twin_town
    assert (town.population, town.population_year, town.cercle) == (6547, 2009, "Ségou")
    assert town.population_approximate
    assert Partnership.objects.get(slug="bagnolet-massala").workshop_links.count() == 1
    assert Link.objects.filter(workshop__slug=BAGNOLET, collectivity__slug="bagnolet").exists()


def _directory(*names):
    collectivities = [
        {
            "fields": {
                "slug": slug,
                "country": "FR",
                "name": name,
                "name_as_printed": name,
                "aliases": [],
            }
        }
        for slug, name in names
    ]
    return Directory.from_fixtures(collectivities, [])


def test_no_link_on_a_partial_name():
    directory = _directory(("saint-denis-de-l-hotel", "Saint-Denis-de-l'Hôtel"))
    assert directory.match("Saint-Denis") == (None, "")
    assert directory.match_all("Saint Denis") == ([], ["Saint Denis"])
    directory = _directory(("saint-denis", "Saint-Denis"))
    assert directory.match("SAINT DENIS")[0] == "saint-denis"
    assert directory.match("Saint-Denis-de-l'Hôtel") == (None, "")


def test_matching_is_accent_and_case_insensitive_and_knows_the_2015_names():
    directory = _directory(("angouleme", "Angoulême"), ("cg-allier", "Conseil général de l'Allier"))
    assert directory.match("ANGOULEME")[0] == "angouleme"
    assert directory.match("Comité de jumelage - Angoulême")[0] == "angouleme"
    assert directory.match("Conseil Départemental de l'Allier")[0] == "cg-allier"
    assert directory.match("Angers") == (None, "")


def test_ambiguous_names_are_not_linked():
    directory = _directory(("valence-26", "Valence"), ("valence-82", "Valence"))
    assert directory.match("Valence") == (None, "")


def test_challenge_kinds_and_public_headings():
    assert challenge_kinds("Missions impossibles ; terrorisme") == ["missions", "security"]
    assert challenge_kinds("Rien de tel") == []
    assert public_heading("Laurent Laloge, ACTED", "Laurent Laloge") == "ACTED"
    assert public_heading("Évolution (par Astrid Frey, Cuf)", "Astrid Frey, Cuf") == "Évolution"


@pytest.mark.django_db
def test_seeding_again_changes_nothing():
    before = {m: m.objects.count() for m in (Workshop, Participant, QuestionnaireAnswer, Link)}
    ids = list(Link.objects.order_by("pk").values_list("pk", flat=True))
    call_command("seed", verbosity=0)
    assert {m: m.objects.count() for m in before} == before
    assert list(Link.objects.order_by("pk").values_list("pk", flat=True)) == ids


def test_fixture_records_provenance():
    objects = json.loads((settings.FIXTURES_DIR / "workshops.json").read_text(encoding="utf-8"))
    for obj in objects:
        if obj["model"].startswith("workshops."):
            assert obj["fields"].get("source_line"), obj
