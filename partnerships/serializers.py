"""The partnership document: one serializer for the export command and the JSON API."""

from rest_framework import serializers

from .models import Action, Budget, Collectivity, Contact, Country, Domain, Partnership


class EmptyAsNullMixin:
    """Empty text is null in the document, never "": an unanswered field is absent, not blank."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        return {key: (None if value == "" else value) for key, value in data.items()}


class DomainRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Domain
        fields = ["slug", "name"]


class CollectivityRefSerializer(EmptyAsNullMixin, serializers.ModelSerializer):
    region = serializers.SerializerMethodField(
        help_text="Région : nom canonique de la région malienne, ou région française. / Region."
    )

    class Meta:
        model = Collectivity
        fields = [
            "id",
            "slug",
            "name",
            "name_as_printed",
            "kind",
            "country",
            "population",
            "location_as_printed",
            "department",
            "region",
        ]

    def get_region(self, obj) -> str | None:
        if obj.country == Country.MALI:
            return obj.malian_region.name if obj.malian_region else None
        return obj.french_region or None


class BudgetSerializer(EmptyAsNullMixin, serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    amount_eur = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = Budget
        fields = ["kind", "amount", "currency", "amount_eur", "year", "as_printed"]


class ActionSerializer(EmptyAsNullMixin, serializers.ModelSerializer):
    domain = DomainRefSerializer(allow_null=True)
    amount_eur = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "domain",
            "domain_as_printed",
            "description",
            "period_as_printed",
            "start_year",
            "end_year",
            "budget_as_printed",
            "amount_eur",
        ]

    def get_amount_eur(self, obj) -> float | None:
        """The action's budget in euros: its printed total if any, else the sum of its amounts."""
        budgets = list(obj.budgets.all())
        if not budgets:
            return None
        totals = [b.amount_eur for b in budgets if b.kind == "total"]
        return float(sum(totals) if totals else sum(b.amount_eur for b in budgets))


class ContactSerializer(EmptyAsNullMixin, serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["side", "role", "name", "function", "address", "phone", "fax", "email", "website"]


class PartnershipDocumentSerializer(EmptyAsNullMixin, serializers.ModelSerializer):
    source = serializers.SerializerMethodField()
    french_partners = CollectivityRefSerializer(many=True, read_only=True)
    malian_partners = CollectivityRefSerializer(many=True, read_only=True)
    budget_cd_per_year = serializers.CharField(source="budget_cd_as_printed")
    budget_ri_per_year = serializers.CharField(source="budget_ri_as_printed")
    budgets = BudgetSerializer(many=True, read_only=True)
    actions = ActionSerializer(many=True, read_only=True)
    domains = DomainRefSerializer(many=True, read_only=True)

    class Meta:
        model = Partnership
        fields = [
            "id",
            "slug",
            "title",
            "status",
            "updated_on",
            "source",
            "french_partners",
            "malian_partners",
            "contacts_start",
            "contacts_start_year",
            "formalisation",
            "formalisation_year",
            "formalisation_kind",
            "budget_cd_per_year",
            "budget_ri_per_year",
            "budgets",
            "technical_partners",
            "financial_partners",
            "motivations_french",
            "motivations_malian",
            "presentation",
            "actions",
            "actions_as_printed",
            "perspectives",
            "documents",
            "domains",
        ]

    def get_source(self, obj) -> dict:
        return {
            "document": obj.source.title if obj.source else None,
            "line": obj.source_line,
            "page": obj.source_page,
        }


class PartnershipWithContactsSerializer(PartnershipDocumentSerializer):
    """The same document with the contacts: only for signed-in staff and the export option."""

    contacts = ContactSerializer(many=True, read_only=True)

    class Meta(PartnershipDocumentSerializer.Meta):
        fields = [*PartnershipDocumentSerializer.Meta.fields, "contacts"]
