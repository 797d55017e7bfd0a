"""The public pages of the directory. Every page runs a fixed number of queries (tests pin them)."""

from collections import OrderedDict

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import privacy, reports
from .api.serializers import PartnershipDocumentSerializer
from .exports import documents_as_csv, documents_as_json
from .filters import PartnershipFilter, facet_counts, parameter_errors, refuse_nul_characters
from .models import (
    BudgetKind,
    Collectivity,
    Country,
    Domain,
    MalianRegion,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
)
from .panels import panels_for
from .responses import bad_request

PAGE_SIZE = 20


def home(request):
    by_status = dict(
        Partnership.objects.values_list("status").annotate(n=Count("id")).order_by("status")
    )
    regions = MalianRegion.objects.with_partnership_count()
    domains = Domain.objects.with_partnership_count()
    context = {
        "by_status": by_status,
        "total": sum(by_status.values()),
        "collectivities": dict(
            Collectivity.objects.partners()
            .values_list("country")
            .annotate(n=Count("id"))
            .order_by("country")
        ),
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


def paginate(request, queryset, size=PAGE_SIZE):
    """The requested page of ``queryset``: a 400 for a malformed number, a 404 past the end."""
    paginator = Paginator(queryset, size)
    raw = request.GET.get("page") or "1"
    if not (raw.isascii() and raw.isdigit()):
        return None, bad_request(request, {"page": [_("Saisissez un nombre entier.")]})
    number = int(raw)
    if number < 1 or number > paginator.num_pages:
        raise Http404(_("Cette page de résultats n'existe pas."))
    return paginator.page(number), None


def partnership_list(request):
    filterset, error = filtered_partnerships(request)
    if error:
        return error
    page, error = paginate(request, filterset.qs.for_list())
    if error:
        return error
    search = filterset.form.cleaned_data.get("search") or ""
    context = {
        "filter": filterset,
        "page_obj": page,
        "partnerships": page.object_list,
        "facets": facet_counts(filterset),
        "search": search,
        # What other apps found for the same words (the workshops' notes).
        "panels": panels_for(request, "search", search) if search else [],
        "is_filtered": any(
            value for key, value in request.GET.lists() if key not in ("page", "ordering")
        ),
    }
    return render(request, "partnerships/partnership_list.html", context)


def partnership_export(request, fmt):
    """The current selection of the list as the partnership document: for each reader, what
    partnerships/privacy.py lets them see (the API's rule)."""
    filterset, error = filtered_partnerships(request)
    if error:
        return error
    show = privacy.may_see_personal_data(request.user)
    queryset = filterset.qs.for_document(contacts=show)
    documents = PartnershipDocumentSerializer(
        queryset, many=True, context={"request": request}
    ).data
    if fmt == "csv":
        response = HttpResponse(documents_as_csv(documents), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            documents_as_json(documents), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="partenariats.{fmt}"'
    return response


def related_partnerships(partnership, malian_regions, domains):
    """ "Who else works there / on that?": partners find each other. Two queries, any size."""
    same_region = OrderedDict((region, []) for region in malian_regions.values())
    members = (
        PartnershipMember.objects.filter(
            side=Country.MALI, collectivity__malian_region__in=list(malian_regions)
        )
        .exclude(partnership=partnership)
        .select_related("partnership", "collectivity__malian_region")
        .order_by("partnership__title")
    )
    for member in members:
        others = same_region[member.collectivity.malian_region]
        if member.partnership not in others:
            others.append(member.partnership)
    same_domain = OrderedDict((domain, []) for domain in domains)
    links = (
        Partnership.domains.through.objects.filter(domain__in=domains)
        .exclude(partnership=partnership)
        .select_related("partnership", "domain")
        .order_by("partnership__title")
    )
    for link in links:
        same_domain[link.domain].append(link.partnership)
    return same_region, same_domain


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
    same_region, same_domain = related_partnerships(partnership, malian_regions, domains)
    actions = list(partnership.actions.all())
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
        "actions_total_eur": sum(
            (b.amount_eur for a in actions for b in a.budgets.all() if b.kind != BudgetKind.TOTAL),
            0,
        ),
        "same_region": same_region,
        "same_domain": same_domain,
        "is_listed": partnership.status == PartnershipStatus.LISTED,
        "panels": panels_for(request, "fiche", partnership),
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
    partnerships = Partnership.objects.involving(collectivity).for_list().order_by("title")
    context = {
        "collectivity": collectivity,
        "partnerships": partnerships,
        "panels": panels_for(request, "collectivity", collectivity),
    }
    return render(request, "partnerships/collectivity_detail.html", context)


def region_list(request):
    regions = MalianRegion.objects.with_partnership_count().with_collectivity_count()
    return render(request, "partnerships/region_list.html", {"regions": regions})


def region_detail(request, slug):
    region = get_object_or_404(MalianRegion, slug=slug)
    in_region = Partnership.objects.in_regions([region])
    french = (
        Collectivity.objects.filter(country=Country.FRANCE, memberships__partnership__in=in_region)
        .with_partnership_count()
        .order_by("name")
    )
    malian = (
        Collectivity.objects.filter(malian_region=region)
        .partners()
        .with_partnership_count()
        .order_by("name")
    )
    context = {
        "region": region,
        "partnerships": in_region.for_list().order_by("title"),
        "french_collectivities": french,
        "malian_collectivities": malian,
        "domains": Domain.objects.with_partnership_count(in_region).filter(partnership_count__gt=0),
        "map_regions": MalianRegion.objects.with_partnership_count(),
    }
    return render(request, "partnerships/region_detail.html", context)


def domain_list(request):
    domains = Domain.objects.with_partnership_count().prefetch_related("subthemes")
    return render(request, "partnerships/domain_list.html", {"domains": domains})


def domain_detail(request, slug):
    domain = get_object_or_404(Domain.objects.prefetch_related("subthemes"), slug=slug)
    in_domain = Partnership.objects.in_domains([domain])
    context = {
        "domain": domain,
        "partnerships": in_domain.for_list().order_by("title"),
        "regions": MalianRegion.objects.with_partnership_count(in_domain).filter(
            partnership_count__gt=0
        ),
    }
    return render(request, "partnerships/domain_detail.html", context)


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
