"""The workshop document of the API (/api/v1/workshops/, workshops/api.py).

Participants' names, the speakers' names in headings and the answers' contacts are personal
data: they are serialized for signed-in users only (the request in the serializer's context says
who asks), and free texts reach anonymous callers without e-mails or phones, as on the pages.
Every field is described in French and English (DESCRIPTIONS): the OpenAPI schema shows it.
"""

from django.db.models import Prefetch
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from partnerships.exports import without_coordinates

from .models import (
    Link,
    Participant,
    QuestionnaireAnswer,
    Quote,
    Recommendation,
    Section,
    TwinTown,
    Workshop,
)

# "Français / English", by "Model.field" when a name means different things, else by field.
DESCRIPTIONS = {
    "position": "Ordre dans le document / Order in the document",
    "source_line": "Ligne du document source / Line of the source document",
    "slug": "Identifiant lisible, stable (slug) / Readable, stable identifier (slug)",
    "Workshop.kind": "Type de document : rencontre, atelier, synthèse de débat, page web / "
    "Kind of document: meeting, workshop, summary of a debate, web page",
    "Workshop.title": "Titre de l'atelier / Title of the workshop",
    "short_title": "Titre court, tel que les fiches le citent / Short title, as fiches cite it",
    "organiser": "Organisateur / Organiser",
    "date": "Date, quand elle est connue exactement / Date, when known exactly",
    "Workshop.year": "Année / Year",
    "date_as_printed": "Date telle qu'imprimée / Date as printed",
    "date_precision": "Précision de la date / Precision of the date",
    "date_note": "Remarque sur la date / Note on the date",
    "place": "Lieu / Place",
    "context": "Contexte / Context",
    "objectives": "Objectifs / Objectives",
    "agenda": "Programme, tel qu'imprimé / Agenda, as printed",
    "footnotes": "Notes de bas de page / Footnotes",
    "source": "Document source (identifiant) / Source document (slug)",
    "sections": "Sections du compte rendu / Sections of the report",
    "participants": "Participants (noms réservés aux utilisateurs connectés) / "
    "Participants (names for signed-in users only)",
    "quotes": "Citations / Quotes",
    "Workshop.recommendations": "Recommandations / Recommendations",
    "answers": "Réponses au questionnaire préparatoire / Answers to the preparatory questionnaire",
    "twin_towns": "Villes jumelles / Twin towns",
    "links": "Liens vers le répertoire / Links to the directory",
    "heading": "Titre (sans nom de personne pour les anonymes) / "
    "Heading (without a person's name for anonymous callers)",
    "public_heading": "Titre sans nom de personne / Heading without a person's name",
    "Section.kind": "Nature de la section / Kind of section",
    "level": "Niveau du titre / Heading level",
    "Section.text": "Texte / Text",
    "status": "Présence / Attendance",
    "Participant.number": "Numéro dans la liste / Number in the list",
    "organisation": "Organisation / Organisation",
    "first_name": "Prénom (utilisateurs connectés seulement) / First name (signed-in users only)",
    "last_name": "Nom (utilisateurs connectés seulement) / Last name (signed-in users only)",
    "function": "Fonction / Function",
    "is_speaker": "Intervenant / Speaker",
    "Quote.text": "Citation / Quote",
    "value": "Valeur illustrée / Value it illustrates",
    "theme": "Thème / Theme",
    "order": "Rang dans le thème / Rank within the theme",
    "Recommendation.text": "Recommandation / Recommendation",
    "name": "Nom / Name",
    "TwinTown.country": "Pays / Country",
    "TwinTown.year": "Année du jumelage / Year of the twinning",
    "population": "Population / Population",
    "population_as_printed": "Population telle qu'imprimée / Population as printed",
    "population_year": "Année de la population / Year of the population",
    "population_approximate": "Population approximative / Approximate population",
    "TwinTown.description": "Description / Description",
    "cercle": "Cercle (Mali) / Cercle (Mali)",
    "QuestionnaireAnswer.number": "Numéro de la réponse / Number of the answer",
    "category": "Catégorie : collectivité ou association de jumelage, autre structure / "
    "Category: local authority or twinning association, other body",
    "respondent": "Collectivité ou association qui répond / Responding authority or association",
    "partner_as_printed": "Pays et localité partenaires, tels qu'imprimés / "
    "Partner country and locality, as printed",
    "places": "Lieux partenaires (pays, localité) / Partner places (country, locality)",
    "challenges": "Défis / Challenges",
    "challenge_kinds": "Types de défis / Kinds of challenge",
    "tools": "Outils et pratiques / Tools and practices",
    "QuestionnaireAnswer.recommendations": "Recommandations / Recommendations",
    "contact": "Contact (utilisateurs connectés seulement) / Contact (signed-in users only)",
    "collectivities": "Collectivités liées (identifiants) / Linked local authorities (slugs)",
    "partnerships": "Partenariats liés (identifiants) / Linked partnerships (slugs)",
    "item": "Élément lié (« answer:13 », « section:4 »…) ou null pour l'atelier / "
    'Linked item ("answer:13", "section:4"…) or null for the workshop itself',
    "collectivity": "Collectivité (identifiant) / Local authority (slug)",
    "partnership": "Partenariat (identifiant) / Partnership (slug)",
    "name_as_printed": "Nom tel qu'imprimé / Name as printed",
    "method": "Méthode du rapprochement / How the link was made",
}


def _signed_in(serializer) -> bool:
    request = serializer.context.get("request")
    return bool(request and request.user.is_authenticated)


class DocumentSerializer(serializers.ModelSerializer):
    """Described fields; for anonymous callers, no PERSONAL fields and FREE_TEXTS without
    e-mails or phones (the pages' hide_personal_data)."""

    PERSONAL = ()
    FREE_TEXTS = ()
    # Choice fields whose enum gets a component of its own name (see PersonalFieldsExtension).
    ENUM_COMPONENTS = {}

    def get_fields(self):
        fields = super().get_fields()
        model = self.Meta.model.__name__
        for name, field in fields.items():
            field.help_text = DESCRIPTIONS.get(f"{model}.{name}") or DESCRIPTIONS[name]
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not _signed_in(self):
            for name in self.PERSONAL:
                data.pop(name)
            for name in self.FREE_TEXTS:
                data[name] = without_coordinates(data[name])
        return data


class PersonalFieldsExtension(OpenApiSerializerExtension):
    """The schema does not require the PERSONAL fields: anonymous callers do not get them."""

    target_class = DocumentSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        personal = set(self.target.PERSONAL)
        if personal and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in personal]
        # A participant's `status` would collide with the partnership's in drf-spectacular's
        # enum naming (a warning, so a failing --fail-on-warn): it is named here instead.
        for name, component_name in self.target.ENUM_COMPONENTS.items():
            prop = schema["properties"][name]
            enum = {key: prop.pop(key) for key in ("type", "enum")}
            prop.pop("x-spec-enum-id", None)
            component = ResolvedComponent(
                name=component_name, type=ResolvedComponent.SCHEMA, schema=enum, object=name
            )
            auto_schema.registry.register_on_missing(component)
            schema["properties"][name] = {"allOf": [component.ref], **prop}
        return schema


class SectionSerializer(DocumentSerializer):
    FREE_TEXTS = ("text",)

    class Meta:
        model = Section
        fields = ["position", "heading", "public_heading", "kind", "level", "text", "source_line"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not _signed_in(self):
            data["heading"] = data["public_heading"]
        return data


class ParticipantSerializer(DocumentSerializer):
    PERSONAL = ("first_name", "last_name")
    ENUM_COMPONENTS = {"status": "ParticipantStatusEnum"}

    class Meta:
        model = Participant
        fields = [
            "position",
            "status",
            "number",
            "organisation",
            "first_name",
            "last_name",
            "function",
            "is_speaker",
            "source_line",
        ]


class QuoteSerializer(DocumentSerializer):
    FREE_TEXTS = ("text",)

    class Meta:
        model = Quote
        fields = ["position", "text", "value", "source_line"]


class RecommendationSerializer(DocumentSerializer):
    FREE_TEXTS = ("text",)

    class Meta:
        model = Recommendation
        fields = ["position", "theme", "order", "text", "source_line"]


class TwinTownSerializer(DocumentSerializer):
    class Meta:
        model = TwinTown
        fields = [
            "position",
            "name",
            "country",
            "year",
            "population",
            "population_as_printed",
            "population_year",
            "population_approximate",
            "description",
            "cercle",
            "source_line",
        ]


class AnswerSerializer(DocumentSerializer):
    PERSONAL = ("contact",)
    FREE_TEXTS = ("challenges", "tools", "recommendations")
    collectivities = serializers.SerializerMethodField()
    partnerships = serializers.SerializerMethodField()

    class Meta:
        model = QuestionnaireAnswer
        fields = [
            "number",
            "category",
            "respondent",
            "partner_as_printed",
            "places",
            "challenges",
            "challenge_kinds",
            "tools",
            "recommendations",
            "contact",
            "collectivities",
            "partnerships",
            "source_line",
        ]

    def _links(self, answer):
        return list(answer.links.all())

    def get_collectivities(self, answer) -> list[str]:
        return [link.collectivity.slug for link in self._links(answer) if link.collectivity]

    def get_partnerships(self, answer) -> list[str]:
        return [link.partnership.slug for link in self._links(answer) if link.partnership]


class LinkSerializer(DocumentSerializer):
    # One of the two may be null (a link has at least one target).
    collectivity = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    item = serializers.SerializerMethodField()

    class Meta:
        model = Link
        fields = ["item", "collectivity", "partnership", "name_as_printed", "method"]

    def get_item(self, link) -> str | None:
        """The item as "<kind>:<position or number>", or None for the workshop itself."""
        if link.answer_id:
            return f"answer:{link.answer.number}"
        for kind in ("section", "participant", "twin_town"):
            item = getattr(link, kind)
            if item is not None:
                return f"{kind}:{item.position}"
        return None


class WorkshopSerializer(DocumentSerializer):
    FREE_TEXTS = ("context", "objectives", "footnotes")
    source = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    sections = SectionSerializer(many=True, read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    quotes = QuoteSerializer(many=True, read_only=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)
    twin_towns = TwinTownSerializer(many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)

    class Meta:
        model = Workshop
        fields = [
            "slug",
            "kind",
            "title",
            "short_title",
            "organiser",
            "date",
            "year",
            "date_as_printed",
            "date_precision",
            "date_note",
            "place",
            "context",
            "objectives",
            "agenda",
            "footnotes",
            "source",
            "source_line",
            "sections",
            "participants",
            "quotes",
            "recommendations",
            "answers",
            "twin_towns",
            "links",
        ]

    @staticmethod
    def eager(queryset):
        """Everything the document shows, in a fixed number of queries (9)."""
        return queryset.select_related("source").prefetch_related(
            "sections",
            "participants",
            "quotes",
            "recommendations",
            "twin_towns",
            Prefetch(
                "answers",
                queryset=QuestionnaireAnswer.objects.prefetch_related(
                    Prefetch(
                        "links", queryset=Link.objects.select_related("collectivity", "partnership")
                    )
                ),
            ),
            Prefetch(
                "links",
                queryset=Link.objects.select_related(
                    "collectivity", "partnership", "answer", "section", "participant", "twin_town"
                ),
            ),
        )
