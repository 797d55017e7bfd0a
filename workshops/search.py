"""The workshops' part of the site search: the same words as the partnership search (accents,
case and French plurals ignored), over the texts of the workshops and of their items.

A fixed number of queries (one per kind of item) per data version, whatever the number of
rows.
"""

from django.db.models import F, TextField, Value
from django.db.models.functions import Concat

from partnerships import dataversion
from partnerships.search import folded, search_words

from .models import QuestionnaireAnswer, Quote, Recommendation, Section, TwinTown, Workshop

# Per kind of item: its model and the fields searched. Participants are not searched: their
# names are personal data.
SEARCHED = {
    "workshops": (Workshop, ["title", "organiser", "context", "objectives"]),
    "sections": (Section, ["public_heading", "text"]),
    "answers": (
        QuestionnaireAnswer,
        ["respondent", "partner_as_printed", "challenges", "tools", "recommendations"],
    ),
    "quotes": (Quote, ["text", "value"]),
    "recommendations": (Recommendation, ["theme", "text"]),
    "twin_towns": (TwinTown, ["name", "country", "description"]),
}
LIMIT = 50


def search_workshops(query: str) -> dict[str, list]:
    """{kind: [matching rows]}; every word of ``query`` must occur in one row's texts."""
    words = search_words(query)
    if not words:
        return {}
    return {
        kind: [row for row in rows if all(word in row.search_text for word in words)][:LIMIT]
        for kind, rows in searchable_items().items()
    }


def searchable_items() -> dict[str, list]:
    """{kind: every row, with its texts folded in SQL as ``search_text``}, kept in this process
    while the data does not change (dataversion.kept).

    The workshops hold a few hundred items that do not grow with the directory: their words are
    looked for in these texts in Python (microseconds). Filtering in SQL folded every row
    again in six queries on every search of the list, 9 ms of Python and 7 of PostgreSQL.
    """
    return dataversion.kept("workshop-search", _read_searchable_items)


def _read_searchable_items():
    items = {}
    for kind, (model, fields) in SEARCHED.items():
        parts = []
        for name in fields:
            parts.extend([F(name), Value(" ")])
        text = folded(Concat(*parts, output_field=TextField()))
        queryset = model.objects.annotate(search_text=text)
        if model is not Workshop:
            queryset = queryset.select_related("workshop")
        items[kind] = list(queryset)
    return items
