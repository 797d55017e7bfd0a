"""The workshops' pages. Each runs a fixed number of queries (tests pin them)."""

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, render

from partnerships import dataversion
from partnerships.models import PartnershipMember
from partnerships.responses import bad_request

from .forms import AnswerFilterForm, SearchForm
from .models import Link, ParticipantStatus, Workshop
from .search import search_workshops


def workshop_list(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form.errors)
    workshops = Workshop.objects.annotate(
        participant_count=Count("participants", distinct=True),
        answer_count=Count("answers", distinct=True),
        section_count=Count("sections", distinct=True),
    )
    search = form.cleaned_data["search"]
    context = {
        "workshops": workshops,
        "search": search,
        "results": search_workshops(search) if search else None,
    }
    return render(request, "workshops/workshop_list.html", context)


def workshop_detail(request, slug):
    workshop = get_object_or_404(
        Workshop.objects.select_related("source").prefetch_related(
            "sections",
            "participants",
            "quotes",
            "recommendations",
            "twin_towns",
            "answers",
            Prefetch(
                "links",
                queryset=Link.objects.select_related("collectivity", "partnership"),
            ),
        ),
        slug=slug,
    )
    answers = list(workshop.answers.all())
    countries = sorted({c for answer in answers for c in answer.countries})
    form = AnswerFilterForm(request.GET, countries=countries)
    if not form.is_valid():
        return bad_request(request, form.errors)
    # The table has a few dozen rows at most: filtered here, beside the choices it offers.
    country, challenge = form.cleaned_data["country"], form.cleaned_data["challenge"]
    shown = [
        a
        for a in answers
        if (not country or country in a.countries)
        and (not challenge or challenge in a.challenge_kinds)
    ]
    # Each item with the directory's collectivities and partnerships it concerns.
    targets = {}
    for link in workshop.links.all():
        key = (link.section_id, link.participant_id, link.answer_id, link.twin_town_id)
        targets.setdefault(key, []).append(link)
    for answer in answers:
        answer.directory_links = targets.get((None, None, answer.pk, None), [])
    for section in workshop.sections.all():
        section.directory_links = targets.get((section.pk, None, None, None), [])
    for town in workshop.twin_towns.all():
        town.directory_links = targets.get((None, None, None, town.pk), [])
    participants = list(workshop.participants.all())
    for participant in participants:
        participant.directory_links = targets.get((None, participant.pk, None, None), [])
    groups = [
        (label, [p for p in participants if p.status == status])
        for status, label in ParticipantStatus.choices
    ]
    context = {
        "workshop": workshop,
        "participant_groups": [(label, rows) for label, rows in groups if rows],
        "answers": shown,
        "answer_total": len(answers),
        "filter_form": form,
        "is_filtered": bool(country or challenge),
        "workshop_links": targets.get((None, None, None, None), []),
    }
    return render(request, "workshops/workshop_detail.html", context)


def items_about(*, partnership=None, collectivity=None):
    """The workshop items about a partnership (or a collectivity and its partnerships), grouped
    by workshop: [(workshop, [links])]. One query (two when a workshop's own twin towns are
    shown), whatever the number of items."""
    if partnership:
        links = Link.objects.about(partnerships=[partnership])
    else:
        partnerships = PartnershipMember.objects.filter(collectivity=collectivity).values(
            "partnership"
        )
        links = Link.objects.about(partnerships=partnerships, collectivities=[collectivity])
    grouped, seen = {}, set()
    for link in links:
        key = (
            link.workshop_id,
            link.section_id,
            link.participant_id,
            link.answer_id,
            link.twin_town_id,
        )
        if key in seen:
            continue  # an item linked to the collectivity and to its partnership: shown once
        seen.add(key)
        grouped.setdefault(link.workshop, []).append(link)
    # A link to the workshop itself (Bagnolet's page on its twinnings) shows its twin towns.
    prefetch_related_objects(
        [w for w, rows in grouped.items() if any(row.item is None for row in rows)], "twin_towns"
    )
    return list(grouped.items())


def linked_partnerships():
    """The keys of the partnerships some workshop item is about: a few dozen, kept per data
    version (a write to a link raises it)."""
    return dataversion.kept(
        "workshops:linked-partnerships",
        lambda: frozenset(
            Link.objects.exclude(partnership=None).values_list("partnership", flat=True)
        ),
    )


def fiche_panel(request, partnership):
    """The panel of a fiche: what the workshops said of it (registered in workshops/apps.py).

    Most fiches have none: they are told by the set of those that have (no query once kept),
    where reading their items joined six tables (3 ms of a fiche's 20)."""
    if partnership.pk not in linked_partnerships():
        return None
    groups = items_about(partnership=partnership)
    return {"groups": groups} if groups else None


def collectivity_panel(request, collectivity):
    groups = items_about(collectivity=collectivity)
    return {"groups": groups} if groups else None


def search_panel(request, search):
    """Beside the partnerships a search found: what the workshops' notes hold for its words."""
    return {"results": search_workshops(search), "search": search}
