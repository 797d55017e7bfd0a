"""The directory's one search: used by the HTML pages and the API through the FilterSet.

French speakers type without accents and in any case ("segou" for Ségou), in the plural
("écoles" for "école"), and misspell names. Each partnership has a stored search document
(SearchDocument: title and partners' names, actions, free texts, as anonymous readers may see
them), written by ``index_partnerships()`` only. On PostgreSQL it holds a tsvector in the French
configuration without accents of migration 0003 (GIN index) and folded names under a trigram
index; on SQLite an FTS5 table holds the folded texts. A query is then one indexed lookup
ranked in SQL (ts_rank or bm25, plus a bonus for an exact partner's name), whatever the size of
the directory.

Every write path (staff pages, API, admin, revert) reaches the models' signals, which mark the
partnerships concerned; their documents (and facet rows, partnerships/facetrows.py) are
rewritten once when the transaction commits.
``manage.py seed`` and ``manage.py rebuild_search`` rewrite them all.
"""

import re

from django.db import connection, connections, transaction
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Lower, Sign, StrIndex
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import facetindex, facetrows, privacy
from .models import (
    Action,
    Collectivity,
    Contact,
    Domain,
    FacetRow,
    Partnership,
    PartnershipEvent,
    PartnershipMember,
    Placement,
    SearchDocument,
)
from .text import fold

# Created by migration 0003 on PostgreSQL: the French configuration with unaccent before stemming.
PG_CONFIG = "french_unaccent"
WORD = re.compile(r"\w+")
TRIGRAM_MIN_LENGTH = 5
# Above this many matches, a search ranks by the partners' names and the title only (see
# _search_postgresql); below, by ts_rank over the whole document.
RANKED_MAX = 2000
# Rows written per statement when rebuilding every document.
BATCH = 500
# Around each matched word of a highlighted passage (private-use characters: no text uses
# them, and whatever is left of them after escaping is dropped).
START, STOP = "\ue000", "\ue001"
MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")


def _stem(word: str) -> str:
    """A crude French plural stripper for SQLite ("ecoles" → "ecole", "puits" → "puit")."""
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def search_words(query: str) -> list[str]:
    """The words of a query as SQLite's index compares them (folded, plural stripped; each is
    then a prefix: "ecole" finds "ecoles")."""
    return [_stem(word) for word in fold(query or "").split()]


SQLITE_FOLD_FUNCTION = "repertoire_fold"


def folded(expression):
    """An SQL expression of ``expression`` folded as text.fold() folds (accents and case).

    For the small texts of the workshops (workshops/search.py): the partnerships have their
    index instead.
    """
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


def ensure_sqlite_fold(conn=None):
    """Register fold() as an SQL function on the SQLite connection (idempotent and cheap)."""
    conn = conn or connection
    conn.ensure_connection()
    conn.connection.create_function(SQLITE_FOLD_FUNCTION, 1, fold, deterministic=True)


OWN_TEXT_FIELDS = [
    "motivations_french",
    "motivations_malian",
    "presentation",
    "perspectives",
    "technical_partners",
    "financial_partners",
    "documents",
]


def _join(parts) -> str:
    return "\n".join(part for part in parts if part)


def document_of(partnership, masker) -> SearchDocument:
    """The search document of a partnership whose members (with collectivity and region),
    actions (with domain) and domains are prefetched. Contacts are never part of it."""
    names, keys = [partnership.title], []
    for member in partnership.members.all():
        collectivity = member.collectivity
        region = collectivity.malian_region
        # "Who works in Ségou?": the region and cercle of a partner count as its names.
        names += [
            collectivity.name,
            member.name_as_printed,
            collectivity.name_as_printed,
            collectivity.cercle,
            region.name if region else "",
        ]
        keys.append(fold(collectivity.name))
    actions = [d.name for d in partnership.domains.all()]
    for action in partnership.actions.all():
        actions += [action.domain.name if action.domain else "", action.domain_as_printed]
        actions.append(action.description)
    texts = [getattr(partnership, name) for name in OWN_TEXT_FIELDS]
    names_text = _join(dict.fromkeys(names))
    return SearchDocument(
        partnership_id=partnership.pk,
        # Names of places and collectivities are not people's: only free texts are masked.
        names=names_text,
        actions=masker.text(_join(dict.fromkeys(actions))),
        texts=masker.text(_join(texts)),
        folded_names=fold(names_text),
        name_keys="|" + "|".join(keys) + "|",
    )


def index_partnerships(ids, using="default") -> int:
    """Rewrite the search documents and facet rows (facetrows.row_of) of the partnerships
    ``ids`` (those deleted lose theirs).

    The one writer of what is derived from a partnership for searching and counting: every
    write path reaches it (signals, seed, command).
    """
    ids = sorted(set(ids))
    if not ids:
        return 0
    masker = privacy.current_masker()
    vendor = connections[using].vendor
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with transaction.atomic(using=using):
            # Locked: a writer of one of these fiches waits, so the last document written is
            # read from the last committed state (never an older read written after it).
            partnerships = (
                Partnership.objects.using(using)
                .filter(pk__in=chunk)
                .select_for_update()
                .prefetch_related(
                    Prefetch(
                        "members",
                        queryset=PartnershipMember.objects.select_related(
                            "collectivity__malian_region"
                        ).prefetch_related(
                            Prefetch(
                                "collectivity__placements",
                                queryset=Placement.objects.select_related("division"),
                            )
                        ),
                    ),
                    Prefetch("actions", queryset=Action.objects.select_related("domain")),
                    "domains",
                    "events",
                )
            )
            documents, rows = [], []
            for partnership in partnerships:
                documents.append(document_of(partnership, masker))
                rows.append(facetrows.row_of(partnership))
            kept = [d.pk for d in documents]
            SearchDocument.objects.using(using).filter(pk__in=chunk).exclude(pk__in=kept).delete()
            SearchDocument.objects.using(using).bulk_create(
                documents,
                update_conflicts=True,
                unique_fields=["partnership"],
                update_fields=["names", "actions", "texts", "folded_names", "name_keys"],
            )
            FacetRow.objects.using(using).bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["partnership"],
                update_fields=[
                    "facet_values",
                    "status",
                    "contacts_start_year",
                    "last_event_kind",
                    "last_event_date",
                ],
            )
            if vendor == "postgresql":
                _write_vectors(chunk, using)
            elif vendor == "sqlite":
                _write_fts(chunk, documents, using)
            facetindex.rows_changed(chunk, using)
        written += len(documents)
    return written


def _write_vectors(ids, using):
    from django.contrib.postgres.search import SearchVector

    SearchDocument.objects.using(using).filter(pk__in=ids).update(
        vector=SearchVector("names", weight="A", config=PG_CONFIG)
        + SearchVector("actions", weight="B", config=PG_CONFIG)
        + SearchVector("texts", weight="C", config=PG_CONFIG)
    )


def _write_fts(ids, documents, using):
    with connections[using].cursor() as cursor:
        marks = ",".join("%s" for _ in ids)
        cursor.execute(f"DELETE FROM partnerships_searchentry WHERE rowid IN ({marks})", ids)
        cursor.executemany(
            "INSERT INTO partnerships_searchentry(rowid, names, actions, texts) "
            "VALUES (%s, %s, %s, %s)",
            [(d.pk, fold(d.names), fold(d.actions), fold(d.texts)) for d in documents],
        )


def rebuild_documents(using="default") -> int:
    """Rewrite every search document (and drop those of deleted partnerships)."""
    ids = list(Partnership.objects.using(using).values_list("pk", flat=True))
    with transaction.atomic(using=using):
        SearchDocument.objects.using(using).exclude(pk__in=ids).delete()
        if connections[using].vendor == "sqlite":
            with connections[using].cursor() as cursor:
                cursor.execute("DELETE FROM partnerships_searchentry")
        written = index_partnerships(ids, using)
        if connections[using].vendor == "postgresql":
            # Fresh statistics: the planner then prices the GIN indexes right.
            with connections[using].cursor() as cursor:
                cursor.execute("ANALYZE partnerships_searchdocument")
    # Everything marked so far (loaddata's domains send m2m signals) is written already.
    _pending(using).clear()
    return written


# Keeping the documents current: signals mark partnerships, one rewrite per transaction.


def _pending(using):
    connection = connections[using]
    if not hasattr(connection, "search_pending"):
        connection.search_pending = set()
    return connection.search_pending


def flush_pending(using="default"):
    """Write the documents marked on this connection and not written yet."""
    pending = _pending(using)
    if pending:
        ids = set(pending)
        pending.clear()
        index_partnerships(ids, using)


def documents_changed(ids, using="default"):
    """The partnerships ``ids`` changed: their documents are rewritten when the transaction
    commits (at once outside a transaction). Ids of a transaction rolled back may stay marked:
    rewriting a document from the database is harmless."""
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return
    _pending(using).update(ids)
    # robust: a failure is logged; it must not turn a committed edit into an error page.
    transaction.on_commit(lambda: flush_pending(using), using=using, robust=True)


def _changed_partnerships(sender, instance, using, raw=False, **kwargs):
    # loaddata saves raw rows: `seed` rewrites every document once at its end instead.
    if raw:
        return
    if isinstance(instance, Partnership):
        ids = [instance.pk]
    elif isinstance(instance, PartnershipMember | Action | PartnershipEvent):
        ids = [instance.partnership_id]
    elif isinstance(instance, Collectivity):
        ids = instance.memberships.using(using).values_list("partnership_id", flat=True)
    elif isinstance(instance, Placement):
        ids = (
            PartnershipMember.objects.using(using)
            .filter(collectivity_id=instance.collectivity_id)
            .values_list("partnership_id", flat=True)
        )
    elif isinstance(instance, Domain):
        ids = (
            Partnership.objects.using(using)
            .filter(Q(domains=instance) | Q(actions__domain=instance))
            .values_list("pk", flat=True)
        )
    elif isinstance(instance, Contact):
        # A person's name is masked in every document: those that still hold it are rewritten.
        ids = [instance.partnership_id, *mentioning(instance.name, using)]
    else:
        return
    documents_changed(list(ids), using)


def _changed_domains(sender, instance, action, pk_set, using, reverse, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # domain.partnerships.add(...)
        ids = pk_set or instance.partnerships.using(using).values_list("pk", flat=True)
        documents_changed(list(ids), using)
    else:
        documents_changed([instance.pk], using)


def connect_signals():
    """Called once from the app's ready()."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    models = (
        Partnership,
        PartnershipMember,
        Action,
        PartnershipEvent,
        Collectivity,
        Placement,
        Domain,
        Contact,
    )
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                _changed_partnerships,
                sender=model,
                dispatch_uid=f"search-{model.__name__}-{id(signal)}",
            )
    m2m_changed.connect(
        _changed_domains, sender=Partnership.domains.through, dispatch_uid="search-domains"
    )


def mentioning(name, using="default") -> list[int]:
    """The partnerships whose document names the person ``name`` (family name)."""
    _given, family = privacy.split_name(name or "")
    if not family:
        return []
    found = search_partnerships(Partnership.objects.using(using), family)
    return list(found.values_list("pk", flat=True))


# Searching.


def search_partnerships(queryset: QuerySet, query: str, ranked=True, match_count=None) -> QuerySet:
    """The partnerships of `queryset` matching `query`, annotated with `search_rank` (higher
    first) unless not ``ranked``. ``match_count``: how many partnerships the query matches,
    where the caller knows it already (matching_keys).

    The result is not ordered: callers order by `-search_rank` (the FilterSet does when no other
    ordering is asked for).
    """
    query = (query or "").strip()
    if not WORD.search(query):
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    # A search sees the edits of its own transaction (written at commit otherwise).
    flush_pending(queryset.db)
    words = search_words(query)
    if not words:  # only characters that fold to nothing ("日本"): nothing indexed matches
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    folded = fold(query)
    # A partner named exactly as searched first, then a title or name holding the words.
    bonus = Value(2.0) * Sign(
        StrIndex(F("search_document__name_keys"), Value(f"|{folded}|"))
    ) + Sign(StrIndex(F("search_document__folded_names"), Value(folded)))
    if connections[queryset.db].vendor == "postgresql":
        return _search_postgresql(queryset, query, words, folded, bonus, ranked, match_count)
    return _search_sqlite(queryset, words, bonus)


def matching(query) -> Q:
    """The condition "a partnership ``query`` matches", unranked: what the facets of a search
    count among (a subquery on the search index, read as one bitmap on PostgreSQL)."""
    found = search_partnerships(Partnership.objects.all(), query, ranked=False)
    return Q(pk__in=found.order_by().values("pk"))


def matching_keys(query, using="default") -> list:
    """The keys of every partnership ``query`` matches, unranked, fetched whole by the driver
    (on PostgreSQL from the documents alone: 36,690 keys for "ecole" at 100,000 partnerships in
    about 20 ms, where the facets' SQL and the count read them twice more)."""
    found = search_partnerships(Partnership.objects.using(using), query, ranked=False)
    documents = getattr(found, "matched_documents", None)
    if documents is not None:
        return facetindex.read_keys(documents.values_list("partnership_id", flat=True))
    return facetindex.read_keys(found.order_by().values_list("pk", flat=True))


def _search_postgresql(queryset, query, words, folded, bonus, ranked, match_count=None):
    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity

    search_query = SearchQuery(query, config=PG_CONFIG, search_type="websearch")
    matches = Q(vector=search_query)
    if len(words) == 1 and len(folded) >= TRIGRAM_MIN_LENGTH:
        # A misspelt name ("Koutialla"): the trigram index's word similarity operator (%>).
        # With several words, every word must match instead; a short word ("eau") has too few
        # trigrams to be told from others.
        matches |= Q(folded_names__trigram_word_similar=folded)
    # The matches as a subquery on the documents alone: both indexes read as one bitmap. The
    # same condition on the documents joined to the partnerships let the planner walk every
    # document (1.7 s for "école" at 100,000 partnerships).
    matched = SearchDocument.objects.using(queryset.db).filter(matches)
    queryset = queryset.filter(pk__in=matched.values("partnership_id"))
    if not ranked:
        queryset.matched_documents = matched  # for matching_keys (a clone forgets it)
        return queryset
    # Counted whole: with a LIMIT the planner walks the documents in search of the first
    # RANKED_MAX (60 ms for "ecole" at 100,000 partnerships, against 15 ms counting them all
    # from the indexes' bitmap).
    if (matched.count() if match_count is None else match_count) > RANKED_MAX:
        # A word found in thousands of fiches ("école": a third of a national directory):
        # ranking each by ts_rank unpacks every matching document (0.2 s at 100,000
        # partnerships); the fiches whose names hold the words come first, then by title.
        # NameTiers reads a page of that order without computing it for every match.
        found = queryset.annotate(search_rank=bonus)
        found.ranked_by_names = folded  # read by the caller at once (a clone forgets it)
        return found
    # A misspelt name's matches are ranked by how close the name is; the others by ts_rank
    # and the bonus alone.
    closeness = Case(
        When(search_document__vector=search_query, then=Value(0.0)),
        default=TrigramWordSimilarity(Value(folded), F("search_document__folded_names"))
        * Value(0.5),
        output_field=FloatField(),
    )
    return queryset.annotate(
        search_rank=SearchRank(F("search_document__vector"), search_query) + closeness + bonus
    )


class NameTiers:
    """The results of a search ranked by names alone (more than RANKED_MAX matches, on
    PostgreSQL), read page by page in the order ``-search_rank, title, slug`` without ranking
    every match.

    The rank is 2 for a partner named exactly as searched plus 1 for names holding the words,
    and an exact name is always held by the names (document_of): so the order is the fiches
    with an exact name, then those whose names hold the words, then the others, each by title.
    The first two are found through the names' trigram index and are few; the last is read by
    walking the title index, checking each fiche, until the page is full: about a millisecond
    for "ecole" at 100,000 partnerships where sorting its 36,690 matches took 120 ms.
    A paginator slices it; its count is given to the paginator (the FilterSet's
    ``selection_count``): a COUNT of the ranked query would cost what this saves.
    """

    # From this row on, the matches are sorted by rank instead (page 100 of "ecole": 130 ms
    # either way; deeper, the walk costs more).
    DEEP = 2000

    def __init__(self, queryset, folded):
        self.queryset = queryset
        self.folded = folded

    def _tiers(self, queryset):
        held = Q(folded_names__contains=self.folded)
        exact = Q(name_keys__contains=f"|{self.folded}|")
        documents = SearchDocument.objects.using(queryset.db)
        for condition in (held & exact, held & ~exact, ~held):
            yield queryset.filter(
                pk__in=documents.filter(condition).values("partnership_id")
            ).order_by("title", "slug")

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("NameTiers is read by slices")
        start, stop = index.start or 0, index.stop
        if start >= self.DEEP:
            # Walking the title index to a deep page reads more rows than sorting the matches.
            return list(self.queryset[index])
        # The related objects of the page's rows are fetched once, whatever their tier.
        lookups = self.queryset._prefetch_related_lookups
        found = []
        for tier in self._tiers(self.queryset.prefetch_related(None)):
            if stop is not None and start >= stop:
                break
            rows = list(tier[start:stop])
            if not rows and start:
                # The page begins after this tier: its size tells where in the next one.
                size = tier.count()
                start -= size
                stop = None if stop is None else stop - size
                continue
            found += rows
            # The tier ends on this page (or the page is full): the next begins at its start.
            stop = None if stop is None else stop - start - len(rows)
            start = 0
        prefetch_related_objects(found, *lookups)
        return found


def in_rank_order(queryset, found):
    """``queryset`` (the FilterSet's, ordered by rank), or its NameTiers where the search
    ranked by names alone: ``found`` holds its folded words as ``ranked_by_names`` (what
    search_partnerships returned, or the FilterSet that kept them from it)."""
    folded = getattr(found, "ranked_by_names", None)
    # The trigram index finds names holding at least one trigram (3 characters).
    if folded and len(folded) >= 3:
        return NameTiers(queryset, folded)
    return queryset


def _search_sqlite(queryset, words, bonus):
    # Every word, each as a prefix; folded words hold only [a-z0-9]: no FTS5 syntax in them.
    fts_query = " ".join(f'"{word}"*' for word in words)
    return queryset.filter(search_entry__match=fts_query).annotate(
        # bm25 is lower for better matches, in a range some ten times PostgreSQL's ts_rank.
        search_rank=-F("search_entry__rank") + Value(10.0) * bonus
    )


# Highlighting the shown results.


def highlights(partnerships, query, masker) -> dict:
    """For the shown page of results, the passage of each one's actions or texts that matches
    ``query``, matched words in <mark>, as safe HTML (every text escaped): {pk: html}.

    One query. Passages come from the documents (masked when written) and go through the
    reader's ``masker`` again.
    """
    words = search_words(query)
    ids = [p.pk for p in partnerships]
    if not words or not ids:
        return {}
    flush_pending()
    documents = SearchDocument.objects.filter(pk__in=ids)
    if connections[documents.db].vendor == "postgresql":
        rows = _headlines(documents, query)
    else:
        rows = (
            (pk, _passage(masker.text(_join([actions, texts])), words))
            for pk, actions, texts in documents.values_list("pk", "actions", "texts")
        )
    result = {}
    for pk, passage in rows:
        passage = masker.text(passage or "")
        if START in passage:
            html = MARKED.sub(r"<mark>\1</mark>", str(escape(passage)))
            result[pk] = mark_safe(html.replace(START, "").replace(STOP, ""))  # noqa: S308
    return result


def _headlines(documents, query):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery
    from django.db.models.functions import Concat

    search_query = SearchQuery(query, config=PG_CONFIG, search_type="websearch")
    return documents.annotate(
        passage=SearchHeadline(
            Concat("actions", Value("\n"), "texts", output_field=TextField()),
            search_query,
            config=PG_CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    ).values_list("pk", "passage")


TOKEN = re.compile(r"\w+")
# Words of context shown before the first matched word, and the length of a passage.
LEAD, WIDTH = 8, 32


def _passage(text: str, words: list[str]) -> str:
    """SQLite's ts_headline: about WIDTH words around the first match, matches between
    START and STOP (a matched word begins with one of the query's folded words)."""
    tokens = list(TOKEN.finditer(text))
    hits = {i for i, t in enumerate(tokens) if fold(t.group()).startswith(tuple(words))}
    if not hits:
        return ""
    first = max(min(hits) - LEAD, 0)
    last = min(first + WIDTH, len(tokens)) - 1
    begin, end = tokens[first].start(), tokens[last].end()
    out, position = ["… " if begin else ""], begin
    for i in range(first, last + 1):
        if i in hits:
            token = tokens[i]
            out += [text[position : token.start()], START, token.group(), STOP]
            position = token.end()
    out += [text[position:end], " …" if end < len(text) else ""]
    return "".join(out)
