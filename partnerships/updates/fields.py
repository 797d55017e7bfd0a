"""What a partner may change on a fiche, read and written field by field.

Each field of the partner's form is an ``Item``: a key naming the row and the field
("partnership.presentation", "partnership.domains", "contact.12.phone", "action.5.description"),
its label and its current value as text (the domains: their slugs, sorted, comma-separated).
A proposal keeps, for each field the partner changed, a fingerprint of the value the partner
saw: when the fiche's value no longer has that fingerprint, staff changed it since, and the
proposal must not overwrite it without staff saying so (a conflict).
"""

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .. import locking
from ..models import Action, Contact, Country, Domain, Partnership, ProposalStatus
from ..staff.history import ensure_baseline

PARTNERSHIP_FIELDS = [
    "presentation",
    "perspectives",
    "technical_partners",
    "financial_partners",
    "budget_cd_as_printed",
    "budget_ri_as_printed",
    "documents",
]
MOTIVATIONS = {Country.FRANCE: "motivations_french", Country.MALI: "motivations_malian"}
CONTACT_FIELDS = ["name", "function", "address", "phone", "email", "website"]
ACTION_FIELDS = ["description", "period_as_printed", "budget_as_printed"]
MODELS = {"partnership": Partnership, "contact": Contact, "action": Action}


@dataclass
class Item:
    key: str
    model: type
    pk: int
    field: str
    label: str
    group: str
    value: str


def fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def as_text(value) -> str:
    return "" if value is None else str(value).replace("\r\n", "\n")


def _label(model, name):
    return capfirst(str(model._meta.get_field(name).verbose_name))


def items_for(partnership, side) -> list[Item]:
    """The fields the partner of ``side`` may change, with their current values (3 queries)."""
    items = []
    group = _("La fiche")
    names = PARTNERSHIP_FIELDS[:1] + [MOTIVATIONS[side]] + PARTNERSHIP_FIELDS[1:]
    for name in names:
        items.append(
            Item(
                f"partnership.{name}",
                Partnership,
                partnership.pk,
                name,
                _label(Partnership, name),
                group,
                as_text(getattr(partnership, name)),
            )
        )
    slugs = sorted(partnership.domains.values_list("slug", flat=True))
    items.append(
        Item(
            "partnership.domains",
            Partnership,
            partnership.pk,
            "domains",
            _("Domaines"),
            group,
            ",".join(slugs),
        )
    )
    contacts = Contact.objects.filter(partnership=partnership, side=side).order_by("position")
    for number, contact in enumerate(contacts, start=1):
        group = _("Contact %(number)s : %(who)s") % {"number": number, "who": contact}
        for name in CONTACT_FIELDS:
            items.append(
                Item(
                    f"contact.{contact.pk}.{name}",
                    Contact,
                    contact.pk,
                    name,
                    _label(Contact, name),
                    group,
                    as_text(getattr(contact, name)),
                )
            )
    actions = Action.objects.filter(partnership=partnership).select_related("domain")
    for action in actions.order_by("position"):
        what = action.domain.name if action.domain else action.domain_as_printed
        group = _("Action %(number)s : %(what)s") % {"number": action.position, "what": what}
        for name in ACTION_FIELDS:
            items.append(
                Item(
                    f"action.{action.pk}.{name}",
                    Action,
                    action.pk,
                    name,
                    _label(Action, name),
                    group,
                    as_text(getattr(action, name)),
                )
            )
    return items


def shown(key: str, value: str | None, domain_names: dict) -> str:
    """A value as a person reads it (domain slugs as their names)."""
    if value is None:
        return ""
    if key == "partnership.domains":
        return ", ".join(domain_names.get(slug, slug) for slug in value.split(",") if slug)
    return value


def is_conflict(change, item) -> bool:
    """The field changed (or its row went away) since the partner saw it."""
    return item is None or fingerprint(item.value) != change["seen"]


def proposal_reason(proposal) -> str:
    return _("Proposition du partenaire du %(date)s (n° %(id)s)") % {
        "date": date_format(timezone.localtime(proposal.submitted_at), "DATE_FORMAT"),
        "id": proposal.pk,
    }


def apply_proposal(proposal, accepted, overwrite, version, user):
    """Write the accepted fields of ``proposal`` into its fiche, as one save of the fiche.

    ``accepted``: keys staff accepted; a field in conflict is written only if its key is in
    ``overwrite`` (staff saw the value changed since and chose to replace it). ``version`` is
    the fiche's version the review page showed: if the fiche changed since, StaleVersion and
    nothing is written. The save goes through the fiche's lock and save(), so it lands in the
    history with the proposal as its reason; the fiche is marked verified by its partner.
    """
    with transaction.atomic():
        fiche = locking.lock(Partnership, proposal.partnership_id, version, required=True)
        ensure_baseline(fiche)
        now = {item.key: item for item in items_for(fiche, proposal.link.side)}
        decisions, writes = {}, []
        for change in proposal.changes:
            item = now.get(change["key"])
            chosen = overwrite if is_conflict(change, item) else accepted
            take = item is not None and change["key"] in chosen
            decisions[change["key"]] = "accepted" if take else "rejected"
            if take:
                writes.append((item, change["after"]))
        reason = proposal_reason(proposal)
        domains = list(fiche.domains.values_list("pk", flat=True))
        rows = {}
        for item, value in writes:
            if item.key == "partnership.domains":
                slugs = [slug for slug in value.split(",") if slug]
                domains = list(Domain.objects.filter(slug__in=slugs).values_list("pk", flat=True))
            elif item.model is Partnership:
                setattr(fiche, item.field, value)
            else:
                rows.setdefault((item.model, item.pk), []).append((item.field, value))
        fiche.partner_verified_on = timezone.localdate(proposal.submitted_at)
        fiche._change_reason = reason
        fiche.save()
        # Always: the new historical record holds the fiche's domains (see set_domains).
        fiche.set_domains(domains)
        for (model, pk), values in rows.items():
            row = model.objects.get(pk=pk)
            for field, value in values:
                setattr(row, field, value)
            row._change_reason = reason
            row.save()
        proposal.decisions = decisions
        proposal.status = ProposalStatus.REVIEWED if proposal.changes else ProposalStatus.CONFIRMED
        proposal.reviewed_at = timezone.now()
        proposal.reviewed_by = user
        proposal.save()
    return fiche
