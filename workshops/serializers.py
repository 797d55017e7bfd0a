"""The workshop document of the API (the endpoint /api/v1/workshops/ is added with the API).

Participants' names and the answers' contacts are personal data: they are serialized for
signed-in users only (the request in the serializer's context says who asks).
"""

from django.db.models import Prefetch
from rest_framework import serializers

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


def _signed_in(serializer) -> bool:
    request = serializer.context.get("request")
    return bool(request and request.user.is_authenticated)


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["position", "heading", "public_heading", "kind", "level", "text", "source_line"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not _signed_in(self):
            data["heading"] = data["public_heading"]
        return data


class ParticipantSerializer(serializers.ModelSerializer):
    PERSONAL = ("first_name", "last_name")

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

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not _signed_in(self):
            for name in self.PERSONAL:
                data.pop(name)
        return data


class QuoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quote
        fields = ["position", "text", "value", "source_line"]


class RecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = ["position", "theme", "order", "text", "source_line"]


class TwinTownSerializer(serializers.ModelSerializer):
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


class AnswerSerializer(serializers.ModelSerializer):
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

    def get_collectivities(self, answer):
        return [link.collectivity.slug for link in self._links(answer) if link.collectivity]

    def get_partnerships(self, answer):
        return [link.partnership.slug for link in self._links(answer) if link.partnership]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not _signed_in(self):
            data.pop("contact")
        return data


class LinkSerializer(serializers.ModelSerializer):
    collectivity = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    item = serializers.SerializerMethodField()

    class Meta:
        model = Link
        fields = ["item", "collectivity", "partnership", "name_as_printed", "method"]

    def get_item(self, link):
        """The item as "<kind>:<position or number>", or None for the workshop itself."""
        if link.answer_id:
            return f"answer:{link.answer.number}"
        for kind in ("section", "participant", "twin_town"):
            item = getattr(link, kind)
            if item is not None:
                return f"{kind}:{item.position}"
        return None


class WorkshopSerializer(serializers.ModelSerializer):
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
