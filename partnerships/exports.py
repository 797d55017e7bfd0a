"""The partnership document as files: JSON and CSV, for the export command and the list page."""

import csv
import io
import json
import re

from django.utils.translation import gettext as _
from rest_framework.utils.encoders import JSONEncoder

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers as the répertoire prints them, and nothing else: years, periods ("2001-2005")
# and amounts ("240 000") must stay. French "04 42 91 91 29", international "+33 4 78 63 43 09"
# or "00 223 671 80 53", Malian "222 34 65" / "20 22 34 65".
SEP = r"(?:[ \t]?[.\-][ \t]?|[ \t])"  # one separator, never a line break nor a date's "/"
PHONE = re.compile(
    r"(?<![\d+])(?:"
    # international, unambiguous: +33 4 78…, 00 223 671…, (+223) 2 640 106, +33/(0)2.41…
    r"\(?(?:\+[ \t]?|00[ \t.\-]?)\d{2,3}\)?(?:[ \t.\-/]|\(0\))*\d(?:[ \t.\-/]?\d){5,10}"
    rf"|0\d(?:{SEP}\d\d){{4}}|0\d{{9}}"  # French national
    rf"|\d{{3}}(?:{SEP}\d\d){{2}}|\d\d(?:{SEP}\d\d){{3}}"  # Malian local
    r")(?![\d])"
)


def hide_coordinates(text: str) -> str:
    """The text with its e-mail addresses and phone numbers replaced by a notice."""
    hidden = _("[coordonnées réservées aux utilisateurs connectés]")
    return PHONE.sub(hidden, EMAIL.sub(hidden, text))


def without_coordinates(value):
    """A document (or any part of it) with hide_coordinates() applied to every text."""
    if isinstance(value, str):
        return hide_coordinates(value)
    if isinstance(value, list):
        return [without_coordinates(item) for item in value]
    if isinstance(value, dict):
        return {key: without_coordinates(item) for key, item in value.items()}
    return value


def flatten(value):
    """A CSV cell for a document value: lists and objects become readable text."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ; ".join(flatten(item) for item in value)
    if isinstance(value, dict):
        if "name" in value and "slug" in value:
            return value["name"]
        return " ".join(f"{k}={flatten(v)}" for k, v in value.items() if v not in (None, ""))
    return str(value)


def documents_as_csv(documents) -> str:
    """CSV text of partnership documents, with a BOM so spreadsheets read the accents as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    if documents:
        writer = csv.writer(buffer)
        header = list(documents[0].keys())
        writer.writerow(header)
        for document in documents:
            writer.writerow([flatten(document[key]) for key in header])
    return buffer.getvalue()


def documents_as_json(documents) -> str:
    return json.dumps(documents, ensure_ascii=False, indent=2, cls=JSONEncoder) + "\n"
