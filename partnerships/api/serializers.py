"""The partnership document (export command, list page export, JSON API) and the API's resources.

Fields are described by their model field's help_text (or their own, for computed fields): the
OpenAPI schema shows them in the caller's language.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import privacy
from ..models import (
    Action,
    Budget,
    BudgetKind,
    Collectivity,
    Contact,
    Country,
    Domain,
    MalianRegion,
    Partnership,
    PartnershipMember,
    first_slug,
)


class DocumentSerializer(serializers.ModelSerializer):
    """The base of every serializer of the API (both apps): the personal-data policy.

    Readers who may not see personal data (partnerships/privacy.py) get no ``personal_fields``
    (named in Meta), a field's ``public_versions`` (Meta: {field: its version without personal
    data}) in its place, and every text of the other fields through the masker: e-mails, phones
    and the names of known people are replaced by a notice. Nested serializers apply it to their
    own fields; the masker is chosen once per response (kept in the shared context).
    """

    def get_fields(self):
        fields = super().get_fields()
        # Personal fields are not even read for readers who may not see them (no query spent on
        # them); the schema, generated with a fake view, still documents them.
        view = self.context.get("view")
        if self.masker() is not privacy.SHOW_EVERYTHING and not getattr(
            view, "swagger_fake_view", False
        ):
            for name in getattr(self.Meta, "personal_fields", ()):
                fields.pop(name, None)
        return fields

    def masker(self):
        context = self.context
        if "masker" not in context:
            request = context.get("request")
            # No request (a command, a test): the safe side, unless the caller says otherwise.
            context["masker"] = privacy.masker_for(getattr(request, "user", None))
        return context["masker"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        masker = self.masker()
        if masker is privacy.SHOW_EVERYTHING:
            return data
        for name, public in getattr(self.Meta, "public_versions", {}).items():
            data[name] = data[public]
        fields = self.fields
        for key, value in data.items():
            # Nested documents are masked by their own serializer.
            if not isinstance(fields.get(key), serializers.BaseSerializer):
                data[key] = masker.data(value, key)
        return data


class EmptyAsNullMixin:
    """Empty text is null in the document, never "": an unanswered field is absent, not blank.

    The schema says so (blank text fields are nullable), and a write may send null for "".
    """

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if getattr(field, "allow_blank", False):
                field.allow_null = True
        return fields

    def to_internal_value(self, data):
        if isinstance(data, dict) and not hasattr(data, "getlist"):
            fields = self.fields
            data = {
                key: ""
                if value is None and getattr(fields.get(key), "allow_blank", False)
                else value
                for key, value in data.items()
            }
        return super().to_internal_value(data)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        return {key: (None if value == "" else value) for key, value in data.items()}


class DomainRefSerializer(DocumentSerializer):
    class Meta:
        model = Domain
        fields = ["slug", "name"]


class MemberPrintingSerializer(EmptyAsNullMixin, DocumentSerializer):
    """What one fiche printed for a partner (another fiche may print it otherwise)."""

    class Meta:
        model = PartnershipMember
        fields = [
            "name_as_printed",
            "population_as_printed",
            "population",
            "population_of_group",
            "location_as_printed",
        ]


class CollectivityRefSerializer(EmptyAsNullMixin, DocumentSerializer):
    region = serializers.SerializerMethodField(
        help_text=gettext_lazy("Région : nom de la région malienne, ou région française")
    )
    on_this_fiche = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Nom, population et localisation tels que cette fiche les imprime (les autres "
            "champs sont ceux de la collectivité, communs à toutes ses fiches)"
        )
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
            "on_this_fiche",
        ]

    @extend_schema_field(MemberPrintingSerializer(allow_null=True))
    def get_on_this_fiche(self, obj) -> dict | None:
        membership = getattr(obj, "membership", None)
        return MemberPrintingSerializer(membership).data if membership else None

    def get_region(self, obj) -> str | None:
        if obj.country == Country.MALI:
            return obj.malian_region.name if obj.malian_region else None
        return obj.french_region or None


class BudgetSerializer(EmptyAsNullMixin, DocumentSerializer):
    # Decimals are JSON numbers (COERCE_DECIMAL_TO_STRING is off in settings).
    class Meta:
        model = Budget
        fields = ["kind", "amount", "currency", "amount_eur", "year", "as_printed"]


class ActionSerializer(EmptyAsNullMixin, DocumentSerializer):
    domain = DomainRefSerializer(allow_null=True, help_text=gettext_lazy("Domaine"))
    amount_eur = serializers.SerializerMethodField(
        help_text=gettext_lazy("Budget de l'action en euros (total imprimé, sinon somme)")
    )

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
        totals = [b.amount_eur for b in budgets if b.kind == BudgetKind.TOTAL]
        return float(sum(totals) if totals else sum(b.amount_eur for b in budgets))


class ContactSerializer(EmptyAsNullMixin, DocumentSerializer):
    class Meta:
        model = Contact
        fields = ["side", "role", "name", "function", "address", "phone", "fax", "email", "website"]


class PartnershipDocumentSerializer(EmptyAsNullMixin, DocumentSerializer):
    """The partnership document; its contacts only for readers who may see personal data."""

    source = serializers.SerializerMethodField(
        help_text=gettext_lazy("Document source, ligne et page")
    )
    french_partners = CollectivityRefSerializer(
        many=True, read_only=True, help_text=gettext_lazy("Collectivités partenaires françaises")
    )
    malian_partners = CollectivityRefSerializer(
        many=True, read_only=True, help_text=gettext_lazy("Collectivités partenaires maliennes")
    )
    budget_cd_per_year = serializers.CharField(
        source="budget_cd_as_printed",
        allow_blank=True,
        required=False,
        help_text=gettext_lazy("Budget annuel de coopération décentralisée, tel qu'imprimé"),
    )
    budget_ri_per_year = serializers.CharField(
        source="budget_ri_as_printed",
        allow_blank=True,
        required=False,
        help_text=gettext_lazy("Budget annuel de relations internationales, tel qu'imprimé"),
    )
    budgets = BudgetSerializer(
        many=True, read_only=True, help_text=gettext_lazy("Montants lus dans la fiche")
    )
    actions = ActionSerializer(
        many=True, read_only=True, help_text=gettext_lazy("Lignes du tableau des actions")
    )
    domains = DomainRefSerializer(
        many=True, read_only=True, help_text=gettext_lazy("Domaines d'intervention")
    )
    contacts = ContactSerializer(
        many=True,
        read_only=True,
        help_text=gettext_lazy("Contacts (utilisateurs connectés seulement)"),
    )

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
            "actions_alignment_uncertain",
            "perspectives",
            "documents",
            "domains",
            "contacts",
        ]
        personal_fields = ["contacts"]

    def get_source(self, obj) -> dict:
        return {
            "document": obj.source.title if obj.source else None,
            "line": obj.source_line,
            "page": obj.source_page,
        }


# The API's resources. Reads of the partnership are the document above; writes take flat fields
# and answer with the document.


class ModelConstraintsMixin:
    """Checks the model's constraints (CheckConstraint…) before saving: a 400, not a 500."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = model()
        # The row itself, when changed, must not count as its own duplicate: Django's
        # UniqueConstraint.validate() leaves it out only when it is not being added.
        instance.pk = getattr(self.instance, "pk", None)
        instance._state.adding = self.instance is None
        for field in model._meta.concrete_fields:
            if field.name in attrs:
                setattr(instance, field.name, attrs[field.name])
            elif self.instance is not None:
                setattr(instance, field.attname, getattr(self.instance, field.attname))
        try:
            instance.validate_constraints()
        except DjangoValidationError as error:
            raise serializers.ValidationError({"non_field_errors": error.messages}) from error
        return attrs


class PartnershipWriteSerializer(ModelConstraintsMixin, EmptyAsNullMixin, DocumentSerializer):
    """What staff send to create or change a partnership; partners and domains by their slug."""

    slug = serializers.SlugField(
        max_length=150,
        required=False,
        help_text=gettext_lazy("Identifiant lisible, stable (slug) ; tiré du titre par défaut"),
    )
    budget_cd_per_year = serializers.CharField(
        source="budget_cd_as_printed",
        allow_blank=True,
        required=False,
        help_text=gettext_lazy("Budget annuel de coopération décentralisée, tel qu'imprimé"),
    )
    budget_ri_per_year = serializers.CharField(
        source="budget_ri_as_printed",
        allow_blank=True,
        required=False,
        help_text=gettext_lazy("Budget annuel de relations internationales, tel qu'imprimé"),
    )
    french_partners = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="slug",
        queryset=Collectivity.objects.filter(country=Country.FRANCE),
        help_text=gettext_lazy("Collectivités partenaires françaises (identifiants, dans l'ordre)"),
    )
    malian_partners = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="slug",
        queryset=Collectivity.objects.filter(country=Country.MALI),
        help_text=gettext_lazy("Collectivités partenaires maliennes (identifiants, dans l'ordre)"),
    )
    domains = serializers.SlugRelatedField(
        many=True, required=False, slug_field="slug", queryset=Domain.objects.all()
    )

    class Meta:
        model = Partnership
        fields = [
            "slug",
            "title",
            "status",
            "updated_on",
            "french_partners",
            "malian_partners",
            "contacts_start",
            "contacts_start_year",
            "formalisation",
            "formalisation_year",
            "formalisation_kind",
            "budget_cd_per_year",
            "budget_ri_per_year",
            "technical_partners",
            "financial_partners",
            "motivations_french",
            "motivations_malian",
            "presentation",
            "actions_as_printed",
            "perspectives",
            "documents",
            "domains",
        ]

    def validate(self, attrs):
        if not attrs.get("slug") and self.instance is None:
            # Derived from the title but never numbered: a script that sends the same fiche
            # twice gets a 400 naming the slug, not a duplicate partnership.
            attrs["slug"] = first_slug(Partnership, attrs.get("title", ""))
        slug = attrs.get("slug")
        if (
            slug
            and Partnership.objects.filter(slug=slug)
            .exclude(pk=getattr(self.instance, "pk", None))
            .exists()
        ):
            raise serializers.ValidationError(
                {"slug": [_("Un partenariat porte déjà cet identifiant.")]}
            )
        return super().validate(attrs)

    @transaction.atomic
    def create(self, validated_data):
        return self._save(Partnership(), validated_data)

    @transaction.atomic
    def update(self, instance, validated_data):
        return self._save(instance, validated_data)

    def _save(self, partnership, data):
        partners = {
            Country.FRANCE: data.pop("french_partners", None),
            Country.MALI: data.pop("malian_partners", None),
        }
        domains = data.pop("domains", None)
        for name, value in data.items():
            setattr(partnership, name, value)
        partnership.save()
        if domains is not None:
            partnership.set_domains(domains)
        for side, collectivities in partners.items():
            if collectivities is not None:
                self._set_partners(partnership, side, collectivities)
        return partnership

    def _set_partners(self, partnership, side, collectivities):
        # Row by row (no bulk operation) so that each change lands in the history.
        wanted = {c.pk: position for position, c in enumerate(collectivities, start=1)}
        for member in partnership.members.filter(side=side):
            if member.collectivity_id not in wanted:
                member.delete()
            elif member.position != wanted[member.collectivity_id]:
                member.position = wanted.pop(member.collectivity_id)
                member.save()
            else:
                del wanted[member.collectivity_id]
        for collectivity_id, position in wanted.items():
            PartnershipMember.objects.create(
                partnership=partnership,
                collectivity_id=collectivity_id,
                side=side,
                position=position,
            )

    def to_representation(self, instance):
        instance = Partnership.objects.for_document(contacts=True).get(pk=instance.pk)
        return PartnershipDocumentSerializer(instance, context=self.context).data


class CollectivitySerializer(ModelConstraintsMixin, EmptyAsNullMixin, DocumentSerializer):
    malian_region = serializers.SlugRelatedField(
        slug_field="slug", queryset=MalianRegion.objects.all(), allow_null=True, required=False
    )
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        help_text=gettext_lazy("Autres graphies rencontrées"),
    )
    partnerships = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = Collectivity
        fields = [
            "id",
            "slug",
            "name",
            "name_as_printed",
            "kind",
            "country",
            "aliases",
            "population",
            "population_as_printed",
            "location_as_printed",
            "department",
            "department_code",
            "french_region",
            "malian_region",
            "cercle",
            "website",
            "latitude",
            "longitude",
            "source_line",
            "partnerships",
        ]
        read_only_fields = ["source_line"]


class MalianRegionSerializer(DocumentSerializer):
    partnership_count = serializers.IntegerField(read_only=True)
    collectivity_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = MalianRegion
        fields = [
            "slug",
            "number",
            "name",
            "capital",
            "latitude",
            "longitude",
            "partnership_count",
            "collectivity_count",
        ]


class DomainSerializer(EmptyAsNullMixin, DocumentSerializer):
    subthemes = serializers.StringRelatedField(
        many=True, read_only=True, help_text=gettext_lazy("Sous-thèmes")
    )
    partnership_count = serializers.IntegerField(read_only=True)
    action_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Domain
        fields = [
            "slug",
            "position",
            "name",
            "name_en",
            "subthemes",
            "partnership_count",
            "action_count",
        ]


class ActionResourceSerializer(ModelConstraintsMixin, EmptyAsNullMixin, DocumentSerializer):
    """One row of a fiche's actions table, with its partnership and domain by their slug."""

    partnership = serializers.SlugRelatedField(
        slug_field="slug", queryset=Partnership.objects.all()
    )
    domain = serializers.SlugRelatedField(
        slug_field="slug", queryset=Domain.objects.all(), allow_null=True, required=False
    )
    position = serializers.IntegerField(
        min_value=1,
        max_value=32767,
        required=False,
        help_text=gettext_lazy("Ordre dans le tableau (à la fin par défaut)"),
    )
    budgets = BudgetSerializer(
        many=True, read_only=True, help_text=gettext_lazy("Montants lus dans la ligne")
    )
    amount_eur = serializers.SerializerMethodField(
        help_text=gettext_lazy("Budget de l'action en euros (total imprimé, sinon somme)")
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "partnership",
            "position",
            "domain",
            "domain_as_printed",
            "description",
            "period_as_printed",
            "start_year",
            "end_year",
            "budget_as_printed",
            "budgets",
            "amount_eur",
            "source_line",
        ]
        read_only_fields = ["source_line"]
        # The (partnership, position) pair is checked in validate(): position may be left out.
        validators = []

    get_amount_eur = ActionSerializer.get_amount_eur

    def validate(self, attrs):
        partnership = attrs.get("partnership") or getattr(self.instance, "partnership", None)
        position = attrs.get("position") or getattr(self.instance, "position", None)
        if position is None:
            last = Action.objects.filter(partnership=partnership).order_by("-position").first()
            attrs["position"] = position = (last.position + 1) if last else 1
        taken = Action.objects.filter(partnership=partnership, position=position).exclude(
            pk=getattr(self.instance, "pk", None)
        )
        if taken.exists():
            raise serializers.ValidationError(
                {"position": [_("Ce partenariat a déjà une action à cette position.")]}
            )
        return super().validate(attrs)
