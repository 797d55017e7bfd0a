"""The workshop document of the API (/api/v1/workshops/, workshops/api.py).

Participants' names, the speakers' names in headings and the answers' contacts are personal
data: the directory's one policy (partnerships/privacy.py, through DocumentSerializer) leaves
them out for readers who may not see them, and masks every other text. Fields are described by
their model field's help_text.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from partnerships.api.serializers import DocumentSerializer

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


class SectionSerializer(DocumentSerializer):
    class Meta:
        model = Section
        fields = ["position", "heading", "public_heading", "kind", "level", "text", "source_line"]
        # A speech is headed by its speaker's name: the heading without it instead.
        public_versions = {"heading": "public_heading"}


class ParticipantSerializer(DocumentSerializer):
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
        personal_fields = ["first_name", "last_name"]
        # A participant's `status` would collide with the partnership's in drf-spectacular's
        # enum naming (a warning, so a failing --fail-on-warn): it is named here instead.
        enum_components = {"status": "ParticipantStatusEnum"}


class QuoteSerializer(DocumentSerializer):
    class Meta:
        model = Quote
        fields = ["position", "text", "value", "source_line"]


class RecommendationSerializer(DocumentSerializer):
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
    collectivities = serializers.SerializerMethodField(
        help_text=_("Collectivités liées (identifiants)")
    )
    partnerships = serializers.SerializerMethodField(
        help_text=_("Partenariats liés (identifiants)")
    )

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
        personal_fields = ["contact"]

    def _links(self, answer):
        return list(answer.links.all())

    def get_collectivities(self, answer) -> list[str]:
        return [link.collectivity.slug for link in self._links(answer) if link.collectivity]

    def get_partnerships(self, answer) -> list[str]:
        return [link.partnership.slug for link in self._links(answer) if link.partnership]


class LinkSerializer(DocumentSerializer):
    # One of the two may be null (a link has at least one target).
    collectivity = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("Collectivité (identifiant)"),
    )
    partnership = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text=_("Partenariat (identifiant)")
    )
    item = serializers.SerializerMethodField(
        help_text=_("Élément lié (« answer:13 », « section:4 »…) ou null pour l'atelier")
    )

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
    source = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("Document source (identifiant)")
    )
    sections = SectionSerializer(many=True, read_only=True, help_text=_("Sections du compte rendu"))
    participants = ParticipantSerializer(
        many=True,
        read_only=True,
        help_text=_("Participants (noms réservés aux utilisateurs connectés)"),
    )
    quotes = QuoteSerializer(many=True, read_only=True, help_text=_("Citations"))
    recommendations = RecommendationSerializer(
        many=True, read_only=True, help_text=_("Recommandations")
    )
    answers = AnswerSerializer(
        many=True,
        read_only=True,
        help_text=_("Réponses au questionnaire préparatoire"),
    )
    twin_towns = TwinTownSerializer(many=True, read_only=True, help_text=_("Villes jumelles"))
    links = LinkSerializer(many=True, read_only=True, help_text=_("Liens vers le répertoire"))

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
