"""/api/v1/: the one router of both apps' resources, the bulk export, the OpenAPI schema and its
interactive docs. The project sits above its apps: it imports them, they never import it."""

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
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
router.register("divisions", partnerships.DivisionViewSet, basename="division")
router.register("domains", partnerships.DomainViewSet, basename="domain")
router.register("actions", partnerships.ActionViewSet, basename="action")
router.register("workshops", WorkshopViewSet, basename="workshop")


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script as a file of its own (?script): the page then runs
    under the Content-Security-Policy, which allows no inline script or style."""

    template_name = "api/swagger_ui.html"

    def options(self, request, *args, **kwargs):
        # REST framework would describe the view as an HTML page (a 500): just name the methods.
        return HttpResponse(headers={"Allow": ", ".join(self.allowed_methods)})


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("export/", partnerships.ExportView.as_view(), name="api-export"),
    path("export/iati.xml", partnerships.IATIExportView.as_view(), name="api-export-iati"),
    *router.urls,
]
