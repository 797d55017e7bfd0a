"""The staff's pages: edit a fiche in one page, its history and revert, the review queue.

Every page needs a model permission (the "Éditeurs" and "Administrateurs" groups hold them);
without it the answer is the site's 403 page (templates/403.html) with a sign-in link, never a
redirect loop or a crash. A save is one transaction, checked against the version the form was
loaded from by partnerships/locking.py, the one optimistic lock of every write.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Q
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import locking
from ..models import (
    REVIEW_KIND_LABELS,
    Collectivity,
    Country,
    Partnership,
    Proposal,
    ProposalStatus,
    ReviewItem,
    unique_slug,
)
from ..responses import bad_request
from .forms import (
    ActionFormSet,
    BudgetFormSet,
    CollectivityForm,
    ContactFormSet,
    EventFormSet,
    MemberFormSet,
    PartnershipForm,
    ReviewResolutionForm,
)
from .history import changes_since, ensure_baseline, fiche_history, find_edit, revert_fiche
from .resume import edit_permission_required

# Review items name the field the import was unsure of; this is where it is on the edit page.
FIELD_ANCHORS = {
    "budget": "budgets",
    "budget_cd": "id_budget_cd_as_printed",
    "domain": "actions",
    "actions": "actions",
    "description": "actions",
    "side": "contacts",
    "email": "contacts",
    "contacts": "contacts",
}
PARTNER_FIELDS = {
    "name",
    "french",
    "malian_partners",
    "malian_region",
    "department",
    "department_as_printed",
    "population",
}


def staff_required(perm):
    """The page needs ``perm``; without it, the 403 page (with a sign-in link when anonymous)."""
    return permission_required(perm, raise_exception=True)


@receiver(user_logged_in)
def remember_edit_permission(sender, request, user, **kwargs):
    """Public pages show the staff links from the session: no permission query on each page
    (a permission granted later shows after signing in again; the staff pages check it)."""
    if request is not None and hasattr(request, "session"):
        request.session["can_edit"] = user.has_perm("partnerships.change_partnership")


def _posted_version(request, required=True):
    """The version the form was loaded from; a 400 response when it is missing (a form always
    sends it: a save without it could overwrite someone else's) or not a number."""
    try:
        version = locking.parse_version(request.POST.get("version"))
    except ValueError:
        return None, bad_request(request, {"version": [_("La version doit être un nombre.")]})
    if version is None and required:
        message = _("La version de la page manque : rechargez la page puis recommencez.")
        return None, bad_request(request, {"version": [message]})
    return version, None


@staff_required("partnerships.change_partnership")
def staff_home(request):
    context = {
        "open_review_count": ReviewItem.objects.open().count(),
        "never_verified_count": Partnership.objects.filter(last_verified_on__isnull=True).count(),
        "pending_proposal_count": Proposal.objects.filter(status=ProposalStatus.PENDING).count(),
        "recent": Partnership.history.select_related("history_user")
        .exclude(history_user=None)
        .order_by("-history_date")[:10],
    }
    return render(request, "staff/home.html", context)


# ---------------------------------------------------------------------------------------------
# History


@staff_required("partnerships.change_partnership")
def partnership_history(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    return render(
        request,
        "staff/partnership_history.html",
        {"partnership": partnership, "edits": fiche_history(partnership)},
    )


@require_POST
@staff_required("partnerships.change_partnership")
def partnership_revert(request, slug, history_id):
    partnership = get_object_or_404(Partnership, slug=slug)
    found = find_edit(partnership, history_id)
    if found is None:
        return bad_request(request, {"history_id": [_("Cette version n'existe pas.")]})
    record, end = found
    with transaction.atomic():
        revert_fiche(locking.lock(Partnership, partnership.pk, None), record, end)
    messages.success(
        request,
        _("La fiche est revenue à sa version du %(date)s.")
        % {"date": date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")},
    )
    return redirect("staff_partnership_history", slug=partnership.slug)


# ---------------------------------------------------------------------------------------------
# The fiche's edit page


ROW_PREFIXES = ("fr", "ml", "actions", "budgets", "contacts", "events")


def _formsets(data, instance):
    return {
        "french": MemberFormSet(data, instance=instance, prefix="fr", side=Country.FRANCE),
        "malian": MemberFormSet(data, instance=instance, prefix="ml", side=Country.MALI),
        "actions": ActionFormSet(data, instance=instance, prefix="actions"),
        "budgets": BudgetFormSet(data, instance=instance, prefix="budgets"),
        "contacts": ContactFormSet(data, instance=instance, prefix="contacts"),
        "events": EventFormSet(data, instance=instance, prefix="events"),
    }


def _save_rows(formset, partnership, reason):
    """Delete the rows marked so, then number the others 1, 2, 3… in the order shown."""
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance._change_reason = reason
            form.instance.delete()
    rows = formset.rows_in_order()
    moved = [
        form.instance.pk
        for position, form in enumerate(rows, start=1)
        if form.instance.pk and form.instance.position != position
    ]
    formset.model.objects.filter(pk__in=moved).update(position=F("position") + 10000)
    for position, form in enumerate(rows, start=1):
        if form.has_changed() or form.instance.pk in moved or not form.instance.pk:
            row = form.save(commit=False)
            row.partnership = partnership
            row.position = position
            row._change_reason = reason
            row.save()


def _save_events(formset, partnership, reason):
    """Events are identified by a key, not a position: one added here gets "staff-<n>"."""
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance._change_reason = reason
            form.instance.delete()
    taken = set(partnership.events.values_list("key", flat=True))
    for form in formset.forms:
        if form in formset.deleted_forms or not form.has_changed():
            continue
        event = form.save(commit=False)
        event.partnership = partnership
        if not event.key:
            n = 1
            while f"staff-{n}" in taken:
                n += 1
            event.key = f"staff-{n}"
            taken.add(event.key)
        event._change_reason = reason
        event.save()


def _save_members(formset, partnership, reason):
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance._change_reason = reason
            form.instance.delete()
    kept = [
        f
        for f in formset.forms
        if f not in formset.deleted_forms
        and (f.instance.pk or f.cleaned_data.get("collectivity") or f.cleaned_data.get("new_name"))
    ]
    for position, form in enumerate(kept, start=1):
        if form.has_changed() or form.instance.position != position or not form.instance.pk:
            form.instance.partnership = partnership
            form.instance.position = position
            form.instance._change_reason = reason
            form.save()


def _conflict_message(request, what):
    messages.error(
        request,
        _(
            "%(what)s a été modifiée par quelqu'un d'autre pendant que vous la modifiiez. Vos "
            "saisies sont conservées ci-dessous : relisez les changements faits entre-temps, "
            "puis enregistrez de nouveau pour les remplacer."
        )
        % {"what": what},
    )


def _draft_key(obj, kind):
    """The key of the browser's local draft of this form (static/js/staff.js)."""
    return f"{kind}:{obj.pk or 'new'}"


def _with_one_more_row(data):
    """The posted data with one more blank row in the formset named by "add_row" (the
    "Ajouter une ligne" button without JavaScript): nothing is saved, the page comes back."""
    prefix = data.get("add_row")
    if prefix not in ROW_PREFIXES:
        return None
    data = data.copy()
    total = f"{prefix}-TOTAL_FORMS"
    try:
        data[total] = str(int(data.get(total, "0")) + 1)
    except ValueError:
        return None
    return data


def _budgets_of_deleted_actions(formsets):
    """A budget cannot stay linked to an action deleted in the same save (the database would
    delete the budget with it): say so on the budget's row."""
    deleted = {f.instance.pk for f in formsets["actions"].deleted_forms if f.instance.pk}
    clean = True
    for form in formsets["budgets"].forms:
        if form in formsets["budgets"].deleted_forms or not hasattr(form, "cleaned_data"):
            continue
        action = form.cleaned_data.get("action")
        if action is not None and action.pk in deleted:
            form.add_error(
                "action",
                _("Cette action est supprimée : choisissez-en une autre ou aucune."),
            )
            clean = False
    return clean


@edit_permission_required("partnerships.change_partnership")
def partnership_edit(request, slug=None):
    if slug is None:
        if not request.user.has_perm("partnerships.add_partnership"):
            raise PermissionDenied
        partnership = Partnership(status="documented")
    else:
        partnership = get_object_or_404(Partnership, slug=slug)
    draft_key = _draft_key(partnership, "fiche")
    conflict = None
    adding_row = False
    if request.method == "POST":
        posted, error = _posted_version(request, required=partnership.pk is not None)
        if error:
            return error
        more = _with_one_more_row(request.POST)
        if more is not None:
            adding_row = more["add_row"]
            form = PartnershipForm(more, instance=partnership)
            formsets = _formsets(more, partnership)
        else:
            form = PartnershipForm(request.POST, instance=partnership)
            formsets = _formsets(request.POST, partnership)
            valid = form.is_valid() & all([fs.is_valid() for fs in formsets.values()])
            if valid and _budgets_of_deleted_actions(formsets):
                try:
                    saved = _save_fiche(request, form, formsets, posted)
                except locking.StaleVersion as stale:
                    # Someone saved the fiche since this form was loaded: show what changed,
                    # keep the user's input, and let a second save (from the current version)
                    # go through.
                    conflict = changes_since(partnership, posted)
                    form, formsets = _with_version(request, stale.current.version, partnership)
                    _conflict_message(request, _("Cette fiche"))
                else:
                    messages.success(
                        request,
                        _("Fiche enregistrée (version %(version)s).") % {"version": saved.version},
                        extra_tags=draft_key,
                    )
                    return redirect("partnership_detail", slug=saved.slug)
    else:
        form = PartnershipForm(instance=partnership)
        formsets = _formsets(None, partnership)
    review_items = (
        list(partnership.review_items.open().select_related("source")) if partnership.pk else []
    )
    return render(
        request,
        "staff/partnership_form.html",
        {
            "partnership": partnership,
            "form": form,
            "formsets": formsets,
            "conflict": conflict,
            "adding_row": adding_row,
            "draft_key": draft_key,
            "review_items": review_items,
            "review_form": ReviewResolutionForm(),
        },
    )


def _with_version(request, version, partnership):
    """The posted forms again, now carrying the current version (for a second, informed save)."""
    data = request.POST.copy()
    data["version"] = str(version)
    partnership.refresh_from_db()
    form = PartnershipForm(data, instance=partnership)
    formsets = _formsets(data, partnership)
    form.is_valid()
    for formset in formsets.values():
        formset.is_valid()
    return form, formsets


def _save_fiche(request, form, formsets, posted_version):
    """Save the fiche and its children in one transaction (StaleVersion when stale)."""
    reason = _("Modification de la fiche")
    with transaction.atomic():
        partnership = form.instance
        if partnership.pk:
            current = locking.lock(Partnership, partnership.pk, posted_version)
            ensure_baseline(current)
            partnership.version = current.version
        else:
            partnership.slug = unique_slug(Partnership, form.cleaned_data["title"])
            reason = _("Création de la fiche")
        partnership = form.save(commit=False)
        if form.cleaned_data.get("mark_verified"):
            partnership.last_verified_on = timezone.localdate()
            partnership.last_verified_by = request.user
        partnership._change_reason = reason
        partnership.save()
        partnership.set_domains(form.cleaned_data["domains"])
        _save_members(formsets["french"], partnership, reason)
        _save_members(formsets["malian"], partnership, reason)
        for name in ("actions", "budgets", "contacts"):
            _save_rows(formsets[name], partnership, reason)
        _save_events(formsets["events"], partnership, reason)
    return partnership


# ---------------------------------------------------------------------------------------------
# Collectivities


@edit_permission_required("partnerships.change_collectivity")
def collectivity_edit(request, slug):
    collectivity = get_object_or_404(Collectivity, slug=slug)
    conflict = None
    if request.method == "POST":
        posted, error = _posted_version(request)
        if error:
            return error
        form = CollectivityForm(request.POST, instance=collectivity)
        if form.is_valid():
            try:
                with transaction.atomic():
                    current = locking.lock(Collectivity, collectivity.pk, posted)
                    ensure_baseline(current, children=False)
                    obj = form.save(commit=False)
                    obj.version = current.version
                    obj.save()
            except locking.StaleVersion as stale:
                conflict = list(
                    collectivity.history.filter(version__gt=posted)
                    .select_related("history_user")
                    .order_by("history_date")
                )
                data = request.POST.copy()
                data["version"] = str(stale.current.version)
                form = CollectivityForm(data, instance=stale.current)
                form.is_valid()
                _conflict_message(request, _("Cette collectivité"))
            else:
                messages.success(
                    request,
                    _("Collectivité enregistrée (version %(version)s).") % {"version": obj.version},
                    extra_tags=_draft_key(collectivity, "collectivity"),
                )
                return redirect("collectivity_detail", slug=collectivity.slug)
    else:
        form = CollectivityForm(instance=collectivity)
    history = list(
        collectivity.history.select_related("history_user").order_by("-history_date")[:20]
    )
    return render(
        request,
        "staff/collectivity_form.html",
        {
            "collectivity": collectivity,
            "form": form,
            "conflict": conflict,
            "history": history,
            "draft_key": _draft_key(collectivity, "collectivity"),
        },
    )


@staff_required("partnerships.change_partnership")
def collectivity_search(request):
    """Search-as-you-type for the partner fields: name, département, cercle or region."""
    query = request.GET.get("q", "").strip()
    country = request.GET.get("country", "")
    if country not in ("", *Country.values):
        return JsonResponse({"country": [_("Valeurs acceptées : FR, ML.")]}, status=400)
    if "\x00" in query or len(query) > 100:
        return JsonResponse({"q": [_("Recherche invalide.")]}, status=400)
    rows = Collectivity.objects.select_related("malian_region")
    if country:
        rows = rows.filter(country=country)
    if query:
        rows = rows.filter(
            Q(name__icontains=query)
            | Q(slug__icontains=query)
            | Q(department__icontains=query)
            | Q(cercle__icontains=query)
        )
    results = [
        {
            "id": c.pk,
            "slug": c.slug,
            "name": c.name,
            "place": c.department or c.cercle or (c.malian_region.name if c.malian_region else ""),
        }
        for c in rows[:20]
    ]
    return JsonResponse({"results": results})


# ---------------------------------------------------------------------------------------------
# Review queue and verification campaign


def review_anchor(item):
    if item.partnership_id is None:
        return ""
    if item.field in FIELD_ANCHORS:
        anchor = FIELD_ANCHORS[item.field]
    elif item.field in PARTNER_FIELDS:
        anchor = "partners"
    elif item.field in PartnershipForm.base_fields:
        anchor = f"id_{item.field}"
    else:
        anchor = "fiche"
    return reverse("staff_partnership_edit", args=[item.partnership.slug]) + "#" + anchor


REVIEW_PAGE_SIZE = 50


@staff_required("partnerships.change_reviewitem")
def review_queue(request):
    status = request.GET.get("status", "open")
    if status not in ("open", "resolved", "all"):
        return bad_request(request, {"status": [_("Valeurs acceptées : open, resolved, all.")]})
    # Grouped by fiche (in the répertoire's order), items outside any fiche last.
    items = ReviewItem.objects.select_related("partnership", "resolved_by").order_by(
        F("partnership__source_line").asc(nulls_last=True), "partnership_id", "line", "key"
    )
    kinds = list(
        ReviewItem.objects.open().values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    )
    for row in kinds:
        row["label"] = REVIEW_KIND_LABELS.get(row["kind"], row["kind"])
    kind = request.GET.get("kind", "")
    if kind:
        if kind not in set(ReviewItem.objects.values_list("kind", flat=True)):
            return bad_request(request, {"kind": [_("Nature de point inconnue.")]})
        items = items.filter(kind=kind)
    if status == "open":
        items = items.filter(resolved_at__isnull=True)
    elif status == "resolved":
        items = items.filter(resolved_at__isnull=False)
    page = Paginator(items, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.anchor = review_anchor(item)
    return render(
        request,
        "staff/review_queue.html",
        {
            "items": page.object_list,
            "page": page,
            "shown_count": page.paginator.count,
            "status": status,
            "kind": kind,
            "kinds": kinds,
            "open_count": ReviewItem.objects.open().count(),
            "total_count": ReviewItem.objects.count(),
            "form": ReviewResolutionForm(),
        },
    )


@require_POST
@staff_required("partnerships.change_reviewitem")
def review_resolve(request, pk):
    item = get_object_or_404(ReviewItem, pk=pk)
    form = ReviewResolutionForm(request.POST, instance=item)
    if not form.is_valid():
        return bad_request(request, form.errors)
    item = form.save(commit=False)
    item.resolved_at = timezone.now()
    item.resolved_by = request.user
    item.save()
    messages.success(request, _("Point résolu : %(message)s") % {"message": item.message})
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("staff_review_queue")


@staff_required("partnerships.change_partnership")
def unverified_list(request):
    raw = request.GET.get("years", "2")
    years = int(raw) if raw.isascii() and raw.isdigit() else -1
    if not 0 <= years <= 100:
        return bad_request(request, {"years": [_("Indiquez un nombre d'années entre 0 et 100.")]})
    today = timezone.localdate()
    try:
        limit = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - years, day=28)
    partnerships = (
        Partnership.objects.filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=limit))
        .exclude(status="listed")
        .select_related("last_verified_by")
        .order_by(F("last_verified_on").asc(nulls_first=True), "title")
    )
    return render(
        request,
        "staff/unverified_list.html",
        {"partnerships": partnerships, "years": years, "limit": limit},
    )
