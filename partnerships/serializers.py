"""The partnership document (export command, list page export, JSON API) and the API's resources.

Every field is described in French and English (FIELD_DESCRIPTIONS): the OpenAPI schema shows it.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from rest_framework import serializers

from .exports import without_coordinates
from .models import (
    Action,
    Budget,
    Collectivity,
    Contact,
    Country,
    Domain,
    MalianRegion,
    Partnership,
    PartnershipMember,
)

# "Français / English", by "Model.field" when a name means different things, else by field.
FIELD_DESCRIPTIONS = {
    "id": "Identifiant numérique / Numeric identifier",
    "slug": "Identifiant lisible, stable (slug) / Readable, stable identifier (slug)",
    "title": "Titre du partenariat / Partnership title",
    "status": "Statut : fiche renseignée, partenariat connu non renseigné, autre type / "
    "Status: documented, listed without a fiche, other kind",
    "updated_on": "Date de mise à jour de la fiche / Date the fiche was last updated",
    "source": "Document source, ligne et page / Source document, line and page",
    "french_partners": "Collectivités partenaires françaises / French partner authorities",
    "malian_partners": "Collectivités partenaires maliennes / Malian partner authorities",
    "contacts_start": "Début des contacts, tel qu'imprimé / Start of contacts, as printed",
    "contacts_start_year": "Année du début des contacts / Year contacts began",
    "formalisation": "Formalisation, telle qu'imprimée / Formalisation, as printed",
    "formalisation_year": "Année de formalisation / Year of formalisation",
    "formalisation_kind": "Type de document de formalisation / Kind of formalising document",
    "budget_cd_per_year": "Budget annuel de coopération décentralisée, tel qu'imprimé / "
    "Annual decentralised-cooperation budget, as printed",
    "budget_ri_per_year": "Budget annuel de relations internationales, tel qu'imprimé / "
    "Annual international-relations budget, as printed",
    "budgets": "Montants lus dans la fiche / Amounts read from the fiche",
    "technical_partners": "Partenaires techniques / Technical partners",
    "financial_partners": "Partenaires financiers / Financial partners",
    "motivations_french": "Motivations de la partie française / Motivations of the French side",
    "motivations_malian": "Motivations de la partie malienne / Motivations of the Malian side",
    "presentation": "Présentation / Presentation",
    "actions": "Lignes du tableau des actions / Rows of the actions table",
    "actions_as_printed": "Tableau des actions, tel qu'imprimé / Actions table, as printed",
    "perspectives": "Perspectives / Outlook",
    "documents": "Documents de capitalisation / Documents produced",
    "domains": "Domaines d'intervention / Fields of action",
    "contacts": "Contacts (utilisateurs connectés seulement) / Contacts (signed-in users only)",
    "name": "Nom / Name",
    "name_as_printed": "Nom tel qu'imprimé / Name as printed",
    "Collectivity.kind": "Type de collectivité / Kind of local authority",
    "country": "Pays : FR (France) ou ML (Mali) / Country: FR (France) or ML (Mali)",
    "population": "Population / Population",
    "population_as_printed": "Population telle qu'imprimée / Population as printed",
    "location_as_printed": "Localisation telle qu'imprimée / Location as printed",
    "department": "Département (France) / French département",
    "department_code": "Code du département / Département code",
    "french_region": "Région française / French region",
    "region": "Région : malienne ou française / Region: Malian or French",
    "malian_region": "Région malienne (identifiant) / Malian region (slug)",
    "cercle": "Cercle (Mali) / Cercle (Mali)",
    "website": "Site web / Web site",
    "latitude": "Latitude (WGS 84) / Latitude (WGS 84)",
    "longitude": "Longitude (WGS 84) / Longitude (WGS 84)",
    "aliases": "Autres graphies rencontrées / Other spellings found",
    "partnerships": "Partenariats (identifiants) / Partnerships (slugs)",
    "Budget.kind": "Nature du montant / Kind of amount",
    "amount": "Montant dans sa devise / Amount in its currency",
    "currency": "Devise : EUR, FRF ou XOF / Currency: EUR, FRF or XOF",
    "amount_eur": "Montant en euros (parités fixes) / Amount in euros (fixed parities)",
    "year": "Année / Year",
    "as_printed": "Tel qu'imprimé / As printed",
    "domain": "Domaine / Field of action",
    "domain_as_printed": "Domaine tel qu'imprimé / Field of action as printed",
    "description": "Actions réalisées / Actions carried out",
    "period_as_printed": "Période telle qu'imprimée / Period as printed",
    "start_year": "Année de début / Start year",
    "end_year": "Année de fin / End year",
    "budget_as_printed": "Budget tel qu'imprimé / Budget as printed",
    "side": "Côté : FR ou ML / Side: FR or ML",
    "role": "Rôle du contact / Contact's role",
    "function": "Fonction / Position held",
    "address": "Adresse / Address",
    "phone": "Téléphone / Phone",
    "fax": "Fax / Fax",
    "email": "Courriel / E-mail",
    "partnership": "Partenariat (identifiant) / Partnership (slug)",
    "position": "Ordre / Order",
    "source_line": "Ligne du document source / Line of the source document",
    "number": "Numéro de la région / Region number",
    "capital": "Chef-lieu / Capital",
    "partnership_count": "Nombre de partenariats / Number of partnerships",
    "collectivity_count": "Nombre de collectivités / Number of local authorities",
    "action_count": "Nombre de lignes d'actions / Number of action rows",
    "name_en": "Nom en anglais / English name",
    "subthemes": "Sous-thèmes / Sub-themes",
}


class DescribedModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose fields carry their FIELD_DESCRIPTIONS (no change to the output)."""

    def get_fields(self):
        fields = super().get_fields()
        model = self.Meta.model.__name__
        for name, field in fields.items():
            if not field.help_text:
                field.help_text = FIELD_DESCRIPTIONS.get(f"{model}.{name}") or (
                    FIELD_DESCRIPTIONS.get(name)
                )
        return fields


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


class DomainRefSerializer(DescribedModelSerializer):
    class Meta:
        model = Domain
        fields = ["slug", "name"]


class CollectivityRefSerializer(EmptyAsNullMixin, DescribedModelSerializer):
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


class BudgetSerializer(EmptyAsNullMixin, DescribedModelSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    amount_eur = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = Budget
        fields = ["kind", "amount", "currency", "amount_eur", "year", "as_printed"]


class ActionSerializer(EmptyAsNullMixin, DescribedModelSerializer):
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


class ContactSerializer(EmptyAsNullMixin, DescribedModelSerializer):
    class Meta:
        model = Contact
        fields = ["side", "role", "name", "function", "address", "phone", "fax", "email", "website"]


class PartnershipDocumentSerializer(EmptyAsNullMixin, DescribedModelSerializer):
    source = serializers.SerializerMethodField()
    french_partners = CollectivityRefSerializer(many=True, read_only=True)
    malian_partners = CollectivityRefSerializer(many=True, read_only=True)
    budget_cd_per_year = serializers.CharField(
        source="budget_cd_as_printed", allow_blank=True, required=False
    )
    budget_ri_per_year = serializers.CharField(
        source="budget_ri_as_printed", allow_blank=True, required=False
    )
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


# The API's resources. Reads of the partnership are the document above; writes take flat fields
# and answer with the document.


class HiddenCoordinatesMixin:
    """For anonymous callers: free texts sometimes print a person's phone or e-mail."""

    def to_representation(self, instance):
        return without_coordinates(super().to_representation(instance))


class PartnershipPublicSerializer(HiddenCoordinatesMixin, PartnershipDocumentSerializer):
    class Meta(PartnershipDocumentSerializer.Meta):
        pass


class ModelConstraintsMixin:
    """Checks the model's constraints (CheckConstraint…) before saving: a 400, not a 500."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = model()
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


class PartnershipWriteSerializer(ModelConstraintsMixin, EmptyAsNullMixin, DescribedModelSerializer):
    """What staff send to create or change a partnership; partners and domains by their slug."""

    slug = serializers.SlugField(max_length=150, required=False)
    budget_cd_per_year = serializers.CharField(
        source="budget_cd_as_printed", allow_blank=True, required=False
    )
    budget_ri_per_year = serializers.CharField(
        source="budget_ri_as_printed", allow_blank=True, required=False
    )
    french_partners = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="slug",
        queryset=Collectivity.objects.filter(country=Country.FRANCE),
    )
    malian_partners = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="slug",
        queryset=Collectivity.objects.filter(country=Country.MALI),
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
            attrs["slug"] = slugify(attrs.get("title", ""))[:150]
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
        instance = Partnership.objects.with_document_relations(contacts=True).get(pk=instance.pk)
        return PartnershipWithContactsSerializer(instance, context=self.context).data


class CollectivitySerializer(ModelConstraintsMixin, EmptyAsNullMixin, DescribedModelSerializer):
    malian_region = serializers.SlugRelatedField(
        slug_field="slug", queryset=MalianRegion.objects.all(), allow_null=True, required=False
    )
    aliases = serializers.ListField(child=serializers.CharField(max_length=300), required=False)
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
        extra_kwargs = {
            "latitude": {"coerce_to_string": False},
            "longitude": {"coerce_to_string": False},
        }


class MalianRegionSerializer(DescribedModelSerializer):
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False)
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


class DomainSerializer(EmptyAsNullMixin, DescribedModelSerializer):
    subthemes = serializers.StringRelatedField(many=True, read_only=True)
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


class ActionResourceSerializer(ModelConstraintsMixin, EmptyAsNullMixin, DescribedModelSerializer):
    """One row of a fiche's actions table, with its partnership and domain by their slug."""

    partnership = serializers.SlugRelatedField(
        slug_field="slug", queryset=Partnership.objects.all()
    )
    domain = serializers.SlugRelatedField(
        slug_field="slug", queryset=Domain.objects.all(), allow_null=True, required=False
    )
    position = serializers.IntegerField(min_value=1, max_value=32767, required=False)
    budgets = BudgetSerializer(many=True, read_only=True)
    amount_eur = serializers.SerializerMethodField()

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


class ActionPublicSerializer(HiddenCoordinatesMixin, ActionResourceSerializer):
    class Meta(ActionResourceSerializer.Meta):
        pass
