"""The directory's data model: collectivities, partnerships and what the répertoire says of them.

Every seeded model has a natural key (a slug, or its parent's key and a position) so that the
fixtures generated from the sources load again and again onto the same rows.
"""

from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The euro at the fixed parities of 1999: one function for the import and for every save.
from .importers.amounts import to_eur


class Country(models.TextChoices):
    FRANCE = "FR", _("France")
    MALI = "ML", _("Mali")


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SourceDocument(models.Model):
    """A public document the directory's data comes from (kept in fixtures/sources/)."""

    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    title = models.CharField(_("titre"), max_length=300)
    publisher = models.CharField(_("éditeur"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    filename = models.CharField(_("fichier"), max_length=200)

    objects = SlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("document source")
        verbose_name_plural = _("documents sources")
        ordering = ["slug"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)


class MalianRegion(models.Model):
    """The 8 regions and the District de Bamako of Mali's 2008 administrative division."""

    slug = models.SlugField(_("identifiant"), max_length=50, unique=True)
    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    name = models.CharField(_("nom"), max_length=100, unique=True)
    capital = models.CharField(_("chef-lieu"), max_length=100)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    objects = SlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("région malienne")
        verbose_name_plural = _("régions maliennes")
        ordering = ["number"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class CollectivityKind(models.TextChoices):
    COMMUNE = "commune", _("commune")
    CA = "ca", _("communauté d'agglomération")
    CC = "cc", _("communauté de communes")
    CU = "cu", _("communauté urbaine")
    SAN = "san", _("syndicat d'agglomération nouvelle")
    DEPARTEMENT = "departement", _("département")
    REGION = "region", _("région")
    CERCLE = "cercle", _("cercle")
    ML_REGION = "ml_region", _("région malienne (assemblée régionale)")
    DISTRICT = "district", _("district")
    ASSOCIATION = "association", _("association ou réseau")
    OTHER = "other", _("autre")


INTERCOMMUNAL_KINDS = {
    CollectivityKind.CA,
    CollectivityKind.CC,
    CollectivityKind.CU,
    CollectivityKind.SAN,
}


class Collectivity(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    country = models.CharField(_("pays"), max_length=2, choices=Country.choices)
    kind = models.CharField(_("type"), max_length=20, choices=CollectivityKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    name_as_printed = models.CharField(_("nom tel qu'imprimé"), max_length=300, blank=True)
    # Every printing met in the sources ("CG Allier", "Conseil Général de l'Allier"…): used to
    # match names found in other documents and by the search.
    aliases = models.JSONField(_("autres graphies"), default=list, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_as_printed = models.CharField(
        _("population telle qu'imprimée"), max_length=200, blank=True
    )
    location_as_printed = models.CharField(
        _("localisation telle qu'imprimée"), max_length=300, blank=True
    )
    department = models.CharField(_("département"), max_length=100, blank=True)
    department_code = models.CharField(_("code du département"), max_length=3, blank=True)
    french_region = models.CharField(_("région française"), max_length=100, blank=True)
    malian_region = models.ForeignKey(
        MalianRegion,
        verbose_name=_("région malienne"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collectivities",
    )
    cercle = models.CharField(_("cercle"), max_length=100, blank=True)
    website = models.CharField(_("site web"), max_length=200, blank=True)
    # Where the collectivity itself is, when known; maps fall back to its cercle's or region's
    # capital otherwise (and say so).
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    source = models.ForeignKey(
        SourceDocument, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )
    source_line = models.PositiveIntegerField(_("ligne de la source"), null=True, blank=True)
    # Optimistic locking: every save through the site, the admin or the API increments it, and
    # an edit made from an older version is refused (partnerships/editing.py, the API).
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    objects = SlugQuerySet.as_manager()
    # Who changed what and when, for every edit (staff pages, admin, API); revert reads it.
    history = HistoricalRecords(excluded_fields=["aliases"])

    class Meta:
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivités")
        ordering = ["name", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__in=Country.values), name="collectivity_country_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CollectivityKind.values), name="collectivity_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(country=Country.MALI) | Q(malian_region__isnull=True, cercle=""),
                name="collectivity_malian_fields_only_in_mali",
            ),
            models.CheckConstraint(
                condition=Q(country=Country.FRANCE) | Q(department="", french_region=""),
                name="collectivity_french_fields_only_in_france",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.version += 1
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)


class Domain(models.Model):
    """One of the 9 domains of the répertoire's summary table."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("ordre"), unique=True)
    name = models.CharField(_("nom"), max_length=100, unique=True)
    name_en = models.CharField(_("nom en anglais"), max_length=100, blank=True)
    name_as_printed = models.CharField(_("intitulé imprimé"), max_length=100, blank=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("domaine")
        verbose_name_plural = _("domaines")
        ordering = ["position"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def localized_name(self):
        """The name in the language of the page: the répertoire's French, or its English."""
        if self.name_en and get_language() and get_language().startswith("en"):
            return self.name_en
        return self.name


class SubThemeQuerySet(models.QuerySet):
    def get_by_natural_key(self, domain_slug, position):
        return self.get(domain__slug=domain_slug, position=position)


class SubTheme(models.Model):
    domain = models.ForeignKey(
        Domain, verbose_name=_("domaine"), on_delete=models.CASCADE, related_name="subthemes"
    )
    position = models.PositiveSmallIntegerField(_("ordre"))
    name = models.CharField(_("sous-thème"), max_length=200)

    objects = SubThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("sous-thème")
        verbose_name_plural = _("sous-thèmes")
        ordering = ["domain__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "position"], name="subtheme_unique_position")
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.domain.natural_key(), self.position)

    natural_key.dependencies = ["partnerships.domain"]


class DomainLabelQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class DomainLabel(models.Model):
    """A domain label as printed in an actions table, and the domain it belongs to."""

    key = models.CharField(_("clé de comparaison"), max_length=300, unique=True)
    label = models.CharField(_("libellé imprimé"), max_length=300)
    domain = models.ForeignKey(
        Domain,
        verbose_name=_("domaine"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="labels",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = DomainLabelQuerySet.as_manager()

    class Meta:
        verbose_name = _("libellé de domaine")
        verbose_name_plural = _("libellés de domaine")
        ordering = ["label"]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.key,)


class PartnershipStatus(models.TextChoices):
    DOCUMENTED = "documented", _("fiche renseignée")
    LISTED = "listed", _("partenariat connu, non renseigné")
    OTHER = "other", _("autre type de partenariat")


class FormalisationKind(models.TextChoices):
    CONVENTION = "convention", _("convention")
    PROTOCOLE = "protocole", _("protocole")
    CHARTE = "charte", _("charte")
    ACCORD = "accord", _("accord")
    JUMELAGE = "jumelage", _("acte ou serment de jumelage")
    DELIBERATION = "deliberation", _("délibération")
    OTHER = "other", _("autre")


class PartnershipQuerySet(SlugQuerySet):
    def with_document_relations(self, contacts=False):
        """Everything the partnership document shows, in a fixed number of queries."""
        queryset = self.select_related("source").prefetch_related(
            models.Prefetch(
                "members",
                queryset=PartnershipMember.objects.select_related("collectivity__malian_region"),
            ),
            "budgets",
            models.Prefetch(
                "actions",
                queryset=Action.objects.select_related("domain").prefetch_related("budgets"),
            ),
            "domains",
        )
        if contacts:
            queryset = queryset.prefetch_related("contacts")
        return queryset


class Partnership(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=150, unique=True)
    status = models.CharField(_("statut"), max_length=12, choices=PartnershipStatus.choices)
    title = models.CharField(_("titre"), max_length=300)
    collectivities = models.ManyToManyField(
        Collectivity,
        through="PartnershipMember",
        verbose_name=_("collectivités partenaires"),
        related_name="partnerships",
    )
    updated_on = models.DateField(_("date de mise à jour de la fiche"), null=True, blank=True)
    contacts_start = models.TextField(_("début des contacts (tel qu'imprimé)"), blank=True)
    contacts_start_year = models.PositiveSmallIntegerField(
        _("année du début des contacts"), null=True, blank=True
    )
    formalisation = models.TextField(_("formalisation (telle qu'imprimée)"), blank=True)
    formalisation_year = models.PositiveSmallIntegerField(
        _("année de formalisation"), null=True, blank=True
    )
    formalisation_kind = models.CharField(
        _("type de document"), max_length=20, choices=FormalisationKind.choices, blank=True
    )
    budget_cd_as_printed = models.TextField(
        _("budget de coopération décentralisée par an (tel qu'imprimé)"), blank=True
    )
    budget_ri_as_printed = models.TextField(
        _("budget de relations internationales par an (tel qu'imprimé)"), blank=True
    )
    technical_partners = models.TextField(_("partenaires techniques"), blank=True)
    financial_partners = models.TextField(_("partenaires financiers"), blank=True)
    motivations_french = models.TextField(_("motivations de la partie française"), blank=True)
    motivations_malian = models.TextField(_("motivations de la partie malienne"), blank=True)
    presentation = models.TextField(_("présentation"), blank=True)
    actions_as_printed = models.TextField(_("tableau des actions (tel qu'imprimé)"), blank=True)
    perspectives = models.TextField(_("perspectives"), blank=True)
    documents = models.TextField(_("documents de capitalisation"), blank=True)
    domains = models.ManyToManyField(
        Domain, verbose_name=_("domaines"), blank=True, related_name="partnerships"
    )
    source = models.ForeignKey(
        SourceDocument, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )
    source_line = models.PositiveIntegerField(_("ligne de la source"), null=True, blank=True)
    source_page = models.PositiveSmallIntegerField(_("page de la source"), null=True, blank=True)
    # Where the répertoire's lists (Annexe 1, "non renseignés") name this pair as well:
    # [{"list": "annex" | "unlisted", "line": 13907, "french": "…", "malian": "…"}].
    mentions = models.JSONField(
        _("mentions dans les listes du répertoire"), default=list, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    last_verified_on = models.DateField(_("dernière vérification le"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dernière vérification par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PartnershipQuerySet.as_manager()
    # The domains too, so that a revert gives a fiche back its domains.
    history = HistoricalRecords(m2m_fields=[domains])

    class Meta:
        verbose_name = _("partenariat")
        verbose_name_plural = _("partenariats")
        ordering = ["title", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PartnershipStatus.values), name="partnership_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(contacts_start_year__isnull=True)
                | Q(contacts_start_year__gte=1900, contacts_start_year__lte=2100),
                name="partnership_contacts_start_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(formalisation_year__isnull=True)
                | Q(formalisation_year__gte=1900, formalisation_year__lte=2100),
                name="partnership_formalisation_year_plausible",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # loaddata saves raw (save() is not called): seeding is not counted as an edit.
        self.version += 1
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)

    def set_domains(self, domains):
        """Set the domains as part of the save just recorded: one historical record per save,
        holding the domains (a plain set() records one more version of its own)."""
        self.skip_history_when_saving = True
        try:
            self.domains.set(domains)
        finally:
            del self.skip_history_when_saving
        record = self.history.order_by("-history_date", "-history_id").first()
        if record is not None:
            record_domains(record)

    def partners(self, country):
        """The partners of one side, in their printed order (uses prefetched members)."""
        return [m.collectivity for m in self.members.all() if m.side == country]

    @property
    def french_partners(self):
        return self.partners(Country.FRANCE)

    @property
    def malian_partners(self):
        return self.partners(Country.MALI)


def record_domains(record):
    """Write a partnership's current domains into one of its historical records."""
    history_model = apps.get_model("partnerships", "HistoricalPartnership_domains")
    history_model.objects.filter(history=record).delete()
    through = Partnership.domains.through.objects.filter(partnership_id=record.id)
    history_model.objects.bulk_create(
        history_model(id=pk, history=record, partnership_id=record.id, domain_id=domain_id)
        for pk, domain_id in through.values_list("id", "domain_id")
    )


class ChildQuerySet(models.QuerySet):
    """Rows identified by their partnership and their position within it."""

    def get_by_natural_key(self, partnership_slug, position):
        return self.get(partnership__slug=partnership_slug, position=position)


class PartnershipMemberQuerySet(models.QuerySet):
    def get_by_natural_key(self, partnership_slug, collectivity_slug):
        return self.get(partnership__slug=partnership_slug, collectivity__slug=collectivity_slug)


class PartnershipMember(models.Model):
    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partenariat"), on_delete=models.CASCADE, related_name="members"
    )
    collectivity = models.ForeignKey(
        Collectivity,
        verbose_name=_("collectivité"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    side = models.CharField(_("côté"), max_length=2, choices=Country.choices)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = PartnershipMemberQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["partnership", "side", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "collectivity"], name="member_unique_collectivity"
            ),
            models.CheckConstraint(condition=Q(side__in=Country.values), name="member_side_valid"),
        ]

    def __str__(self):
        return f"{self.partnership} — {self.collectivity}"

    def natural_key(self):
        return (*self.partnership.natural_key(), *self.collectivity.natural_key())

    natural_key.dependencies = ["partnerships.partnership", "partnerships.collectivity"]


class ContactRole(models.TextChoices):
    EXECUTIVE = "executive", _("exécutif (maire, président)")
    ELECTED = "elected", _("élu en charge du partenariat")
    INTERNATIONAL_RELATIONS = "international_relations", _("service des relations internationales")
    OTHER_SERVICE = "other_service", _("autre service impliqué")
    TWINNING_COMMITTEE = "twinning_committee", _("comité de jumelage")
    OTHER = "other", _("autre")


class Contact(models.Model):
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partenariat"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    position = models.PositiveSmallIntegerField(_("ordre"))
    side = models.CharField(_("côté"), max_length=2, choices=Country.choices)
    role = models.CharField(_("rôle"), max_length=30, choices=ContactRole.choices)
    label = models.CharField(_("intitulé imprimé"), max_length=200, blank=True)
    name = models.CharField(_("nom"), max_length=200, blank=True)
    function = models.CharField(_("fonction"), max_length=300, blank=True)
    address = models.TextField(_("adresse"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=200, blank=True)
    fax = models.CharField(_("fax"), max_length=200, blank=True)
    email = models.CharField(_("courriel"), max_length=300, blank=True)
    website = models.CharField(_("site web"), max_length=200, blank=True)
    source_line = models.PositiveIntegerField(_("ligne de la source"), null=True, blank=True)

    objects = ChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["partnership", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "position"], name="contact_unique_position"
            ),
            models.CheckConstraint(condition=Q(side__in=Country.values), name="contact_side_valid"),
            models.CheckConstraint(
                condition=Q(role__in=ContactRole.values), name="contact_role_valid"
            ),
        ]

    def __str__(self):
        return self.name or self.function or self.get_role_display()

    def natural_key(self):
        return (*self.partnership.natural_key(), self.position)

    natural_key.dependencies = ["partnerships.partnership"]


class Action(models.Model):
    """One row of a fiche's actions table: a domain with its actions, dates and budget cells."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partenariat"), on_delete=models.CASCADE, related_name="actions"
    )
    position = models.PositiveSmallIntegerField(_("ordre"))
    domain = models.ForeignKey(
        Domain,
        verbose_name=_("domaine"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    domain_as_printed = models.CharField(_("domaine tel qu'imprimé"), max_length=300, blank=True)
    description = models.TextField(_("actions réalisées"), blank=True)
    period_as_printed = models.TextField(_("période telle qu'imprimée"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("année de début"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("année de fin"), null=True, blank=True)
    budget_as_printed = models.TextField(_("budget tel qu'imprimé"), blank=True)
    source_line = models.PositiveIntegerField(_("ligne de la source"), null=True, blank=True)

    objects = ChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["partnership", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "position"], name="action_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="action_years_ordered",
            ),
        ]

    def __str__(self):
        return self.domain_as_printed or (self.description or "")[:60]

    def natural_key(self):
        return (*self.partnership.natural_key(), self.position)

    natural_key.dependencies = ["partnerships.partnership"]


class Currency(models.TextChoices):
    EUR = "EUR", _("euro")
    FRF = "FRF", _("franc français")
    XOF = "XOF", _("franc CFA")


class BudgetKind(models.TextChoices):
    CD_ANNUAL = "cd_annual", _("budget annuel de coopération décentralisée")
    RI_ANNUAL = "ri_annual", _("budget annuel de relations internationales")
    ACTION = "action", _("budget d'une action")
    TOTAL = "total", _("total")
    OTHER = "other", _("autre")


class Budget(models.Model):
    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partenariat"), on_delete=models.CASCADE, related_name="budgets"
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="budgets",
    )
    position = models.PositiveSmallIntegerField(_("ordre"))
    kind = models.CharField(_("nature"), max_length=20, choices=BudgetKind.choices)
    amount = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("devise"), max_length=3, choices=Currency.choices)
    amount_eur = models.DecimalField(_("montant en euros"), max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    as_printed = models.CharField(_("tel qu'imprimé"), max_length=300)
    source_line = models.PositiveIntegerField(_("ligne de la source"), null=True, blank=True)

    objects = ChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["partnership", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "position"], name="budget_unique_position"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(currency__in=Currency.values), name="budget_currency_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=BudgetKind.values), name="budget_kind_valid"
            ),
        ]

    def __str__(self):
        return self.as_printed

    def save(self, *args, **kwargs):
        # The euro amount always follows the amount and currency (fixed parities).
        self.amount_eur = to_eur(Decimal(str(self.amount)), self.currency)
        super().save(*args, **kwargs)

    def natural_key(self):
        return (*self.partnership.natural_key(), self.position)

    natural_key.dependencies = ["partnerships.partnership", "partnerships.action"]


class ReviewItemQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)

    def open(self):
        return self.filter(resolved_at__isnull=True)


class Resolution(models.TextChoices):
    CONFIRMED = "confirmed", _("valeur confirmée")
    CORRECTED = "corrected", _("valeur corrigée")


class ReviewItem(models.Model):
    """Something the import could not place or was unsure of, for staff to check."""

    key = models.CharField(_("clé"), max_length=200, unique=True)
    source = models.ForeignKey(
        SourceDocument,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="review_items",
    )
    line = models.PositiveIntegerField(_("ligne"))
    kind = models.CharField(_("nature"), max_length=50)
    message = models.CharField(_("message"), max_length=300)
    value = models.TextField(_("valeur imprimée"), blank=True)
    field = models.CharField(_("champ"), max_length=60, blank=True)
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partenariat"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_items",
    )
    resolved_at = models.DateTimeField(_("résolu le"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("résolu par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.CharField(
        _("résolution"), max_length=10, choices=Resolution.choices, blank=True
    )
    resolution_note = models.TextField(_("note de résolution"), blank=True)

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("point à vérifier")
        verbose_name_plural = _("points à vérifier")
        ordering = ["source", "line", "key"]

    def __str__(self):
        return f"{self.message} (ligne {self.line})"

    def natural_key(self):
        return (self.key,)
