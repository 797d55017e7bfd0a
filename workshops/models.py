"""Meeting notes beside the répertoire: workshops, their sections, participants, quotes,
recommendations, questionnaire answers and twin towns, and their links to the directory.

Everything is seeded from fixtures/workshops.json (``manage.py import_workshops``): each row
has a natural key (the workshop's slug and a position, or the answer's number) so that seeding
again updates the same rows.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships.models import Collectivity, Partnership, SlugQuerySet, SourceDocument


class WorkshopKind(models.TextChoices):
    MEETING = "meeting", _("rencontre")
    WORKSHOP = "workshop", _("atelier")
    DEBATE = "debate", _("synthèse de débat")
    WEB_PAGE = "web_page", _("page web d'une collectivité")


class DatePrecision(models.TextChoices):
    EXACT = "exact", _("date exacte")
    PARTIAL = "partial", _("date partielle")
    UNKNOWN = "unknown", _("date inconnue")


class Workshop(models.Model):
    slug = models.SlugField(
        _("identifiant"),
        max_length=100,
        unique=True,
        help_text=_("Identifiant lisible, stable (slug)"),
    )
    kind = models.CharField(
        _("type de document"),
        max_length=20,
        choices=WorkshopKind.choices,
        help_text=_("Type de document : rencontre, atelier, synthèse de débat, page web"),
    )
    title = models.CharField(_("titre"), max_length=300, help_text=_("Titre de l'atelier"))
    # How the fiches cite it: "dans l'atelier « zones à risques »".
    short_title = models.CharField(
        _("titre court"), max_length=100, help_text=_("Titre court, tel que les fiches le citent")
    )
    organiser = models.CharField(
        _("organisateur"), max_length=200, blank=True, help_text=_("Organisateur")
    )
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Date, quand elle est connue exactement")
    )
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True, help_text=_("Année"))
    date_as_printed = models.CharField(
        _("date telle qu'imprimée"),
        max_length=100,
        blank=True,
        help_text=_("Date telle qu'imprimée"),
    )
    date_precision = models.CharField(
        _("précision de la date"),
        max_length=10,
        choices=DatePrecision.choices,
        help_text=_("Précision de la date"),
    )
    date_note = models.CharField(
        _("remarque sur la date"), max_length=300, blank=True, help_text=_("Remarque sur la date")
    )
    place = models.CharField(_("lieu"), max_length=200, blank=True, help_text=_("Lieu"))
    context = models.TextField(_("contexte"), blank=True, help_text=_("Contexte"))
    objectives = models.TextField(_("objectifs"), blank=True, help_text=_("Objectifs"))
    agenda = models.JSONField(
        _("programme"), default=list, blank=True, help_text=_("Programme, tel qu'imprimé")
    )
    footnotes = models.JSONField(
        _("notes de bas de page"), default=list, blank=True, help_text=_("Notes de bas de page")
    )
    source = models.ForeignKey(
        SourceDocument,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Document source (identifiant)"),
    )
    source_line = models.PositiveIntegerField(
        _("ligne de la source"), null=True, blank=True, help_text=_("Ligne du document source")
    )

    objects = SlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        ordering = [models.F("date").desc(nulls_last=True), "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values),
                name="workshop_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(date__isnull=True) | Q(date_precision=DatePrecision.EXACT),
                name="workshop_date_only_when_exact",
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def cited_as(self):
        """How a fiche cites it: "l'atelier « zones à risques »"."""
        phrases = {
            WorkshopKind.WORKSHOP: _("l'atelier « %(title)s »"),
            WorkshopKind.MEETING: _("la rencontre « %(title)s »"),
            WorkshopKind.DEBATE: _("la synthèse des débats « %(title)s »"),
            WorkshopKind.WEB_PAGE: _("la page « %(title)s »"),
        }
        return phrases[self.kind] % {"title": self.short_title}


class WorkshopChildQuerySet(models.QuerySet):
    def get_by_natural_key(self, workshop_slug, position):
        return self.get(workshop__slug=workshop_slug, position=position)


class WorkshopChild(models.Model):
    """A row of a workshop, identified by the workshop and its position in the document."""

    workshop = models.ForeignKey(Workshop, verbose_name=_("atelier"), on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(_("ordre"), help_text=_("Ordre dans le document"))
    source_line = models.PositiveIntegerField(
        _("ligne de la source"), null=True, blank=True, help_text=_("Ligne du document source")
    )

    objects = WorkshopChildQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["workshop", "position"]

    def natural_key(self):
        return (*self.workshop.natural_key(), self.position)

    natural_key.dependencies = ["workshops.workshop"]


class SectionKind(models.TextChoices):
    TESTIMONY = "testimony", _("témoignage")
    SYNTHESIS = "synthesis", _("synthèse")
    RECOMMENDATIONS = "recommendations", _("recommandations")
    KEY_POINTS = "key_points", _("points clés")
    PROGRAMME = "programme", _("programme")
    CONTEXT = "context", _("contexte")
    OTHER = "other", _("autre")


class Section(WorkshopChild):
    heading = models.CharField(
        _("titre"), max_length=400, help_text=_("Titre (sans nom de personne pour les anonymes)")
    )
    # Speeches are headed "Prénom Nom, fonction, organisation": the name is personal data, so
    # the heading without it is kept apart for anonymous visitors.
    public_heading = models.CharField(
        _("titre sans nom de personne"), max_length=400, help_text=_("Titre sans nom de personne")
    )
    speaker = models.CharField(_("intervenant"), max_length=200, blank=True)
    kind = models.CharField(
        _("nature"), max_length=20, choices=SectionKind.choices, help_text=_("Nature de la section")
    )
    level = models.PositiveSmallIntegerField(_("niveau"), default=1, help_text=_("Niveau du titre"))
    text = models.TextField(_("texte"), blank=True, help_text=_("Texte"))

    class Meta(WorkshopChild.Meta):
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        default_related_name = "sections"
        constraints = [
            models.UniqueConstraint(fields=["workshop", "position"], name="section_unique_position")
        ]

    def __str__(self):
        return self.public_heading


class ParticipantStatus(models.TextChoices):
    PRESENT = "present", _("présent")
    EXCUSED = "excused", _("excusé")
    TEAM = "team", _("équipe de l'organisateur")
    SPEAKER = "speaker", _("intervenant")


class Participant(WorkshopChild):
    status = models.CharField(
        _("présence"), max_length=10, choices=ParticipantStatus.choices, help_text=_("Présence")
    )
    number = models.PositiveSmallIntegerField(
        _("numéro dans la liste"), null=True, blank=True, help_text=_("Numéro dans la liste")
    )
    organisation = models.CharField(
        _("organisation"), max_length=300, blank=True, help_text=_("Organisation")
    )
    first_name = models.CharField(
        _("prénom"),
        max_length=100,
        blank=True,
        help_text=_("Prénom (utilisateurs connectés seulement)"),
    )
    last_name = models.CharField(
        _("nom"), max_length=100, blank=True, help_text=_("Nom (utilisateurs connectés seulement)")
    )
    function = models.CharField(_("fonction"), max_length=300, blank=True, help_text=_("Fonction"))
    is_speaker = models.BooleanField(_("intervenant"), default=False, help_text=_("Intervenant"))

    class Meta(WorkshopChild.Meta):
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        default_related_name = "participants"
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "position"], name="participant_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ParticipantStatus.values), name="participant_status_valid"
            ),
        ]

    def __str__(self):
        return self.organisation or self.function


class Quote(WorkshopChild):
    text = models.TextField(_("citation"), help_text=_("Citation"))
    value = models.CharField(
        _("valeur illustrée"), max_length=100, blank=True, help_text=_("Valeur illustrée")
    )

    class Meta(WorkshopChild.Meta):
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        default_related_name = "quotes"
        constraints = [
            models.UniqueConstraint(fields=["workshop", "position"], name="quote_unique_position")
        ]

    def __str__(self):
        return self.text[:80]


class Recommendation(WorkshopChild):
    theme = models.CharField(_("thème"), max_length=300, blank=True, help_text=_("Thème"))
    order = models.PositiveSmallIntegerField(
        _("rang dans le thème"), help_text=_("Rang dans le thème")
    )
    text = models.TextField(_("recommandation"), help_text=_("Recommandation"))

    class Meta(WorkshopChild.Meta):
        verbose_name = _("recommandation")
        verbose_name_plural = _("recommandations")
        default_related_name = "recommendations"
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "position"], name="recommendation_unique_position"
            )
        ]

    def __str__(self):
        return self.text[:80]


class ChallengeKind(models.TextChoices):
    """Kinds of challenge named by the 2016 answers (read from their words at import)."""

    MISSIONS = "missions", _("missions impossibles ou limitées")
    SECURITY = "security", _("terrorisme, enlèvements, conflits")
    FOLLOW_UP = "follow_up", _("suivi des projets à distance")
    COMMUNICATION = "communication", _("communication avec les partenaires")
    MOBILISATION = "mobilisation", _("mobilisation en France")
    FUNDING = "funding", _("financements et partenaires")
    POLITICAL = "political", _("situation politique et institutionnelle")


class AnswerCategory(models.TextChoices):
    COLLECTIVITY = "collectivity", _("collectivité ou association de jumelage")
    OTHER = "other", _("autre structure")


class AnswerQuerySet(models.QuerySet):
    def get_by_natural_key(self, workshop_slug, number):
        return self.get(workshop__slug=workshop_slug, number=number)


class QuestionnaireAnswer(models.Model):
    """One row of the table of answers to the preparatory questionnaire (CUF, 2016)."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("atelier"), on_delete=models.CASCADE, related_name="answers"
    )
    number = models.PositiveSmallIntegerField(_("numéro"), help_text=_("Numéro de la réponse"))
    category = models.CharField(
        _("catégorie"),
        max_length=20,
        choices=AnswerCategory.choices,
        help_text=_("Catégorie : collectivité ou association de jumelage, autre structure"),
    )
    respondent = models.CharField(
        _("collectivité ou association"),
        max_length=300,
        help_text=_("Collectivité ou association qui répond"),
    )
    partner_as_printed = models.CharField(
        _("pays et localité partenaires"),
        max_length=300,
        help_text=_("Pays et localité partenaires, tels qu'imprimés"),
    )
    # [{"country": "Mali", "locality": "Koutiala" | null}], in printed order.
    places = models.JSONField(
        _("lieux partenaires"),
        default=list,
        blank=True,
        help_text=_("Lieux partenaires (pays, localité)"),
    )
    challenges = models.TextField(_("défis"), blank=True, help_text=_("Défis"))
    challenge_kinds = models.JSONField(
        _("types de défis"), default=list, blank=True, help_text=_("Types de défis")
    )
    tools = models.TextField(
        _("outils et pratiques"), blank=True, help_text=_("Outils et pratiques")
    )
    recommendations = models.TextField(
        _("recommandations"), blank=True, help_text=_("Recommandations")
    )
    # The contact cell names a person: shown to signed-in users only.
    contact = models.TextField(
        _("contact"), blank=True, help_text=_("Contact (utilisateurs connectés seulement)")
    )
    source_line = models.PositiveIntegerField(
        _("ligne de la source"), null=True, blank=True, help_text=_("Ligne du document source")
    )

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("réponse au questionnaire")
        verbose_name_plural = _("réponses au questionnaire")
        ordering = ["workshop", "number"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "number"], name="answer_unique_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.respondent}"

    def natural_key(self):
        return (*self.workshop.natural_key(), self.number)

    natural_key.dependencies = ["workshops.workshop"]

    @property
    def countries(self):
        return [place["country"] for place in self.places]

    def get_challenge_kinds_display(self):
        labels = dict(ChallengeKind.choices)
        return [labels[kind] for kind in self.challenge_kinds if kind in labels]


class TwinTown(WorkshopChild):
    """A twin town as a collectivity's page presents it (Bagnolet's page, 004)."""

    name = models.CharField(_("nom"), max_length=200, help_text=_("Nom"))
    country = models.CharField(_("pays"), max_length=100, blank=True, help_text=_("Pays"))
    year = models.PositiveSmallIntegerField(
        _("année du jumelage"), null=True, blank=True, help_text=_("Année du jumelage")
    )
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, help_text=_("Population")
    )
    population_as_printed = models.CharField(
        _("population telle qu'imprimée"),
        max_length=100,
        blank=True,
        help_text=_("Population telle qu'imprimée"),
    )
    population_year = models.PositiveSmallIntegerField(
        _("année de la population"),
        null=True,
        blank=True,
        help_text=_("Année de la population"),
    )
    population_approximate = models.BooleanField(
        _("population approximative"), default=False, help_text=_("Population approximative")
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Description"))
    cercle = models.CharField(_("cercle"), max_length=100, blank=True, help_text=_("Cercle (Mali)"))

    class Meta(WorkshopChild.Meta):
        verbose_name = _("ville jumelle")
        verbose_name_plural = _("villes jumelles")
        default_related_name = "twin_towns"
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "position"], name="twin_town_unique_position"
            )
        ]

    def __str__(self):
        return self.name


class LinkQuerySet(WorkshopChildQuerySet):
    def about(self, *, partnerships=(), collectivities=()):
        """The links to any of these partnerships or collectivities, with their items, in one
        query (the item relations are foreign keys: joined, never fetched per row)."""
        return (
            self.filter(Q(partnership__in=partnerships) | Q(collectivity__in=collectivities))
            .select_related(
                "workshop", "section", "participant", "answer", "twin_town", "collectivity"
            )
            .order_by(
                models.F("workshop__date").desc(nulls_last=True), "workshop__title", "position"
            )
        )


class Link(WorkshopChild):
    """A workshop item (or the workshop itself) concerns a collectivity or a partnership.

    Computed at import from the names the documents print: exact matching keys only, never a
    partial name; ``method`` says how the link was made.
    """

    collectivity = models.ForeignKey(
        Collectivity,
        verbose_name=_("collectivité"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="workshop_links",
        help_text=_("Collectivité (identifiant)"),
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partenariat"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="workshop_links",
        help_text=_("Partenariat (identifiant)"),
    )
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE)
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.CASCADE)
    answer = models.ForeignKey(QuestionnaireAnswer, null=True, blank=True, on_delete=models.CASCADE)
    twin_town = models.ForeignKey(TwinTown, null=True, blank=True, on_delete=models.CASCADE)
    name_as_printed = models.CharField(
        _("nom tel qu'imprimé"), max_length=300, help_text=_("Nom tel qu'imprimé")
    )
    method = models.CharField(_("méthode"), max_length=200, help_text=_("Méthode du rapprochement"))

    objects = LinkQuerySet.as_manager()

    class Meta(WorkshopChild.Meta):
        verbose_name = _("lien vers le répertoire")
        verbose_name_plural = _("liens vers le répertoire")
        default_related_name = "links"
        constraints = [
            models.UniqueConstraint(fields=["workshop", "position"], name="link_unique_position"),
            models.CheckConstraint(
                condition=Q(collectivity__isnull=False) | Q(partnership__isnull=False),
                name="link_has_target",
            ),
        ]

    def __str__(self):
        return f"{self.name_as_printed} → {self.partnership or self.collectivity}"

    @property
    def item(self):
        return self.answer or self.section or self.twin_town or self.participant
