"""Make update links and send them by e-mail (Django's mail backend), in French."""

import re
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ..models import UpdateLink
from .tokens import new_token

_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def first_address(text: str) -> str:
    """The first valid e-mail address of a contact's e-mail cell (it may print several, or
    text around them), or ""."""
    for found in _ADDRESS.findall(text or ""):
        try:
            validate_email(found)
        except ValidationError:
            continue
        return found
    return ""


def send_links(request, targets):
    """Create a link for each (partnership, address, side) and send each its e-mail, over one
    connection. Returns the links (the tokens are in the e-mails only)."""
    now = timezone.now()
    expires = now + timedelta(days=settings.UPDATE_LINK_DAYS)
    links, messages = [], []
    # A failed sending keeps no link: staff see the error and send again.
    with transaction.atomic(), translation.override("fr"):
        for partnership, address, side in targets:
            token, digest = new_token()
            link = UpdateLink.objects.create(
                partnership=partnership,
                token_hash=digest,
                email=address,
                side=side,
                created_at=now,
                created_by=request.user,
                expires_at=expires,
            )
            context = {
                "partnership": partnership,
                "url": request.build_absolute_uri(reverse("partner_update", args=[token])),
                "expires": timezone.localtime(expires),
                "contact_email": settings.UPDATE_CONTACT_EMAIL,
            }
            messages.append(
                mail.EmailMessage(
                    render_to_string("updates/link_subject.txt", context).strip(),
                    render_to_string("updates/link_email.txt", context),
                    settings.DEFAULT_FROM_EMAIL,
                    [address],
                )
            )
            links.append(link)
        mail.get_connection(fail_silently=False).send_messages(messages)
    return links
