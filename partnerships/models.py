"""The directory's data model: collectivities, partnerships and what the répertoire says of them.

Every seeded model has a natural key (a slug, or its parent's key and a position) so that the
fixtures generated from the sources load again and again onto the same rows.
"""

import datetime
import functools

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import gazetteer
from .money import to_eur
from .text import allocate_slug
from .validators import validate_web_url, validate_year, year_in_range


class Country(models.TextChoices):
    FRANCE = "FR", _("France")
    MALI = "ML", _("Mali")


@functools.cache
def _choice_labels(field) -> dict:
    return dict(field.flatchoices)


class ChoiceLabels:
    """``get_FOO_display()`` from a dict of each field's choices built once per process.

    Django's builds that dict on every call and hashes each lazy label to do it, which
    translates every label of the field: 80 kinds of partners on a region page made 1,100
    translations. The labels stay lazy, translated when shown, in the reader's language."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value (a list): Django's own way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def has_partner(**lookups) -> Exists:
    """A condition on partnerships: one of the partners matches ``lookups`` (on Collectivity).

    A subquery, not a join: no duplicate rows and no DISTINCT, whatever else is combined.
    """
    return Exists(
        PartnershipMember.objects.filter(
            partnership=OuterRef("pk"),
            **{f"collectivity__{key}": value for key, value in lookups.items()},
        )
    )


def partner_among(collectivities) -> Exists:
    """``has_partner`` for one of ``collectivities``, their keys read first (one query): see
    PartnershipQuerySet.with_partner_among."""
    return has_partner(pk__in=list(collectivities.order_by().values_list("pk", flat=True)))


def unique_slug(model, text: str) -> str:
    """A slug no row of ``model`` has yet, made from ``text``: the one allocator of new rows
    (staff pages, API). Never empty: a name that slugifies to nothing ("日本") takes the
    model's SLUG_FALLBACK."""
    max_length = model._meta.get_field("slug").max_length
    return allocate_slug(
        text,
        lambda slug: model._default_manager.filter(slug=slug).exists(),
        max_length,
        fallback=model.SLUG_FALLBACK,
    )


def first_slug(model, text: str) -> str:
    """The slug ``unique_slug`` tries first for ``text`` (taken or not)."""
    max_length = model._meta.get_field("slug").max_length
    return allocate_slug(text, lambda slug: False, max_length, fallback=model.SLUG_FALLBACK)


def _within(path: str, partnerships) -> dict:
    """The filter= of a partnership Count restricted to a selection (None: every partnership)."""
    return {} if partnerships is None else {"filter": Q(**{f"{path}__in": partnerships})}


class SourceDocument(models.Model):
    """A public document the directory's data comes from (kept in fixtures/sources/)."""

    slug = models.SlugField(
        _("identifiant"),
        max_length=100,
        unique=True,
        help_text=_("Identifiant lisible, stable (slug)"),
    )
    title = models.CharField(_("titre"), max_length=300, help_text=_("Titre du document"))
    publisher = models.CharField(_("éditeur"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        _("année"), null=True, blank=True, help_text=_("Année de publication")
    )
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


class MalianRegionQuerySet(SlugQuerySet):
    def with_partnership_count(self, partnerships=None):
        """``partnership_count``: partnerships with a Malian partner in the region (among
        ``partnerships`` when given)."""
        path = "collectivities__memberships__partnership"
        return self.annotate(
            partnership_count=Count(path, distinct=True, **_within(path, partnerships))
        )

    def with_collectivity_count(self):
        return self.annotate(collectivity_count=Count("collectivities", distinct=True))


class MalianRegion(models.Model):
    """The 8 regions and the District de Bamako of Mali's 2008 administrative division."""

    slug = models.SlugField(
        _("identifiant"),
        max_length=50,
        unique=True,
        help_text=_("Identifiant lisible, stable (slug)"),
    )
    number = models.PositiveSmallIntegerField(
        _("numéro"), unique=True, help_text=_("Numéro de la région")
    )
    name = models.CharField(_("nom"), max_length=100, unique=True, help_text=_("Nom"))
    capital = models.CharField(_("chef-lieu"), max_length=100, help_text=_("Chef-lieu"))
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        help_text=_("Latitude du chef-lieu (WGS 84)"),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        help_text=_("Longitude du chef-lieu (WGS 84)"),
    )

    objects = MalianRegionQuerySet.as_manager()

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


class MapPrecision(models.TextChoices):
    """How well the maps place a collectivity."""

    EXACT = "exact", _("coordonnées propres")
    SEAT = "seat", _("siège, au chef-lieu")
    CERCLE = "cercle", _("approximativement, au chef-lieu du cercle")
    REGION = "region", _("approximativement, au chef-lieu de la région")


class CollectivityQuerySet(SlugQuerySet):
    def with_partnership_count(self):
        # A collectivity is a member of a partnership once (member_unique_collectivity).
        return self.annotate(partnership_count=Count("memberships", distinct=True))

    def partners(self):
        """The collectivities that are a partner in at least one partnership."""
        return self.filter(Exists(PartnershipMember.objects.filter(collectivity=OuterRef("pk"))))


class Collectivity(ChoiceLabels, models.Model):
    SLUG_FALLBACK = "collectivite"

    slug = models.SlugField(
        _("identifiant"),
        max_length=120,
        unique=True,
        help_text=_("Identifiant lisible, stable (slug)"),
    )
    country = models.CharField(
        _("pays"),
        max_length=2,
        choices=Country.choices,
        help_text=_("Pays : FR (France) ou ML (Mali)"),
    )
    kind = models.CharField(
        _("type"),
        max_length=20,
        choices=CollectivityKind.choices,
        help_text=_("Type de collectivité"),
    )
    name = models.CharField(_("nom"), max_length=200, help_text=_("Nom"))
    name_as_printed = models.CharField(
        _("nom tel qu'imprimé"), max_length=300, blank=True, help_text=_("Nom tel qu'imprimé")
    )
    # Every printing met in the sources ("CG Allier", "Conseil Général de l'Allier"…): used to
    # match names found in other documents and by the search.
    aliases = models.JSONField(
        _("autres graphies"), default=list, blank=True, help_text=_("Autres graphies rencontrées")
    )
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, help_text=_("Population")
    )
    population_as_printed = models.CharField(
        _("population telle qu'imprimée"),
        max_length=200,
        blank=True,
        help_text=_("Population telle qu'imprimée"),
    )
    location_as_printed = models.CharField(
        _("localisation telle qu'imprimée"),
        max_length=300,
        blank=True,
        help_text=_("Localisation telle qu'imprimée"),
    )
    department = models.CharField(
        _("département"), max_length=100, blank=True, help_text=_("Département (France)")
    )
    department_code = models.CharField(
        _("code du département"), max_length=3, blank=True, help_text=_("Code du département")
    )
    french_region = models.CharField(
        _("région française"), max_length=100, blank=True, help_text=_("Région française")
    )
    malian_region = models.ForeignKey(
        MalianRegion,
        verbose_name=_("région malienne"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collectivities",
        help_text=_("Région malienne (identifiant)"),
    )
    cercle = models.CharField(_("cercle"), max_length=100, blank=True, help_text=_("Cercle (Mali)"))
    website = models.CharField(
        _("site web"),
        max_length=200,
        blank=True,
        validators=[validate_web_url],
        help_text=_("Site web (adresse http:// ou https://)"),
    )
    # Where the collectivity itself is, when known; maps fall back to its cercle's or region's
    # capital otherwise (and say so).
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Latitude (WGS 84)"),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Longitude (WGS 84)"),
    )
    # Where the maps draw it without coordinates of its own: its cercle's or region's capital,
    # computed at import time from the reference tables (partnerships.importers.mapping).
    map_latitude = models.DecimalField(
        _("latitude sur la carte"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Latitude où la carte place la collectivité sans coordonnées propres"),
    )
    map_longitude = models.DecimalField(
        _("longitude sur la carte"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Longitude où la carte place la collectivité sans coordonnées propres"),
    )
    map_precision = models.CharField(
        _("précision sur la carte"),
        max_length=10,
        choices=MapPrecision.choices,
        blank=True,
        editable=False,
        help_text=_("Précision de la position sur la carte"),
    )
    source = models.ForeignKey(
        SourceDocument,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Document source, ligne et page"),
    )
    source_line = models.PositiveIntegerField(
        _("ligne de la source"), null=True, blank=True, help_text=_("Ligne du document source")
    )
    # Optimistic locking: every save through the site, the admin or the API increments it, and
    # an edit made from an older version is refused (partnerships/locking.py, for the staff
    # pages and the API).
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    objects = CollectivityQuerySet.as_manager()
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
        # Every save path (staff pages, admin, API, revert) but loaddata's, which saves raw and
        # loads the placements the import computed (fixtures/gazetteer.json).
        if self.country == Country.MALI:
            Placement.objects.recompute(self)

    def natural_key(self):
        return (self.slug,)


class DomainQuerySet(SlugQuerySet):
    def with_partnership_count(self, partnerships=None):
        """``partnership_count`` (among ``partnerships`` when given)."""
        return self.annotate(
            partnership_count=Count(
                "partnerships", distinct=True, **_within("partnerships", partnerships)
            )
        )

    def with_action_count(self):
        return self.annotate(action_count=Count("actions", distinct=True))


class Domain(models.Model):
    """One of the 9 domains of the répertoire's summary table."""

    slug = models.SlugField(
        _("identifiant"),
        max_length=60,
        unique=True,
        help_text=_("Identifiant lisible, stable (slug)"),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), unique=True, help_text=_("Ordre"))
    name = models.CharField(_("nom"), max_length=100, unique=True, help_text=_("Nom"))
    name_en = models.CharField(
        _("nom en anglais"), max_length=100, blank=True, help_text=_("Nom en anglais")
    )
    name_as_printed = models.CharField(
        _("intitulé imprimé"), max_length=100, blank=True, help_text=_("Nom tel qu'imprimé")
    )

    objects = DomainQuerySet.as_manager()

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
        return localized(self.name, self.name_en)


def localized(name: str, name_en: str) -> str:
    """The name in the language of the page: the répertoire's French, or its English."""
    if name_en and get_language() and get_language().startswith("en"):
        return name_en
    return name


class SubThemeQuerySet(models.QuerySet):
    def get_by_natural_key(self, domain_slug, position):
        return self.get(domain__slug=domain_slug, position=position)


class SubTheme(models.Model):
    domain = models.ForeignKey(
        Domain,
        verbose_name=_("domaine"),
        on_delete=models.CASCADE,
        related_name="subthemes",
        help_text=_("Domaine"),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), help_text=_("Ordre"))
    name = models.CharField(_("sous-thème"), max_length=200, help_text=_("Nom"))
    name_en = models.CharField(
        _("nom en anglais"), max_length=200, blank=True, help_text=_("Nom en anglais")
    )

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

    @property
    def localized_name(self):
        return localized(self.name, self.name_en)


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
        help_text=_("Domaine"),
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
    def with_partner(self, **lookups):
        """The partnerships one of whose partners matches ``lookups`` (on Collectivity)."""
        return self.filter(has_partner(**lookups))

    def in_regions(self, regions):
        """With a Malian partner in one of ``regions`` (MalianRegion rows or ids)."""
        return self.with_partner_among(Collectivity.objects.filter(malian_region__in=regions))

    def with_partner_among(self, collectivities):
        """With one of ``collectivities`` as a partner, their keys read first (one query).

        Given as constants, PostgreSQL prices the partners' links from its statistics of each
        collectivity, and the partners of a region are very unequal (Bamako, Kayes): joined
        in a subquery, it took a region of 26,000 partnerships for 700 and sorted them all
        (317 ms for a fiche's related list at 100,000 partnerships) where walking the title
        index finds the first ten in 2 ms.
        """
        return self.filter(partner_among(collectivities))

    def in_domains(self, domains):
        through = Partnership.domains.through
        return self.filter(
            Exists(through.objects.filter(partnership=OuterRef("pk"), domain__in=domains))
        )

    def involving(self, collectivity):
        return self.with_partner(pk=collectivity.pk)

    def related_to(self, regions, domains, limit):
        """At most ``limit`` of those with a Malian partner in one of ``regions`` or one of
        ``domains``: those with both first, then the same region only, then the same domain
        only (``same_region`` and ``same_domain`` say which), each group by title.

        One bounded query per group, each walking the title index until it has enough rows:
        ranking every candidate at once would read all the partnerships of a big region.
        """
        through = Partnership.domains.through
        in_region = partner_among(Collectivity.objects.filter(malian_region__in=regions))
        in_domain = Exists(through.objects.filter(partnership=OuterRef("pk"), domain__in=domains))
        found = []
        for same_region, same_domain in ((True, True), (True, False), (False, True)):
            if (
                len(found) >= limit
                or (same_region and not regions)
                or (same_domain and not domains)
            ):
                continue
            rows = self.filter(
                in_region if same_region else ~in_region,
                in_domain if same_domain else ~in_domain,
            ).order_by("title", "slug")[: limit - len(found)]
            for row in rows:
                row.same_region, row.same_domain = same_region, same_domain
                found.append(row)
        return found

    def for_list(self):
        """What a row of a partnership list shows: partners (with their region) and domains."""
        return self.prefetch_related(
            models.Prefetch(
                "members",
                queryset=PartnershipMember.objects.select_related("collectivity__malian_region"),
            ),
            "domains",
        ).with_state()

    def with_open_review_count(self):
        return self.annotate(
            open_review_count=Count(
                "review_items", filter=Q(review_items__resolved_at__isnull=True)
            )
        )

    def with_last_change(self):
        """``last_changed``: when the fiche was last saved through the site, the admin or the
        API (None for a fiche never changed since it was seeded)."""
        return self.annotate(
            last_changed=models.Subquery(
                Partnership.history.filter(id=OuterRef("pk"))
                .order_by("-history_date")
                .values("history_date")[:1]
            )
        )

    def for_iati(self):
        """Every partnership as the IATI export writes it (partnerships/iati.py), by slug."""
        return self.for_document().with_last_change().order_by("slug")

    def with_state(self, today=None):
        """``state``: the current state derived from the events (see PartnershipState), with
        ``last_event_date``. One expression, so that lists, facets and fiches agree."""
        return self.annotate(**state_expressions(today))

    def in_states(self, states, today=None):
        return self.alias(**state_expressions(today)).filter(state__in=states)

    def in_units(self, division, units):
        """With a Malian partner placed in one of ``units`` (regions or cercles) in
        ``division``."""
        return self.with_partner_among(
            Collectivity.objects.filter(placements__division=division, placements__region__in=units)
        )

    def for_document(self, contacts=False):
        """Everything the partnership document shows, in a fixed number of queries."""
        queryset = self.select_related("source").prefetch_related(
            models.Prefetch(
                "members",
                queryset=PartnershipMember.objects.select_related("collectivity__malian_region"),
            ),
            "budgets",
            models.Prefetch(
                "actions",
                # Into a list (Action.budget_rows): a prefetch into each action's manager filters
                # a queryset per action, 1.8 ms of a fiche's 60 actions.
                queryset=Action.objects.select_related("domain").prefetch_related(
                    models.Prefetch("budgets", to_attr="prefetched_budgets")
                ),
            ),
            "domains",
            models.Prefetch("events", queryset=PartnershipEvent.objects.select_related("source")),
        )
        if contacts:
            queryset = queryset.prefetch_related("contacts")
        return queryset.with_state()


class Partnership(ChoiceLabels, models.Model):
    SLUG_FALLBACK = "partenariat"

    slug = models.SlugField(
        _("identifiant"),
        max_length=150,
        unique=True,
        help_text=_("Identifiant lisible, stable (slug)"),
    )
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=PartnershipStatus.choices,
        help_text=_("Statut : fiche renseignée, partenariat connu non renseigné, autre type"),
    )
    title = models.CharField(_("titre"), max_length=300, help_text=_("Titre du partenariat"))
    collectivities = models.ManyToManyField(
        Collectivity,
        through="PartnershipMember",
        verbose_name=_("collectivités partenaires"),
        related_name="partnerships",
    )
    updated_on = models.DateField(
        _("date de mise à jour de la fiche"),
        null=True,
        blank=True,
        help_text=_("Date de mise à jour de la fiche"),
    )
    contacts_start = models.TextField(
        _("début des contacts (tel qu'imprimé)"),
        blank=True,
        help_text=_("Début des contacts, tel qu'imprimé"),
    )
    contacts_start_year = models.PositiveSmallIntegerField(
        _("année du début des contacts"),
        null=True,
        blank=True,
        validators=[validate_year],
        help_text=_("Année du début des contacts"),
    )
    formalisation = models.TextField(
        _("formalisation (telle qu'imprimée)"),
        blank=True,
        help_text=_("Formalisation, telle qu'imprimée"),
    )
    formalisation_year = models.PositiveSmallIntegerField(
        _("année de formalisation"),
        null=True,
        blank=True,
        validators=[validate_year],
        help_text=_("Année de formalisation"),
    )
    formalisation_kind = models.CharField(
        _("type de document"),
        max_length=20,
        choices=FormalisationKind.choices,
        blank=True,
        help_text=_("Type de document de formalisation"),
    )
    budget_cd_as_printed = models.TextField(
        _("budget de coopération décentralisée par an (tel qu'imprimé)"), blank=True
    )
    budget_ri_as_printed = models.TextField(
        _("budget de relations internationales par an (tel qu'imprimé)"), blank=True
    )
    technical_partners = models.TextField(
        _("partenaires techniques"), blank=True, help_text=_("Partenaires techniques")
    )
    financial_partners = models.TextField(
        _("partenaires financiers"), blank=True, help_text=_("Partenaires financiers")
    )
    motivations_french = models.TextField(
        _("motivations de la partie française"),
        blank=True,
        help_text=_("Motivations de la partie française"),
    )
    motivations_malian = models.TextField(
        _("motivations de la partie malienne"),
        blank=True,
        help_text=_("Motivations de la partie malienne"),
    )
    presentation = models.TextField(_("présentation"), blank=True, help_text=_("Présentation"))
    actions_as_printed = models.TextField(
        _("tableau des actions (tel qu'imprimé)"),
        blank=True,
        help_text=_("Tableau des actions, tel qu'imprimé"),
    )
    actions_alignment_uncertain = models.BooleanField(
        _("alignement du tableau des actions incertain"),
        default=False,
        help_text=_(
            "Le texte extrait du tableau des actions ne permet pas de remettre sûrement chaque "
            "cellule sur sa ligne : le tableau tel qu'imprimé fait foi"
        ),
    )
    perspectives = models.TextField(_("perspectives"), blank=True, help_text=_("Perspectives"))
    documents = models.TextField(
        _("documents de capitalisation"), blank=True, help_text=_("Documents de capitalisation")
    )
    domains = models.ManyToManyField(
        Domain,
        verbose_name=_("domaines"),
        blank=True,
        related_name="partnerships",
        help_text=_("Domaines d'intervention"),
    )
    source = models.ForeignKey(
        SourceDocument,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Document source, ligne et page"),
    )
    source_line = models.PositiveIntegerField(
        _("ligne de la source"), null=True, blank=True, help_text=_("Ligne du document source")
    )
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
    # Set when staff have read what a partner sent back through an update link (or when the
    # partner confirmed the fiche unchanged): shown on the public fiche.
    partner_verified_on = models.DateField(
        _("dernière vérification par le partenaire"), null=True, blank=True
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
                condition=year_in_range("contacts_start_year"),
                name="partnership_contacts_start_year_plausible",
            ),
            models.CheckConstraint(
                condition=year_in_range("formalisation_year"),
                name="partnership_formalisation_year_plausible",
            ),
        ]
        # One per ordering the list offers (filters.ORDERING_FIELDS, title and slug break ties).
        indexes = [
            models.Index(fields=["title", "slug"], name="partnership_title_slug"),
            models.Index(
                fields=["contacts_start_year", "title", "slug"], name="partnership_year_title"
            ),
            models.Index(fields=["updated_on", "title", "slug"], name="partnership_updated_title"),
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
        """The partners of one side, in their printed order (uses prefetched members); each
        carries its ``membership``: what this fiche printed for it."""
        partners = []
        for member in self.members.all():
            if member.side == country:
                member.collectivity.membership = member
                partners.append(member.collectivity)
        return partners

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


class ActionQuerySet(ChildQuerySet):
    def in_domains(self, domains):
        return self.filter(domain__in=domains)

    def in_regions(self, regions):
        """Actions of partnerships with a Malian partner in one of ``regions``."""
        return self.with_partner(malian_region__in=regions)

    def in_units(self, division, units):
        """Actions of partnerships with a Malian partner placed in one of ``units`` in
        ``division``."""
        return self.filter(
            Exists(
                PartnershipMember.objects.filter(
                    partnership=OuterRef("partnership"),
                    collectivity__placements__division=division,
                    collectivity__placements__region__in=units,
                )
            )
        )

    def under_way_from(self, year):
        """Not ended before ``year`` (a single known year stands for both ends)."""
        return self.alias(last_year=Coalesce("end_year", "start_year")).filter(last_year__gte=year)

    def begun_by(self, year):
        return self.alias(first_year=Coalesce("start_year", "end_year")).filter(
            first_year__lte=year
        )

    def with_partner(self, **lookups):
        """Actions of partnerships one of whose partners matches ``lookups`` (on Collectivity)."""
        return self.filter(
            Exists(
                PartnershipMember.objects.filter(
                    partnership=OuterRef("partnership"),
                    **{f"collectivity__{key}": value for key, value in lookups.items()},
                )
            )
        )

    def with_amount_eur(self):
        """``amount_eur``: the action's budget in euros, the rule of ``action_amount_eur`` in
        SQL (its printed total if any, else the sum of its amounts; None when it has none)."""
        budgets = Budget.objects.filter(action=OuterRef("pk")).order_by().values("action")
        total = budgets.filter(kind=BudgetKind.TOTAL).annotate(s=Sum("amount_eur")).values("s")
        every = budgets.annotate(s=Sum("amount_eur")).values("s")
        return self.annotate(
            amount_eur=Coalesce(
                Subquery(total, output_field=models.DecimalField(max_digits=14, decimal_places=2)),
                Subquery(every, output_field=models.DecimalField(max_digits=14, decimal_places=2)),
            )
        )

    def amounts(self):
        """Each action's ``amount`` in euros, one row per action that has one (``action``,
        ``amount``): the rule of ``with_amount_eur`` as one grouping of its budget rows.

        Over a selection of a million actions, ``with_amount_eur`` runs its two subqueries per
        action (seconds); this reads the budget rows once."""
        return (
            self._counted_budgets().values("action").annotate(amount=Sum("amount_eur")).order_by()
        )

    def _counted_budgets(self):
        """The budget rows that make up the amounts of these actions (Budget.counted)."""
        budgets = Budget.objects.counted()
        if self.query.has_filters():
            budgets = budgets.filter(action__in=self.order_by().values("pk"))
        return budgets

    def totals_by_domain(self) -> list:
        """[{"domain", "total", "costed", "count"}]: per domain (its slug; None for actions
        without one), the actions' amounts in euros added up, how many actions have one, and
        how many there are."""
        amounts = {
            row["action__domain__slug"]: row
            for row in self._counted_budgets()
            .values("action__domain__slug")
            .annotate(total=Sum("amount_eur"), costed=Count("action", distinct=True))
            .order_by()
        }
        counts = self.order_by().values_list("domain__slug").annotate(n=Count("pk"))
        return [
            {
                "domain": domain,
                "total": amounts.get(domain, {}).get("total") or 0,
                "costed": amounts.get(domain, {}).get("costed", 0),
                "count": n,
            }
            for domain, n in counts
        ]

    def with_amount_in(self, condition):
        """Those whose amount in euros meets ``condition`` (a Q on ``amount``): the budget rows
        grouped are those of this selection only (a region's, a domain's), not all of them."""
        amounts = self.amounts().filter(condition)
        return self.filter(pk__in=amounts.values("action"))

    def for_list(self):
        return self.select_related("partnership", "domain").prefetch_related("budgets")


def action_amount_eur(budgets):
    """An action's budget in euros from its Budget rows: its printed total if any, else the sum
    of its amounts (None without any). ``with_amount_eur`` is the same rule in SQL."""
    budgets = list(budgets)
    if not budgets:
        return None
    totals = [b.amount_eur for b in budgets if b.kind == BudgetKind.TOTAL]
    return sum(totals) if totals else sum(b.amount_eur for b in budgets)


class PartnershipMemberQuerySet(models.QuerySet):
    def get_by_natural_key(self, partnership_slug, collectivity_slug):
        return self.get(partnership__slug=partnership_slug, collectivity__slug=collectivity_slug)


class PartnershipMember(ChoiceLabels, models.Model):
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partenariat"),
        on_delete=models.CASCADE,
        related_name="members",
        help_text=_("Partenariat (identifiant)"),
    )
    collectivity = models.ForeignKey(
        Collectivity,
        verbose_name=_("collectivité"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    side = models.CharField(
        _("côté"), max_length=2, choices=Country.choices, help_text=_("Côté : FR ou ML")
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0, help_text=_("Ordre"))
    # What this fiche printed for the partner, beside the collectivity's canonical record
    # (another fiche may print another name, population or location for it).
    name_as_printed = models.CharField(
        _("nom tel qu'imprimé sur la fiche"),
        max_length=300,
        blank=True,
        help_text=_("Nom du partenaire tel que cette fiche (ou cette liste) l'imprime"),
    )
    population_as_printed = models.CharField(
        _("population telle qu'imprimée sur la fiche"),
        max_length=200,
        blank=True,
        help_text=_("Population telle que cette fiche l'imprime"),
    )
    population = models.PositiveIntegerField(
        _("population d'après la fiche"),
        null=True,
        blank=True,
        help_text=_("Nombre d'habitants lu dans la population imprimée par cette fiche"),
    )
    population_of_group = models.BooleanField(
        _("population du groupe"),
        default=False,
        help_text=_(
            "La fiche imprime une seule population pour l'ensemble des partenaires de ce côté"
        ),
    )
    location_as_printed = models.CharField(
        _("localisation telle qu'imprimée sur la fiche"),
        max_length=300,
        blank=True,
        help_text=_("Département, région ou cercle tels que cette fiche les imprime"),
    )

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


class Contact(ChoiceLabels, models.Model):
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partenariat"),
        on_delete=models.CASCADE,
        related_name="contacts",
        help_text=_("Partenariat (identifiant)"),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), help_text=_("Ordre"))
    side = models.CharField(
        _("côté"), max_length=2, choices=Country.choices, help_text=_("Côté : FR ou ML")
    )
    role = models.CharField(
        _("rôle"), max_length=30, choices=ContactRole.choices, help_text=_("Rôle du contact")
    )
    label = models.CharField(_("intitulé imprimé"), max_length=200, blank=True)
    name = models.CharField(_("nom"), max_length=200, blank=True, help_text=_("Nom"))
    function = models.CharField(_("fonction"), max_length=300, blank=True, help_text=_("Fonction"))
    address = models.TextField(_("adresse"), blank=True, help_text=_("Adresse"))
    phone = models.CharField(_("téléphone"), max_length=200, blank=True, help_text=_("Téléphone"))
    fax = models.CharField(_("fax"), max_length=200, blank=True, help_text=_("Fax"))
    email = models.CharField(_("courriel"), max_length=300, blank=True, help_text=_("Courriel"))
    website = models.CharField(
        _("site web"),
        max_length=200,
        blank=True,
        validators=[validate_web_url],
        help_text=_("Site web (adresse http:// ou https://)"),
    )
    source_line = models.PositiveIntegerField(
        _("ligne de la source"), null=True, blank=True, help_text=_("Ligne du document source")
    )

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
        Partnership,
        verbose_name=_("partenariat"),
        on_delete=models.CASCADE,
        related_name="actions",
        help_text=_("Partenariat (identifiant)"),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), help_text=_("Ordre"))
    domain = models.ForeignKey(
        Domain,
        verbose_name=_("domaine"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        help_text=_("Domaine"),
    )
    domain_as_printed = models.CharField(
        _("domaine tel qu'imprimé"),
        max_length=300,
        blank=True,
        help_text=_("Domaine tel qu'imprimé"),
    )
    description = models.TextField(
        _("actions réalisées"), blank=True, help_text=_("Actions réalisées")
    )
    period_as_printed = models.TextField(
        _("période telle qu'imprimée"), blank=True, help_text=_("Période telle qu'imprimée")
    )
    start_year = models.PositiveSmallIntegerField(
        _("année de début"),
        null=True,
        blank=True,
        validators=[validate_year],
        help_text=_("Année de début"),
    )
    end_year = models.PositiveSmallIntegerField(
        _("année de fin"),
        null=True,
        blank=True,
        validators=[validate_year],
        help_text=_("Année de fin"),
    )
    budget_as_printed = models.TextField(
        _("budget tel qu'imprimé"), blank=True, help_text=_("Budget tel qu'imprimé")
    )
    source_line = models.PositiveIntegerField(
        _("ligne de la source"), null=True, blank=True, help_text=_("Ligne du document source")
    )

    objects = ActionQuerySet.as_manager()
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
        # The API's domain and year filters (ActionQuerySet.under_way_from and begun_by compare
        # these very expressions).
        indexes = [
            models.Index(
                "domain", Coalesce("end_year", "start_year"), name="action_domain_last_year"
            ),
            models.Index(
                "domain", Coalesce("start_year", "end_year"), name="action_domain_first_year"
            ),
        ]

    def __str__(self):
        return self.domain_as_printed or (self.description or "")[:60]

    @property
    def budget_rows(self) -> list:
        """Its Budget rows: those PartnershipQuerySet.for_document prefetched, else read."""
        prefetched = getattr(self, "prefetched_budgets", None)
        return list(self.budgets.all()) if prefetched is None else prefetched

    def natural_key(self):
        return (*self.partnership.natural_key(), self.position)

    natural_key.dependencies = ["partnerships.partnership"]


class SearchDocument(models.Model):
    """What the search reads of a partnership, written by partnerships/search.py only.

    The texts are stored as anonymous readers may see them (partnerships/privacy.py): contacts
    are not indexed and names of people in free texts are masked, so no search finds a person.
    """

    partnership = models.OneToOneField(
        Partnership,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
        verbose_name=_("partenariat"),
    )
    # Title and partners' names (with their cercle and region), their actions, their free texts:
    # the three weights of the ranking.
    names = models.TextField(_("noms"), blank=True)
    actions = models.TextField(_("actions"), blank=True)
    texts = models.TextField(_("textes"), blank=True)
    # Folded (text.fold): the names as a misspelling is compared with them, and "|name|" per
    # partner for the bonus of an exact name.
    folded_names = models.TextField(_("noms repliés"), blank=True)
    name_keys = models.TextField(_("noms exacts"), blank=True)
    # PostgreSQL only (GIN index, migration 0011); always empty on SQLite, which uses FTS5.
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("document de recherche")
        verbose_name_plural = _("documents de recherche")

    def __str__(self):
        return str(self.partnership_id)


class FacetRow(models.Model):
    """What the lists' facets count a partnership under, in one narrow row, written with its
    search document by partnerships/search.py (``index_partnerships``) only.

    ``facet_values`` holds one string per value (``partnerships/facetrows.py``: "domain:7",
    "region:2023:45", "department:75"…): a facet of a selection of tens of thousands of
    partnerships is then one pass over these rows, where joining the link tables, the partners
    and their placements cost seconds at national scale. The state depends on the day, so the
    row keeps its latest event, read by ``state_case``.
    """

    partnership = models.OneToOneField(
        Partnership,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="facet_row",
        verbose_name=_("partenariat"),
    )
    facet_values = models.JSONField(_("valeurs des facettes"), default=list)
    status = models.CharField(_("statut"), max_length=20, blank=True)
    contacts_start_year = models.PositiveSmallIntegerField(
        _("année des premiers contacts"), null=True
    )
    last_event_kind = models.CharField(_("dernier événement"), max_length=20, blank=True)
    last_event_date = models.DateField(_("date du dernier événement"), null=True)

    class Meta:
        verbose_name = _("ligne de facettes")
        verbose_name_plural = _("lignes de facettes")

    def __str__(self):
        return str(self.partnership_id)


class FTS5MatchField(models.TextField):
    """The hidden column of an FTS5 table named like the table: ``MATCH`` queries it."""


@FTS5MatchField.register_lookup
class FTS5Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class SearchEntry(models.Model):
    """SQLite only: the FTS5 table of the folded search documents (created by migration 0011).

    Not managed by Django: a virtual table has no foreign key, hence DO_NOTHING (its rows are
    removed by partnerships/search.py with their partnership's document).
    """

    partnership = models.OneToOneField(
        Partnership,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )
    match = FTS5MatchField(db_column="partnerships_searchentry")
    # FTS5's rank: bm25 with the column weights set by the migration (lower is better).
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "partnerships_searchentry"

    def __str__(self):
        return str(self.partnership_id)


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


class BudgetQuerySet(ChildQuerySet):
    def counted(self):
        """The rows an action's amount adds up (``action_amount_eur``): its printed totals
        where it has any, else every amount."""
        totals = Budget.objects.filter(action=OuterRef("action"), kind=BudgetKind.TOTAL)
        return self.filter(action__isnull=False).filter(Q(kind=BudgetKind.TOTAL) | ~Exists(totals))


class Budget(ChoiceLabels, models.Model):
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partenariat"),
        on_delete=models.CASCADE,
        related_name="budgets",
        help_text=_("Partenariat (identifiant)"),
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="budgets",
    )
    position = models.PositiveSmallIntegerField(_("ordre"), help_text=_("Ordre"))
    kind = models.CharField(
        _("nature"), max_length=20, choices=BudgetKind.choices, help_text=_("Nature du montant")
    )
    amount = models.DecimalField(
        _("montant"), max_digits=14, decimal_places=2, help_text=_("Montant dans sa devise")
    )
    currency = models.CharField(
        _("devise"), max_length=3, choices=Currency.choices, help_text=_("Devise : EUR, FRF ou XOF")
    )
    amount_eur = models.DecimalField(
        _("montant en euros"),
        max_digits=14,
        decimal_places=2,
        editable=False,
        help_text=_("Montant en euros (parités fixes)"),
    )
    year = models.PositiveSmallIntegerField(
        _("année"),
        null=True,
        blank=True,
        validators=[validate_year],
        help_text=_("Année"),
    )
    as_printed = models.CharField(
        _("tel qu'imprimé"), max_length=300, help_text=_("Tel qu'imprimé")
    )
    source_line = models.PositiveIntegerField(
        _("ligne de la source"), null=True, blank=True, help_text=_("Ligne du document source")
    )

    objects = BudgetQuerySet.as_manager()
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
        self.amount_eur = to_eur(self.amount, self.currency)
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


# What each kind of review item asks a person to check, in words; the kind stays the key.
REVIEW_KIND_LABELS = {
    "ambiguous-amount": _("montant à interpréter"),
    "ambiguous-budget": _("budget à interpréter"),
    "ambiguous-summary-tag": _("domaine du tableau récapitulatif à attribuer"),
    "assumed-currency": _("devise supposée"),
    "department-conflict": _("départements contradictoires"),
    "free-text": _("texte libre à relire"),
    "guessed-side": _("côté d'un contact déduit"),
    "guessed-split": _("découpage de noms déduit"),
    "header-budget": _("budget hors des lignes du tableau"),
    "inferred-domain": _("domaine déduit d'une cellule fusionnée"),
    "missing-domain": _("domaine non imprimé"),
    "missing-partner": _("partenaire absent"),
    "motivations-without-side": _("motivations sans côté"),
    "name-differs-from-title": _("nom différent du titre"),
    "nonstandard-label": _("rubrique inhabituelle"),
    "partner-from-list": _("partenaire repris d'une liste"),
    "region-as-department": _("région donnée pour département"),
    "realigned-columns": _("tableau en colonnes remis en lignes"),
    "repeated-row": _("ligne imprimée deux fois"),
    "repeated-section": _("rubrique imprimée deux fois"),
    "replaced-name": _("nom remplacé après les élections de 2008"),
    "section-heading": _("intertitre du tableau"),
    "side-mismatch": _("côté incohérent"),
    "split-domain-cell": _("cellule de domaine partagée"),
    "total-mismatch": _("total différent de la somme des lignes"),
    "two-names": _("deux noms sur une ligne"),
    "possible-duplicate": _("doublon possible"),
    "commune-without-department": _("commune sans département"),
    "unsplit-row": _("ligne d'annexe non découpée"),
    "unaligned-column": _("texte dans la mauvaise colonne"),
    "uncertain-alignment": _("alignement incertain"),
    "unmapped-domain": _("domaine non rattaché"),
    "unmatched-summary-name": _("nom du tableau récapitulatif sans fiche"),
    "unplaced-line": _("ligne non placée"),
    "unreadable-amount": _("montant illisible"),
    "unreadable-email": _("courriel illisible"),
    "unreadable-population": _("population illisible"),
    "unresolved-region": _("région malienne inconnue"),
    "unplaced-in-division": _("collectivité non placée dans un découpage"),
    "reader-report": _("erreur signalée par un lecteur"),
}


class ReviewItem(ChoiceLabels, models.Model):
    """Something the import could not place or was unsure of, for staff to check."""

    key = models.CharField(_("clé"), max_length=200, unique=True)
    # A reader's report ("signaler une erreur") has no printed source nor line.
    source = models.ForeignKey(
        SourceDocument,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_items",
        help_text=_("Document source, ligne et page"),
    )
    line = models.PositiveIntegerField(_("ligne"), null=True, blank=True)
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
        help_text=_("Partenariat (identifiant)"),
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

    @property
    def kind_label(self):
        return REVIEW_KIND_LABELS.get(self.kind, self.kind)

    def natural_key(self):
        return (self.key,)


# ---------------------------------------------------------------------------------------------
# Partners' own updates (partnerships/updates/): a personal link, and what came back through it.


class UpdateLinkQuerySet(models.QuerySet):
    def usable(self, now):
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)

    def expired(self, now):
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now)


class UpdateLink(models.Model):
    """A personal, expiring, single-use link sent to a partner to update a fiche.

    Only a hash of the token is stored: the token itself exists in the e-mail alone, so a copy
    of the database opens no fiche.
    """

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partenariat"),
        on_delete=models.CASCADE,
        related_name="update_links",
    )
    token_hash = models.CharField(_("empreinte du jeton"), max_length=64, unique=True)
    email = models.EmailField(_("adresse"), max_length=300)
    side = models.CharField(
        _("côté"), max_length=2, choices=Country.choices, help_text=_("Côté : FR ou ML")
    )
    created_at = models.DateTimeField(_("envoyé le"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("envoyé par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expire le"))
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("révoqué par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = UpdateLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("lien de mise à jour")
        verbose_name_plural = _("liens de mise à jour")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(side__in=Country.values), name="link_side_valid"),
        ]

    def __str__(self):
        return f"{self.partnership} — {self.email}"

    def state(self, now):
        if self.revoked_at:
            return "revoked"
        if self.used_at:
            return "used"
        if self.expires_at <= now:
            return "expired"
        return "pending"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("à examiner")
    REVIEWED = "reviewed", _("examinée")
    CONFIRMED = "confirmed", _("fiche confirmée sans changement")


class Proposal(ChoiceLabels, models.Model):
    """What a partner sent through one use of an update link: the fields changed, each with a
    fingerprint of the value the partner saw (so that staff see when the fiche changed since)."""

    link = models.OneToOneField(
        UpdateLink, verbose_name=_("lien"), on_delete=models.CASCADE, related_name="proposal"
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partenariat"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    submitted_at = models.DateTimeField(_("envoyée le"))
    # [{"key": "partnership.presentation", "label": "…", "seen": "<hash>", "before": "…",
    #   "after": "…"}, …]: only the fields the partner changed.
    changes = models.JSONField(_("changements proposés"), default=list, blank=True)
    submitter = models.CharField(_("nom de la personne"), max_length=200, blank=True)
    message = models.TextField(_("message du partenaire"), blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    reviewed_at = models.DateTimeField(_("examinée le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("examinée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # {key: "accepted" | "rejected"} once reviewed.
    decisions = models.JSONField(_("décisions"), default=dict, blank=True)

    class Meta:
        verbose_name = _("proposition de mise à jour")
        verbose_name_plural = _("propositions de mise à jour")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.partnership} — {self.submitted_at:%Y-%m-%d}"


# The gazetteer of Mali: its administrative divisions over time (fixtures/sources/mali_*.csv).


# The division the répertoire prints: its regions are Collectivity.malian_region (MalianRegion).
REPERTOIRE_DIVISION = "2008"


class DivisionQuerySet(SlugQuerySet):
    def current(self):
        """The division in force today: the most recent one."""
        return self.order_by("-valid_from").first()


class Division(models.Model):
    """One territorial division of Mali (2008, 2016, 2023), in force over a period."""

    slug = models.SlugField(
        _("identifiant"), max_length=20, unique=True, help_text=_("Identifiant (année)")
    )
    name = models.CharField(_("nom"), max_length=100, help_text=_("Nom du découpage"))
    valid_from = models.DateField(_("en vigueur depuis"), help_text=_("Entrée en vigueur"))
    valid_to = models.DateField(
        _("en vigueur jusqu'au"), null=True, blank=True, help_text=_("Fin de validité")
    )
    legal_basis = models.TextField(_("textes"), blank=True, help_text=_("Lois et ordonnances"))

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("découpage administratif")
        verbose_name_plural = _("découpages administratifs")
        ordering = ["valid_from"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def label(self):
        if self.valid_to is None:
            return _("régions actuelles (%(year)s)") % {"year": self.slug}
        return _("régions de %(year)s") % {"year": self.slug}


class UnitKind(models.TextChoices):
    REGION = "region", _("région")
    DISTRICT = "district", _("district")
    CERCLE = "cercle", _("cercle")


class AdministrativeUnitQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)

    def regions(self):
        return self.filter(kind__in=[UnitKind.REGION, UnitKind.DISTRICT])

    def in_division(self, division):
        """The units in force on the day ``division`` came into force."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=division.valid_from),
            Q(valid_to__isnull=True) | Q(valid_to__gt=division.valid_from),
        )

    def with_partnership_count(self, division, partnerships=None):
        """``partnership_count``: partnerships with a Malian partner placed in the unit in
        ``division`` (among ``partnerships`` when given)."""
        path = "placements__collectivity__memberships__partnership"
        condition = Q(placements__division=division)
        if partnerships is not None:
            condition &= Q(**{f"{path}__in": partnerships})
        return self.annotate(
            partnership_count=Count(path, filter=condition, distinct=True)
        ).by_number()

    def by_number(self):
        """By their official number (the units without one last), then name."""
        return self.order_by(models.F("number").asc(nulls_last=True), "name")


class AdministrativeUnit(models.Model):
    """A region, the District or a cercle of Mali, over the period it kept the same extent.

    When a reform changes a unit's extent (Gao losing Ménaka in 2016, Kayes split in 2023), the
    unit ends and a new one with the same slug begins, its predecessor linked.
    """

    key = models.SlugField(
        _("clé"), max_length=80, unique=True, help_text=_("Clé stable (slug et année)")
    )
    slug = models.SlugField(_("identifiant"), max_length=60, help_text=_("Identifiant (slug)"))
    kind = models.CharField(
        _("type"), max_length=10, choices=UnitKind.choices, help_text=_("Type d'unité")
    )
    # The region's code (loi n°2023-006: 1 to 19 from west to east); the District (code 00)
    # has none and comes last, as on the pages since 2008.
    number = models.PositiveSmallIntegerField(
        _("numéro"), null=True, blank=True, help_text=_("Numéro de la région")
    )
    name = models.CharField(_("nom"), max_length=100, help_text=_("Nom"))
    capital = models.CharField(_("chef-lieu"), max_length=100, blank=True, help_text=_("Chef-lieu"))
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    valid_from = models.DateField(
        _("en vigueur depuis"), null=True, blank=True, help_text=_("Début de validité")
    )
    valid_to = models.DateField(
        _("en vigueur jusqu'au"), null=True, blank=True, help_text=_("Fin de validité")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unité parente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    predecessors = models.ManyToManyField(
        "self",
        verbose_name=_("prédécesseurs"),
        symmetrical=False,
        blank=True,
        related_name="successors",
    )
    # The 2008 region this unit is (same extent): keeps the 2008 region pages and slugs.
    malian_region = models.ForeignKey(
        MalianRegion,
        verbose_name=_("région de 2008"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    source = models.TextField(_("source"), blank=True, help_text=_("Textes et remarques"))

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unité administrative")
        verbose_name_plural = _("unités administratives")
        ordering = [models.F("number").asc(nulls_last=True), "name", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=UnitKind.values), name="unit_kind_valid"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="unit_period_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.key,)

    natural_key.dependencies = ["partnerships.malianregion"]

    def in_force_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to > day
        )


class PlacementQuerySet(models.QuerySet):
    def get_by_natural_key(self, collectivity_slug, division_slug):
        return self.get(collectivity__slug=collectivity_slug, division__slug=division_slug)

    def recompute(self, collectivity):
        """Place ``collectivity`` again in each division, by the import's rule
        (``gazetteer.place``, the import's) on its region and cercle as they are now; a division
        it can no longer be placed in loses its placement."""
        reference, overrides = _gazetteer_reference()
        record = {
            "fields": {
                "slug": collectivity.slug,
                "kind": collectivity.kind,
                "cercle": collectivity.cercle,
                "malian_region": (
                    [collectivity.malian_region.slug] if collectivity.malian_region_id else None
                ),
                "source_line": collectivity.source_line,
            }
        }
        found, _unplaced = gazetteer.place(reference, record, overrides)
        found = [placement["fields"] for placement in found]
        divisions = Division.objects.in_bulk([f["division"][0] for f in found], field_name="slug")
        keys = [key for f in found for key in [f["region"][0], *(f["cercle"] or [])]]
        units = AdministrativeUnit.objects.in_bulk(keys, field_name="key")
        placed = []
        for fields in found:
            division = divisions.get(fields["division"][0])
            if division is None or fields["region"][0] not in units:
                continue  # a database without the gazetteer loaded (manage.py seed loads it)
            self.update_or_create(
                collectivity=collectivity,
                division=division,
                defaults={
                    "region": units[fields["region"][0]],
                    "cercle": units[fields["cercle"][0]] if fields["cercle"] else None,
                    "basis": fields["basis"],
                },
            )
            placed.append(division.pk)
        self.filter(collectivity=collectivity).exclude(division__in=placed).delete()


@functools.cache
def _gazetteer_reference():
    """The gazetteer's tables (fixtures/sources/), read once per process."""
    return gazetteer.load(settings.SOURCES_DIR), gazetteer.load_overrides(settings.SOURCES_DIR)


class Placement(models.Model):
    """Where a Malian collectivity lies in one division: its region and, when known, cercle."""

    collectivity = models.ForeignKey(
        Collectivity,
        verbose_name=_("collectivité"),
        on_delete=models.CASCADE,
        related_name="placements",
    )
    division = models.ForeignKey(
        Division, verbose_name=_("découpage"), on_delete=models.CASCADE, related_name="placements"
    )
    region = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("région"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    cercle = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("cercle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cercle_placements",
    )
    basis = models.CharField(
        _("fondement"), max_length=300, blank=True, help_text=_("Comment la place a été déduite")
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("rattachement")
        verbose_name_plural = _("rattachements")
        ordering = ["division", "collectivity"]
        constraints = [
            models.UniqueConstraint(
                fields=["collectivity", "division"], name="placement_unique_division"
            )
        ]

    def __str__(self):
        return f"{self.collectivity} — {self.region} ({self.division})"

    def natural_key(self):
        return (*self.collectivity.natural_key(), *self.division.natural_key())

    natural_key.dependencies = [
        "partnerships.collectivity",
        "partnerships.division",
        "partnerships.administrativeunit",
    ]


# The life of a partnership: dated events and the state derived from them.


class EventKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("premiers contacts")
    SIGNED = "signed", _("convention signée")
    RENEWED = "renewed", _("convention renouvelée")
    NEWS = "news", _("activité attestée")
    REORIENTED = "reoriented", _("réorienté")
    SUSPENDED = "suspended", _("suspendu pour raisons de sécurité")
    RESUMED = "resumed", _("repris")
    ENDED = "ended", _("terminé")


class DatePrecision(models.TextChoices):
    YEAR = "year", _("année")
    MONTH = "month", _("mois")
    DAY = "day", _("jour")


class PartnershipState(models.TextChoices):
    ACTIVE = "active", _("actif")
    DORMANT = "dormant", _("en sommeil")
    SUSPENDED = "suspended", _("suspendu")
    ENDED = "ended", _("terminé")
    UNKNOWN = "unknown", _("inconnu")


# No news over a whole French municipal term (six years): the partnership is dormant.
DORMANT_AFTER_YEARS = 6


def dormant_before(today=None) -> datetime.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - DORMANT_AFTER_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - DORMANT_AFTER_YEARS, day=28)


def state_expressions(today=None) -> dict:
    """The annotations that derive a partnership's state from its latest event: its date, and
    the state computed inside the subquery that reads that event (without one: unknown).

    A CASE over annotations holding the subqueries copies them into each of its branches (five
    subqueries per row, and 2 of a fiche's 3.5 ms of building its query): here there are two."""
    latest = PartnershipEvent.objects.filter(partnership=OuterRef("pk")).order_by("-date", "-key")
    return {
        "last_event_date": Subquery(latest.values("date")[:1]),
        "state": Coalesce(
            Subquery(latest.annotate(state=state_case("kind", "date", today)).values("state")[:1]),
            Value(PartnershipState.UNKNOWN),
            output_field=models.CharField(),
        ),
    }


def state_case(kind, date, today=None) -> Case:
    """The state from the latest event's ``kind`` and ``date`` (field names): the one rule,
    read by the partnerships' annotations and by the facets' rows (FacetRow).

    The latest event decides: "ended" ends it, "suspended" suspends it (until an event
    resumes it); any other event keeps it active for DORMANT_AFTER_YEARS, then it is dormant.
    Without any event the state is unknown.
    """
    return Case(
        When(**{kind: EventKind.ENDED}, then=Value(PartnershipState.ENDED)),
        When(**{kind: EventKind.SUSPENDED}, then=Value(PartnershipState.SUSPENDED)),
        When(**{f"{date}__gte": dormant_before(today)}, then=Value(PartnershipState.ACTIVE)),
        When(**{f"{date}__isnull": False}, then=Value(PartnershipState.DORMANT)),
        default=Value(PartnershipState.UNKNOWN),
        output_field=models.CharField(),
    )


class PartnershipEventQuerySet(models.QuerySet):
    def get_by_natural_key(self, partnership_slug, key):
        return self.get(partnership__slug=partnership_slug, key=key)


class PartnershipEvent(ChoiceLabels, models.Model):
    """A dated step in the life of a partnership, with where it is known from."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partenariat"),
        on_delete=models.CASCADE,
        related_name="events",
        help_text=_("Partenariat (identifiant)"),
    )
    # Stable identity of a seeded event ("repertoire-first-contact", "cuf2016-answer-13"…);
    # events added by staff get "staff-<n>".
    key = models.SlugField(_("clé"), max_length=80)
    kind = models.CharField(
        _("nature"), max_length=20, choices=EventKind.choices, help_text=_("Nature de l'événement")
    )
    date = models.DateField(
        _("date"), help_text=_("Date (premier jour du mois ou de l'année si moins précise)")
    )
    precision = models.CharField(
        _("précision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.YEAR,
        help_text=_("Précision de la date : année, mois ou jour"),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Description"))
    source = models.ForeignKey(
        SourceDocument,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Document source"),
    )
    source_line = models.PositiveIntegerField(
        _("ligne de la source"), null=True, blank=True, help_text=_("Ligne du document source")
    )
    provenance = models.CharField(
        _("provenance"),
        max_length=300,
        blank=True,
        help_text=_("D'où vient l'information (document, réponse, personne)"),
    )

    objects = PartnershipEventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["partnership", "date", "key"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="event_unique_key"),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(
                condition=Q(precision__in=DatePrecision.values), name="event_precision_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date:%Y})"

    def natural_key(self):
        return (*self.partnership.natural_key(), self.key)

    natural_key.dependencies = ["partnerships.partnership", "partnerships.sourcedocument"]
