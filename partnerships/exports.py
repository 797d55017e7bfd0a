"""Documents as files, JSON and CSV: for the export command, the list page and the API."""

import csv
import io
import json

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
