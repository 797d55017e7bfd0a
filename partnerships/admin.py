from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Action,
    Budget,
    Collectivity,
    Contact,
    Domain,
    DomainLabel,
    MalianRegion,
    Partnership,
    PartnershipMember,
    Proposal,
    ReviewItem,
    SourceDocument,
    SubTheme,
    UpdateLink,
)


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "year", "filename"]
    search_fields = ["title", "slug", "filename"]


@admin.register(MalianRegion)
class MalianRegionAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "capital", "latitude", "longitude"]
    search_fields = ["name", "capital"]


class MemberInline(admin.TabularInline):
    model = PartnershipMember
    extra = 0
    autocomplete_fields = ["collectivity", "partnership"]


@admin.register(Collectivity)
class CollectivityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "country", "kind", "department", "malian_region", "population"]
    list_filter = ["country", "kind", "malian_region", "french_region"]
    search_fields = ["name", "name_as_printed", "slug", "department", "cercle", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MemberInline]


class SubThemeInline(admin.TabularInline):
    model = SubTheme
    extra = 0


class DomainLabelInline(admin.TabularInline):
    model = DomainLabel
    extra = 0


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["position", "name", "name_en"]
    search_fields = ["name", "name_en", "subthemes__name"]
    inlines = [SubThemeInline, DomainLabelInline]


@admin.register(DomainLabel)
class DomainLabelAdmin(admin.ModelAdmin):
    list_display = ["label", "domain", "note"]
    list_filter = ["domain"]
    search_fields = ["label", "note"]


class ContactInline(admin.StackedInline):
    model = Contact
    extra = 0


class ActionInline(admin.StackedInline):
    model = Action
    extra = 0


class BudgetInline(admin.TabularInline):
    model = Budget
    extra = 0
    fields = [
        "position",
        "kind",
        "amount",
        "currency",
        "amount_eur",
        "year",
        "as_printed",
        "action",
    ]
    readonly_fields = ["amount_eur"]
    raw_id_fields = ["action"]


class ReviewItemInline(admin.TabularInline):
    model = ReviewItem
    extra = 0
    fields = [
        "line",
        "kind",
        "message",
        "value",
        "field",
        "resolved_at",
        "resolved_by",
        "resolution",
        "resolution_note",
    ]
    readonly_fields = ["line", "kind", "message", "value", "field", "resolved_by"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "status",
        "updated_on",
        "last_verified_on",
        "contacts_start_year",
        "source_line",
    ]
    list_filter = ["status", "domains", "members__collectivity__malian_region"]
    search_fields = [
        "title",
        "slug",
        "members__collectivity__name",
        "motivations_french",
        "motivations_malian",
        "perspectives",
        "actions__description",
    ]
    filter_horizontal = ["domains"]
    inlines = [MemberInline, ContactInline, ActionInline, BudgetInline, ReviewItemInline]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = [
        "partnership",
        "position",
        "domain_as_printed",
        "domain",
        "start_year",
        "end_year",
    ]
    list_filter = ["domain"]
    search_fields = ["description", "domain_as_printed", "partnership__title"]
    list_select_related = ["partnership", "domain"]


@admin.register(Budget)
class BudgetAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "kind", "amount", "currency", "amount_eur", "year", "as_printed"]
    list_filter = ["kind", "currency"]
    search_fields = ["as_printed", "partnership__title"]
    list_select_related = ["partnership"]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "function", "role", "side", "partnership"]
    list_filter = ["role", "side"]
    search_fields = ["name", "function", "email", "partnership__title"]
    list_select_related = ["partnership"]


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ["line", "kind", "message", "value", "partnership", "resolved_at"]
    list_filter = ["kind", "source"]
    search_fields = ["message", "value", "partnership__title"]
    list_select_related = ["partnership"]


admin.site.site_header = _("Répertoire de la coopération décentralisée franco-malienne")


@admin.register(UpdateLink)
class UpdateLinkAdmin(admin.ModelAdmin):
    # Links are made and revoked from the campaign page; the hash is never edited by hand.
    list_display = ["partnership", "email", "side", "created_at", "expires_at", "used_at"]
    list_select_related = ["partnership"]
    search_fields = ["partnership__title", "email"]
    readonly_fields = ["token_hash"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["partnership", "submitted_at", "status", "reviewed_at"]
    list_filter = ["status"]
    list_select_related = ["partnership"]
    search_fields = ["partnership__title"]
