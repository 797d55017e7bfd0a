"""The French interface is available in English through Django's i18n (locale/en)."""

import gettext
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

from partnerships.models import (
    Collectivity,
    CollectivityKind,
    ContactRole,
    MalianRegion,
    Partnership,
    PartnershipStatus,
    ReviewItem,
)

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")

# (callable giving the label, French, English)
LABELS = [
    (lambda: Partnership._meta.verbose_name, "partenariat", "partnership"),
    (lambda: Partnership._meta.verbose_name_plural, "partenariats", "partnerships"),
    (lambda: MalianRegion._meta.verbose_name_plural, "régions maliennes", "Malian regions"),
    (lambda: Collectivity._meta.verbose_name, "collectivité", "local authority"),
    (lambda: ReviewItem._meta.verbose_name, "point à vérifier", "item to review"),
    (lambda: PartnershipStatus.DOCUMENTED.label, "fiche renseignée", "documented record"),
    (
        lambda: PartnershipStatus.LISTED.label,
        "partenariat connu, non renseigné",
        "known partnership, listed without a record",
    ),
    (lambda: CollectivityKind.COMMUNE.label, "commune", "municipality"),
    (lambda: ContactRole.TWINNING_COMMITTEE.label, "comité de jumelage", "twinning committee"),
    (lambda: Partnership._meta.get_field("status").verbose_name, "statut", "status"),
    (lambda: apps.get_app_config("partnerships").verbose_name, "Partenariats", "Partnerships"),
]


@pytest.mark.parametrize(("label", "french", "english"), LABELS)
def test_labels_in_english(label, french, english):
    with translation.override("en"):
        assert str(label()) == english


@pytest.mark.parametrize(("label", "french", "english"), LABELS)
def test_labels_in_french(label, french, english):
    with translation.override("fr"):
        assert str(label()) == french


def test_choices_follow_the_active_language():
    with translation.override("en"):
        assert dict(PartnershipStatus.choices)["documented"] == "documented record"
    with translation.override("fr"):
        assert dict(PartnershipStatus.choices)["documented"] == "fiche renseignée"


def _unquote(lines):
    text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', lines))
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def _po_entries(path):
    """(flags, msgid, msgstr) for every entry of a .po file, header included. A plural entry
    (ngettext) gives its singular form, or "" when one of its forms is missing."""
    entry = re.compile(
        r'^((?:#.*\n)*)msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?'
        r'((?:msgstr(?:\[\d\])? (?:".*"\n)+)+)',
        re.M,
    )
    form = re.compile(r'msgstr(?:\[\d\])? ((?:".*"\n)+)')
    text = path.read_text(encoding="utf-8")
    entries = []
    for comments, msgid, msgstrs in entry.findall(text):
        forms = [_unquote(f) for f in form.findall(msgstrs)]
        msgstr = forms[0] if all(forms) else ""
        entries.append((" ".join(re.findall(r"^#,(.*)$", comments, re.M)), _unquote(msgid), msgstr))
    return entries


def test_po_file_is_fully_translated():
    entries = _po_entries(PO_FILE)
    messages = [(flags, msgid, msgstr) for flags, msgid, msgstr in entries if msgid]
    assert (
        len(messages) == len(re.findall(r"^msgid ", PO_FILE.read_text(encoding="utf-8"), re.M)) - 1
    )
    assert len(messages) > 100
    untranslated = [msgid for _, msgid, msgstr in messages if not msgstr]
    fuzzy = [msgid or "(header)" for flags, msgid, _ in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_po_placeholders_are_kept():
    pattern = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    for _, msgid, msgstr in _po_entries(PO_FILE):
        if msgid:
            assert sorted(pattern.findall(msgid)) == sorted(pattern.findall(msgstr)), msgid


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo holds every translation of the .po (run `make messages` after edits)."""
    with MO_FILE.open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for _, msgid, msgstr in _po_entries(PO_FILE):
        if msgid:
            assert catalogue.gettext(msgid) == msgstr, msgid


FRENCH_MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
)


def english_pages():
    from django.urls import reverse

    from partnerships.models import Domain

    with translation.override("en"):
        names = [
            "home",
            "partnership_list",
            "collectivity_list",
            "region_list",
            "domain_list",
            "map",
            "figures",
            "legal_notice",
            "accessibility",
            "privacy_notice",
            "data_licence",
            "contact",
        ]
        urls = [reverse(name) for name in names]
        urls += [reverse("domain_detail", args=[d.slug]) for d in Domain.objects.all()]
        urls += [reverse("region_detail", args=[r.slug]) for r in MalianRegion.objects.all()]
        urls.append(reverse("partnership_list") + "?status=listed")
    return urls


def visible_text(html):
    """The page's text but what it marks as French (texts as printed: lang="fr")."""
    html = re.sub(r'<(\w+)[^>]*\blang="fr"[^>]*>.*?</\1>', " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
def test_english_pages_keep_no_french_label(client):
    """The English pages that show no printed free text hold no French domain or sub-theme
    name, status, kind or month (dates are written "10 September 2008")."""
    from partnerships.models import Domain, SubTheme

    with translation.override("fr"):
        french = {d.name for d in Domain.objects.all()} | {s.name for s in SubTheme.objects.all()}
        french |= {str(label) for label in PartnershipStatus.labels}
        french |= {str(label) for label in CollectivityKind.labels if " " in str(label)}
    with translation.override("en"):
        english = {d.localized_name for d in Domain.objects.all()}
        english |= {s.localized_name for s in SubTheme.objects.all()}
    french -= english  # a name spelt the same in both languages is not a leftover
    assert {"Santé", "Eau et assainissement", "Artisanat", "fiche renseignée"} <= french
    leftovers = []
    for url in english_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        leftovers += [(url, name) for name in french if name in text]
        leftovers += [
            (url, m.group())
            for m in re.finditer(rf"\b\d{{1,2}}\s+(?:{'|'.join(FRENCH_MONTHS)})\b", text)
        ]
    assert leftovers == []


@pytest.mark.django_db
def test_english_fiche_names_its_domains_in_english_and_dates_unambiguously(client):
    from django.urls import reverse

    fiche = Partnership.objects.filter(domains__slug="sante", updated_on__isnull=False).first()
    with translation.override("en"):
        url = reverse("partnership_detail", args=[fiche.slug])
    html = client.get(url).content.decode()
    assert '">Health</a>' in html
    date = fiche.updated_on
    assert f"{date.day} {date:%B} {date.year}" in html  # "10 September 2008"
    assert f"{date:%m/%d/%Y}" not in html and f"{date:%d/%m/%Y}" not in html


def test_dates_are_unambiguous_in_both_languages():
    import datetime

    from django.utils.formats import date_format

    day = datetime.date(2008, 9, 10)
    with translation.override("en"):
        assert date_format(day) == "10 September 2008"
        assert date_format(day, "SHORT_DATE_FORMAT") == "10 Sept. 2008"
    with translation.override("fr"):
        assert date_format(day) == "10 septembre 2008"
        assert date_format(day, "SHORT_DATE_FORMAT") == "10 sept. 2008"


# An amount with the sign after it ("460 000 €", "460,000 €") or before it ("€460,000").
AMOUNT_SIGN_AFTER = re.compile(r"\d[ \xa0\u202f]?€")
AMOUNT_SIGN_BEFORE = re.compile(r"€\d")
# Where the site writes amounts: table cells of figures, an action's amount, the totals, the
# chart's values and its note. The cells quoting what the répertoire printed ("78778€") are
# not among them: they stay as printed.
AMOUNT_PLACES = (
    "//td[contains(@class, 'num')] | //strong[@class='amount'] | //p[@class='total']"
    " | //*[@class='chart-value'] | //p[@class='chart-note']"
)


def amount_pages():
    """The pages that show amounts in euros, on the seeded data."""
    from django.urls import reverse

    return [
        reverse("action_list"),
        reverse("partnership_detail", args=["alencon-koutiala"]),
        reverse("domain_detail", args=["sante"]),
        reverse("figures"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_amount_of_a_page_is_written_one_way(client, language):
    """French pages write "460 000 €", English ones "€460,000", in every row and total alike."""
    from lxml import html as lxml_html

    with translation.override(language):
        urls = amount_pages()
    wrong = AMOUNT_SIGN_BEFORE if language == "fr" else AMOUNT_SIGN_AFTER
    right = AMOUNT_SIGN_AFTER if language == "fr" else AMOUNT_SIGN_BEFORE
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        places = lxml_html.fromstring(response.content).xpath(AMOUNT_PLACES)
        # Each line of a cell apart (a cell stacks an action's amounts with <br>).
        texts = [" ".join(t.split()) for p in places for t in p.itertext()]
        amounts = [t for t in texts if "€" in t]
        assert len(amounts) >= 2, url
        assert [t for t in amounts if wrong.search(t) or not right.search(t)] == [], url
    # The total of the actions list and one of its rows, to the euro.
    actions = client.get(urls[0])
    total = round(actions.context["total_eur"])
    amount = round(next(a.amount_eur for a in actions.context["actions"] if a.amount_eur))
    html = actions.content.decode()
    for value in (total, amount):
        if language == "fr":
            assert f"{value:,}".replace(",", "\xa0") + "\xa0€" in html
        else:
            assert f"€{value:,}" in html
