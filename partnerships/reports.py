"""Readers' error reports on a fiche ("signaler une erreur"): no account, so each report is
checked for robots (a honeypot field people never see) and counted per client in the cache
(a few an hour). A report becomes a review item of the fiche, in the staff review queue."""

import uuid

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.throttling import BaseThrottle

from .models import Partnership, ReviewItem

# The part of a fiche a report is about; the keys are those of the staff edit form's anchors.
FIELDS = [
    ("title", gettext_lazy("titre de la fiche")),
    ("french", gettext_lazy("partie française")),
    ("malian_partners", gettext_lazy("partie malienne")),
    ("domain", gettext_lazy("domaines")),
    ("actions", gettext_lazy("actions")),
    ("budget", gettext_lazy("budgets")),
    ("contacts", gettext_lazy("contacts")),
    ("other", gettext_lazy("autre")),
]
REPORTS_PER_HOUR = getattr(settings, "ERROR_REPORTS_PER_HOUR", 5)


class ErrorReportForm(forms.Form):
    field = forms.ChoiceField(label=gettext_lazy("Partie de la fiche concernée"), choices=FIELDS)
    message = forms.CharField(
        label=gettext_lazy("Ce qui est inexact, et ce qui serait juste"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # The honeypot: hidden from people (CSS and aria-hidden), filled by form-filling robots.
    website = forms.CharField(label=gettext_lazy("Ne pas remplir"), required=False)


def client_key(request) -> str:
    # The client as the API throttles see it (REMOTE_ADDR or the trusted proxy's address).
    return "error-report:" + BaseThrottle().get_ident(request)


def allow(request) -> bool:
    """Count one report from this client; False beyond REPORTS_PER_HOUR in the hour."""
    key = client_key(request)
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) <= REPORTS_PER_HOUR
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return True


def is_robot(form: ErrorReportForm) -> bool:
    return bool(form.cleaned_data.get("website"))


def record(partnership: Partnership, form: ErrorReportForm) -> ReviewItem:
    field = form.cleaned_data["field"]
    # Stored in French, the staff's language, whatever the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Signalement d'un lecteur : %(field)s") % {"field": dict(FIELDS)[field]}
    return ReviewItem.objects.create(
        key=f"reader-report-{uuid.uuid4().hex}",
        kind="reader-report",
        partnership=partnership,
        field=field,
        message=message,
        value=form.cleaned_data["message"],
    )
