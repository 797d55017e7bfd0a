from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("partnerships.api_urls")),
    path("ateliers/", include("workshops.urls")),
    path("gestion/", include("partnerships.editing_urls")),
    path("compte/", include("django.contrib.auth.urls")),
    path("", include("partnerships.urls")),
]
