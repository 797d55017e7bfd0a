"""The directory as IATI activities (standard 2.03): one ``iati-activity`` per partnership.

Pure: partnerships loaded by ``Partnership.objects.for_document()`` in, XML text out, written
activity by activity (``activities_xml`` is a generator) so that the API view and the
``export_iati`` command stream it in bounded memory. The file is public: free texts go through
the masker it is given, and no contact person is ever written.

What IATI asks and the répertoire does not say is decided here once:

- the 9 domains are sectors twice: the directory's own vocabulary (99, their slugs) and the
  DAC 5-digit purpose codes (vocabulary 1) of ``DAC_SECTORS``, shares split evenly;
- the French partners are funding and implementing organisations, the Malian ones implementing
  (IATI 2.03 has no "beneficiary" role);
- the start is the first year known (contacts, formalisation, first action) as 1 January of
  that year, said so in a narrative; without any, the date the répertoire attests the
  partnership stands in for it, said so too (IATI requires one date);
- the status follows the state the events give (``with_state()``), see ``ACTIVITY_STATUS``;
- budgets are the amounts of the actions table over the years their action gives, in euros
  (fixed parities); the collectivities' yearly budgets, which are not the partnership's, are
  quoted in the description.
"""

import datetime
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from .models import BudgetKind, CollectivityKind, Country, MapPrecision, PartnershipState

IATI_VERSION = "2.03"
# Partnerships read from the database at a time (with their rows): the memory a file takes.
CHUNK_SIZE = 100

# The 9 domains of the répertoire's summary table and the DAC 5-digit purpose code (OECD CRS,
# IATI "Sector" codelist) closest to what the summary table puts under each.
DAC_SECTORS = {
    # Maîtrise d'ouvrage, capacités, équipements communaux.
    "appui-institutionnel": "15112",  # Decentralisation and support to subnational government
    "tourisme-solidaire-patrimoine": "33210",  # Tourism policy and administrative management
    # Échanges scolaires, chantiers de jeunes, actions culturelles en France.
    "education-au-developpement": "99820",  # Promotion of development awareness
    "appui-societe-civile": "15150",  # Democratic participation and civil society
    # Bâtiments, fournitures, formation.
    "education": "11120",  # Education facilities and training
    "developpement-rural": "43040",  # Rural development
    # Centres de santé communautaires (CSCOM), formation, santé publique.
    "sante": "12220",  # Basic health care
    "eau-assainissement": "14030",  # Basic drinking water supply and basic sanitation
    # Micro-crédit, formation, artisanat.
    "developpement-economique": "32130",  # Small and medium-sized enterprises (SME) development
}

# IATI OrganisationType: every collectivity is a local government, associations are NGOs.
LOCAL_GOVERNMENT = "11"
ORGANISATION_TYPES = {
    (Country.FRANCE, CollectivityKind.ASSOCIATION): "22",  # National NGO
    (Country.MALI, CollectivityKind.ASSOCIATION): "24",  # Partner country based NGO
    (Country.FRANCE, CollectivityKind.OTHER): "90",  # Other
    (Country.MALI, CollectivityKind.OTHER): "90",
}
FUNDING, IMPLEMENTING = "1", "4"
# IATI ActivityStatus of each state of a partnership (PartnershipState, from its events). IATI's
# statuses are declarations: a partnership is closed or suspended only when an event says so;
# dormant (no news for DORMANT_AFTER_YEARS) and unknown (no dated event) ones are not known to
# have stopped, and the répertoire lists them as under way, so they stay in implementation.
# "Finalisation" (3) and "Pipeline" (1) have no counterpart among the states.
IMPLEMENTATION, CLOSED, SUSPENDED = "2", "4", "6"
ACTIVITY_STATUS = {
    PartnershipState.ACTIVE: IMPLEMENTATION,
    PartnershipState.DORMANT: IMPLEMENTATION,
    PartnershipState.UNKNOWN: IMPLEMENTATION,
    PartnershipState.SUSPENDED: SUSPENDED,
    PartnershipState.ENDED: CLOSED,
}
ACTUAL_START, ACTUAL_END = "2", "4"
GENERAL, OBJECTIVES = "1", "2"
# Mali's divisions as IATI feature designations (GeoNames): region (and the District), cercle,
# commune.
FEATURE_DESIGNATIONS = {
    CollectivityKind.ML_REGION: "ADM1",
    CollectivityKind.DISTRICT: "ADM1",
    CollectivityKind.CERCLE: "ADM2",
    CollectivityKind.COMMUNE: "ADM3",
}
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot carry at all (a pasted text may hold one).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class ReportingOrg:
    """Who publishes the file: its IATI organisation identifier prefixes every activity's."""

    ref: str
    type: str
    name: str

    @classmethod
    def from_settings(cls):
        return cls(
            ref=settings.IATI_REPORTING_ORG_REF,
            type=settings.IATI_REPORTING_ORG_TYPE,
            name=settings.IATI_REPORTING_ORG_NAME,
        )


def clean(text) -> str:
    return _NOT_XML.sub("", str(text or "")).strip()


def identifier(reporting_org: ReportingOrg, partnership) -> str:
    return f"{reporting_org.ref}-{partnership.slug}"


def _narratives(parent, texts: dict) -> None:
    """One ``narrative`` per language that has a text ({"fr": …, "en": …})."""
    for lang, text in texts.items():
        text = clean(text)
        if text:
            ET.SubElement(parent, "narrative", {XML_LANG: lang}).text = text


def _element(parent, tag, attributes=None, texts=None):
    element = ET.SubElement(parent, tag, {k: v for k, v in (attributes or {}).items() if v})
    if texts:
        _narratives(element, texts)
    return element


def split_percentages(count: int) -> list[Decimal]:
    """``count`` shares of 100 to two decimals, summing to exactly 100 (IATI's rule)."""
    if count <= 0:
        return []
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return [share] * (count - 1) + [Decimal(100) - share * (count - 1)]


def organisation_type(collectivity) -> str:
    return ORGANISATION_TYPES.get((collectivity.country, collectivity.kind), LOCAL_GOVERNMENT)


def start_year(partnership) -> tuple[int | None, str]:
    """The first year the fiche gives for the partnership, and what it is the year of."""
    if partnership.contacts_start_year:
        return partnership.contacts_start_year, "contacts"
    if partnership.formalisation_year:
        return partnership.formalisation_year, "formalisation"
    years = [a.start_year for a in partnership.actions.all() if a.start_year]
    if years:
        return min(years), "action"
    return None, ""


def attested_on(partnership) -> datetime.date:
    """The date by which the partnership existed: its fiche's update, else its source's year."""
    if partnership.updated_on:
        return partnership.updated_on
    year = partnership.source.year if partnership.source and partnership.source.year else 2008
    return datetime.date(year, 12, 31)


START_NARRATIVES = {
    "contacts": (
        "Année du début des contacts, seule connue.",
        "Year contacts began; only the year is known.",
    ),
    "formalisation": (
        "Année de la formalisation du partenariat, seule connue.",
        "Year the partnership was formalised; only the year is known.",
    ),
    "action": (
        "Année de la première action connue, seule connue.",
        "Year of the first known action; only the year is known.",
    ),
    "": (
        "Date de début inconnue : partenariat attesté à cette date par le répertoire.",
        "Start date unknown: the directory attests the partnership at this date.",
    ),
}


def budget_periods(partnership) -> list[tuple[int, int, Decimal]]:
    """(first year, last year, euros) of the actions table's amounts whose years are known
    (the budget's own year, else its action's years), summed by period, in order. Totals are
    left out (they sum rows). Periods overlap where the table's actions do."""
    periods = defaultdict(Decimal)
    for action in partnership.actions.all():
        for budget in action.budget_rows:
            if budget.kind == BudgetKind.TOTAL:
                continue
            if budget.year:
                first = last = budget.year
            elif action.start_year:
                first, last = action.start_year, action.end_year or action.start_year
            else:
                continue
            periods[first, last] += budget.amount_eur
    return [(first, last, euros) for (first, last), euros in sorted(periods.items())]


def _description(partnership, masker) -> dict:
    french = ", ".join(p.name for p in partnership.french_partners)
    malian = ", ".join(p.name for p in partnership.malian_partners)
    if french and malian:
        fr = (
            "Partenariat de coopération décentralisée franco-malienne entre "
            f"{french} (France) et {malian} (Mali)."
        )
        en = (
            "French-Malian decentralised cooperation partnership between "
            f"{french} (France) and {malian} (Mali)."
        )
    else:
        fr = f"Partenariat de coopération décentralisée franco-malienne : {partnership.title}."
        en = f"French-Malian decentralised cooperation partnership: {partnership.title}."
    paragraphs = [fr, masker.text(partnership.presentation)]
    for label, text in (
        ("Budget consacré à la coopération décentralisée par an", partnership.budget_cd_as_printed),
        ("Budget consacré aux relations internationales par an", partnership.budget_ri_as_printed),
        ("Partenaires techniques", partnership.technical_partners),
        ("Partenaires financiers", partnership.financial_partners),
    ):
        if clean(text):
            paragraphs.append(f"{label} : {masker.text(text)}")
    return {"fr": "\n\n".join(p for p in paragraphs if clean(p)), "en": en}


def _location(parent, collectivity) -> None:
    location = _element(parent, "location", {"ref": collectivity.slug})
    _element(location, "location-reach", {"code": "1"})
    _element(location, "name", texts={"fr": collectivity.name})
    where = []
    if collectivity.cercle and collectivity.kind != CollectivityKind.CERCLE:
        where.append(f"cercle de {collectivity.cercle}")
    region = collectivity.malian_region
    if region and collectivity.kind not in (CollectivityKind.ML_REGION, CollectivityKind.DISTRICT):
        # "District de Bamako" is its own name; the others are "région de Kayes".
        where.append(
            region.name if region.name.startswith("District") else f"région de {region.name}"
        )
    if where:
        text = ", ".join(where)
        _element(location, "description", texts={"fr": text[0].upper() + text[1:]})
    # Coordinates where the collectivity itself is known (its own, or its seat's); a cercle's
    # capital is an approximation; a region's capital would say nothing of where it lies.
    if collectivity.latitude is not None and collectivity.longitude is not None:
        point, exactness = (collectivity.latitude, collectivity.longitude), "1"
    elif collectivity.map_precision in (MapPrecision.SEAT, MapPrecision.CERCLE):
        point = (collectivity.map_latitude, collectivity.map_longitude)
        exactness = "1" if collectivity.map_precision == MapPrecision.SEAT else "2"
    else:
        point = exactness = None
    if point and None not in point:
        pos = _element(location, "point", {"srsName": WGS84})
        ET.SubElement(pos, "pos").text = " ".join(f"{Decimal(x).normalize():f}" for x in point)
        _element(location, "exactness", {"code": exactness})
    designation = FEATURE_DESIGNATIONS.get(collectivity.kind)
    if designation:
        _element(location, "location-class", {"code": "1"})  # administrative region
        _element(location, "feature-designation", {"code": designation})


def activity(partnership, *, masker, reporting_org: ReportingOrg) -> ET.Element:
    """The ``iati-activity`` of one partnership (members, actions, budgets, domains loaded;
    ``last_changed`` when annotated by ``with_last_change()``)."""
    attributes = {XML_LANG: "fr", "default-currency": "EUR", "hierarchy": "1"}
    last_changed = getattr(partnership, "last_changed", None)
    if last_changed:
        attributes["last-updated-datetime"] = last_changed.isoformat(timespec="seconds")
    root = ET.Element("iati-activity", attributes)
    ET.SubElement(root, "iati-identifier").text = identifier(reporting_org, partnership)
    _element(
        root,
        "reporting-org",
        {"ref": reporting_org.ref, "type": reporting_org.type},
        {"fr": reporting_org.name},
    )
    _element(root, "title", texts={"fr": partnership.title})
    _element(root, "description", {"type": GENERAL}, _description(partnership, masker))
    motivations = [
        f"{label} : {masker.text(text)}"
        for label, text in (
            ("Pour la partie française", partnership.motivations_french),
            ("Pour la partie malienne", partnership.motivations_malian),
        )
        if clean(text)
    ]
    if motivations:
        _element(root, "description", {"type": OBJECTIVES}, {"fr": "\n\n".join(motivations)})

    french, malian = partnership.french_partners, partnership.malian_partners
    for collectivity in french:
        for role in (FUNDING, IMPLEMENTING):
            _element(
                root,
                "participating-org",
                {"role": role, "type": organisation_type(collectivity)},
                {"fr": collectivity.name},
            )
    for collectivity in malian:
        _element(
            root,
            "participating-org",
            {"role": IMPLEMENTING, "type": organisation_type(collectivity)},
            {"fr": collectivity.name},
        )
    # participating-org is required: a partnership without partners names its publisher.
    if not french and not malian:
        _element(
            root,
            "participating-org",
            {"role": IMPLEMENTING, "type": reporting_org.type, "ref": reporting_org.ref},
            {"fr": reporting_org.name},
        )

    _element(root, "activity-status", {"code": ACTIVITY_STATUS[partnership.state]})
    year, what = start_year(partnership)
    date = datetime.date(year, 1, 1) if year else attested_on(partnership)
    fr, en = START_NARRATIVES[what]
    _element(
        root,
        "activity-date",
        {"type": ACTUAL_START, "iso-date": date.isoformat()},
        {"fr": fr, "en": en},
    )
    if partnership.state == PartnershipState.ENDED:
        # A closed activity has its actual end: the date of the event that ended it.
        _element(
            root,
            "activity-date",
            {"type": ACTUAL_END, "iso-date": partnership.last_event_date.isoformat()},
        )
    regions = {c.malian_region_id for c in malian if c.malian_region_id}
    if regions:
        # Sub-national, within one first-level division (6) or several (5).
        _element(root, "activity-scope", {"code": "6" if len(regions) == 1 else "5"})
    _element(root, "recipient-country", {"code": "ML", "percentage": "100"}, {"fr": "Mali"})
    for collectivity in malian:
        _location(root, collectivity)

    domains = list(partnership.domains.all())
    for domain, share in zip(domains, split_percentages(len(domains)), strict=True):
        _element(
            root,
            "sector",
            {"vocabulary": "99", "code": domain.slug, "percentage": str(share)},
            {"fr": domain.name, "en": domain.name_en},
        )
    coded = [d for d in domains if d.slug in DAC_SECTORS]
    for domain, share in zip(coded, split_percentages(len(coded)), strict=True):
        _element(
            root,
            "sector",
            {"vocabulary": "1", "code": DAC_SECTORS[domain.slug], "percentage": str(share)},
        )

    for first, last, euros in budget_periods(partnership):
        budget = _element(root, "budget", {"type": "1", "status": "1"})  # original, indicative
        start = datetime.date(first, 1, 1).isoformat()
        _element(budget, "period-start", {"iso-date": start})
        _element(budget, "period-end", {"iso-date": datetime.date(last, 12, 31).isoformat()})
        value = _element(budget, "value", {"currency": "EUR", "value-date": start})
        value.text = f"{euros:.2f}"
    return root


def activities_xml(
    partnerships: Iterable,
    *,
    masker,
    reporting_org: ReportingOrg,
    generated_at: datetime.datetime,
) -> Iterator[str]:
    """The ``iati-activities`` document, one activity per chunk."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        f'<iati-activities version="{IATI_VERSION}" '
        f'generated-datetime="{generated_at.isoformat(timespec="seconds")}">\n'
    )
    for partnership in partnerships:
        element = activity(partnership, masker=masker, reporting_org=reporting_org)
        ET.indent(element, level=1)
        yield "  " + ET.tostring(element, encoding="unicode") + "\n"
    yield "</iati-activities>\n"
