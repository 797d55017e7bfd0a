"""Staff's side of the partners' updates: send links, follow the campaign, review proposals.

Everything here shows personal data (addresses, what partners typed) and needs the right to
change partnerships; nothing of it is public.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import locking
from ..models import Contact, Country, Domain, Partnership, Proposal, ProposalStatus, UpdateLink
from ..responses import bad_request
from ..updates.fields import apply_proposal, is_conflict, items_for, proposal_reason, shown
from ..updates.links import first_address, send_links
from .history import word_diff
from .views import staff_required

PERM = "partnerships.change_partnership"
LINKS_PAGE_SIZE = 100


class SendLinkForm(forms.Form):
    """One fiche: a contact's address on the fiche, or an address typed (with its side)."""

    contact = forms.ChoiceField(
        label=gettext_lazy("Un contact de la fiche"), required=False, widget=forms.RadioSelect
    )
    email = forms.EmailField(label=gettext_lazy("ou une autre adresse"), required=False)
    side = forms.ChoiceField(
        label=gettext_lazy("Partie de cette adresse"),
        choices=Country.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, contacts, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.contacts = {str(c.pk): c for c in contacts if first_address(c.email)}
        self.fields["contact"].choices = [
            (pk, f"{c} ({c.get_side_display()}) — {first_address(c.email)}")
            for pk, c in self.contacts.items()
        ]

    def clean(self):
        data = super().clean()
        contact, email = data.get("contact"), data.get("email")
        if bool(contact) == bool(email):
            raise forms.ValidationError(
                _("Choisissez un contact de la fiche ou tapez une adresse.")
            )
        if email and not data.get("side"):
            self.add_error("side", _("Indiquez de quelle partie est cette adresse."))
        if contact:
            chosen = self.contacts[contact]
            data["address"], data["side"] = first_address(chosen.email), chosen.side
        else:
            data["address"] = email
        return data


def _sent_message(request, links):
    messages.success(
        request,
        _("Lien envoyé à %(addresses)s.")
        % {"addresses": ", ".join(f"{link.email} ({link.partnership})" for link in links)},
    )


@staff_required(PERM)
def send_link(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    contacts = list(partnership.contacts.order_by("side", "position"))
    form = SendLinkForm(contacts, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _sent_message(request, send_links(request, [(partnership, data["address"], data["side"])]))
        return redirect("staff_update_campaign")
    return render(request, "staff/update_send.html", {"partnership": partnership, "form": form})


def _fiches_with_addresses():
    """The fiches a campaign may ask (not the pairs only listed), each with the first address
    of each side and its last link's date: three queries whatever their number."""
    fiches = list(
        Partnership.objects.exclude(status="listed")
        .annotate(last_sent=Max("update_links__created_at"))
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=Contact.objects.exclude(email="").order_by("position"),
                to_attr="mailable",
            )
        )
        .order_by("title")
    )
    for fiche in fiches:
        fiche.addresses = {}
        for contact in fiche.mailable:
            address = first_address(contact.email)
            if address:
                fiche.addresses.setdefault(contact.side, address)
        fiche.address_fr = fiche.addresses.get(Country.FRANCE, "")
        fiche.address_ml = fiche.addresses.get(Country.MALI, "")
    return fiches


@staff_required(PERM)
def update_campaign(request):
    """Who was asked (by whom, when, at which address), who answered, what waits for review;
    and the form that sends links to several fiches at once."""
    now = timezone.now()
    fiches = _fiches_with_addresses()
    if request.method == "POST":
        side = request.POST.get("side", "")
        if side not in Country.values:
            return bad_request(request, {"side": [_("Valeurs acceptées : FR, ML.")]})
        chosen = set(request.POST.getlist("fiche"))
        targets = [
            (fiche, fiche.addresses[side], side)
            for fiche in fiches
            if fiche.slug in chosen and side in fiche.addresses
        ]
        skipped = [f.title for f in fiches if f.slug in chosen and side not in f.addresses]
        if not chosen:
            messages.error(request, _("Cochez au moins une fiche."))
        if targets:
            _sent_message(request, send_links(request, targets))
        if skipped:
            messages.warning(
                request,
                _("Pas d'adresse de cette partie, rien envoyé pour : %(titles)s.")
                % {"titles": ", ".join(skipped)},
            )
        return redirect("staff_update_campaign")
    links = UpdateLink.objects.select_related(
        "partnership", "created_by", "revoked_by", "proposal"
    ).order_by("-created_at", "-id")
    state = request.GET.get("state", "")
    filters = {
        "pending": Q(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now),
        "answered": Q(used_at__isnull=False),
        "expired": Q(used_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now),
        "revoked": Q(revoked_at__isnull=False),
    }
    if state:
        if state not in filters:
            return bad_request(
                request, {"state": [_("Valeurs acceptées : pending, answered, expired, revoked.")]}
            )
        links = links.filter(filters[state])
    counts = UpdateLink.objects.aggregate(
        total=Count("id"), **{name: Count("id", filter=q) for name, q in filters.items()}
    )
    page = Paginator(links, LINKS_PAGE_SIZE).get_page(request.GET.get("page"))
    for link in page.object_list:
        link.current_state = link.state(now)
    pending = list(
        Proposal.objects.filter(status=ProposalStatus.PENDING)
        .select_related("partnership", "link")
        .order_by("submitted_at", "id")
    )
    return render(
        request,
        "staff/update_campaign.html",
        {
            "links": page.object_list,
            "page": page,
            "state": state,
            "counts": counts,
            "pending": pending,
            "fiches": fiches,
            "sides": Country.choices,
        },
    )


@require_POST
@staff_required(PERM)
def revoke_link(request, pk):
    link = get_object_or_404(UpdateLink, pk=pk)
    if link.used_at is None and link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = request.user
        link.save(update_fields=["revoked_at", "revoked_by"])
        messages.success(request, _("Lien envoyé à %(address)s annulé.") % {"address": link.email})
    return redirect("staff_update_campaign")


def _review_rows(proposal, fiche):
    """Each proposed change beside the fiche's value now, word by word, and whether it
    conflicts with an edit made since the partner opened the form."""
    now = {item.key: item for item in items_for(fiche, proposal.link.side)}
    domain_names = dict(Domain.objects.values_list("slug", "name"))
    rows = []
    for change in proposal.changes:
        item = now.get(change["key"])
        current = shown(change["key"], item.value if item else None, domain_names)
        after = shown(change["key"], change["after"], domain_names)
        before_html, after_html = word_diff(current, after)
        rows.append(
            {
                "key": change["key"],
                "label": change["label"],
                "current": before_html,
                "proposed": after_html,
                "conflict": is_conflict(change, item),
                "gone": item is None,
                "seen": shown(change["key"], change.get("before"), domain_names),
                "decision": proposal.decisions.get(change["key"], ""),
            }
        )
    return rows


@staff_required(PERM)
def proposal_review(request, pk):
    proposal = get_object_or_404(
        Proposal.objects.select_related("partnership", "link__created_by", "reviewed_by"), pk=pk
    )
    fiche = proposal.partnership
    stale = False
    if request.method == "POST":
        if proposal.status != ProposalStatus.PENDING:
            return bad_request(request, {"proposal": [_("Cette proposition a déjà été examinée.")]})
        try:
            version = locking.parse_version(request.POST.get("version"))
        except ValueError:
            return bad_request(request, {"version": [_("La version doit être un nombre.")]})
        if version is None:
            message = _("La version de la page manque : rechargez la page puis recommencez.")
            return bad_request(request, {"version": [message]})
        try:
            apply_proposal(
                proposal,
                set(request.POST.getlist("accept")),
                set(request.POST.getlist("overwrite")),
                version,
                request.user,
            )
        except locking.StaleVersion:
            stale = True
            fiche.refresh_from_db()
            messages.error(
                request,
                _(
                    "La fiche a été modifiée pendant que vous examiniez cette proposition : rien "
                    "n'a été enregistré. Relisez les valeurs actuelles ci-dessous, puis décidez "
                    "de nouveau."
                ),
            )
        else:
            accepted = sum(1 for d in proposal.decisions.values() if d == "accepted")
            messages.success(
                request,
                _("Proposition examinée : %(accepted)s champ(s) accepté(s) sur %(total)s.")
                % {"accepted": accepted, "total": len(proposal.changes)},
            )
            return redirect("staff_partnership_history", slug=fiche.slug)
    return render(
        request,
        "staff/proposal_review.html",
        {
            "proposal": proposal,
            "partnership": fiche,
            "rows": _review_rows(proposal, fiche),
            "reason": proposal_reason(proposal),
            "stale": stale,
        },
    )
