"""Signing in safely: who the client is, the lock-out page, the throttled password reset.

One notion of the client for the API throttles, the sign-in lock-out (django-axes) and the
password-reset throttle: REST framework's, which trusts X-Forwarded-For only as far as
settings.NUM_PROXIES proxies appended to it, and REMOTE_ADDR otherwise.
"""

import hashlib
import math

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle


def client_address(request) -> str:
    """The address of the client that sent ``request``, as the last trusted proxy saw it."""
    return BaseThrottle().get_ident(request)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: the login page, its form emptied of the
    password, saying why and for how long (429, as axes answers by default)."""
    credentials = credentials or {}
    username = credentials.get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {"form": form, "locked_out": True, "cooloff_minutes": minutes}
    return render(request, "registration/login.html", context, status=429)


class PasswordResetThrottle(SimpleRateThrottle):
    """So many reset requests per client address, or per e-mail address (``part``), in the
    shared cache (settings.PASSWORD_RESET_RATES): a flood of reset e-mails cannot be sent to
    someone, nor the accounts probed at speed."""

    def __init__(self, part):
        self.scope = f"password_reset_{part}"
        self.part = part
        self.rate = settings.PASSWORD_RESET_RATES[part]
        super().__init__()

    def get_cache_key(self, request, view):
        if self.part == "address":
            ident = client_address(request)
        else:
            email = request.POST.get("email", "").strip().lower()
            if not email:
                return None
            # Hashed: no e-mail address in the cache, and a key of plain characters.
            ident = hashlib.sha256(email.encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, refusing (429, with the form and a message) requests past the rates."""

    def post(self, request, *args, **kwargs):
        throttles = [PasswordResetThrottle("address"), PasswordResetThrottle("email")]
        # A list, not a short-circuit: each throttle counts the request.
        if not all([throttle.allow_request(request, self) for throttle in throttles]):
            form = self.get_form()
            wait = max(throttle.wait() or 0 for throttle in throttles)
            form.add_error(
                None,
                _("Trop de demandes de réinitialisation. Réessayez dans %(minutes)s minutes.")
                % {"minutes": max(1, math.ceil(wait / 60))},
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(math.ceil(wait))
            return response
        return super().post(request, *args, **kwargs)
