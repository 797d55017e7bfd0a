"""The site's URLs: the project sits above its two apps and mounts them; they never import it.

The public pages carry their language in the URL (/fr/…, /en/…), so that a link keeps it.
The API, the admin, the staff pages and the sign-in stay unprefixed: the API speaks JSON
whose field names do not change with the language (its texts follow Accept-Language), and the
staff pages are French working pages reached from a signed-in session, never shared as links
to a reader of another language. An old unprefixed public URL redirects permanently to its
prefixed one (repertoire.middleware.LocaleMiddleware)."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import accounts

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("repertoire.api")),
    path("gestion/", include("partnerships.staff.urls")),
    # A partner's update page, opened with the token of the link staff sent by e-mail.
    path("mise-a-jour/", include("partnerships.updates.urls")),
    # Django's sign-in views, the password reset throttled (repertoire/accounts.py).
    path("compte/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("compte/", include("django.contrib.auth.urls")),
]
urlpatterns += i18n_patterns(
    path("ateliers/", include("workshops.urls")),
    path("", include("partnerships.urls")),
)
