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
