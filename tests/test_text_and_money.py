"""The project's pure helpers: one folding, one slug allocator, one euro conversion."""

from decimal import Decimal

import pytest

from partnerships.money import to_eur
from partnerships.text import allocate_slug, fold, slugify, web_address
from partnerships.validators import validate_web_url


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Ségou", "segou"),
        ("YÉLIMANÉ", "yelimane"),
        ("Saint-Denis", "saint denis"),
        ("Œuvre d’art", "oeuvre d art"),
        ("  Kayes,  Nioro ", "kayes nioro"),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_slugify_cuts_without_a_trailing_hyphen():
    assert slugify("Conseil Général de l'Allier") == "conseil-general-de-l-allier"
    assert slugify("Conseil Général", max_length=8) == "conseil"


def test_allocate_slug_numbers_taken_slugs_and_never_returns_an_empty_one():
    taken = {"segou", "segou-2"}
    assert allocate_slug("Ségou", taken.__contains__) == "segou-3"
    assert allocate_slug("Kayes", taken.__contains__) == "kayes"
    assert allocate_slug("日本", taken.__contains__, fallback="fiche") == "fiche"
    assert allocate_slug("!!!", {"fiche"}.__contains__, fallback="fiche") == "fiche-2"
    long = allocate_slug("a" * 300, {"a" * 96}.__contains__, max_length=100)
    assert len(long) <= 100 and long.endswith("-2")


@pytest.mark.parametrize(
    ("printed", "address"),
    [
        ("www.ville-rennes.fr", "http://www.ville-rennes.fr"),
        ("cg68.fr", "http://cg68.fr"),
        (" www.mairie-évry.fr/jumelage ", "http://www.mairie-évry.fr/jumelage"),
        ("ville.fr:8080/mali", "http://ville.fr:8080/mali"),
        ("http://www.braine.fr", "http://www.braine.fr"),
        ("HTTPS://Ville.fr/a?b=c#d", "HTTPS://Ville.fr/a?b=c#d"),
        ("(voir site association AJUKOBY :http://korerakore.free.fr)", "http://korerakore.free.fr"),
        ("voir http://ville.fr/page.", "http://ville.fr/page"),
        ("javascript:alert(1)", ""),
        ("javascript://%0Aalert(1)", ""),
        ("JaVaScRiPt:alert(1)", ""),
        ("\x01javascript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("ftp://ftp.ville.fr", ""),
        ("mailto:maire@ville.fr", ""),
        ('http://ville.fr/"><script>alert(1)</script>', ""),
        ("https://ville_test.fr", ""),
        ("jumelage de la ville", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_web_address_is_an_http_link_or_nothing(printed, address):
    assert web_address(printed) == address
    # Whatever it gives passes the fields' validator.
    validate_web_url(address)


def test_to_eur_uses_the_fixed_parities():
    assert to_eur(Decimal("30000"), "FRF") == Decimal("4573.47")
    assert to_eur(Decimal("978342"), "XOF") == Decimal("1491.47")
    assert to_eur(Decimal("655957"), "XOF") == Decimal("1000.00")
    assert to_eur(Decimal("12.345"), "EUR") == Decimal("12.35")
    with pytest.raises(ValueError):
        to_eur(Decimal("1"), "USD")
