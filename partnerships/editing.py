"""The staff's pages: edit a fiche in one page, its history and revert, the review queue.

Every page and endpoint here needs a model permission (the "Éditeurs" and "Administrateurs"
groups hold them); without it the answer is a 403 page with a sign-in link, never a redirect
loop or a crash. Saves go through one transaction, so a fiche is never saved half-way, and are
checked against the version the form was loaded from (optimistic locking).
"""

from collections import defaultdict
from functools import wraps

from django.apps import apps as django_apps
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
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

from .forms import (
    ActionFormSet,
    BudgetFormSet,
    CollectivityForm,
    ContactFormSet,
    MemberFormSet,
    PartnershipForm,
    ReviewResolutionForm,
    unique_slug,
)
from .models import (
    Action,
    Budget,
    Collectivity,
    Contact,
    Country,
    Domain,
    Partnership,
    PartnershipMember,
    ReviewItem,
    record_domains,
)

# The fiche's children, in the order a revert re-creates them (a budget may point to an action).
CHILD_MODELS = [Action, PartnershipMember, Contact, Budget]
IMPORTED_STATE = "État chargé depuis le répertoire"
# Review items name the field the import was unsure of; this is where it is on the edit page.
FIELD_ANCHORS = {
    "budget": "budgets",
    "budget_cd": "id_budget_cd_as_printed",
    "domain": "actions",
    "actions": "actions",
    "description": "actions",
    "side": "contacts",
    "email": "contacts",
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


def permission_required(*perms):
    """A 403 page (with a sign-in link) for anonymous users and users without the permission."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perms(perms):
                return render(request, "staff/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@receiver(user_logged_in)
def remember_edit_permission(sender, request, user, **kwargs):
    """Public pages show the staff links from the session: no permission query on each page
    (a permission granted later shows after signing in again; the staff pages check it)."""
    if request is not None and hasattr(request, "session"):
        request.session["can_edit"] = user.has_perm("partnerships.change_partnership")


def bad_request(request, parameter, message):
    return render(
        request,
        "staff/bad_request.html",
        {"parameter": parameter, "message": message},
        status=400,
    )


@permission_required("partnerships.change_partnership")
def staff_home(request):
    context = {
        "open_review_count": ReviewItem.objects.open().count(),
        "never_verified_count": Partnership.objects.filter(last_verified_on__isnull=True).count(),
        "recent": Partnership.history.select_related("history_user")
        .exclude(history_user=None)
        .order_by("-history_date")[:10],
    }
    return render(request, "staff/home.html", context)


# ---------------------------------------------------------------------------------------------
# History


def ensure_baseline(instance, children=True):
    """Record the seeded state of a fiche (or collectivity) before its first edit.

    loaddata saves raw rows and simple-history records nothing for them: without this first
    record, the first edit could not be reverted.
    """
    date = timezone.now()
    objects = [(type(instance), [instance])]
    if children:
        objects += [
            (model, list(model.objects.filter(partnership=instance))) for model in CHILD_MODELS
        ]
    for model, rows in objects:
        recorded = set(
            model.history.filter(id__in=[row.pk for row in rows]).values_list("id", flat=True)
        )
        missing = [row for row in rows if row.pk not in recorded]
        if missing:
            # No author: the request's user did not make this state (and re-seeding treats a
            # fiche with no authored change as not edited).
            for row in missing:
                row._history_user = None
            model.history.bulk_history_create(
                missing, default_change_reason=IMPORTED_STATE, default_date=date
            )
            for row in missing:
                del row._history_user
            if model is Partnership:
                record_domains(model.history.filter(id=instance.pk).latest("history_date"))


def _domains_history():
    return django_apps.get_model("partnerships", "HistoricalPartnership_domains")


def _with_domain_ids(records):
    """Give each historical record the ids of its domains (one query for all)."""
    by_record = defaultdict(list)
    rows = _domains_history().objects.filter(history_id__in=[r.history_id for r in records])
    for history_id, domain_id in rows.values_list("history_id", "domain_id"):
        by_record[history_id].append(domain_id)
    for record in records:
        record.domain_ids = sorted(by_record[record.history_id])
    return records


def _same_edit(a, b):
    """A save records the fields, then the domains (many-to-many) with the same version."""
    return a.version == b.version


def edit_groups(partnership):
    """The partnership's historical records grouped by edit, oldest first."""
    groups = []
    records = _with_domain_ids(
        list(
            partnership.history.select_related("history_user").order_by(
                "history_date", "history_id"
            )
        )
    )
    for record in records:
        if groups and _same_edit(groups[-1][-1], record):
            groups[-1].append(record)
        else:
            groups.append([record])
    return groups


def _value_label(field, value, names):
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return names.get((field.related_model, value), str(value))
    return str(value)


HIDDEN_FIELDS = {"id", "version", "partnership"}


def _changes(model, record, previous, names):
    """(label, before, after) of each field that differs between two historical rows."""
    rows = []
    for field in model._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS:
            continue
        after = getattr(record, field.attname)
        before = getattr(previous, field.attname) if previous is not None else None
        if record.history_type == "-":
            after = None
        if before == after or (previous is None and after in (None, "", [])):
            continue
        rows.append(
            (
                str(field.verbose_name),
                _value_label(field, before, names),
                _value_label(field, after, names),
            )
        )
    return rows


def fiche_history(partnership):
    """The fiche's edits, newest first: each save of the partnership with the children's changes
    recorded after it (the edit page saves the partnership first, then its children)."""
    groups = edit_groups(partnership)
    children = []
    for model in CHILD_MODELS:
        children += [
            (model, h)
            for h in model.history.filter(partnership_id=partnership.pk)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        ]
    children.sort(key=lambda pair: (pair[1].history_date, pair[1].history_id))
    names = {(Collectivity, c.pk): c.name for c in Collectivity.objects.only("pk", "name")}
    names.update({(Domain, d.pk): d.name for d in Domain.objects.all()})
    names.update(
        {(Action, a.pk): str(a) for a in Action.objects.filter(partnership_id=partnership.pk)}
    )
    edits = []
    for index, group in enumerate(groups):
        record = group[-1]
        previous = groups[index - 1][-1] if index else None
        changes = _changes(Partnership, record, previous, names) if previous else []
        if previous and previous.domain_ids != record.domain_ids:
            changes.append(
                (
                    str(Partnership._meta.get_field("domains").verbose_name),
                    ", ".join(names[(Domain, pk)] for pk in previous.domain_ids) or "—",
                    ", ".join(names[(Domain, pk)] for pk in record.domain_ids) or "—",
                )
            )
        edits.append(
            {
                "record": record,
                "start": group[0].history_date,
                "end": groups[index + 1][0].history_date if index + 1 < len(groups) else None,
                "changes": changes,
                "children": [],
                "is_baseline": previous is None,
            }
        )
    last_seen = {}
    for model, h in children:
        previous = last_seen.get((model, h.id))
        last_seen[(model, h.id)] = h
        target = None
        for edit in edits:
            if edit["start"] <= h.history_date:
                target = edit
        if target is None and edits:
            target = edits[0]
        if target is None or target["is_baseline"]:
            continue
        target["children"].append(
            {
                "model": model._meta.verbose_name,
                "type": h.history_type,
                "label": _child_label(model, h, names),
                "changes": _changes(model, h, previous, names),
                "user": h.history_user,
            }
        )
    edits.reverse()
    return edits


def _child_label(model, h, names):
    if model is PartnershipMember:
        return names.get((Collectivity, h.collectivity_id), "")
    if model is Action:
        return h.domain_as_printed or (h.description or "")[:60]
    if model is Contact:
        return h.name or h.function or h.get_role_display()
    return h.as_printed


@permission_required("partnerships.change_partnership")
def partnership_history(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    return render(
        request,
        "staff/partnership_history.html",
        {"partnership": partnership, "edits": fiche_history(partnership)},
    )


def revert_fiche(partnership, record, end):
    """Give the fiche back its state at `record` (and its children's state just before `end`).

    Every row is written with save() or delete(), so that the revert lands in the history too.
    """
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    reason = _("Retour à la version du %(date)s") % {
        "date": date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
    }
    ensure_baseline(partnership)
    for field in Partnership._meta.concrete_fields:
        if field.name not in ("id", "version"):
            setattr(partnership, field.attname, getattr(record, field.attname))
    partnership._change_reason = reason
    partnership.save()
    partnership.set_domains(record.domain_ids)
    wanted = {}
    for model in CHILD_MODELS:
        rows = model.history.filter(partnership_id=partnership.pk)
        if end is not None:
            rows = rows.filter(history_date__lt=end)
        state = {}
        for h in rows.order_by("history_date", "history_id"):
            state[h.id] = h
        wanted[model] = {pk: h for pk, h in state.items() if h.history_type != "-"}
    for model in reversed(CHILD_MODELS):
        for row in model.objects.filter(partnership=partnership).exclude(pk__in=wanted[model]):
            row._change_reason = reason
            row.delete()
    for model in CHILD_MODELS:
        # Free the positions first: (partnership, position) stays unique at every step.
        if model is not PartnershipMember:
            model.objects.filter(partnership=partnership).update(position=F("position") + 10000)
        for h in wanted[model].values():
            row = h.instance
            row._change_reason = reason
            row.save()
    return partnership


@require_POST
@permission_required("partnerships.change_partnership")
def partnership_revert(request, slug, history_id):
    partnership = get_object_or_404(Partnership, slug=slug)
    groups = edit_groups(partnership)
    for index, group in enumerate(groups):
        if history_id in {record.history_id for record in group}:
            record = group[-1]
            end = groups[index + 1][0].history_date if index + 1 < len(groups) else None
            break
    else:
        return bad_request(request, "history_id", _("Cette version n'existe pas pour cette fiche."))
    with transaction.atomic():
        revert_fiche(partnership, record, end)
    messages.success(
        request,
        _("La fiche est revenue à sa version du %(date)s.")
        % {"date": date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")},
    )
    return redirect("staff_partnership_history", slug=partnership.slug)


# ---------------------------------------------------------------------------------------------
# The fiche's edit page


def _formsets(data, instance):
    return {
        "french": MemberFormSet(data, instance=instance, prefix="fr", side=Country.FRANCE),
        "malian": MemberFormSet(data, instance=instance, prefix="ml", side=Country.MALI),
        "actions": ActionFormSet(data, instance=instance, prefix="actions"),
        "budgets": BudgetFormSet(data, instance=instance, prefix="budgets"),
        "contacts": ContactFormSet(data, instance=instance, prefix="contacts"),
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


def changes_since(partnership, version):
    """The edits made after the given version of the fiche (shown on a conflict)."""
    loaded = partnership.history.filter(version=version).order_by("-history_date").first()
    if loaded is None:
        return fiche_history(partnership)[:1]
    return [edit for edit in fiche_history(partnership) if edit["start"] > loaded.history_date]


def _posted_version(request):
    value = request.POST.get("version", "")
    if value == "":
        return None
    try:
        return int(value)
    except ValueError:
        return "bad"


@permission_required("partnerships.change_partnership")
def partnership_edit(request, slug=None):
    if slug is None:
        if not request.user.has_perm("partnerships.add_partnership"):
            return render(request, "staff/forbidden.html", status=403)
        partnership = Partnership(status="documented")
    else:
        partnership = get_object_or_404(Partnership, slug=slug)
    conflict = None
    if request.method == "POST":
        data = request.POST
        posted = _posted_version(request)
        if posted == "bad":
            return bad_request(request, "version", _("La version doit être un nombre entier."))
        if partnership.pk and posted is not None and posted != partnership.version:
            # Someone saved the fiche since this form was loaded: show what changed, keep the
            # user's input, and let a second save (now from the current version) go through.
            conflict = changes_since(partnership, posted)
            data = request.POST.copy()
            data["version"] = str(partnership.version)
        form = PartnershipForm(data, instance=partnership)
        formsets = _formsets(data, partnership)
        valid = form.is_valid() & all([fs.is_valid() for fs in formsets.values()])
        if valid and conflict is None:
            saved = _save_fiche(request, form, formsets, posted)
            if saved is not None:
                messages.success(request, _("La fiche a été enregistrée."))
                return redirect("partnership_detail", slug=saved.slug)
            conflict = changes_since(partnership, posted)
        if conflict is not None:
            messages.error(
                request,
                _(
                    "Cette fiche a été modifiée par quelqu'un d'autre pendant que vous la "
                    "modifiiez. Vos saisies sont conservées ci-dessous : relisez les changements "
                    "faits entre-temps, puis enregistrez de nouveau pour les remplacer."
                ),
            )
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
            "review_items": review_items,
            "review_form": ReviewResolutionForm(),
        },
    )


def _save_fiche(request, form, formsets, posted_version):
    """Save the fiche and its children in one transaction; None when the version is stale."""
    reason = _("Modification de la fiche")
    with transaction.atomic():
        partnership = form.instance
        if partnership.pk:
            current = Partnership.objects.select_for_update().get(pk=partnership.pk)
            if posted_version is not None and current.version != posted_version:
                return None
            ensure_baseline(current)
            partnership.version = current.version
        else:
            partnership.slug = unique_slug(Partnership, form.cleaned_data["title"], 150)
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
    return partnership


# ---------------------------------------------------------------------------------------------
# Collectivities


@permission_required("partnerships.change_collectivity")
def collectivity_edit(request, slug):
    collectivity = get_object_or_404(Collectivity, slug=slug)
    conflict = None
    if request.method == "POST":
        data = request.POST
        posted = _posted_version(request)
        if posted == "bad":
            return bad_request(request, "version", _("La version doit être un nombre entier."))
        if posted is not None and posted != collectivity.version:
            conflict = list(
                collectivity.history.filter(version__gt=posted)
                .select_related("history_user")
                .order_by("history_date")
            )
            data = request.POST.copy()
            data["version"] = str(collectivity.version)
            messages.error(
                request,
                _(
                    "Cette collectivité a été modifiée par quelqu'un d'autre entre-temps. Vos "
                    "saisies sont conservées : relisez, puis enregistrez de nouveau."
                ),
            )
        form = CollectivityForm(data, instance=collectivity)
        if form.is_valid() and conflict is None:
            with transaction.atomic():
                current = Collectivity.objects.select_for_update().get(pk=collectivity.pk)
                ensure_baseline(current, children=False)
                obj = form.save(commit=False)
                obj.version = current.version
                obj.save()
            messages.success(request, _("La collectivité a été enregistrée."))
            return redirect("collectivity_detail", slug=collectivity.slug)
    else:
        form = CollectivityForm(instance=collectivity)
    history = list(
        collectivity.history.select_related("history_user").order_by("-history_date")[:20]
    )
    return render(
        request,
        "staff/collectivity_form.html",
        {"collectivity": collectivity, "form": form, "conflict": conflict, "history": history},
    )


@permission_required("partnerships.change_partnership")
def collectivity_search(request):
    """Search-as-you-type for the partner fields: name, département, cercle or region."""
    query = request.GET.get("q", "").strip()
    country = request.GET.get("country", "")
    if country not in ("", *Country.values):
        return JsonResponse(
            {"country": [_("Valeurs acceptées : FR, ML.")]}, status=400, json_dumps_params={}
        )
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


@permission_required("partnerships.change_reviewitem")
def review_queue(request):
    status = request.GET.get("status", "open")
    if status not in ("open", "resolved", "all"):
        return bad_request(request, "status", _("Valeurs acceptées : open, resolved, all."))
    items = ReviewItem.objects.select_related("partnership", "resolved_by").order_by("line", "key")
    kinds = list(
        ReviewItem.objects.open().values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    )
    kind = request.GET.get("kind", "")
    if kind:
        if kind not in set(ReviewItem.objects.values_list("kind", flat=True)):
            return bad_request(request, "kind", _("Nature de point inconnue."))
        items = items.filter(kind=kind)
    if status == "open":
        items = items.filter(resolved_at__isnull=True)
    elif status == "resolved":
        items = items.filter(resolved_at__isnull=False)
    items = list(items)
    for item in items:
        item.anchor = review_anchor(item)
    return render(
        request,
        "staff/review_queue.html",
        {
            "items": items,
            "status": status,
            "kind": kind,
            "kinds": kinds,
            "open_count": ReviewItem.objects.open().count(),
            "total_count": ReviewItem.objects.count(),
            "form": ReviewResolutionForm(),
        },
    )


@require_POST
@permission_required("partnerships.change_reviewitem")
def review_resolve(request, pk):
    item = get_object_or_404(ReviewItem, pk=pk)
    form = ReviewResolutionForm(request.POST, instance=item)
    if not form.is_valid():
        return bad_request(request, "resolution", "; ".join(form.errors.get("resolution", [])))
    item = form.save(commit=False)
    item.resolved_at = timezone.now()
    item.resolved_by = request.user
    item.save()
    messages.success(request, _("Point résolu : %(message)s") % {"message": item.message})
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("staff_review_queue")


@permission_required("partnerships.change_partnership")
def unverified_list(request):
    raw = request.GET.get("years", "2")
    try:
        years = int(raw)
        if not 0 <= years <= 100:
            raise ValueError
    except ValueError:
        return bad_request(request, "years", _("Indiquez un nombre d'années entre 0 et 100."))
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
