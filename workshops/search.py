"""The workshops' part of the site search: the same words as the partnership search (accents,
case and French plurals ignored), over the texts of the workshops and of their items.

A fixed number of queries (one per kind of item), whatever the number of rows.
"""

from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat

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
    results = {}
    for kind, (model, fields) in SEARCHED.items():
        parts = []
        for name in fields:
            parts.extend([F(name), Value(" ")])
        text = folded(Concat(*parts, output_field=TextField()))
        queryset = model.objects.annotate(search_text=text)
        condition = Q()
        for word in words:
            condition &= Q(search_text__contains=word)
        queryset = queryset.filter(condition)
        if model is not Workshop:
            queryset = queryset.select_related("workshop")
        results[kind] = list(queryset[:LIMIT])
    return results
