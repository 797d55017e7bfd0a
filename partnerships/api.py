"""The JSON API, version 1: read-only for everyone, writes for staff (see partnerships/permissions).

Lists use the FilterSets of partnerships/filters.py (the partnership list page's one for
partnerships), are paginated (partnerships/rest.py) and come as JSON or CSV. Each list has an
unpaginated `export/` twin for bulk downloads, and `/api/v1/export/` gives everything as one JSON
file. Anonymous callers never see contacts, and free texts are shown to them without phones or
e-mails, as on the pages.
"""

from django.db import transaction
from django.db.models import Count, Prefetch, ProtectedError
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
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
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .filters import (
    ActionFilter,
    CollectivityFilter,
    PartnershipFilter,
    errors_with_accepted_values,
)
from .models import Action, Collectivity, Domain, MalianRegion, Partnership
from .rest import CSVRenderer
from .serializers import (
    FIELD_DESCRIPTIONS,
    ActionPublicSerializer,
    ActionResourceSerializer,
    CollectivitySerializer,
    DomainSerializer,
    MalianRegionSerializer,
    PartnershipPublicSerializer,
    PartnershipWithContactsSerializer,
    PartnershipWriteSerializer,
)


class FilterBackend(DjangoFilterBackend):
    """The FilterSet of the view; a 400 naming each bad parameter and the values it accepts."""

    def filter_queryset(self, request, queryset, view):
        # PostgreSQL refuses NUL in any text: a 400 here rather than a 500 from the database.
        for name, values in request.query_params.lists():
            if any("\x00" in value for value in values):
                raise ValidationError({name: [_("Le caractère nul n'est pas accepté.")]})
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError(errors_with_accepted_values(filterset))
        return filterset.qs


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale_version"


class OptimisticLockMixin:
    """No lost update: a read gives the row's version (ETag), an update may send it back
    (If-Match header or "version" in the body) and is refused with 412 when the row changed
    since. The staff's edit pages check the same version field."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = f'"{instance.version}"'
        return response

    def expected_version(self):
        raw = self.request.headers.get("If-Match", "").strip()
        if raw.startswith("W/"):
            raw = raw[2:]
        data = self.request.data if isinstance(self.request.data, dict) else {}
        raw = raw.strip('"') if raw and raw != "*" else data.get("version")
        if raw in (None, ""):
            return None
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ValidationError(
                {"version": [_("La version doit être un nombre entier.")]}
            ) from None

    def perform_update(self, serializer):
        expected = self.expected_version()
        with transaction.atomic():
            model = type(serializer.instance)
            current = model.objects.select_for_update().get(pk=serializer.instance.pk)
            if expected is not None and expected != current.version:
                raise PreconditionFailed(
                    _(
                        "Modifié entre-temps : version %(current)s, vous envoyez la version "
                        "%(expected)s. Relisez la ressource puis renvoyez vos changements."
                    )
                    % {"current": current.version, "expected": expected}
                )
            serializer.instance.version = current.version
            serializer.save()


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

    def is_anonymous(self):
        return not self.request.user.is_authenticated

    def export_rows(self, request):
        """Every row of the (filtered) list, unpaginated, as a file to download."""
        queryset = self.filter_queryset(self.get_queryset())
        response = Response(self.get_serializer(queryset, many=True).data)
        extension = request.accepted_renderer.format
        response["Content-Disposition"] = f'attachment; filename="{self.basename}.{extension}"'
        return response

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError as error:
            raise Conflict(
                _("Suppression impossible : d'autres données y renvoient (%(count)s).")
                % {"count": len(error.protected_objects)}
            ) from error


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
        responses=PartnershipWithContactsSerializer,
    ),
    retrieve=extend_schema(
        summary="Un partenariat / One partnership", responses=PartnershipWithContactsSerializer
    ),
    create=extend_schema(
        summary="Créer un partenariat (personnel) / Create a partnership (staff)",
        responses={201: PartnershipWithContactsSerializer},
    ),
    update=extend_schema(
        summary="Modifier un partenariat (personnel) / Change a partnership (staff)",
        responses={200: PartnershipWithContactsSerializer},
    ),
    partial_update=extend_schema(
        summary="Modifier en partie un partenariat (personnel) / Change part of a partnership",
        responses={200: PartnershipWithContactsSerializer},
    ),
    destroy=extend_schema(summary="Supprimer un partenariat (personnel) / Delete (staff)"),
)
class PartnershipViewSet(OptimisticLockMixin, ApiViewSetMixin, viewsets.ModelViewSet):
    """The partnership document; contacts only for signed-in callers."""

    lookup_field = "slug"
    filterset_class = PartnershipFilter
    queryset = Partnership.objects.all()

    def get_queryset(self):
        return Partnership.objects.with_document_relations(contacts=not self.is_anonymous())

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return PartnershipWriteSerializer
        if self.is_anonymous():
            return PartnershipPublicSerializer
        return PartnershipWithContactsSerializer

    export = export_action(
        PartnershipWithContactsSerializer,
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
class CollectivityViewSet(OptimisticLockMixin, ApiViewSetMixin, viewsets.ModelViewSet):
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
    queryset = MalianRegion.objects.annotate(
        partnership_count=Count("collectivities__memberships__partnership", distinct=True),
        collectivity_count=Count("collectivities", distinct=True),
    ).order_by("number")

    export = export_action(
        MalianRegionSerializer, "Toutes les régions, en un fichier / Every region, as one file"
    )


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
        Domain.objects.annotate(
            partnership_count=Count("partnerships", distinct=True),
            action_count=Count("actions", distinct=True),
        )
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
class ActionViewSet(ApiViewSetMixin, viewsets.ModelViewSet):
    filterset_class = ActionFilter
    # Ordered by partnership slug (not the model's default, by the partnership's title): one
    # stable order without a join on every page.
    queryset = (
        Action.objects.select_related("partnership", "domain")
        .prefetch_related("budgets")
        .order_by("partnership__slug", "position")
    )

    def get_serializer_class(self):
        if self.is_anonymous() and self.request.method == "GET":
            return ActionPublicSerializer
        return ActionResourceSerializer

    export = export_action(
        ActionResourceSerializer,
        "Toutes les actions filtrées, en un fichier / Every filtered action row, as one file",
    )


class ExportView(APIView):
    """Everything public as one JSON file (no contacts): for tools that mirror the directory."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="Tout le répertoire en un fichier JSON / The whole directory as one JSON file",
        responses=inline_serializer(
            "Export",
            {
                "partnerships": PartnershipPublicSerializer(many=True),
                "collectivities": CollectivitySerializer(many=True),
                "regions": MalianRegionSerializer(many=True),
                "domains": DomainSerializer(many=True),
                "actions": ActionPublicSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        context = {"request": request}

        def rows(viewset, serializer):
            return serializer(viewset.queryset.all(), many=True, context=context).data

        data = {
            "partnerships": PartnershipPublicSerializer(
                Partnership.objects.with_document_relations(), many=True, context=context
            ).data,
            "collectivities": rows(CollectivityViewSet, CollectivitySerializer),
            "regions": rows(RegionViewSet, MalianRegionSerializer),
            "domains": rows(DomainViewSet, DomainSerializer),
            "actions": rows(ActionViewSet, ActionPublicSerializer),
        }
        response = Response(data)
        response["Content-Disposition"] = 'attachment; filename="repertoire.json"'
        return response


# Described once here, shown on every operation that has the parameter (see schema_hook).
PARAMETER_DESCRIPTIONS = {
    "search": "Recherche plein texte (sans accents, pluriels, fautes de frappe sur les noms) / "
    "Full-text search (accent-insensitive, plurals, misspelt names)",
    "region": "Région malienne (identifiant ; plusieurs valeurs = OU) / "
    "Malian region (slug; several values = OR)",
    "domain": "Domaine (identifiant ; plusieurs valeurs = OU) / "
    "Field of action (slug; several values = OR)",
    "french_region": "Région française d'un partenaire (plusieurs = OU) / "
    "French region of a partner (several = OR)",
    "department": "Code du département d'un partenaire (plusieurs = OU) / "
    "Département code of a partner (several = OR)",
    "kind": "Type de collectivité (plusieurs = OU) / Kind of local authority (several = OR)",
    "status": "Statut du partenariat (plusieurs = OU) / Partnership status (several = OR)",
    "decade": "Décennie des premiers contacts (plusieurs = OU) / Decade contacts began "
    "(several = OR)",
    "contacts_start_year_min": "Premiers contacts cette année-là ou après / "
    "Contacts began in or after this year",
    "contacts_start_year_max": "Premiers contacts cette année-là ou avant / "
    "Contacts began in or before this year",
    "collectivity": "Collectivité partenaire (identifiant) / Partner local authority (slug)",
    "ordering": "Tri : title, year, updated (préfixe - : décroissant) / "
    "Order: title, year, updated (prefix - for descending)",
    "year_min": "Actions en cours cette année-là ou après / Actions under way in or after "
    "this year",
    "year_max": "Actions commencées cette année-là ou avant / Actions begun in or before this year",
    "partnership": "Partenariat (identifiant) / Partnership (slug)",
    "country": "Pays : FR ou ML / Country: FR or ML",
    "slug": "Identifiant (slug) / Identifier (slug)",
    "id": "Identifiant numérique / Numeric identifier",
    "format": "Format de la réponse : json ou csv / Response format: json or csv",
}

# Properties of the pages and of the bulk export (the resources' own fields: FIELD_DESCRIPTIONS).
PROPERTY_DESCRIPTIONS = {
    **FIELD_DESCRIPTIONS,
    "count": "Nombre total de lignes / Total number of rows",
    "next": "Page suivante / Next page",
    "previous": "Page précédente / Previous page",
    "results": "Lignes de la page / Rows of the page",
    "partnerships": "Partenariats / Partnerships",
    "collectivities": "Collectivités / Local authorities",
    "regions": "Régions maliennes / Malian regions",
    "domains": "Domaines / Fields of action",
    "actions": "Lignes d'actions / Action rows",
}

ERROR_SCHEMA = {
    "type": "object",
    "description": "Messages par paramètre ou champ, ou `detail` / "
    "Messages by parameter or field, or `detail`",
    "additionalProperties": {},
}


def _error(description, headers=None):
    response = {
        "description": description,
        "content": {"application/json": {"schema": ERROR_SCHEMA}},
    }
    if headers:
        response["headers"] = headers
    return response


def schema_hook(result, generator, request, public):
    """drf-spectacular postprocessing: bilingual parameter texts and the error responses.

    Every operation may answer 400 (a bad parameter or field), 404, 401/403 (writes) and 429
    (throttled anonymous caller, with Retry-After); the schema says so, so that a client (and
    the schemathesis run of the tests) can rely on it.
    """
    throttled = _error(
        "Trop de requêtes / Too many requests",
        {
            "Retry-After": {
                "schema": {"type": "integer"},
                "description": "Secondes à attendre / Seconds to wait",
            }
        },
    )
    for operations in result["paths"].values():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                text = PARAMETER_DESCRIPTIONS.get(parameter["name"])
                if text and parameter["in"] in ("query", "path"):
                    rest = parameter.get("description", "")
                    # Keep drf-spectacular's list of the enum values after our text.
                    _head, sep, values = rest.partition("\n\n")
                    parameter["description"] = text + (sep + values if sep else "")
            responses = operation.setdefault("responses", {})
            responses.setdefault("400", _error("Paramètre ou champ invalide / Invalid input"))
            responses.setdefault("404", _error("Introuvable / Not found"))
            responses.setdefault("429", throttled)
            if method != "get":
                responses.setdefault("401", _error("Authentification requise / Sign in first"))
                responses.setdefault("403", _error("Droits insuffisants / Not allowed"))
                responses.setdefault("409", _error("Conflit / Conflict"))
    schemas = result.get("components", {}).get("schemas", {})
    for component in schemas.values():
        for name, prop in component.get("properties", {}).items():
            if not prop.get("description") and name in PROPERTY_DESCRIPTIONS:
                prop["description"] = PROPERTY_DESCRIPTIONS[name]
    with_contacts = schemas.get("PartnershipWithContacts")
    if with_contacts and "contacts" in with_contacts.get("required", []):
        # Absent for anonymous callers: the same document, without its personal data.
        with_contacts["required"].remove("contacts")
    return result
