"""The public pages of the directory. Every page runs a fixed number of queries (tests pin them)."""

from collections import OrderedDict
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import dataversion, facetrows, printing, privacy, reports
from .api.serializers import PartnershipDocumentSerializer
from .exports import csv_chunks, download, json_chunks, serialized
from .filters import (
    ActionFilter,
    PartnershipFilter,
    action_facet_counts,
    action_totals,
    facet_counts,
    parameter_errors,
    refuse_nul_characters,
)
from .models import (
    DORMANT_AFTER_YEARS,
    REPERTOIRE_DIVISION,
    Action,
    AdministrativeUnit,
    Collectivity,
    Country,
    Division,
    Domain,
    MalianRegion,
    Partnership,
    PartnershipState,
    PartnershipStatus,
    action_amount_eur,
)
from .panels import panels_for
from .responses import bad_request
from .search import highlights
from .text import fold

PAGE_SIZE = 20


def home_counts():
    """(partnerships by status, partner collectivities by country), kept per data version
    (dataversion.kept): at 100,000 partnerships, two scans of 30 ms each on every home page."""
    by_status = dict(
        Partnership.objects.values_list("status").annotate(n=Count("id")).order_by("status")
    )
    collectivities = dict(
        Collectivity.objects.partners().values_list("country").annotate(n=Count("id")).order_by()
    )
    return by_status, collectivities


def home(request):
    by_status, collectivities = dataversion.kept("home-counts", home_counts)
    regions = facetrows.counted_over_all(
        MalianRegion.objects.all(),
        facetrows.region_value(REPERTOIRE_DIVISION),
        MalianRegion.objects.with_partnership_count(),
    )
    domains = facetrows.counted_over_all(
        Domain.objects.all(), facetrows.domain_value(), Domain.objects.with_partnership_count()
    )
    context = {
        "by_status": by_status,
        "total": sum(by_status.values()),
        "collectivities": collectivities,
        "regions": regions,
        "domains": domains,
        "oldest": Partnership.objects.filter(contacts_start_year__isnull=False)
        .order_by("contacts_start_year", "title")
        .first(),
    }
    context["region_total"] = len(context["regions"])
    context["domain_total"] = len(context["domains"])
    return render(request, "partnerships/home.html", context)


def filtered_partnerships(request):
    """The list's FilterSet for the request, or the 400 response of its malformed parameters."""
    errors = refuse_nul_characters(request.GET)
    if errors:
        return None, bad_request(request, errors)
    filterset = PartnershipFilter(request.GET, queryset=Partnership.objects.all(), request=request)
    if not filterset.is_valid():
        return filterset, bad_request(request, parameter_errors(filterset))
    return filterset, None


def query_string(params, **changes):
    """``params`` (a QueryDict) with ``changes`` applied (None removes a key), as "?…"."""
    params = params.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


def paginate(request, queryset, size=PAGE_SIZE, param="page", anchor="", count=None):
    """The requested page of ``queryset``: a 400 for a malformed number, a 404 past the end.

    The page carries its numbered links (``links``: first, last and a few around the current
    one, ``None`` for a gap) and ``previous_href``/``next_href`` for
    templates/includes/_pagination.html; ``param`` names the page parameter, so that a page can
    hold two lists. ``count``: the number of objects of ``queryset`` where it is known already
    (not counted again).
    """
    paginator = Paginator(queryset, size)
    if count is not None:
        paginator.count = count
    raw = request.GET.get(param) or "1"
    if not (raw.isascii() and raw.isdigit()):
        return None, bad_request(request, {param: [_("Saisissez un nombre entier.")]})
    number = int(raw)
    if number < 1 or number > paginator.num_pages:
        raise Http404(_("Cette page de résultats n'existe pas."))
    page = paginator.page(number)

    def href(n):
        return query_string(request.GET, **{param: None if n == 1 else str(n)}) + anchor

    page.links = [
        None if n == Paginator.ELLIPSIS else {"number": n, "href": href(n)}
        for n in paginator.get_elided_page_range(number, on_each_side=1, on_ends=1)
    ]
    page.previous_href = href(number - 1) if page.has_previous() else ""
    page.next_href = href(number + 1) if page.has_next() else ""
    return page, None


def filter_chips(request, filterset, facets):
    """The filters in force as removable chips: a label and the address without that value."""
    labels = {
        (facet["name"], option["value"]): option["label"]
        for facet in facets
        for option in facet["options"]
    }
    chips = []
    for key, values in request.GET.lists():
        if key not in filterset.filters or key == "ordering":
            continue
        for value in values:
            if not value:
                continue
            rest = request.GET.copy()
            rest.setlist(key, [v for v in values if v != value])
            label = labels.get((key, value), value)
            chips.append(
                {
                    "label": f"{filterset.filters[key].label} : {label}",
                    "href": query_string(rest, page=None),
                }
            )
    return chips


def partnership_list(request):
    filterset, error = filtered_partnerships(request)
    if error:
        return error
    # The facets first: counted from the process's index, they count the list too.
    facets = facet_counts(filterset)
    page, error = paginate(
        request, filterset.pages_of(filterset.qs.for_list()), count=filterset.selection_count()
    )
    if error:
        return error
    search = filterset.search_words
    partnerships = list(page.object_list)
    if search:
        # The passage that matched, under each result of the page (one query).
        passages = highlights(partnerships, search, privacy.masker_for(request.user))
        for partnership in partnerships:
            partnership.search_passage = passages.get(partnership.pk)
    chips = filter_chips(request, filterset, facets)
    context = {
        "filter": filterset,
        "page_obj": page,
        "partnerships": partnerships,
        "facets": facets,
        "division": filterset.chosen_division,
        "divisions": getattr(filterset.form, "divisions", []),
        "search": search,
        # What other apps found for the same words (the workshops' notes).
        "panels": panels_for(request, "search", search) if search else [],
        "chips": chips,
        "is_filtered": bool(chips),
    }
    return render(request, "partnerships/partnership_list.html", context)


ACTION_PAGE_SIZE = 25


def action_list(request):
    """Who does what where: the actions of every fiche with the API's ActionFilter, its facets,
    and the euro totals of the selection (by domain and in all)."""
    errors = refuse_nul_characters(request.GET)
    if errors:
        return bad_request(request, errors)
    filterset = ActionFilter(
        request.GET, queryset=Action.objects.order_by("partnership__title", "position")
    )
    if not filterset.is_valid():
        return bad_request(request, parameter_errors(filterset))
    selection = filterset.qs
    page, error = paginate(request, selection.with_amount_eur().for_list(), size=ACTION_PAGE_SIZE)
    if error:
        return error
    facets = action_facet_counts(filterset)
    names = {o["value"]: o["label"] for f in facets if f["name"] == "domain" for o in f["options"]}
    totals = sorted(
        (
            {
                **row,
                "label": names.get(row["domain"], _("Domaine non précisé")),
                "slug": row["domain"] or "",
            }
            for row in action_totals(filterset)
        ),
        key=lambda row: -row["total"],
    )
    chips = filter_chips(request, filterset, facets)
    context = {
        "filter": filterset,
        "page_obj": page,
        "actions": page.object_list,
        "facets": facets,
        "chips": chips,
        "is_filtered": bool(chips),
        "totals": totals,
        "total_eur": sum((row["total"] for row in totals), 0),
        "costed": sum(row["costed"] for row in totals),
        "year_min": request.GET.get("year_min", ""),
        "year_max": request.GET.get("year_max", ""),
    }
    return render(request, "partnerships/action_list.html", context)


def partnership_export(request, fmt):
    """The current selection of the list as the partnership document: for each reader, what
    partnerships/privacy.py lets them see (the API's rule)."""
    filterset, error = filtered_partnerships(request)
    if error:
        return error
    show = privacy.may_see_personal_data(request.user)
    queryset = filterset.qs.for_document(contacts=show)
    documents = serialized(queryset, PartnershipDocumentSerializer, {"request": request})
    if fmt == "csv":
        return download(csv_chunks(documents), "text/csv; charset=utf-8", "partenariats.csv")
    return download(json_chunks(documents), "application/json; charset=utf-8", "partenariats.json")


RELATED_MAX = 10


def related_partnerships(partnership, malian_regions, domains):
    """ "Who else works there / on that?": at most RELATED_MAX others, chosen in SQL, those in
    the same region and domain first, then the same region, then the same domain."""
    return (
        Partnership.objects.exclude(pk=partnership.pk)
        .only("slug", "title")
        .related_to(malian_regions, domains, RELATED_MAX)
    )


def partnership_detail(request, slug):
    partnership = get_object_or_404(
        Partnership.objects.for_document(contacts=True).with_open_review_count(), slug=slug
    )
    malian_regions = OrderedDict(
        (c.malian_region_id, c.malian_region)
        for c in partnership.malian_partners
        if c.malian_region
    )
    domains = list(partnership.domains.all())
    related = related_partnerships(partnership, list(malian_regions), domains)
    actions = list(partnership.actions.all())
    # One reverse() per domain, not per row.
    domain_urls = {}
    for action in actions:
        action.amount_eur = action_amount_eur(action.budget_rows)
        if action.domain:
            if action.domain_id not in domain_urls:
                domain_urls[action.domain_id] = reverse("domain_detail", args=[action.domain.slug])
            action.domain_url = domain_urls[action.domain_id]
    # Every reader sees a contact's role and function; the template shows the person's name
    # and coordinates only to those who may see personal data.
    contacts = list(partnership.contacts.all())
    context = {
        "partnership": partnership,
        "french_partners": partnership.french_partners,
        "malian_partners": partnership.malian_partners,
        "french_contacts": [c for c in contacts if c.side == Country.FRANCE],
        "malian_contacts": [c for c in contacts if c.side == Country.MALI],
        "annual_budgets": [b for b in partnership.budgets.all() if b.action_id is None],
        "actions": actions,
        # The API's rule for each action (its printed total, else the sum of its amounts).
        "actions_total_eur": sum(
            (a.amount_eur for a in actions if a.amount_eur is not None), Decimal(0)
        ),
        "actions_costed": sum(1 for a in actions if a.amount_eur is not None),
        "related": related,
        "related_regions": list(malian_regions.values()),
        "domains": domains,
        "is_listed": partnership.status == PartnershipStatus.LISTED,
        "panels": panels_for(request, "fiche", partnership),
        "events": list(partnership.events.all()),
        "state_label": PartnershipState(partnership.state).label,
        "years": DORMANT_AFTER_YEARS,
        "report_form": reports.ErrorReportForm(),
    }
    return render(request, "partnerships/partnership_detail.html", context)


def collectivity_list(request):
    collectivities = (
        Collectivity.objects.select_related("malian_region")
        .with_partnership_count()
        .order_by("country", "name", "slug")
    )
    return render(
        request, "partnerships/collectivity_list.html", {"collectivities": collectivities}
    )


def collectivity_detail(request, slug):
    collectivity = get_object_or_404(
        Collectivity.objects.select_related("malian_region", "source"), slug=slug
    )
    page, error = paginate(
        request, Partnership.objects.involving(collectivity).for_list().order_by("title", "slug")
    )
    if error:
        return error
    context = {
        "collectivity": collectivity,
        "page_obj": page,
        "partnerships": page.object_list,
        "panels": panels_for(request, "collectivity", collectivity),
    }
    return render(request, "partnerships/collectivity_detail.html", context)


def chosen_division(request):
    """The division asked for (``?division=``, today's by default), or a 400 response."""
    slug = request.GET.get("division")
    divisions = list(Division.objects.all())
    if not slug:
        return (divisions[-1] if divisions else None), divisions, None
    for division in divisions:
        if division.slug == slug:
            return division, divisions, None
    accepted = ", ".join(d.slug for d in divisions)
    return (
        None,
        divisions,
        bad_request(
            request,
            {"division": [_("Découpage inconnu."), _("Valeurs acceptées : %s.") % accepted]},
        ),
    )


def region_list(request):
    division, divisions, error = chosen_division(request)
    if error:
        return error
    context = {"division": division, "divisions": divisions}
    if division is None or division.slug == REPERTOIRE_DIVISION:
        context["regions"] = MalianRegion.objects.with_partnership_count().with_collectivity_count()
    else:
        context["regions"] = (
            AdministrativeUnit.objects.in_division(division)
            .regions()
            .with_partnership_count(division)
            .prefetch_related("predecessors")
        )
    return render(request, "partnerships/region_list.html", context)


# Partners listed on a region page: every one of the répertoire's (39 French ones in Kayes at
# most), the most partnered of a national directory's thousands.
REGION_PARTNERS_MAX = 60


def most_partnered(collectivities, counts=None):
    """{"list": every collectivity by name, or the REGION_PARTNERS_MAX with most partnerships
    when there are more; "total": their number}.

    ``counts``, where the process's index gives them (facetrows.partners_under): {key: number
    of partnerships} of every collectivity to rank; ``collectivities`` then only reads the
    shown ones. Else one query ranks ``collectivities`` (with_partnership_count): the number
    of them all rides on each row (a window over the grouped rows), where a COUNT of its own
    grouped them all a second time (50 ms of a region page's 180 at 100,000 partnerships)."""
    if counts is None:
        shown = list(
            collectivities.with_partnership_count()
            .annotate(total=Window(Count("pk")))
            .order_by("-partnership_count", "name")[:REGION_PARTNERS_MAX]
        )
        total = shown[0].total if shown else 0
    else:
        keys = list(counts)
        if len(keys) > REGION_PARTNERS_MAX:
            last = sorted(counts.values(), reverse=True)[REGION_PARTNERS_MAX - 1]
            keys = [key for key, n in counts.items() if n > last]
            # Those tied at the last place go by name, as the query above orders them.
            tied = [key for key, n in counts.items() if n == last]
            keys += (
                Collectivity.objects.filter(pk__in=tied)
                .order_by("name")
                .values_list("pk", flat=True)[: REGION_PARTNERS_MAX - len(keys)]
            )
        shown = list(collectivities.filter(pk__in=keys))
        for collectivity in shown:
            collectivity.partnership_count = counts[collectivity.pk]
        total = len(counts)
    return {"list": sorted(shown, key=lambda c: fold(c.name)), "total": total}


def region_partners(in_region, region_value, malian):
    """The region page's French partners and its Malian ones (``malian``: the collectivities
    placed in the region), each most_partnered. From the process's index where it is on: at
    100,000 partnerships, grouping the members of Kayes's 8,300 partnerships took 55 to 80 ms
    of SQL, tallying them in the index a few."""
    counts = facetrows.partners_under(region_value)
    if counts is None:
        french = Collectivity.objects.filter(
            country=Country.FRANCE, memberships__partnership__in=in_region
        )
        return most_partnered(french), most_partnered(malian.partners())
    french_counts = counts.get(Country.FRANCE, {})
    # A partnership of the region may also have a partner placed in another region.
    placed = set(malian.values_list("pk", flat=True))
    malian_counts = {key: n for key, n in counts.get(Country.MALI, {}).items() if key in placed}
    return (
        most_partnered(Collectivity.objects.all(), french_counts),
        most_partnered(Collectivity.objects.all(), malian_counts),
    )


def region_detail(request, slug):
    division, divisions, error = chosen_division(request)
    if error:
        return error
    if division is None or division.slug == REPERTOIRE_DIVISION:
        region = get_object_or_404(MalianRegion, slug=slug)
        in_region = Partnership.objects.in_regions([region])
        region_value = facetrows.region_value(REPERTOIRE_DIVISION, region.pk)
        malian = Collectivity.objects.filter(malian_region=region)
        map_regions = facetrows.counted_over_all(
            MalianRegion.objects.all(),
            facetrows.region_value(REPERTOIRE_DIVISION),
            MalianRegion.objects.with_partnership_count(),
        )
        lineage = []
    else:
        region = get_object_or_404(
            AdministrativeUnit.objects.in_division(division)
            .regions()
            .select_related("malian_region"),
            slug=slug,
        )
        in_region = Partnership.objects.in_units(division, [region])
        region_value = facetrows.region_value(division.slug, region.pk)
        malian = Collectivity.objects.filter(
            placements__division=division, placements__region=region
        )
        units = AdministrativeUnit.objects.in_division(division).regions()
        map_regions = facetrows.counted_over_all(
            units.by_number(),
            facetrows.region_value(division.slug),
            units.with_partnership_count(division),
        )
        lineage = list(region.predecessors.all())
    french_partners, malian_partners = region_partners(in_region, region_value, malian)
    # The same slug in the other divisions: its page there, else that division's list.
    namesakes = list(AdministrativeUnit.objects.regions().filter(slug=slug))
    switch = [
        (d, any(unit.in_force_on(d.valid_from) for unit in namesakes)) for d in reversed(divisions)
    ]
    in_division = urlencode(
        {"division": division.slug if division else REPERTOIRE_DIVISION, "region": region.slug}
    )
    page, error = paginate(
        request,
        in_region.for_list().order_by("title", "slug"),
        anchor="#list",
        count=facetrows.number_under(region_value),
    )
    if error:
        return error
    context = {
        "division": division,
        "divisions": divisions,
        "switch": switch,
        "predecessors": lineage,
        "region": region,
        # The printed répertoire follows the 2008 regions: a later region of the same extent
        # links to its 2008 edition, a new one (Ménaka, the 2023 splits) has none.
        "print_region": region if isinstance(region, MalianRegion) else region.malian_region,
        "page_obj": page,
        "partnerships": page.object_list,
        "french_collectivities": french_partners,
        "partnerships_url": reverse("partnership_list") + f"?{in_division}#list",
        "collectivities_url": reverse("collectivity_list") + f"?country=ML&{in_division}",
        "malian_collectivities": malian_partners,
        "domains": [
            domain
            for domain in facetrows.counted(
                Domain.objects.all(),
                facetrows.domain_value(),
                in_region.order_by().values("pk"),
                region_value,
            )
            if domain.partnership_count
        ],
        "map_regions": map_regions,
    }
    return render(request, "partnerships/region_detail.html", context)


def domain_list(request):
    domains = Domain.objects.with_partnership_count().prefetch_related("subthemes")
    return render(request, "partnerships/domain_list.html", {"domains": domains})


def domain_detail(request, slug):
    domain = get_object_or_404(Domain.objects.prefetch_related("subthemes"), slug=slug)
    in_domain = Partnership.objects.in_domains([domain])
    page, error = paginate(
        request,
        in_domain.for_list().order_by("title", "slug"),
        anchor="#list",
        count=facetrows.number_under(facetrows.domain_value(domain.pk)),
    )
    if error:
        return error
    actions, error = paginate(
        request,
        Action.objects.in_domains([domain])
        .with_amount_eur()
        .for_list()
        .order_by("partnership__title", "position"),
        size=10,
        param="actions_page",
        anchor="#actions",
    )
    if error:
        return error
    context = {
        "domain": domain,
        "page_obj": page,
        "partnerships": page.object_list,
        "actions_page": actions,
        # Counted in the facets' index (else their rows), as a region page's domains.
        "regions": [
            region
            for region in facetrows.counted(
                MalianRegion.objects.all(),
                facetrows.region_value(REPERTOIRE_DIVISION),
                in_domain.order_by().values("pk"),
                facetrows.domain_value(domain.pk),
            )
            if region.partnership_count
        ],
    }
    return render(request, "partnerships/domain_detail.html", context)


# The waiting page reloads itself after this many seconds until the whole directory is ready.
PRINT_REFRESH_SECONDS = 10


def repertoire_pdf(request, slug=None):
    """The printable répertoire (partnerships/printing.py), of one Malian region or of all:
    for each reader, what partnerships/privacy.py lets them see.

    Each edition is typeset once per state of the data, language and audience, then served
    from the cache. A region's takes a few seconds: it is typeset in the request. The whole
    directory takes longer than a worker may answer (gunicorn.conf.py): on a miss it is
    typeset in the background and the reader gets a page that reloads until it is ready."""
    region = get_object_or_404(MalianRegion, slug=slug) if slug is not None else None
    contacts = privacy.may_see_personal_data(request.user)
    pdf = printing.cached(region, contacts=contacts)
    if pdf is None and region is not None:
        pdf = printing.warm(region, contacts=contacts)
    if pdf is None:
        printing.warm_in_background(region, contacts=contacts)
        response = render(
            request,
            "partnerships/repertoire_pdf_waiting.html",
            {"refresh": PRINT_REFRESH_SECONDS},
            status=202,
        )
        response["Retry-After"] = str(PRINT_REFRESH_SECONDS)
        add_never_cache_headers(response)
        return response
    return _pdf_response(pdf, region)


def _pdf_response(pdf, region):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{printing.filename(region)}"'
    return response


@require_http_methods(["GET", "POST"])
def partnership_report(request, slug):
    """ "Signaler une erreur" on a fiche: the report lands in the staff review queue."""
    partnership = get_object_or_404(Partnership.objects.only("pk", "slug", "title"), slug=slug)
    form = reports.ErrorReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not reports.allow(request):
            status = 429
            form.add_error(
                None, _("Trop de signalements depuis votre connexion : réessayez dans une heure.")
            )
        elif form.is_valid():
            # A robot that filled the honeypot is thanked like a person, and nothing is kept.
            if not reports.is_robot(form):
                reports.record(partnership, form)
            messages.success(request, _("Merci : votre signalement a été transmis à l'équipe."))
            return redirect(reverse("partnership_detail", args=[slug]) + "#signaler")
        else:
            status = 400
    return render(
        request,
        "partnerships/partnership_report.html",
        {"partnership": partnership, "report_form": form},
        status=status,
    )


TRUST_PAGES = {
    "legal": "pages/legal.html",
    "accessibility": "pages/accessibility.html",
    "privacy": "pages/privacy.html",
    "licence": "pages/licence.html",
    "contact": "pages/contact.html",
}


def trust_page(request, page):
    """The pages the footer links to: legal notice, accessibility, privacy, licence, contact."""
    context = {
        "contact_email": settings.SITE_CONTACT_EMAIL,
        "publisher": settings.SITE_PUBLISHER,
        "reports_per_hour": reports.REPORTS_PER_HOUR,
    }
    return render(request, TRUST_PAGES[page], context)
