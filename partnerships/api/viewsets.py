"""The JSON API, version 1: read-only for everyone, writes for staff (api/permissions.py).

Lists use the FilterSets of partnerships/filters.py (the partnership list page's one for
partnerships), are paginated (api/rendering.py) and come as JSON or CSV. Each list has an
unpaginated `export/` twin for bulk downloads, and `/api/v1/export/` gives everything as one JSON
file. What a caller sees of people is decided by partnerships/privacy.py, through the
serializers; every write goes through partnerships/locking.py.
"""

import json

from django.db import transaction
from django.db.models import Prefetch, ProtectedError
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import iati, locking, privacy
from ..exports import csv_chunks, download, json_chunks, serialized
from ..filters import (
    ActionFilter,
    CollectivityFilter,
    PartnershipFilter,
    parameter_errors,
    refuse_nul_characters,
)
from ..models import Action, Collectivity, Division, Domain, MalianRegion, Partnership
from .rendering import CSVRenderer, FileNegotiation, XMLFileRenderer
from .serializers import (
    ActionResourceSerializer,
    CollectivitySerializer,
    DivisionSerializer,
    DomainSerializer,
    MalianRegionSerializer,
    PartnershipDocumentSerializer,
    PartnershipWriteSerializer,
)


class FilterBackend(DjangoFilterBackend):
    """The FilterSet of the view; a 400 naming each bad parameter and the values it accepts."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "detail", False):
            # One document by its slug: a list's filters do not apply to it (building the
            # FilterSet cost about 2 ms of each answer).
            return queryset
        errors = refuse_nul_characters(request.query_params)
        if errors:
            raise ValidationError(errors)
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError(parameter_errors(filterset))
        # The pagination asks it for the count of its selection (api/rendering.py).
        view.filterset = filterset
        return filterset.qs


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale_version"


class PreconditionRequired(APIException):
    status_code = 428
    default_code = "version_required"
    default_detail = _(
        "Indiquez la version modifiée (en-tête If-Match avec l'ETag lu, ou champ « version ») :"
        " une modification sans version pourrait écraser celle d'un autre."
    )


class VersionedWritesMixin:
    """No lost update: a read gives the version (ETag); a write must send it back (If-Match,
    or "version" in the body): without it the write is refused with 428, and with 412 when the
    row changed since. A creation has no version to send (a new action may send its fiche's).

    ``locked_row()`` names the row whose version guards a write: the resource itself, or for a
    fiche's child row (an action) its partnership, whose version every change to a child bumps.
    """

    def version_of(self, instance) -> int:
        return self.locked_row(instance)[1].version

    def locked_row(self, instance):
        """(model, row) whose version guards writes to ``instance``."""
        return type(instance), instance

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = locking.etag(self.version_of(instance))
        return response

    def expected_version(self):
        header = self.request.headers.get("If-Match")
        data = self.request.data if isinstance(self.request.data, dict) else {}
        raw = header if header not in (None, "*") else data.get("version")
        try:
            return locking.parse_version(raw)
        except ValueError:
            raise ValidationError(
                {"version": [_("La version doit être un nombre entier.")]}
            ) from None

    def guarded(self, instance, write, *, required=True):
        """Run ``write()`` in one transaction with the guarding row locked and checked."""
        expected = self.expected_version()
        model, row = self.locked_row(instance)
        with transaction.atomic():
            try:
                current = locking.lock(model, row.pk, expected, required=required)
            except locking.StaleVersion as error:
                raise PreconditionFailed(str(error)) from error
            except locking.VersionRequired as error:
                raise PreconditionRequired() from error
            result = write(current)
            if model is not type(instance):
                locking.touch(model, row.pk)
        return result

    def perform_update(self, serializer):
        def write(current):
            if type(current) is type(serializer.instance):
                serializer.instance.version = current.version
            self._written = serializer.save()

        self.guarded(serializer.instance, write)

    def perform_destroy(self, instance):
        def write(_current):
            try:
                instance.delete()
            except ProtectedError as error:
                raise Conflict(
                    _("Suppression impossible : d'autres données y renvoient (%(count)s).")
                    % {"count": len(error.protected_objects)}
                ) from error

        self.guarded(instance, write)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # A write answers with the new version, as a read does.
        written = getattr(self, "_written", None)
        if written is not None and response.status_code in (200, 201):
            model, row = self.locked_row(written)
            version = model.objects.filter(pk=row.pk).values_list("version", flat=True).first()
            if version is not None:
                response["ETag"] = locking.etag(version)
        return response

    def perform_create(self, serializer):
        self._written = serializer.save()


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description="Format de la réponse (ou en-tête Accept: text/csv) / "
    "Response format (or an Accept: text/csv header)",
)


class ApiViewSetMixin:
    filter_backends = [FilterBackend]
    # Any path segment reaches the view, so that an unknown one is the API's JSON 404 (DRF turns
    # a malformed id into a 404 too), never the site's HTML page.
    lookup_value_regex = "[^/]+"

    def finalize_response(self, request, response, *args, **kwargs):
        # An error stays JSON even when CSV was asked for: its message is what the caller needs.
        if getattr(response, "exception", False) and isinstance(
            getattr(request, "accepted_renderer", None), CSVRenderer
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def export_rows(self, request):
        """Every row of the (filtered) list, unpaginated, as a file to download: streamed, in
        the text the renderers give a list (api/rendering.py's CSV, DRF's compact JSON)."""
        queryset = self.filter_queryset(self.get_queryset())
        documents = serialized(queryset, self.get_serializer_class(), self.get_serializer_context())
        if isinstance(request.accepted_renderer, CSVRenderer):
            chunks, content_type = csv_chunks(documents), "text/csv; charset=utf-8"
        else:
            chunks, content_type = json_chunks(documents, compact=True), "application/json"
        return download(chunks, content_type, f"{self.basename}.{request.accepted_renderer.format}")


def export_action(serializer, description):
    """The `export/` route of a list viewset: its filters, no pagination, a file to download."""

    def export(self, request, *args, **kwargs):
        return self.export_rows(request)

    export = action(detail=False, methods=["get"], url_path="export", pagination_class=None)(export)
    return extend_schema(
        summary=description, parameters=[FORMAT_PARAMETER], responses=serializer(many=True)
    )(export)


@extend_schema_view(
    list=extend_schema(
        summary="Partenariats (filtrables) / Partnerships (filterable)",
        parameters=[FORMAT_PARAMETER],
        responses=PartnershipDocumentSerializer,
    ),
    retrieve=extend_schema(
        summary="Un partenariat / One partnership", responses=PartnershipDocumentSerializer
    ),
    create=extend_schema(
        summary="Créer un partenariat (personnel) / Create a partnership (staff)",
        responses={201: PartnershipDocumentSerializer},
    ),
    update=extend_schema(
        summary="Modifier un partenariat (personnel) / Change a partnership (staff)",
        responses={200: PartnershipDocumentSerializer},
    ),
    partial_update=extend_schema(
        summary="Modifier en partie un partenariat (personnel) / Change part of a partnership",
        responses={200: PartnershipDocumentSerializer},
    ),
    destroy=extend_schema(summary="Supprimer un partenariat (personnel) / Delete (staff)"),
)
class PartnershipViewSet(VersionedWritesMixin, ApiViewSetMixin, viewsets.ModelViewSet):
    """The partnership document; contacts only for readers who may see personal data."""

    lookup_field = "slug"
    filterset_class = PartnershipFilter
    queryset = Partnership.objects.all()

    def get_queryset(self):
        return Partnership.objects.for_document(
            contacts=privacy.may_see_personal_data(self.request.user)
        )

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return PartnershipWriteSerializer
        return PartnershipDocumentSerializer

    export = export_action(
        PartnershipDocumentSerializer,
        "Tous les partenariats filtrés, en un fichier / Every filtered partnership, as one file",
    )


@extend_schema_view(
    list=extend_schema(summary="Collectivités / Local authorities", parameters=[FORMAT_PARAMETER]),
    retrieve=extend_schema(summary="Une collectivité / One local authority"),
    create=extend_schema(summary="Créer une collectivité (personnel) / Create one (staff)"),
    update=extend_schema(summary="Modifier une collectivité (personnel) / Change one (staff)"),
    partial_update=extend_schema(
        summary="Modifier en partie une collectivité (personnel) / Change part of one (staff)"
    ),
    destroy=extend_schema(
        summary="Supprimer une collectivité (personnel) / Delete a local authority (staff)",
        responses={
            204: None,
            409: OpenApiResponse(description="Encore partenaire / Still a partner"),
        },
    ),
)
class CollectivityViewSet(VersionedWritesMixin, ApiViewSetMixin, viewsets.ModelViewSet):
    lookup_field = "slug"
    filterset_class = CollectivityFilter
    serializer_class = CollectivitySerializer
    queryset = Collectivity.objects.select_related("malian_region").prefetch_related(
        Prefetch("partnerships", queryset=Partnership.objects.only("id", "slug"))
    )

    export = export_action(
        CollectivitySerializer,
        "Toutes les collectivités filtrées, en un fichier / Every filtered authority, as one file",
    )


@extend_schema_view(
    list=extend_schema(
        summary="Régions maliennes et leurs nombres / Malian regions with their counts",
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary="Une région malienne / One Malian region"),
)
class RegionViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    serializer_class = MalianRegionSerializer
    queryset = (
        MalianRegion.objects.with_partnership_count().with_collectivity_count().order_by("number")
    )

    export = export_action(
        MalianRegionSerializer, "Toutes les régions, en un fichier / Every region, as one file"
    )


@extend_schema_view(
    list=extend_schema(
        summary="Découpages du Mali (2008, 2016, 2023) et leurs régions / Divisions of Mali "
        "and their regions",
    ),
    retrieve=extend_schema(summary="Un découpage / One division"),
)
class DivisionViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The divisions of Mali over time; ``division=`` on the other lists reads ``region`` in
    one of them."""

    lookup_field = "slug"
    serializer_class = DivisionSerializer
    queryset = Division.objects.all()
    # Each division nests its regions: JSON only (no CSV rows to make of it).
    renderer_classes = [JSONRenderer]
    pagination_class = None


@extend_schema_view(
    list=extend_schema(
        summary="Domaines, sous-thèmes et nombres / Fields of action, sub-themes and counts",
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary="Un domaine / One field of action"),
)
class DomainViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    serializer_class = DomainSerializer
    queryset = (
        Domain.objects.with_partnership_count()
        .with_action_count()
        .prefetch_related("subthemes")
        .order_by("position")
    )

    export = export_action(
        DomainSerializer, "Tous les domaines, en un fichier / Every field of action, as one file"
    )


@extend_schema_view(
    list=extend_schema(
        summary="Lignes des tableaux d'actions / Rows of the actions tables",
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary="Une ligne d'actions / One action row"),
    create=extend_schema(summary="Créer une ligne d'actions (personnel) / Create one (staff)"),
    update=extend_schema(summary="Modifier une ligne d'actions (personnel) / Change one (staff)"),
    partial_update=extend_schema(
        summary="Modifier en partie une ligne d'actions (personnel) / Change part of one (staff)"
    ),
    destroy=extend_schema(summary="Supprimer une ligne d'actions (personnel) / Delete (staff)"),
)
class ActionViewSet(VersionedWritesMixin, ApiViewSetMixin, viewsets.ModelViewSet):
    """A row of a fiche's actions table; its version is its fiche's (If-Match guards both)."""

    filterset_class = ActionFilter
    serializer_class = ActionResourceSerializer
    # Ordered by partnership slug (not the model's default, by the partnership's title): one
    # stable order without a join on every page.
    queryset = Action.objects.for_list().order_by("partnership__slug", "position")

    def locked_row(self, instance):
        return Partnership, instance.partnership

    def perform_create(self, serializer):
        partnership = serializer.validated_data["partnership"]

        def write(_current):
            self._written = serializer.save()

        # A new row changes its fiche: a fiche form opened before it must not save over it.
        self.guarded(Action(partnership=partnership), write, required=False)

    export = export_action(
        ActionResourceSerializer,
        "Toutes les actions filtrées, en un fichier / Every filtered action row, as one file",
    )


class ExportView(APIView):
    """Everything public as one JSON file (no contacts): for tools that mirror the directory."""

    renderer_classes = [JSONRenderer]
    # Read-only: any other method is a 405 for everyone (the staff permission, which checks a
    # model's rights, has no model to check here).
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Tout le répertoire en un fichier JSON / The whole directory as one JSON file",
        responses=inline_serializer(
            "Export",
            {
                "partnerships": PartnershipDocumentSerializer(many=True),
                "collectivities": CollectivitySerializer(many=True),
                "regions": MalianRegionSerializer(many=True),
                "domains": DomainSerializer(many=True),
                "actions": ActionResourceSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        # The public file, whoever asks: a mirror must not hold personal data by accident.
        context = {"request": request, "masker": privacy.current_masker()}

        parts = {
            "partnerships": (Partnership.objects.for_document(), PartnershipDocumentSerializer),
            "collectivities": (CollectivityViewSet.queryset.all(), CollectivitySerializer),
            "regions": (RegionViewSet.queryset.all(), MalianRegionSerializer),
            "domains": (DomainViewSet.queryset.all(), DomainSerializer),
            "actions": (ActionViewSet.queryset.all(), ActionResourceSerializer),
        }

        def chunks():
            # DRF's compact JSON of {"partnerships": [...], ...}, one document at a time.
            for number, (name, (queryset, serializer)) in enumerate(parts.items()):
                yield ("{" if number == 0 else ",") + json.dumps(name) + ":"
                yield from json_chunks(serialized(queryset, serializer, context), compact=True)
            yield "}"

        return download(chunks(), "application/json", "repertoire.json")


class IATIExportView(APIView):
    """Every partnership as an IATI 2.03 activity (partnerships/iati.py), streamed: the file
    the aid-transparency tools read. Public, whoever asks, like the JSON export."""

    renderer_classes = [XMLFileRenderer]
    content_negotiation_class = FileNegotiation
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Les partenariats en activités IATI / The partnerships as IATI activities",
        description=(
            "Un fichier XML `iati-activities` (norme IATI 2.03), une activité par partenariat :"
            " organisations participantes, pays bénéficiaire Mali, localisation infranationale,"
            " secteurs (les 9 domaines, vocabulaire 99, et codes CAD à 5 chiffres, vocabulaire"
            " 1), budgets et dates. Sans données personnelles. / An IATI 2.03"
            " `iati-activities` XML file, one activity per partnership: participating"
            " organisations, recipient country Mali, sub-national locations, sectors (the 9"
            " domains as vocabulary 99 and DAC 5-digit codes as vocabulary 1), budgets and"
            " dates. No personal data."
        ),
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.STR, description="Activités IATI 2.03 / IATI 2.03 activities"
            )
        },
    )
    def get(self, request):
        chunks = iati.activities_xml(
            Partnership.objects.for_iati().iterator(chunk_size=iati.CHUNK_SIZE),
            masker=privacy.current_masker(),
            reporting_org=iati.ReportingOrg.from_settings(),
            generated_at=timezone.now(),
        )
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in chunks),
            content_type="application/xml; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="repertoire-iati.xml"'
        return response

    def handle_exception(self, exc):
        # Errors are JSON, as everywhere in the API (and as the schema says).
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)
