"""An edit sent after the editor's session ended is kept, not lost.

Two ways a save can arrive without a valid session: the session expired (the POST is anonymous),
or the editor signed in again in another tab (the CSRF token changed, Django refuses the POST
before any view runs: ``CSRF_FAILURE_VIEW``). Either way the answer is a French page holding
every posted field as hidden inputs (never the CSRF token), where the editor signs in again and
sends the same data to the same edit page in one step. The preserved ``version`` keeps the
optimistic lock: if someone saved meanwhile, the edit page shows its conflict as usual.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Collectivity, Partnership

# The staff edit pages whose input is worth keeping, with the permission each needs.
EDIT_PAGES = {
    "staff_partnership_edit": "partnerships.change_partnership",
    "staff_partnership_create": "partnerships.add_partnership",
    "staff_collectivity_edit": "partnerships.change_collectivity",
}
# The sign-in fields of the page, kept apart from the edit form's own fields.
SIGN_IN_PREFIX = "reconnexion"
NOT_PRESERVED = {"csrfmiddlewaretoken"}


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        # The words of the site's own sign-in page (templates/registration/login.html).
        "invalid_login": gettext_lazy(
            "Identifiant ou mot de passe incorrect. Les deux champs respectent les majuscules."
        ),
    }


def preserved_fields(post):
    """(name, value) of every posted value but the CSRF token and the sign-in fields."""
    return [
        (name, value)
        for name in post
        if name not in NOT_PRESERVED and not name.startswith(f"{SIGN_IN_PREFIX}-")
        for value in post.getlist(name)
    ]


def _subject(request):
    """What was being edited, for the page's text (None for a new fiche)."""
    match = request.resolver_match
    slug = match.kwargs.get("slug")
    if slug is None:
        return None
    model = Collectivity if match.url_name == "staff_collectivity_edit" else Partnership
    obj = model.objects.filter(slug=slug).first()
    return str(obj) if obj else None


def session_expired(request, perm, sign_in_form=None):
    """The page that keeps the posted fields and lets the editor sign in again (403)."""
    can_edit = request.user.has_perm(perm)
    if sign_in_form is None and not can_edit:
        sign_in_form = SignInForm(request, prefix=SIGN_IN_PREFIX)
    if sign_in_form is not None:
        sign_in_form.fields["username"].widget.attrs["autocomplete"] = "username"
        sign_in_form.fields["password"].widget.attrs["autocomplete"] = "current-password"
    return render(
        request,
        "staff/session_expired.html",
        {
            "fields": preserved_fields(request.POST),
            "action": request.path,
            "subject": _subject(request),
            "is_collectivity": request.resolver_match.url_name == "staff_collectivity_edit",
            "sign_in_form": sign_in_form,
        },
        status=403,
    )


def edit_permission_required(perm):
    """Like ``permission_required(perm, raise_exception=True)``, but a POST without the
    permission (an expired session) gets the page above instead of a bare 403, and a POST
    from that page signs the editor in and goes on to the view with the preserved data."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.has_perm(perm):
                return view(request, *args, **kwargs)
            if request.method != "POST":
                raise PermissionDenied
            form = None
            if f"{SIGN_IN_PREFIX}-username" in request.POST:
                form = SignInForm(request, data=request.POST, prefix=SIGN_IN_PREFIX)
                if form.is_valid():
                    user = form.get_user()
                    if user.has_perm(perm):
                        login(request, user)
                        data = request.POST.copy()
                        for name in ("username", "password"):
                            data.pop(f"{SIGN_IN_PREFIX}-{name}", None)
                        request.POST = data
                        return view(request, *args, **kwargs)
                    form.add_error(
                        None, _("Ce compte n'a pas le droit de faire cette modification.")
                    )
            return session_expired(request, perm, form)

        return wrapper

    return decorator


def _same_origin(request):
    """The POST came from this site's own pages (Origin, or else Referer, names this host).

    A cross-site POST must not be turned into a page that offers to send its data with a
    valid token."""
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    parts = urlsplit(source)
    scheme = "https" if request.is_secure() else "http"
    return parts.scheme == scheme and parts.netloc == request.get_host()


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: on a staff edit page, the page that keeps the input; elsewhere a
    French page that says to reload the form (templates/403_csrf.html)."""
    match = getattr(request, "resolver_match", None)
    if (
        request.method == "POST"
        and match is not None
        and match.url_name in EDIT_PAGES
        and _same_origin(request)
    ):
        return session_expired(request, EDIT_PAGES[match.url_name])
    return render(request, "403_csrf.html", status=403)
