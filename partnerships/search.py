"""The directory's one search: used by the HTML pages and the API through the FilterSet.

French speakers type without accents and in any case ("segou" for Ségou), in the plural
("écoles" for "école"), and misspell names. On PostgreSQL this is French full-text search over an
unaccented configuration (created by migration 0003) plus trigram similarity on the titles; on
SQLite (development, tests) a simpler search over text folded in Python (accents, case, plurals).
Both rank a partnership whose partner is named exactly as searched first.
"""

import re

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Lower

from .models import Action, PartnershipMember
from .text import fold

# Created by migration 0003 on PostgreSQL: the French configuration with unaccent before stemming.
PG_CONFIG = "french_unaccent"
# Below this word similarity a misspelt name is not considered a match ("Koutialla" → Koutiala).
TRIGRAM_THRESHOLD = 0.5
SQLITE_FOLD_FUNCTION = "repertoire_fold"

WORD = re.compile(r"\w+")


def _stem(word: str) -> str:
    """A crude French plural stripper for SQLite ("ecoles" → "ecole", "puits" stays "puit")."""
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def search_words(query: str) -> list[str]:
    """The words of a query as the folded searches compare them (folded, plural stripped)."""
    return [_stem(word) for word in fold(query or "").split()]


def folded(expression):
    """An SQL expression of ``expression`` folded as text.fold() folds (accents and case)."""
    if connection.vendor == "postgresql":
        unaccented = Lower(Func(expression, function="unaccent", output_field=TextField()))
        return Func(
            unaccented,
            Value("[^a-z0-9]+"),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        )
    ensure_sqlite_fold()
    return Func(expression, function=SQLITE_FOLD_FUNCTION, output_field=TextField())


class ConcatAgg(Aggregate):
    """Texts of related rows joined by spaces, on SQLite and PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(" "), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra)


def _related_text(model, partnership_field, *fields):
    """A subquery giving, per partnership, the given fields of its related rows as one text."""
    parts = []
    for name in fields:
        parts.extend([Coalesce(F(name), Value("")), Value(" ")])
    # || concatenates on both backends (SQLite has no CONCAT before 3.44).
    text = Func(*parts, arg_joiner=" || ", template="(%(expressions)s)", output_field=TextField())
    return Coalesce(
        Subquery(
            model.objects.filter(**{partnership_field: OuterRef("pk")})
            .order_by()
            .values(partnership_field)
            .annotate(text=ConcatAgg(text))
            .values("text")[:1],
            output_field=TextField(),
        ),
        Value(""),
        output_field=TextField(),
    )


def _names_text():
    return _related_text(
        PartnershipMember,
        "partnership",
        "collectivity__name",
        "collectivity__name_as_printed",
        # "Who works in Ségou?": the region and cercle of a partner count as its names.
        "collectivity__malian_region__name",
        "collectivity__cercle",
    )


def _actions_text():
    return _related_text(Action, "partnership", "description", "domain_as_printed")


OWN_TEXT_FIELDS = [
    "motivations_french",
    "motivations_malian",
    "presentation",
    "perspectives",
    "technical_partners",
    "financial_partners",
    "documents",
]


def search_partnerships(queryset: QuerySet, query: str) -> QuerySet:
    """The partnerships of `queryset` matching `query`, annotated with `search_rank` (higher first).

    The result is not ordered: callers order by `-search_rank` (the FilterSet does when no other
    ordering is asked for).
    """
    query = (query or "").strip()
    if not WORD.search(query):
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, query)
    return _search_folded(queryset, query)


def _search_postgresql(queryset, query):
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVector,
        TrigramWordSimilarity,
    )

    vector = (
        SearchVector("title", weight="A", config=PG_CONFIG)
        + SearchVector(_names_text(), weight="A", config=PG_CONFIG)
        + SearchVector(_actions_text(), weight="B", config=PG_CONFIG)
        + SearchVector(*OWN_TEXT_FIELDS, weight="C", config=PG_CONFIG)
    )
    search_query = SearchQuery(query, config=PG_CONFIG, search_type="websearch")
    unaccented_query = Func(Value(query), function="unaccent", output_field=CharField())
    exact_name = Exists(
        PartnershipMember.objects.filter(partnership=OuterRef("pk")).filter(
            collectivity__name__unaccent__iexact=query
        )
    )
    matches = Q(search_vector=search_query) | Q(search_name__gt=0)
    if len(WORD.findall(query)) == 1:
        # A misspelt name ("Koutialla"); with several words, every word must match instead.
        matches |= Q(search_similarity__gte=TRIGRAM_THRESHOLD)
    return (
        queryset.annotate(search_vector=vector)
        .annotate(
            search_fulltext=SearchRank(F("search_vector"), search_query),
            search_similarity=TrigramWordSimilarity(
                unaccented_query, Func(F("title"), function="unaccent")
            ),
            search_name=Case(
                When(exact_name, then=Value(2)),
                When(title__unaccent__icontains=query, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .filter(matches)
        .annotate(
            search_rank=Cast(F("search_name"), FloatField())
            + F("search_fulltext")
            + F("search_similarity") * Value(0.5)
        )
    )


def ensure_sqlite_fold(conn=None):
    """Register fold() as an SQL function on the SQLite connection (idempotent and cheap)."""
    conn = conn or connection
    conn.ensure_connection()
    conn.connection.create_function(SQLITE_FOLD_FUNCTION, 1, fold, deterministic=True)


def _search_folded(queryset, query):
    words = search_words(query)
    folded_query = fold(query)

    own_text = Func(
        *[Coalesce(F(name), Value("")) for name in ["title", *OWN_TEXT_FIELDS]],
        arg_joiner=" || ' ' || ",
        template="(%(expressions)s)",
        output_field=TextField(),
    )
    exact_name = Exists(
        PartnershipMember.objects.filter(partnership=OuterRef("pk"))
        .annotate(folded_name=folded(F("collectivity__name")))
        .filter(folded_name=folded_query)
    )
    queryset = queryset.annotate(
        search_names=folded(_names_text()),
        search_text=folded(own_text),
        search_actions=folded(_actions_text()),
        search_title=folded(F("title")),
    )
    for word in words:
        queryset = queryset.filter(
            Q(search_names__contains=word)
            | Q(search_text__contains=word)
            | Q(search_actions__contains=word)
        )
    # Names first, then titles, then the texts (a crude but predictable ranking).
    return queryset.annotate(
        search_rank=Case(
            When(exact_name, then=Value(3.0)),
            When(search_title__contains=folded_query, then=Value(2.0)),
            When(search_names__contains=words[0], then=Value(1.5)),
            When(search_text__contains=words[0], then=Value(1.0)),
            default=Value(0.5),
            output_field=FloatField(),
        )
    )
