"""/api/v1/: the resources, the bulk export, the OpenAPI schema and its interactive docs.

The workshops' notes are a resource of their own app (workshops/api.py), registered here so that
the API stays one router, one schema and one set of docs.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from workshops.api import WorkshopViewSet

from . import api

# The format is chosen by ?format= or the Accept header (no .json/.csv suffixes: slugs are free).
router = DefaultRouter()
router.include_format_suffixes = False
router.register("partnerships", api.PartnershipViewSet, basename="partnership")
router.register("collectivities", api.CollectivityViewSet, basename="collectivity")
router.register("regions", api.RegionViewSet, basename="region")
router.register("domains", api.DomainViewSet, basename="domain")
router.register("actions", api.ActionViewSet, basename="action")
router.register("workshops", WorkshopViewSet, basename="workshop")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("export/", api.ExportView.as_view(), name="api-export"),
    *router.urls,
]
