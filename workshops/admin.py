from django.contrib import admin

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


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0


class QuoteInline(admin.TabularInline):
    model = Quote
    extra = 0


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


class TwinTownInline(admin.StackedInline):
    model = TwinTown
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organiser", "date", "date_precision"]
    list_filter = ["kind", "date_precision"]
    search_fields = ["title", "organiser"]
    inlines = [SectionInline, ParticipantInline, QuoteInline, RecommendationInline, TwinTownInline]


@admin.register(QuestionnaireAnswer)
class QuestionnaireAnswerAdmin(admin.ModelAdmin):
    list_display = ["number", "respondent", "partner_as_printed", "category"]
    list_filter = ["workshop", "category"]
    search_fields = ["respondent", "partner_as_printed", "challenges", "tools"]


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    list_display = ["name_as_printed", "collectivity", "partnership", "method", "workshop"]
    list_filter = ["workshop"]
    list_select_related = ["collectivity", "partnership", "workshop"]
    raw_id_fields = ["collectivity", "partnership", "section", "participant", "answer", "twin_town"]
