"""The OpenAPI schema's own texts: what drf-spectacular cannot read from the models and filters.

Fields are described by their model field's help_text, parameters by their filter's label or
help_text, all translated: the schema comes in the caller's language (Accept-Language). Here:
the envelope of the pages, the path parameters, the error responses every operation may give,
and the personal fields, which anonymous callers do not get (so they are never required).
"""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent

from ..filters import ActionFilter, CollectivityFilter, PartnershipFilter
from .serializers import DocumentSerializer

# drf-spectacular leaves a filter's description out when its type is given by hand (the filters
# on partners and on several slugs are): the hook takes it from the FilterSet of the path.
FILTERSETS = {
    "/api/v1/partnerships/": PartnershipFilter,
    "/api/v1/actions/": ActionFilter,
    "/api/v1/collectivities/": CollectivityFilter,
}


def _filter_text(path, name):
    for prefix, filterset in FILTERSETS.items():
        if path.startswith(prefix) and name in filterset.base_filters:
            filter_ = filterset.base_filters[name]
            return str(filter_.extra.get("help_text") or filter_.label or "")
    return ""


def _parameter_texts():
    return {
        "slug": _("Identifiant lisible, stable (slug)"),
        "id": _("Identifiant numérique"),
        "format": _("Format de la réponse : json ou csv"),
    }


def _property_texts():
    """The pages' envelope, the bulk export's parts and the counts every list annotates."""
    return {
        "id": _("Identifiant numérique"),
        "partnership_count": _("Nombre de partenariats"),
        "collectivity_count": _("Nombre de collectivités"),
        "action_count": _("Nombre de lignes d'actions"),
        "count": _("Nombre total de lignes"),
        "next": _("Page suivante"),
        "previous": _("Page précédente"),
        "results": _("Lignes de la page"),
        "partnerships": _("Partenariats"),
        "collectivities": _("Collectivités"),
        "regions": _("Régions maliennes"),
        "domains": _("Domaines"),
        "actions": _("Lignes d'actions"),
    }


def _error(description, headers=None):
    schema = {
        "type": "object",
        "description": _("Messages par paramètre ou champ, ou `detail`"),
        "additionalProperties": {},
    }
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def schema_hook(result, generator, request, public):
    """drf-spectacular postprocessing: the texts above and the error responses.

    Every operation may answer 400 (a bad parameter or field), 404, 429 (throttled anonymous
    caller, with Retry-After), and a write 401/403/409/412 (428 without its version); the
    schema says so, so that a client (and the schemathesis run of the tests) can rely on it.
    """
    parameters = _parameter_texts()
    throttled = _error(
        _("Trop de requêtes"),
        {
            "Retry-After": {
                "schema": {"type": "integer"},
                "description": _("Secondes à attendre"),
            }
        },
    )
    for path, operations in result["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                if name == "format" or not parameter.get("description", "").strip():
                    text = parameters.get(name) or _filter_text(path, name)
                    if text:
                        parameter["description"] = text
            responses = operation.setdefault("responses", {})
            responses.setdefault("400", _error(_("Paramètre ou champ invalide")))
            responses.setdefault("404", _error(_("Introuvable")))
            responses.setdefault("429", throttled)
            if method != "get":
                responses.setdefault("401", _error(_("Authentification requise")))
                responses.setdefault("403", _error(_("Droits insuffisants")))
                responses.setdefault("409", _error(_("Conflit")))
                responses.setdefault("412", _error(_("Modifié entre-temps : relisez la ressource")))
                if method in ("put", "patch", "delete"):
                    responses.setdefault("428", _error(_("Version requise (If-Match)")))
                    operation.setdefault("parameters", []).append(
                        {
                            "in": "header",
                            "name": "If-Match",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": _(
                                "La version lue (l'ETag d'un GET) ; ou le champ « version »"
                                " du corps. Sans l'un ou l'autre : 428."
                            ),
                        }
                    )
    properties = _property_texts()
    for component in result.get("components", {}).get("schemas", {}).values():
        for name, prop in component.get("properties", {}).items():
            if not prop.get("description") and name in properties:
                prop["description"] = properties[name]
    return result


class PersonalFieldsExtension(OpenApiSerializerExtension):
    """Personal fields are never required: anonymous callers do not get them.

    Also names the enums a serializer lists in Meta.enum_components, where drf-spectacular's
    own naming would collide (a participant's `status` and a partnership's).
    """

    target_class = DocumentSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        meta = self.target.Meta
        personal = set(getattr(meta, "personal_fields", ()))
        if personal and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in personal]
        for name, component_name in getattr(meta, "enum_components", {}).items():
            prop = schema["properties"][name]
            enum = {key: prop.pop(key) for key in ("type", "enum")}
            prop.pop("x-spec-enum-id", None)
            component = ResolvedComponent(
                name=component_name, type=ResolvedComponent.SCHEMA, schema=enum, object=name
            )
            auto_schema.registry.register_on_missing(component)
            schema["properties"][name] = {"allOf": [component.ref], **prop}
        return schema
