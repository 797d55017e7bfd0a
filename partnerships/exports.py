"""Documents as files, JSON and CSV: for the export command, the list page and the API.

Exports stream: rows are read from the database in chunks (``serialized``), each document is
written as soon as it is made (``csv_chunks``, ``json_chunks``), and nothing holds the list of
all documents, so an export of any size runs in the memory of one chunk.
"""

import csv
import io
import json
from decimal import Decimal

from django.http import StreamingHttpResponse
from rest_framework.utils.encoders import JSONEncoder

# Rows read from the database at a time (each chunk with its prefetched children).
CHUNK_SIZE = 200


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


def serialized(queryset, serializer_class, context):
    """The documents of ``queryset``, one at a time, read in chunks of CHUNK_SIZE rows (each
    with its prefetched children). One list serializer for all: its fields are built once,
    and the masker of personal data is chosen once, in the shared ``context``."""
    serializer = serializer_class(many=True, context=context)
    chunk = []
    for instance in queryset.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(instance)
        if len(chunk) == CHUNK_SIZE:
            yield from serializer.to_representation(chunk)
            chunk = []
    if chunk:
        yield from serializer.to_representation(chunk)


def csv_chunks(documents):
    """CSV text of documents, piece by piece, with a BOM so spreadsheets read the accents as
    UTF-8; the header is the first document's keys.

    Every CSV the project writes (the list page's export, the API, export_partnerships) is
    written here, each cell through csv_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    header = None
    for document in documents:
        if header is None:
            header = list(document.keys())
            writer.writerow([csv_cell(name) for name in header])
        writer.writerow([csv_cell(document[key]) for key in header])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def json_chunks(documents, *, compact=False):
    """A JSON array of documents, one document at a time: the text ``json.dumps`` makes of the
    whole list, indented by 2 (the export files), or ``compact`` as the API's JSON renderer
    writes it (no spaces, U+2028 and U+2029 escaped for JavaScript)."""
    if compact:
        options = {"separators": (",", ":")}
        opening, separator, closing = "[", ",", "]"
    else:
        options = {"indent": 2}
        opening, separator, closing = "[\n  ", ",\n  ", "\n]\n"
    first = True
    for document in documents:
        text = json.dumps(
            document, ensure_ascii=False, allow_nan=not compact, cls=JSONEncoder, **options
        )
        if compact:
            text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        else:
            # Inside the array, each line of a document is indented once more (a JSON string
            # holds no raw line break: "\n" in a text is written as its escape).
            text = text.replace("\n", "\n  ")
        yield (opening if first else separator) + text
        first = False
    if first:
        yield "[]" if compact else "[]\n"
    else:
        yield closing


def documents_as_csv(documents) -> str:
    return "".join(csv_chunks(documents))


def documents_as_json(documents) -> str:
    return "".join(json_chunks(documents))


def encoded(chunks, size=64 * 1024):
    """UTF-8 bytes of text chunks, gathered into pieces of about ``size`` bytes (a response
    sent in thousands of tiny pieces would cost a write each)."""
    pending, length = [], 0
    for chunk in chunks:
        data = chunk.encode("utf-8")
        pending.append(data)
        length += len(data)
        if length >= size:
            yield b"".join(pending)
            pending, length = [], 0
    if pending:
        yield b"".join(pending)


def download(chunks, content_type, filename):
    """A streamed file to download: its text is made while it is sent."""
    response = StreamingHttpResponse(encoded(chunks), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
