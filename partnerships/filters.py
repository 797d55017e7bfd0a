"""The one FilterSet of the partnership list, shared by the HTML page and the API viewset.

Filters on a partner (region, département, kind…) keep a partnership when one of its partners
matches, through a subquery: no duplicate rows and no DISTINCT, whatever else is combined.
Several values of the same filter are alternatives (OR); different filters combine (AND).
"""

from collections import Counter

import django_filters
from django import forms
from django.db import connections
from django.db.models import Count, F, Q
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from . import dataversion, facetindex, facetrows
from .models import (
    REPERTOIRE_DIVISION,
    Action,
    AdministrativeUnit,
    Collectivity,
    CollectivityKind,
    Country,
    Division,
    Domain,
    MalianRegion,
    Partnership,
    PartnershipState,
    PartnershipStatus,
    has_partner,
)
from .search import (
    flush_pending,
    in_rank_order,
    matching,
    matching_keys,
    search_partnerships,
)
from .validators import validate_year

FIRST_DECADE, LAST_DECADE = 1960, 2000


def decade_choices():
    return [(str(d), _("années %(decade)s") % {"decade": d}) for d in range(FIRST_DECADE, 2010, 10)]


def french_region_choices():
    return dataversion.kept("french-regions", _french_region_choices)


def _french_region_choices():
    names = (
        Collectivity.objects.filter(country=Country.FRANCE)
        .exclude(french_region="")
        .values_list("french_region", flat=True)
        .distinct()
        .order_by("french_region")
    )
    return [(name, name) for name in names]


def department_choices():
    return dataversion.kept("departments", _department_choices)


def _department_choices():
    rows = (
        Collectivity.objects.filter(country=Country.FRANCE)
        .exclude(department_code="")
        .values_list("department_code", "department")
        .distinct()
        .order_by("department_code")
    )
    return [(code, f"{name} ({code})") for code, name in rows]


class SlugListField(forms.Field):
    """Every value of a repeated parameter, unchecked: the form checks them against the
    division chosen (DivisionForm), so no list of choices is read for nothing."""

    widget = forms.SelectMultiple

    def to_python(self, value):
        if isinstance(value, str):
            value = [value]
        return [v for v in (value or []) if v]


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class SlugListFilter(django_filters.Filter):
    field_class = SlugListField


class DivisionForm(forms.Form):
    """Reads ``region`` in the division chosen (``division``, today's by default).

    The 2008 division is the répertoire's own field (Collectivity.malian_region, which staff
    edit); the later ones are the gazetteer's placements. ``cleaned_data["division"]`` is
    always a Division (None only before any is loaded), ``cleaned_data["region"]`` the
    regions of that division.
    """

    def clean(self):
        data = super().clean()
        self.divisions = list(Division.objects.all())
        slug = data.get("division")
        division = next((d for d in self.divisions if d.slug == slug), None)
        if slug and division is None:
            self.add_error(
                "division",
                _("Découpage inconnu. Valeurs acceptées : %(values)s.")
                % {"values": ", ".join(d.slug for d in self.divisions)},
            )
        elif not slug:
            division = self.divisions[-1] if self.divisions else None
        data["division"] = division
        slugs = data.get("region") or []
        data["region"] = []
        if not slugs or division is None:
            return data
        if division.slug == REPERTOIRE_DIVISION:
            regions = MalianRegion.objects.all()
        else:
            regions = AdministrativeUnit.objects.in_division(division).regions()
        found = list(regions.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {r.slug for r in found})
        if missing:
            self.add_error(
                "region",
                _(
                    "%(values)s : pas une région du découpage « %(division)s ». "
                    "Valeurs acceptées : %(accepted)s."
                )
                % {
                    "values": ", ".join(missing),
                    "division": division.label,
                    "accepted": ", ".join(regions.values_list("slug", flat=True)),
                },
            )
        data["region"] = found
        return data


def division_filter():
    return django_filters.CharFilter(
        method="filter_division",
        label=_("Découpage"),
        help_text=_(
            "Découpage administratif du Mali dans lequel lire « region » : 2008, 2016 ou "
            "2023 (par défaut, les régions actuelles)"
        ),
    )


class DivisionMixin:
    """``division`` and ``region`` read together (DivisionForm), on any FilterSet."""

    @property
    def chosen_division(self):
        return self.form.cleaned_data.get("division")

    def filter_division(self, queryset, name, value):
        return queryset  # read by filter_region

    def in_2008(self):
        return self.chosen_division.slug == REPERTOIRE_DIVISION


class YearField(forms.IntegerField):
    default_validators = [validate_year]


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


# The API schema types these by hand: no model field of the partnership holds them.
@extend_schema_field(OpenApiTypes.STR)
class PartnerChoicesFilter(django_filters.MultipleChoiceFilter):
    """Keeps the partnerships one of whose partners has one of the chosen values."""

    def __init__(self, *args, partner_lookup, **kwargs):
        self.partner_lookup = partner_lookup
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(has_partner(**{f"{self.partner_lookup}__in": value}))


@extend_schema_field(OpenApiTypes.STR)
class PartnerModelChoicesFilter(django_filters.ModelMultipleChoiceFilter):
    def __init__(self, *args, partner_lookup, **kwargs):
        self.partner_lookup = partner_lookup
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(has_partner(**{f"{self.partner_lookup}__in": [obj.pk for obj in value]}))


class OrderingFilter(django_filters.OrderingFilter):
    """Rows without the value (no known year, no update date) come last in both directions."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            field = self.get_ordering_value(param)
            if field.startswith("-"):
                ordering.append(F(field[1:]).desc(nulls_last=True))
            else:
                ordering.append(F(field).asc(nulls_last=True))
        return qs.order_by(*ordering, "title", "slug")


ORDERING_FIELDS = (
    ("title", "title"),
    ("contacts_start_year", "year"),
    ("updated_on", "updated"),
)


# The search and its other name: one search (``search_words``), applied by the facets at once.
SEARCH_FILTERS = ("search", "q")


class FacetsMixin:
    """What a list page with facets needs of its FilterSet."""

    # The number of partnerships selected, once the facets are counted from the process's
    # index (``facet_counts``); None where they are counted in SQL.
    selection_total = None

    def selection_count(self):
        """The number of rows of ``qs``: from the index where the facets gave it, else one
        COUNT of the selection without the search's ranking (whose join to the documents made
        the count of "ecole" at 100,000 partnerships take 0.5 s instead of 0.07 s)."""
        if self.selection_total is None:
            self.selection_total = self.qs_without().order_by().count()
        return self.selection_total

    def qs_without(self, *names):
        """The selection of every filter but ``names`` (for the counts of their facets).

        Reuses the validated values: no second validation, so no extra query per facet.
        """
        queryset = self.queryset.all()
        for key, value in self.form.cleaned_data.items():
            if key not in (*names, "ordering", "division", *SEARCH_FILTERS):
                queryset = self.filters[key].filter(queryset, value)
        # The facets need the search's matches, not their rank: found once for every facet.
        if getattr(self, "search_words", ""):
            queryset = queryset.filter(self.search_matches())
        return queryset

    def search_matches(self):
        """The condition "the search matches", its matches found once per request."""
        if not hasattr(self, "_search_matches"):
            self._search_matches = matching(self.search_words)
        return self._search_matches


def _chosen(filterset, name):
    value = filterset.form.cleaned_data.get(name) or []
    return {getattr(v, "slug", v) for v in value}


def _facet(filterset, name, rows, keep_empty=True):
    """One facet: its options (value, label, count) with those chosen marked."""
    selected = _chosen(filterset, name)
    options = [
        {"value": str(value), "label": label, "count": count, "selected": value in selected}
        for value, label, count in rows
        if keep_empty or count or value in selected
    ]
    return {"name": name, "label": filterset.filters[name].label, "options": options}


class PartnershipFilter(FacetsMixin, DivisionMixin, django_filters.FilterSet):
    # The folded words of a search that ranks by names alone (set by filter_search).
    ranked_by_names = None

    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Recherche"),
        help_text=_(
            "Recherche plein texte (sans accents, pluriels, fautes de frappe sur les noms)"
        ),
    )
    # The short name people type from other sites (Datasette, GrantNav): the same search.
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Recherche (q)"),
        help_text=_("Autre nom du paramètre search (même recherche)"),
    )
    division = division_filter()
    region = SlugListFilter(
        method="filter_region",
        label=_("Région malienne"),
        help_text=_(
            "Région malienne d'un partenaire dans le découpage choisi (identifiant ; "
            "plusieurs valeurs = OU)"
        ),
    )
    domain = django_filters.ModelMultipleChoiceFilter(
        queryset=Domain.objects.all(),
        to_field_name="slug",
        method="filter_domain",
        label=_("Domaine"),
        help_text=_("Domaine (identifiant ; plusieurs valeurs = OU)"),
    )
    state = django_filters.MultipleChoiceFilter(
        choices=PartnershipState.choices,
        method="filter_state",
        label=_("État"),
        help_text=_(
            "État actuel, déduit des événements : active, dormant, suspended, ended, unknown "
            "(plusieurs valeurs = OU)"
        ),
    )
    french_region = PartnerChoicesFilter(
        choices=french_region_choices,
        partner_lookup="french_region",
        label=_("Région française"),
        help_text=_("Région française d'un partenaire (plusieurs valeurs = OU)"),
    )
    department = PartnerChoicesFilter(
        choices=department_choices,
        partner_lookup="department_code",
        label=_("Département"),
        help_text=_("Code du département d'un partenaire (plusieurs valeurs = OU)"),
    )
    kind = PartnerChoicesFilter(
        choices=CollectivityKind.choices,
        partner_lookup="kind",
        label=_("Type de collectivité"),
        help_text=_("Type de collectivité d'un partenaire (plusieurs valeurs = OU)"),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=PartnershipStatus.choices,
        label=_("Statut"),
        help_text=_("Statut du partenariat (plusieurs valeurs = OU)"),
    )
    decade = django_filters.MultipleChoiceFilter(
        choices=decade_choices,
        method="filter_decade",
        label=_("Décennie des premiers contacts"),
        help_text=_("Décennie des premiers contacts (plusieurs valeurs = OU)"),
    )
    contacts_start_year_min = YearFilter(
        field_name="contacts_start_year",
        lookup_expr="gte",
        label=_("Premiers contacts à partir de"),
        help_text=_("Premiers contacts cette année-là ou après"),
    )
    contacts_start_year_max = YearFilter(
        field_name="contacts_start_year",
        lookup_expr="lte",
        label=_("Premiers contacts jusqu'à"),
        help_text=_("Premiers contacts cette année-là ou avant"),
    )
    collectivity = django_filters.ModelChoiceFilter(
        queryset=Collectivity.objects.all(),
        to_field_name="slug",
        method="filter_collectivity",
        label=_("Collectivité"),
        help_text=_("Collectivité partenaire (identifiant)"),
    )
    ordering = OrderingFilter(
        fields=ORDERING_FIELDS,
        field_labels={
            "title": _("nom"),
            "contacts_start_year": _("année des premiers contacts"),
            "updated_on": _("date de mise à jour"),
        },
        label=_("Trier par"),
        help_text=_("Tri : title, year, updated (préfixe - : décroissant)"),
    )

    class Meta:
        model = Partnership
        fields = []
        form = DivisionForm

    # Facets are counted for the selection made by every filter but their own (see facets()),
    # and shown in this order: where the partners are, then what the partnership is.
    FACETS = [
        "region",
        "domain",
        "french_region",
        "department",
        "kind",
        "state",
        "status",
        "decade",
    ]

    @extend_schema_field(OpenApiTypes.STR)
    def filter_region(self, queryset, name, value):
        if not value:
            return queryset
        if self.in_2008():
            return queryset.in_regions([r.pk for r in value])
        return queryset.in_units(self.chosen_division, [u.pk for u in value])

    @extend_schema_field(OpenApiTypes.STR)
    def filter_state(self, queryset, name, value):
        return queryset.in_states(value) if value else queryset

    @property
    def search_words(self):
        """The words searched, under either name (``search`` wins when both are given)."""
        data = self.form.cleaned_data
        return data.get("search") or data.get("q") or ""

    def filter_search(self, queryset, name, value):
        if name == "q" and self.form.cleaned_data.get("search"):
            return queryset
        # One indexed lookup joined to the list's query (partnerships/search.py). On
        # PostgreSQL the matches' keys are read first, once per request: their number decides
        # the ranking, and they count a search alone and select its facets in the index.
        count = len(self.search_keys()) if connections[queryset.db].vendor == "postgresql" else None
        found = search_partnerships(queryset, value, match_count=count)
        self.ranked_by_names = getattr(found, "ranked_by_names", None)
        return found

    def search_keys(self):
        """The keys of every partnership the search matches (search.matching_keys), read once
        per request."""
        if not hasattr(self, "_search_keys"):
            self._search_keys = matching_keys(self.search_words, self.queryset.db)
        return self._search_keys

    def searches_only(self, *ignored):
        """Whether the selection, but for the filters ``ignored``, is the search's matches
        alone: a search, no other filter, over every partnership."""
        data = self.form.cleaned_data
        others = (*ignored, "ordering", "division", *SEARCH_FILTERS)
        return (
            bool(self.search_words)
            and not self.queryset.query.has_filters()
            and not any(data.get(key) for key in data if key not in others)
        )

    def selection_count(self):
        if self.selection_total is None and self.searches_only():
            self.selection_total = len(self.search_keys())
        return super().selection_count()

    @extend_schema_field(OpenApiTypes.STR)
    def filter_domain(self, queryset, name, value):
        return queryset.in_domains([d.pk for d in value]) if value else queryset

    @extend_schema_field(OpenApiTypes.STR)
    def filter_decade(self, queryset, name, value):
        condition = Q()
        for decade in value:
            start = int(decade)
            condition |= Q(contacts_start_year__gte=start, contacts_start_year__lte=start + 9)
        return queryset.filter(condition)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_collectivity(self, queryset, name, value):
        return queryset.involving(value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # A search ranks its results unless the visitor asked for another order.
        if self.ranks_by_search():
            queryset = queryset.order_by("-search_rank", "title", "slug")
        return queryset

    def ranks_by_search(self):
        return bool(self.search_words) and not self.form.cleaned_data.get("ordering")

    def pages_of(self, queryset):
        """What a paginator slices for ``queryset`` (``qs``, perhaps with more to fetch per
        row): itself, or a search's results read tier by tier (search.NameTiers)."""
        self.qs  # noqa: B018 - filtering is what tells how the search ranks
        if self.ranks_by_search():
            return in_rank_order(queryset, self)
        return queryset


def _selection_key(filterset, name):
    """The cache key parts of a selection: what the facets depend on (not the page, nor the
    order), in the reader's language."""
    data = filterset.data  # the request's QueryDict
    params = [
        f"{key}={','.join(sorted(data.getlist(key)))}"
        for key in sorted(data)
        if key in filterset.filters and key != "ordering"
    ]
    division = filterset.chosen_division
    return [name, get_language() or "", division.slug if division else "", *params]


def facet_counts(filterset):
    """``_facet_counts``, kept while the data does not change (paging through a selection,
    or ordering it otherwise, does not count again); sets ``filterset.selection_total`` too,
    the list's own count where the index gave it."""

    def compute():
        facets = _facet_counts(filterset)
        return facets, filterset.selection_total

    key = _selection_key(filterset, "partnerships")
    facets, filterset.selection_total = dataversion.cached("list-facets", key, compute)
    return facets


def action_facet_counts(filterset):
    return dataversion.cached(
        "facets", _selection_key(filterset, "actions"), lambda: _action_facet_counts(filterset)
    )


def action_totals(filterset):
    """The euro totals of the actions page's selection by domain (ActionQuerySet.
    totals_by_domain), kept while the data does not change, as its facets."""
    return dataversion.cached(
        "action-totals",
        _selection_key(filterset, "actions"),
        lambda: filterset.qs.totals_by_domain(),
    )


def _facet_counts(filterset):
    """For each facet, its options with the number of partnerships of the current selection.

    Each facet counts over the selection made by all the *other* filters, so that a visitor who
    chose Kayes still sees how many partnerships Mopti would add. The counts come from the
    facets' rows (partnerships/facetrows.py): from the process's index of them where every
    process shares a cache (partnerships/facetindex.py), else counted in SQL.
    """
    # The rows of edits made in this transaction are written at its commit otherwise.
    flush_pending(filterset.queryset.db)
    data = filterset.form.cleaned_data
    division = filterset.chosen_division
    division_slug = division.slug if division else REPERTOIRE_DIVISION
    # The facets read from the rows' values, by the prefix of their values.
    prefixes = {
        "region": facetrows.region_value(division_slug),
        "domain": facetrows.domain_value(),
        "french_region": "french_region:",
        "department": "department:",
        "kind": "kind:",
    }

    def in_use(name):
        return bool(data.get(name))

    index = facetindex.current(filterset.queryset.db)
    if index is not None:
        counts = _counts_from_index(filterset, index, prefixes, in_use)
    else:
        counts = _counts_from_rows(filterset, prefixes, in_use)

    regions = _regions_of(division)
    rows = {
        "region": [(r.slug, r.name, counts["region"][str(r.pk)]) for r in regions],
        "domain": [
            (d.slug, d.localized_name, counts["domain"][str(d.pk)]) for d in Domain.objects.all()
        ],
        "state": [(s, label, counts["state"][s]) for s, label in PartnershipState.choices],
        "french_region": [
            (name, label, counts["french_region"][name]) for name, label in french_region_choices()
        ],
        "department": [
            (code, label, counts["department"][code]) for code, label in department_choices()
        ],
        "kind": [(k, label, counts["kind"][k]) for k, label in CollectivityKind.choices],
        "status": [(s, label, counts["status"][s]) for s, label in PartnershipStatus.choices],
        "decade": [(v, label, counts["decade"][int(v)]) for v, label in decade_choices()],
    }
    # Options no partnership of the selection has are left out where the list is long.
    sparse = {"state", "french_region", "department"}
    return [_facet(filterset, name, rows[name], name not in sparse) for name in filterset.FACETS]


def _regions_of(division):
    """The regions a region facet lists in ``division`` (None: the répertoire's)."""
    if division is None or division.slug == REPERTOIRE_DIVISION:
        return MalianRegion.objects.all()
    return (
        AdministrativeUnit.objects.in_division(division)
        .regions()
        .order_by(F("number").asc(nulls_last=True), "name")
    )


def _counts_from_rows(filterset, prefixes, in_use):
    """The facets' counts in SQL: two queries for the facets whose filter is not in use
    (they share the selection), two more for each facet whose filter is."""
    data = filterset.form.cleaned_data

    def selection(without=None):
        """The partnerships counted among; None for all of them (no filter in use but
        ``without``), so that the unfiltered list reads the rows alone."""
        if not any(data.get(key) for key in data if key not in (without, "ordering", "division")):
            return None
        return filterset.qs_without(without).order_by().values("pk")

    counts = {}
    shared = [name for name in filterset.FACETS if not in_use(name)]
    groups = [(None, shared)] + [(name, [name]) for name in filterset.FACETS if in_use(name)]
    for without, names in groups:
        chosen = selection(without)
        wanted = {name: prefixes[name] for name in names if name in prefixes}
        if wanted:
            found = facetrows.count_values(chosen, list(wanted.values()))
            counts.update({name: found[prefix] for name, prefix in wanted.items()})
        if any(name not in prefixes for name in names):
            found = facetrows.count_scalars(chosen)
            counts.update({name: found[name] for name in names if name in found})
    return counts


def _counts_from_index(filterset, index, prefixes, in_use):
    """The facets' counts from the process's index (partnerships/facetindex.py), with no
    query when only facets filter: each facet in use selects the union of its values'
    bitsets; the other filters (search, years, collectivity) select in SQL once, their keys
    read into a bitset."""
    data = filterset.form.cleaned_data
    # The scalars are values of the index too.
    prefixes = {**prefixes, "state": "state:", "status": "status:", "decade": "decade:"}

    def value(name, chosen):
        return prefixes[name] + str(getattr(chosen, "pk", chosen))

    chosen = {
        name: index.any_of(value(name, v) for v in data[name])
        for name in filterset.FACETS
        if in_use(name)
    }
    rest = index.everything
    if any(data.get(key) for key in data if key not in (*chosen, "ordering", "division")):
        if filterset.searches_only(*chosen):
            keys = filterset.search_keys()
        else:
            keys = filterset.qs_without(*chosen).order_by().values_list("pk", flat=True)
        rest = index.selection(keys)

    def selection(without):
        bits = rest
        for name, bits_of_name in chosen.items():
            if name != without:
                bits &= bits_of_name
        return bits

    # The list's own count: with a search word among 100,000 fiches, the COUNT of the page's
    # query took 0.6 s for what the index counts in microseconds.
    filterset.selection_total = selection(None).bit_count()

    counts = {}
    for name in filterset.FACETS:
        found = index.count(prefixes[name], selection(name))
        if name == "decade":
            found = {int(decade): n for decade, n in found.items()}
        counts[name] = Counter(found)
    return counts


# Ranges of an action's budget in euros (value, label, lower bound, upper bound excluded).
BUDGET_RANGES = [
    ("0-5000", _("moins de 5 000 €"), 0, 5000),
    ("5000-20000", _("de 5 000 à 20 000 €"), 5000, 20000),
    ("20000-100000", _("de 20 000 à 100 000 €"), 20000, 100000),
    ("100000-", _("100 000 € et plus"), 100000, None),
]


def budget_range_condition(value):
    """The condition on ``amount`` (ActionQuerySet.amounts) of one budget range."""
    _value, _label, low, high = next(r for r in BUDGET_RANGES if r[0] == value)
    condition = Q(amount__gte=low)
    if high is not None:
        condition &= Q(amount__lt=high)
    return condition


class ActionFilter(FacetsMixin, DivisionMixin, django_filters.FilterSet):
    """The filters on action rows of the API and of the actions page (a partner's region or
    département is matched as on partnerships)."""

    division = division_filter()

    domain = django_filters.ModelMultipleChoiceFilter(
        queryset=Domain.objects.all(),
        to_field_name="slug",
        method="filter_domain",
        label=_("Domaine"),
        help_text=_("Domaine (identifiant ; plusieurs valeurs = OU)"),
    )
    region = SlugListFilter(
        method="filter_region",
        label=_("Région malienne"),
        help_text=_(
            "Région malienne d'un partenaire dans le découpage choisi (identifiant ; "
            "plusieurs valeurs = OU)"
        ),
    )
    department = django_filters.MultipleChoiceFilter(
        choices=department_choices,
        method="filter_department",
        label=_("Département"),
        help_text=_("Code du département d'un partenaire français (plusieurs valeurs = OU)"),
    )
    budget = django_filters.MultipleChoiceFilter(
        choices=[(value, label) for value, label, _low, _high in BUDGET_RANGES],
        method="filter_budget",
        label=_("Budget de l'action"),
        help_text=_(
            "Tranche du budget de l'action en euros : 0-5000, 5000-20000, 20000-100000, "
            "100000- (plusieurs valeurs = OU)"
        ),
    )
    # An action is kept when its years meet the range: it has not ended before `year_min` and
    # had begun by `year_max` (a single known year stands for both ends).
    year_min = YearFilter(
        method="filter_year_min",
        label=_("En cours en ou après l'année"),
        help_text=_("Actions en cours cette année-là ou après"),
    )
    year_max = YearFilter(
        method="filter_year_max",
        label=_("Commencée en ou avant l'année"),
        help_text=_("Actions commencées cette année-là ou avant"),
    )
    partnership = django_filters.ModelChoiceFilter(
        queryset=Partnership.objects.all(),
        to_field_name="slug",
        label=_("Partenariat"),
        help_text=_("Partenariat (identifiant)"),
    )

    class Meta:
        model = Action
        fields = []
        form = DivisionForm

    @extend_schema_field(OpenApiTypes.STR)
    def filter_domain(self, queryset, name, value):
        return queryset.in_domains([d.pk for d in value]) if value else queryset

    @extend_schema_field(OpenApiTypes.STR)
    def filter_region(self, queryset, name, value):
        if not value:
            return queryset
        if self.in_2008():
            return queryset.in_regions([r.pk for r in value])
        return queryset.in_units(self.chosen_division, [u.pk for u in value])

    @extend_schema_field(OpenApiTypes.STR)
    def filter_department(self, queryset, name, value):
        return queryset.with_partner(department_code__in=value) if value else queryset

    @extend_schema_field(OpenApiTypes.STR)
    def filter_budget(self, queryset, name, value):
        if not value:
            return queryset
        condition = Q()
        for range_ in value:
            condition |= budget_range_condition(range_)
        return queryset.with_amount_in(condition)

    def filter_year_min(self, queryset, name, value):
        return queryset.under_way_from(value)

    def filter_year_max(self, queryset, name, value):
        return queryset.begun_by(value)


def _action_facet_counts(filterset):
    """The facets of the actions page, counted as ``facet_counts`` counts partnerships: each
    over the selection of the other filters.

    A partner's region or département is a partnership's: the selection's actions are counted
    per partnership, and each partnership's number added under its facet values
    (facetrows.sum_values). At a million actions, joining them to partners and placements to
    count distinct actions went over the statement timeout. The domain is one grouping of the
    actions, the budget ranges one grouping of their budget rows (ActionQuerySet.amounts).
    """
    flush_pending(filterset.queryset.db)
    data = filterset.form.cleaned_data
    division = filterset.chosen_division
    division_slug = division.slug if division else REPERTOIRE_DIVISION
    partner_prefixes = {
        "region": facetrows.region_value(division_slug),
        "department": "department:",
    }
    counts = {}
    # The partner facets not in use share their selection (one query for both).
    groups = {}
    for name, prefix in partner_prefixes.items():
        groups.setdefault(name if data.get(name) else None, {})[name] = prefix
    for without, wanted in groups.items():
        selection = filterset.qs_without(*[without] if without else [])
        per_partnership = selection.order_by().values_list("partnership").annotate(n=Count("pk"))
        found = facetrows.sum_values(per_partnership, list(wanted.values()))
        counts.update({name: found[prefix] for name, prefix in wanted.items()})
    domains = dict(
        filterset.qs_without("domain")
        .order_by()
        .values_list("domain")
        .annotate(n=Count("pk"))
        .values_list("domain", "n")
    )
    budgets = (
        filterset.qs_without("budget")
        .amounts()
        .aggregate(
            **{
                value: Count("action", filter=budget_range_condition(value))
                for value, *_r in BUDGET_RANGES
            }
        )
    )

    regions = _regions_of(division)
    return [
        _facet(
            filterset, "region", [(r.slug, r.name, counts["region"][str(r.pk)]) for r in regions]
        ),
        _facet(
            filterset,
            "domain",
            [(d.slug, d.localized_name, domains.get(d.pk, 0)) for d in Domain.objects.all()],
        ),
        _facet(
            filterset,
            "department",
            [(code, label, counts["department"][code]) for code, label in department_choices()],
            keep_empty=False,
        ),
        _facet(
            filterset,
            "budget",
            [(value, label, budgets[value]) for value, label, _low, _high in BUDGET_RANGES],
        ),
    ]


class CollectivityFilter(DivisionMixin, django_filters.FilterSet):
    division = division_filter()
    country = django_filters.ChoiceFilter(
        choices=Country.choices, label=_("Pays"), help_text=_("Pays : FR ou ML")
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=CollectivityKind.choices,
        label=_("Type de collectivité"),
        help_text=_("Type de collectivité (plusieurs valeurs = OU)"),
    )
    region = SlugListFilter(
        method="filter_region",
        label=_("Région malienne"),
        help_text=_(
            "Région malienne dans le découpage choisi (identifiant ; plusieurs valeurs = OU)"
        ),
    )

    class Meta:
        model = Collectivity
        fields = []
        form = DivisionForm

    @extend_schema_field(OpenApiTypes.STR)
    def filter_region(self, queryset, name, value):
        if not value:
            return queryset
        if self.in_2008():
            return queryset.filter(malian_region__in=[r.pk for r in value])
        return queryset.filter(
            placements__division=self.chosen_division,
            placements__region__in=[u.pk for u in value],
        )


# Beyond this many accepted values, an error message gives examples instead of the whole list.
LISTED_VALUES_MAX = 60


def accepted_values(filter_):
    """The values a filter accepts, as a caller types them (None when it is not a choice)."""
    if isinstance(
        filter_, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter
    ):
        return list(filter_.queryset.values_list(filter_.extra["to_field_name"], flat=True))
    if isinstance(filter_, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter):
        return list(dict.fromkeys(str(v) for v, _label in filter_.field.choices if v != ""))
    return None


def refuse_nul_characters(params) -> dict:
    """Errors for parameters holding a NUL character (PostgreSQL refuses it in any text: a 400
    naming the parameter rather than a 500 from the database)."""
    return {
        name: [gettext("Le caractère nul n'est pas accepté.")]
        for name, values in params.lists()
        if any("\x00" in value for value in values)
    }


def parameter_errors(filterset):
    """The form errors of ``filterset`` by parameter, each followed by the values it accepts.

    The one content of a 400 for a bad parameter: the API answers it as JSON, the pages as HTML
    (partnerships/responses.py).
    """
    errors = {}
    for name, messages in filterset.errors.items():
        messages = list(messages)
        filter_ = filterset.filters.get(name)
        values = accepted_values(filter_)
        if values and len(values) <= LISTED_VALUES_MAX:
            messages.append(_("Valeurs acceptées : %(values)s.") % {"values": ", ".join(values)})
        elif values:
            messages.append(
                _("Valeurs acceptées : %(count)s identifiants, par exemple %(examples)s.")
                % {"count": len(values), "examples": ", ".join(values[:5])}
            )
        elif isinstance(filter_, YearFilter):
            messages.append(_("Valeurs acceptées : une année de 1900 à 2100."))
        errors[name] = messages
    return errors
