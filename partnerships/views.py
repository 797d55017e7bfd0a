"""The public pages of the directory. Every page runs a fixed number of queries (tests pin them)."""

from collections import OrderedDict

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from workshops.search import search_workshops

from .exports import documents_as_csv, documents_as_json, without_coordinates
from .filters import PartnershipFilter, facet_counts
from .models import (
    Collectivity,
    Country,
    Domain,
    MalianRegion,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
)
from .serializers import PartnershipDocumentSerializer

PAGE_SIZE = 20


def with_list_relations(queryset):
    """What a row of a partnership list shows: partners (with their region) and domains."""
    return queryset.prefetch_related(
        Prefetch(
            "members",
            queryset=PartnershipMember.objects.select_related("collectivity__malian_region"),
        ),
        "domains",
    )


def partnerships_in_region(region):
    return Partnership.objects.filter(
        Exists(
            PartnershipMember.objects.filter(
                partnership=OuterRef("pk"), collectivity__malian_region=region
            )
        )
    )


def bad_request(request, errors):
    """A 400 page naming each malformed parameter (never a 500)."""
    errors = [(name, " ".join(messages)) for name, messages in errors.items()]
    html = render_to_string("partnerships/bad_request.html", {"errors": errors}, request=request)
    return HttpResponseBadRequest(html)


def home(request):
    by_status = dict(
        Partnership.objects.values_list("status").annotate(n=Count("id")).order_by("status")
    )
    # `n`: the name includes/_map_mali.html expects.
    regions = MalianRegion.objects.annotate(
        n=Count("collectivities__memberships__partnership", distinct=True)
    )
    oldest = (
        Partnership.objects.filter(contacts_start_year__isnull=False)
        .order_by("contacts_start_year", "title")
        .first()
    )
    context = {
        "by_status": by_status,
        "total": sum(by_status.values()),
        "collectivities": dict(
            Collectivity.objects.filter(memberships__isnull=False)
            .values_list("country")
            .annotate(n=Count("id", distinct=True))
            .order_by("country")
        ),
        "regions": regions,
        "domains": Domain.objects.annotate(partnership_count=Count("partnerships", distinct=True)),
        "oldest": oldest,
    }
    context["region_total"] = len(context["regions"])
    context["domain_total"] = len(context["domains"])
    return render(request, "partnerships/home.html", context)


def _filtered(request):
    """The FilterSet of the request, or the 400 response of its malformed parameters."""
    filterset = PartnershipFilter(request.GET, queryset=Partnership.objects.all(), request=request)
    if not filterset.is_valid():
        return filterset, bad_request(request, filterset.form.errors)
    return filterset, None


def partnership_list(request):
    filterset, error = _filtered(request)
    if error:
        return error
    paginator = Paginator(with_list_relations(filterset.qs), PAGE_SIZE)
    page_number = request.GET.get("page") or 1
    try:
        page_number = int(page_number)
    except ValueError:
        return bad_request(request, {"page": [_("Saisissez un nombre entier.")]})
    if page_number < 1 or (page_number > paginator.num_pages):
        raise Http404(_("Cette page de résultats n'existe pas."))
    page = paginator.page(page_number)
    context = {
        "filter": filterset,
        "page_obj": page,
        "partnerships": page.object_list,
        "facets": facet_counts(filterset),
        "search": filterset.form.cleaned_data.get("search") or "",
        # The site search also finds the workshops' notes (one query per kind of item).
        "workshop_results": search_workshops(filterset.form.cleaned_data.get("search") or ""),
        "is_filtered": any(
            value for key, value in request.GET.lists() if key not in ("page", "ordering")
        ),
    }
    return render(request, "partnerships/partnership_list.html", context)


def partnership_export(request, fmt):
    """The current selection of the list as the partnership document (never the contacts)."""
    filterset, error = _filtered(request)
    if error:
        return error
    queryset = filterset.qs.with_document_relations()
    documents = PartnershipDocumentSerializer(queryset, many=True).data
    if not request.user.is_authenticated:
        # Free texts sometimes print a person's phone or e-mail (partners, actions).
        documents = without_coordinates(documents)
    if fmt == "csv":
        response = HttpResponse(documents_as_csv(documents), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            documents_as_json(documents), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="partenariats.{fmt}"'
    return response


def partnership_detail(request, slug):
    partnership = get_object_or_404(
        Partnership.objects.with_document_relations(contacts=True).annotate(
            open_review_count=Count(
                "review_items", filter=Q(review_items__resolved_at__isnull=True)
            )
        ),
        slug=slug,
    )
    malian_regions = OrderedDict(
        (c.malian_region_id, c.malian_region)
        for c in partnership.malian_partners
        if c.malian_region
    )
    domains = list(partnership.domains.all())
    # "Who else works there / on that?": partners find each other. Two queries, any size.
    same_region = OrderedDict((region, []) for region in malian_regions.values())
    for member in (
        PartnershipMember.objects.filter(
            side=Country.MALI, collectivity__malian_region__in=list(malian_regions)
        )
        .exclude(partnership=partnership)
        .select_related("partnership", "collectivity__malian_region")
        .order_by("partnership__title")
    ):
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
    actions = list(partnership.actions.all())
    context = {
        "partnership": partnership,
        "french_partners": partnership.french_partners,
        "malian_partners": partnership.malian_partners,
        "french_contacts": [c for c in partnership.contacts.all() if c.side == Country.FRANCE],
        "malian_contacts": [c for c in partnership.contacts.all() if c.side == Country.MALI],
        "annual_budgets": [b for b in partnership.budgets.all() if b.action_id is None],
        "actions": actions,
        "actions_total_eur": sum(
            (b.amount_eur for a in actions for b in a.budgets.all() if b.kind != "total"), 0
        ),
        "same_region": same_region,
        "same_domain": same_domain,
        "is_listed": partnership.status == PartnershipStatus.LISTED,
    }
    return render(request, "partnerships/partnership_detail.html", context)


def collectivity_list(request):
    collectivities = (
        Collectivity.objects.select_related("malian_region")
        .annotate(partnership_count=Count("memberships", distinct=True))
        .order_by("country", "name", "slug")
    )
    return render(
        request, "partnerships/collectivity_list.html", {"collectivities": collectivities}
    )


def collectivity_detail(request, slug):
    collectivity = get_object_or_404(
        Collectivity.objects.select_related("malian_region", "source"), slug=slug
    )
    partnerships = with_list_relations(
        Partnership.objects.filter(members__collectivity=collectivity)
    ).order_by("title")
    return render(
        request,
        "partnerships/collectivity_detail.html",
        {"collectivity": collectivity, "partnerships": partnerships},
    )


def region_list(request):
    regions = MalianRegion.objects.annotate(
        partnership_count=Count("collectivities__memberships__partnership", distinct=True),
        collectivity_count=Count("collectivities", distinct=True),
    )
    return render(request, "partnerships/region_list.html", {"regions": regions})


def region_detail(request, slug):
    region = get_object_or_404(MalianRegion, slug=slug)
    in_region = partnerships_in_region(region)
    partnerships = with_list_relations(in_region).order_by("title")
    french = (
        Collectivity.objects.filter(country=Country.FRANCE, memberships__partnership__in=in_region)
        .annotate(partnership_count=Count("memberships", distinct=True))
        .order_by("name")
    )
    malian = (
        Collectivity.objects.filter(malian_region=region, memberships__isnull=False)
        .annotate(partnership_count=Count("memberships", distinct=True))
        .order_by("name")
    )
    domains = Domain.objects.annotate(
        partnership_count=Count("partnerships", filter=Q(partnerships__in=in_region), distinct=True)
    ).filter(partnership_count__gt=0)
    map_regions = MalianRegion.objects.annotate(
        n=Count("collectivities__memberships__partnership", distinct=True)
    )
    context = {
        "region": region,
        "partnerships": partnerships,
        "french_collectivities": french,
        "malian_collectivities": malian,
        "domains": domains,
        "map_regions": map_regions,
    }
    return render(request, "partnerships/region_detail.html", context)


def domain_list(request):
    domains = Domain.objects.annotate(
        partnership_count=Count("partnerships", distinct=True)
    ).prefetch_related("subthemes")
    return render(request, "partnerships/domain_list.html", {"domains": domains})


def domain_detail(request, slug):
    domain = get_object_or_404(Domain.objects.prefetch_related("subthemes"), slug=slug)
    partnerships = with_list_relations(domain.partnerships.all()).order_by("title")
    regions = MalianRegion.objects.annotate(
        partnership_count=Count(
            "collectivities__memberships__partnership",
            filter=Q(collectivities__memberships__partnership__domains=domain),
            distinct=True,
        )
    ).filter(partnership_count__gt=0)
    context = {"domain": domain, "partnerships": partnerships, "regions": regions}
    return render(request, "partnerships/domain_detail.html", context)
