"""Documents as files, JSON and CSV: for the export command, the list page and the API."""

import csv
import io
import json
from decimal import Decimal

from rest_framework.utils.encoders import JSONEncoder


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


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A CSV cell for a document value, never read as a formula by a spreadsheet: text starting
    with = + - @, a tab or a carriage return gets a leading single quote ("-" is how the
    répertoire starts some of its lists). Numbers stay numbers."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = flatten(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def documents_as_csv(documents) -> str:
    """CSV text of partnership documents, with a BOM so spreadsheets read the accents as UTF-8.

    Every CSV the project writes (the list page's export, the API, export_partnerships) is
    written here, each cell through csv_cell."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    if documents:
        writer = csv.writer(buffer)
        header = list(documents[0].keys())
        writer.writerow([csv_cell(name) for name in header])
        for document in documents:
            writer.writerow([csv_cell(document[key]) for key in header])
    return buffer.getvalue()


def documents_as_json(documents) -> str:
    return json.dumps(documents, ensure_ascii=False, indent=2, cls=JSONEncoder) + "\n"
