"""A fiche's history, read from django-simple-history: its edits, what each changed, and revert.

A fiche is a partnership and its children (partners, actions, budgets, contacts), saved together
by the edit page: an edit is one save of the partnership (its fields, then its domains, with the
same version) and the children's changes recorded after it.
"""

import re
from collections import defaultdict
from difflib import SequenceMatcher

from django.apps import apps as django_apps
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..models import (
    Action,
    Budget,
    Collectivity,
    Contact,
    Domain,
    Partnership,
    PartnershipMember,
    record_domains,
)

# The fiche's children, in the order a revert re-creates them (a budget may point to an action).
CHILD_MODELS = [Action, PartnershipMember, Contact, Budget]
IMPORTED_STATE = "État chargé depuis le répertoire"
HIDDEN_FIELDS = ["id", "version", "partnership"]


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


def _with_domain_ids(records):
    """Give each historical record the ids of its domains (one query for all)."""
    history_domains = django_apps.get_model("partnerships", "HistoricalPartnership_domains")
    by_record = defaultdict(list)
    rows = history_domains.objects.filter(history_id__in=[r.history_id for r in records])
    for history_id, domain_id in rows.values_list("history_id", "domain_id"):
        by_record[history_id].append(domain_id)
    for record in records:
        record.domain_ids = sorted(by_record[record.history_id])
    return records


def edit_groups(partnership):
    """The partnership's historical records grouped by edit, oldest first (a save records the
    fields, then the domains, with the same version)."""
    groups = []
    records = _with_domain_ids(
        list(
            partnership.history.select_related("history_user").order_by(
                "history_date", "history_id"
            )
        )
    )
    for record in records:
        if groups and groups[-1][-1].version == record.version:
            groups[-1].append(record)
        else:
            groups.append([record])
    return groups


_WORDS = re.compile(r"\s*\S+\s*|\s+")


def word_diff(before: str, after: str, context: int | None = None) -> tuple[str, str]:
    """The two texts as HTML, the words removed from ``before`` in <del>, those added in
    ``after`` in <ins>, the rest as it was (escaped, line ends as <br>).

    Words are compared without their spaces, so a re-wrapped line is not a change; runs of
    changed words are marked as one span, which reads better than a mark on every word. With
    ``context``, an unchanged run longer than twice that many words keeps only its ends (…).
    """
    old, new = _WORDS.findall(before or ""), _WORDS.findall(after or "")
    matcher = SequenceMatcher(
        None, [w.strip() for w in old], [w.strip() for w in new], autojunk=False
    )
    opcodes = matcher.get_opcodes()
    old_html, new_html = [], []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            first, last = index == 0, index == len(opcodes) - 1
            old_html.append(_unchanged(old[i1:i2], context, first, last))
            new_html.append(_unchanged(new[j1:j2], context, first, last))
            continue
        if i2 > i1:
            old_html.append(_mark("del", old[i1:i2]))
        if j2 > j1:
            new_html.append(_mark("ins", new[j1:j2]))
    return tuple(mark_safe("".join(part).replace("\n", "<br>")) for part in (old_html, new_html))


def _mark(tag, words):
    """The run in <tag>, its surrounding spaces and line ends left outside the mark."""
    run = "".join(words)
    core = run.strip()
    start = run.index(core) if core else len(run)
    return (
        format_html("{}<{}>{}</{}>{}", run[:start], tag, core, tag, run[start + len(core) :])
        if core
        else escape(run)
    )


def _unchanged(words, context, first, last):
    if context is None or len(words) <= 2 * context + 1:
        return escape("".join(words))
    head = [] if first else words[:context]
    tail = [] if last else words[-context:]
    return escape("".join(head)) + "… " + escape("".join(tail))


def _is_text(field):
    return isinstance(field, (models.CharField, models.TextField)) and not field.choices


def _value_label(field, value, names):
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return names.get((field.related_model, value), str(value))
    return str(value)


def changes(model, record, previous, names):
    """(label, before, after) of each field that differs between two historical rows
    (simple-history's diff); a first record shows what it set, a deletion what it removed."""
    fields = [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS]
    if record.history_type == "-":
        pairs = [(f, getattr(previous, f.attname), None) for f in fields] if previous else []
    elif previous is None:
        pairs = [(f, None, getattr(record, f.attname)) for f in fields]
    else:
        delta = record.diff_against(previous, excluded_fields=[*HIDDEN_FIELDS, "domains"])
        changed = {change.field: change for change in delta.changes}
        pairs = [(f, changed[f.name].old, changed[f.name].new) for f in fields if f.name in changed]
    empty = (None, "", [])
    return [
        (str(field.verbose_name), *_marked(field, b, a, names))
        for field, b, a in pairs
        if b != a and not (b in empty and a in empty)
    ]


def _marked(field, before, after, names):
    """(before, after) as HTML: texts word by word, other values whole."""
    if _is_text(field):
        return tuple(html or "—" for html in word_diff(before or "", after or "", context=12))
    old, new = _value_label(field, before, names), _value_label(field, after, names)
    return (
        format_html("<del>{}</del>", old) if old != "—" else old,
        format_html("<ins>{}</ins>", new) if new != "—" else new,
    )


def _child_label(model, h, names):
    if model is PartnershipMember:
        return names.get((Collectivity, h.collectivity_id), "")
    if model is Action:
        return h.domain_as_printed or (h.description or "")[:60]
    if model is Contact:
        return h.name or h.function or h.get_role_display()
    return h.as_printed


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
        field_changes = changes(Partnership, record, previous, names) if previous else []
        if previous and previous.domain_ids != record.domain_ids:
            field_changes.append(
                (
                    str(Partnership._meta.get_field("domains").verbose_name),
                    *word_diff(
                        ", ".join(names[(Domain, pk)] for pk in previous.domain_ids),
                        ", ".join(names[(Domain, pk)] for pk in record.domain_ids),
                    ),
                )
            )
        edits.append(
            {
                "record": record,
                "start": group[0].history_date,
                "end": groups[index + 1][0].history_date if index + 1 < len(groups) else None,
                "changes": field_changes,
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
                "changes": changes(model, h, previous, names),
                "user": h.history_user,
            }
        )
    edits.reverse()
    return edits


def changes_since(partnership, version):
    """The edits made after the given version of the fiche (shown on a conflict)."""
    loaded = partnership.history.filter(version=version).order_by("-history_date").first()
    if loaded is None:
        return fiche_history(partnership)[:1]
    return [edit for edit in fiche_history(partnership) if edit["start"] > loaded.history_date]


def find_edit(partnership, history_id):
    """(record, end) of the edit holding ``history_id``, or None: the state to go back to and
    the date before which its children's state is read."""
    groups = edit_groups(partnership)
    for index, group in enumerate(groups):
        if history_id in {record.history_id for record in group}:
            end = groups[index + 1][0].history_date if index + 1 < len(groups) else None
            return group[-1], end
    return None


def revert_fiche(partnership, record, end):
    """Give the (locked) fiche back its state at ``record`` (and its children's state just before
    ``end``). Every row is written with save() or delete(), so the revert lands in the history."""
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
