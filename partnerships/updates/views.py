"""The partner's page: opened with the token of an update link, without an account.

Light on purpose (partners may read it over a slow connection): plain HTML, no script, the
site's one stylesheet. A link serves once: the submission that uses it is locked with it, so two
submissions at once give one proposal. A used, expired, revoked or unknown link gets a French
page saying so and how to ask for a new one.
"""

from django.conf import settings
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from ..models import Domain, Proposal, UpdateLink
from .fields import items_for
from .forms import PartnerForm
from .tokens import token_hash


def _refused(request, link, state):
    return render(
        request,
        "updates/link_refused.html",
        {"link": link, "state": state, "contact_email": settings.UPDATE_CONTACT_EMAIL},
        status=404 if link is None else 410,
    )


@never_cache
def partner_update(request, token):
    link = (
        UpdateLink.objects.select_related("partnership")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        return _refused(request, None, "unknown")
    state = link.state(timezone.now())
    if state != "pending":
        return _refused(request, link, state)
    partnership = link.partnership
    domains = list(Domain.objects.all())
    items = items_for(partnership, link.side)
    form = PartnerForm(items, domains, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        confirm = request.POST.get("action") == "confirm"
        with transaction.atomic():
            link = UpdateLink.objects.select_for_update().get(pk=link.pk)
            now = timezone.now()
            state = link.state(now)
            if state != "pending":
                return _refused(request, link, state)
            proposal = Proposal.objects.create(
                link=link,
                partnership=partnership,
                submitted_at=now,
                changes=[] if confirm else form.changes(),
                submitter=form.cleaned_data["submitter"],
                message=form.cleaned_data["message"],
            )
            link.used_at = now
            link.save(update_fields=["used_at"])
        return render(
            request,
            "updates/partner_thanks.html",
            {"partnership": partnership, "proposal": proposal},
        )
    return render(
        request,
        "updates/partner_form.html",
        {"partnership": partnership, "link": link, "form": form},
    )
