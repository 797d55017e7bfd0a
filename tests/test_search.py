"""The one search, on the seeded répertoire: accents, case, word forms, ranking (both backends)."""

import pytest
from django.db import connection

from partnerships.models import Partnership
from partnerships.search import fold, search_partnerships

from .factories import ActionFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def search(text):
    return list(
        search_partnerships(Partnership.objects.all(), text)
        .order_by("-search_rank", "title")
        .values_list("slug", flat=True)
    )


def test_fold():
    assert fold("Ségou") == "segou"
    assert fold("YÉLIMANÉ") == "yelimane"
    assert fold("Cœur") == "coeur"


def test_segou_without_accent_finds_segou():
    found = search("segou")
    assert "angouleme-segou" in found
    assert "alencon-koutiala" not in found
    assert search("SÉGOU")[:1] == found[:1]


def test_yelimane_finds_yelimane():
    found = search("yelimane")
    assert {"paris-cercle-de-yelimane", "montreuil-2-cercle-de-yelimane-paddy"} <= set(found)
    assert "alencon-koutiala" not in found


def test_koutiala_finds_koutiala_first():
    found = search("koutiala")
    assert found[0] == "alencon-koutiala"
    assert "angers-bamako" not in found


def test_a_word_of_the_actions_finds_the_fiche():
    found = search("puits")
    assert "bures-sur-yvette-korera-kore" in found
    assert "aix-en-provence-bamako-commune-v" not in found


def test_plural_finds_the_singular():
    # Its actions speak of "école" (singular) only.
    assert "aimf-sikasso-commune" in search("écoles")
    assert "aimf-sikasso-commune" in search("ecoles")


def test_exact_names_rank_first():
    found = search("mopti")
    exact = set(
        Partnership.objects.filter(members__collectivity__name="Mopti").values_list(
            "slug", flat=True
        )
    )
    assert exact
    assert set(found[: len(exact)]) == exact
    assert len(found) > len(exact)  # the region of Mopti, texts that mention it


def test_no_match_and_empty_query():
    assert search("zzqxw") == []
    assert len(search("  ")) == Partnership.objects.count()


def test_several_words_all_count():
    assert "alencon-koutiala" in search("Alençon Koutiala")
    assert "alencon-koutiala" not in search("Alençon Kidal")


def test_new_rows_are_found():
    partnership = PartnershipFactory(title="Trifouillis / Tombouctou")
    ActionFactory(partnership=partnership, description="Électrification solaire du marché")
    assert partnership.slug in search("electrification")
    assert partnership.slug in search("trifouillis")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity: PostgreSQL")
def test_misspelt_names_on_postgresql():
    assert "alencon-koutiala" in search("Koutialla")
    assert "paris-cercle-de-yelimane" in search("Yelimani")
