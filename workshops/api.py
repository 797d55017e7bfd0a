"""/api/v1/workshops/: the workshop documents, read-only, as the API's other resources are.

Registered on the API's one router (repertoire/api.py). Participants' names and the answers'
contacts reach signed-in callers only (workshops/serializers.py).
"""

from django.db.models import F
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from partnerships.api.viewsets import FORMAT_PARAMETER, ApiViewSetMixin, export_action

from .models import Workshop
from .serializers import WorkshopSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Ateliers, rencontres et leurs comptes rendus / Workshops, meetings and their "
        "reports",
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary="Un atelier / One workshop"),
)
class WorkshopViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    serializer_class = WorkshopSerializer
    # The model's order (latest first, undated last), with the slug to break ties between pages.
    queryset = WorkshopSerializer.eager(Workshop.objects.all()).order_by(
        F("date").desc(nulls_last=True), "title", "slug"
    )

    export = export_action(
        WorkshopSerializer, "Tous les ateliers, en un fichier / Every workshop, as one file"
    )
