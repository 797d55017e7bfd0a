"""/api/v1/: the one router of both apps' resources, the bulk export, the OpenAPI schema and its
interactive docs. The project sits above its apps: it imports them, they never import it."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from partnerships.api import schema  # noqa: F401 (registers the schema extension)
from partnerships.api import viewsets as partnerships
from workshops.api import WorkshopViewSet

# The format is chosen by ?format= or the Accept header (no .json/.csv suffixes: slugs are free).
router = DefaultRouter()
router.include_format_suffixes = False
router.register("partnerships", partnerships.PartnershipViewSet, basename="partnership")
router.register("collectivities", partnerships.CollectivityViewSet, basename="collectivity")
router.register("regions", partnerships.RegionViewSet, basename="region")
router.register("domains", partnerships.DomainViewSet, basename="domain")
router.register("actions", partnerships.ActionViewSet, basename="action")
router.register("workshops", WorkshopViewSet, basename="workshop")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("export/", partnerships.ExportView.as_view(), name="api-export"),
    *router.urls,
]
