"""The site's URLs: the project sits above its two apps and mounts them; they never import it."""

from django.contrib import admin
from django.urls import include, path

from . import accounts

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("repertoire.api")),
    path("ateliers/", include("workshops.urls")),
    path("gestion/", include("partnerships.staff.urls")),
    # A partner's update page, opened with the token of the link staff sent by e-mail.
    path("mise-a-jour/", include("partnerships.updates.urls")),
    # Django's sign-in views, the password reset throttled (repertoire/accounts.py).
    path("compte/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("compte/", include("django.contrib.auth.urls")),
    path("", include("partnerships.urls")),
]
