"""Assembly of the répertoire: parsed records -> fixture objects, with one report.

Pure like the parsers: it reads the sources and returns the fixtures as Python objects (Django's
serialization format, natural keys, deterministic order). The same collectivity or pair met in
several places of the répertoire (fiche, summary table, "non renseignés" list, Annexe 1) becomes
one record; what cannot be placed goes into the report with its line number.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..money import to_eur
from ..text import allocate_slug, slugify, web_address
from . import actions as actions_parser
from . import amounts as amounts_parser
from . import lists, mapping, places, references
from .fiches import parse_fiches
from .records import ActionRecord, CollectivityRef, FicheRecord, ListedPair, ReportItem
from .text import collapse, fold, read_lines

REPERTOIRE_FILE = "cuf-repertoire-franco-malien-2008.txt"
SOURCE_SLUG = "cuf-repertoire-2008"
PARTNER_DEPARTMENTS = "french_partner_departments.csv"
DOUBTS = "collectivity_doubts.csv"
SOURCES = [
    # slug, title, publisher, year, file
    (
        SOURCE_SLUG,
        "Répertoire des partenariats de coopération décentralisée franco-maliens (2008)",
        "Cités Unies France",
        2008,
        REPERTOIRE_FILE,
    ),
]

FORMALISATION_KINDS = [
    ("convention", r"convention"),
    ("protocole", r"protocole"),
    ("charte", r"charte"),
    ("accord", r"accord"),
    ("jumelage", r"jumelage|serment"),
    ("deliberation", r"d[ée]lib[ée]ration"),
    # a signed document of no kind above: "pacte d'amitié" (Saint-Sébastien-sur-Loire),
    # "Déclaration d'intention de coopération" (Châtillon), "Lettre de Monsieur le Maire" (Yvelines)
    ("other", r"\bpacte\b|d[ée]claration d\W*intention|^lettre\b"),
]
SECTION_RE = re.compile(
    r"\s*(Partenariats de coopération décentralisée non renseignés"
    r"|Autres types de partenariats|Annexe 1)"
)
FRANC_RE = re.compile(r"\b(francs?|ff|frf|fcfa|cfa|xof|kf)\b|\dff\b|\dfcfa")
YEAR_RE = re.compile(r"(?<!\d)(19[5-9]\d|20[0-3]\d)(?!\d)")
POPULATION_RE = re.compile(r"\d{1,3}(?:[ \u00a0.]\d{3})+(?!\d)|\d+")


class RepertoireFormatError(ValueError):
    """The source does not have the répertoire's structure: the import stops, nothing is written."""

    def __init__(self, line: int, message: str):
        super().__init__(f"ligne {line} : {message}")
        self.line = line


@dataclass
class CollectivityDraft:
    country: str
    key: str
    line: int
    printings: list[str] = field(default_factory=list)
    name_as_printed: str = ""
    kind: str = ""
    population: int | None = None
    population_as_printed: str = ""
    location_as_printed: str = ""
    department: str = ""
    department_code: str = ""
    french_region: str = ""
    malian_region: str | None = None
    cercle: str = ""
    website: str = ""
    slug: str = ""

    def add_printing(self, name: str):
        name = collapse(name) or ""
        if name and name not in self.printings:
            self.printings.append(name)


@dataclass
class PartnershipDraft:
    slug: str
    status: str
    title: str
    line: int
    french: list[CollectivityDraft] = field(default_factory=list)
    malian: list[CollectivityDraft] = field(default_factory=list)
    fiche: FicheRecord | None = None
    domains: set[str] = field(default_factory=set)
    mentions: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    totals: list[dict] = field(default_factory=list)  # TOTAL lines of the actions table
    alignment_uncertain: bool = False
    # what this fiche (or list) printed for each partner: (side, collectivity key) -> fields
    printed: dict[tuple[str, str], dict] = field(default_factory=dict)


@dataclass
class Dataset:
    fixtures: dict[str, list[dict]]
    report: list[ReportItem]
    stats: dict[str, int]


LEVEL_WORDS_RE = re.compile(
    r"\b(assemblee regionale|conseil communal|commune rurale|commune|cercle|region|district|mairie)"
    r"( de| du| d)?\b"
)


def core_key(key: str) -> str:
    """A matching key without the level words ("cercle de", "commune de"…), for loose matching."""
    return re.sub(r"\s+", " ", LEVEL_WORDS_RE.sub(" ", key)).strip()


def title_french_key(title: str) -> str:
    """Matching key of the French side of a fiche's title ("Quimperlé / Commune de Nara")."""
    return places.collectivity_key(title.split("/", 1)[0]) if title else ""


def names_collectivity(listed_key: str, printed_key: str) -> bool:
    """Whether a listed name designates a printed one: the same, or its leading words.

    "Chaumont" designates the fiche "Chaumont-Association de Jumelage-Coopération / San".
    """
    return bool(listed_key) and (
        printed_key == listed_key or printed_key.startswith(listed_key + " ")
    )


def first_year(text: str | None) -> int | None:
    match = YEAR_RE.search(text or "")
    return int(match.group(1)) if match else None


# "Il n'y a pas de convention", "À finaliser – par le biais d'une convention": nothing signed.
NOT_SIGNED_RE = re.compile(r"\b(pas de|pas d|aucune?|sans|a finaliser|projet d[e']?|en projet)\b")


def formalisation_kind(text: str | None) -> str:
    """The kind of document named first in the formalisation answer ("" when none is signed)."""
    folded = fold(text or "")
    found = [
        (match.start(), kind)
        for kind, pattern in FORMALISATION_KINDS
        if (match := re.search(pattern, folded))
    ]
    if not found:
        return ""
    start, kind = min(found)
    # A negation or an intention just before the word means that document does not exist.
    if NOT_SIGNED_RE.search(folded[max(0, start - 40) : start]):
        return ""
    return kind


# what ends the clause naming a document: a line, a semicolon, a sentence
CLAUSE_END_RE = re.compile(r"\n|;|\.\s")


def formalisation_year(text: str | None) -> int | None:
    """The year printed in the clause naming the document ("Premier contact en 2002 ; une
    action en 2002…" / "Protocole de coopération le 30 juin 2006": 2006); else the first year."""
    kind = formalisation_kind(text)
    if kind:
        # lower case without accents, one character for one: positions are the text's
        plain = "".join(unicodedata.normalize("NFKD", c)[0] for c in text.lower())
        start = re.search(dict(FORMALISATION_KINDS)[kind], plain).start()
        ends = [m for m in CLAUSE_END_RE.finditer(text)]
        clause_start = max((m.end() for m in ends if m.start() < start), default=0)
        clause_end = min((m.start() for m in ends if m.start() >= start), default=len(text))
        year = first_year(text[clause_start:clause_end])
        if year:
            return year
    return first_year(text)


# the number printed first counts members: "156 villes membres"; not "36 000 (30 villages°)",
# a commune's inhabitants and then its villages
COUNT_OF_MEMBERS_RE = re.compile(
    r"^\D*\d[\d\s.]*\s*(villes|communes|membres|villages)\b", re.IGNORECASE
)
# A partner printed as a sector of a commune ("Sio (secteur 1 de Soufouroulaye)", "Sio, secteur
# de Somadougou"): the inhabitants printed are the sector's, not the commune's.
SECTOR_RE = re.compile(r"\bsecteur\b", re.IGNORECASE)
MILLION_RE = re.compile(r"(\d+(?:[,.]\d+)?)\s*millions?\b", re.IGNORECASE)
URL_RE = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?$", re.IGNORECASE)


def parse_population(text: str | None) -> int | None:
    """The number of inhabitants printed: "139 800", "environ 40 000", "1,5 million d'habitants"."""
    if COUNT_OF_MEMBERS_RE.search(text or ""):
        return None  # "156 villes membres" counts members, not inhabitants
    million = MILLION_RE.search(text or "")
    if million:
        return int(Decimal(million.group(1).replace(",", ".")) * 1_000_000)
    match = POPULATION_RE.search(text or "")
    if not match:
        return None
    return int(re.sub(r"\D", "", match.group(0)))


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class Registry:
    """The collectivities met so far, one per (country, matching key)."""

    def __init__(self):
        self.drafts: dict[tuple[str, str], CollectivityDraft] = {}

    def get(self, country: str, name: str) -> CollectivityDraft | None:
        return self.drafts.get((country, places.collectivity_key(name)))

    def add(self, country: str, name: str, line: int) -> CollectivityDraft:
        key = places.collectivity_key(name)
        draft = self.drafts.get((country, key))
        if draft is None:
            draft = CollectivityDraft(
                country=country, key=key, line=line, name_as_printed=collapse(name) or ""
            )
            self.drafts[(country, key)] = draft
        draft.add_printing(name)
        return draft


class Assembler:
    def __init__(self, sources_dir: Path):
        self.sources_dir = Path(sources_dir)
        self.report: list[ReportItem] = []
        self.registry = Registry()
        self.partnerships: list[PartnershipDraft] = []
        # the French partners of each Annexe 1 row, by its line
        self.annex_french: dict[int, list[CollectivityDraft]] = defaultdict(list)
        self.regions = read_csv(self.sources_dir / "malian_regions.csv")
        self.domains = read_csv(self.sources_dir / "domains.csv")
        # English names of the summary table's sub-themes, by domain and printed name.
        self.subthemes_en = (
            {
                (row["domain"], fold(row["name"])): row["name_en"]
                for row in read_csv(self.sources_dir / "subthemes_en.csv")
            }
            if (self.sources_dir / "subthemes_en.csv").exists()
            else {}
        )
        self.cercle_capitals = mapping.read_cercle_capitals(
            self.sources_dir / "mali_cercle_capitals.csv"
        )
        # The cercle of collectivities printed without one (the gazetteer's table): the map
        # draws them in it, not at their region's capital (Nioro du Sahel is not Kayes).
        self.table_cercles = {
            row["collectivity"]: row["cercle"]
            for row in read_csv(self.sources_dir / "mali_collectivity_cercles.csv")
        }
        self.domain_label_rows = {
            fold(row["label"]): row for row in read_csv(self.sources_dir / "domain_labels.csv")
        }
        self.domain_labels = {key: row["domain"] for key, row in self.domain_label_rows.items()}

    # -- reading ---------------------------------------------------------------------------

    def run(self) -> Dataset:
        # Every reference table the parsers need is read from this import's sources_dir.
        with references.use(self.sources_dir):
            return self._run()

    def _run(self) -> Dataset:
        path = self.sources_dir / REPERTOIRE_FILE
        try:
            lines = read_lines(path)
        except UnicodeDecodeError as error:
            # Report the line of the first undecodable byte, as a text editor would show it.
            raw = path.read_bytes()
            line = raw[: error.start].count(b"\n") + 1
            raise RepertoireFormatError(line, "le fichier n'est pas du texte UTF-8") from error
        self.check_structure(lines)
        # Where each fiche ends: at the next fiche or at the next section of the répertoire.
        self.boundaries = sorted(
            [n for n, t in lines if "Date de mise à jour" in t]
            + [n for n, t in lines if SECTION_RE.match(t)]
            + [len(lines) + 1]
        )
        fiches, report = parse_fiches(lines)
        self.report += report
        summary, report = lists.parse_summary_table(lines)
        self.report += report
        unlisted, report = lists.parse_unlisted(lines)
        self.report += report
        annex, report = lists.parse_annex(lines)
        self.report += report

        for fiche in fiches:
            self.add_fiche(fiche)
        self.annex_regions = {}
        # the fiches some row of Annexe 1 designates by their partners' names
        self.annex_fiches = {
            id(found)
            for pair in annex
            if (found := self.find_fiche(pair, *self.listed_keys(pair))) is not None
        }
        # pairs the "non renseignés" list names: pairs without a fiche
        self.unlisted_keys = {
            (french, tuple(malian)) for french, malian in map(self.listed_keys, unlisted)
        }
        for pair in annex:
            self.add_listed(pair, from_annex=True)
        for pair in unlisted:
            self.add_listed(pair, from_annex=False)
        self.tag_from_summary(summary)
        self.finish_collectivities()
        self.drop_settled_regions()
        self.report_near_duplicates()
        self.group_report_items()
        return self.dataset(fiches, summary)

    def check_structure(self, lines):
        """Stop on a file that is not the répertoire, naming the line where it goes wrong."""
        dates = [number for number, text in lines if "Date de mise à jour" in text]
        if not dates:
            raise RepertoireFormatError(
                len(lines) or 1, "aucune fiche (« Date de mise à jour ») trouvée"
            )
        for number, text in lines:
            if "Date de mise à jour" in text and not re.search(r"\d{1,2}/\d{1,2}/\d{4}", text):
                raise RepertoireFormatError(
                    number, f"date de mise à jour illisible : « {text.strip()} »"
                )
        for heading in ("non renseignés", "Autres types de partenariats", "Annexe 1"):
            if not any(heading in text for _, text in lines):
                raise RepertoireFormatError(len(lines), f"section « {heading} » introuvable")

    # -- fiches ----------------------------------------------------------------------------

    def add_fiche(self, fiche: FicheRecord):
        draft = PartnershipDraft(
            slug="",
            status=fiche.status,
            title=collapse(fiche.title) or "",
            line=fiche.line,
            fiche=fiche,
        )
        records, report = actions_parser.parse_actions_table(fiche.actions_lines)
        # the sums the fiche's budget answers print ("total de 500 000 euros pour le projet")
        answered = {
            (a.amount, a.currency)
            for text in (fiche.budget_cd, fiche.budget_ri)
            for a in amounts_parser.parse_amounts(text)[0]
        }
        for item in [i for i in report if i.kind == "header-budget"]:
            found, problems = amounts_parser.parse_amounts(item.value, line=item.line)
            if not found or problems:
                continue
            if all((a.amount, a.currency) in answered for a in found):
                # the same sum as a budget answer (Montreuil 2: « Budget : 500 000 € » over
                # the table, « total de 500 000 euros pour le projet » above): already read
                report.remove(item)
            elif all(a.is_total for a in found):
                # a total printed under the "Budget" header ("Total affectations : 3 677 549 €
                # sur 7 ans (2000 à 2006)", Île-de-France) is the table's total
                report.remove(item)
                records.append(
                    ActionRecord(item.line, None, None, budget_as_printed=item.value, is_total=True)
                )
        self.report += report
        draft.alignment_uncertain = any(i.kind == "uncertain-alignment" for i in report)
        currency, reason = self.table_currency(fiche)
        header_says_euros = actions_parser.table_is_in_euros(fiche.actions_lines)
        draft.actions = []
        for record in records:
            reported = len(self.report)
            amounts = self.amounts(
                record.budget_as_printed, record.line, "budget", currency, reason
            )
            if header_says_euros or (record.is_total and _rows_printed_in(draft, currency)):
                # no doubt left: the column's header prints "(en euros)", or a total is in the
                # currency its rows all print ("TOTAL 108 000" under "33 000 €"…)
                self.report[reported:] = [
                    i
                    for i in self.report[reported:]
                    if not i.message.startswith("Montant sans devise : euros retenus")
                ]
            if record.read_by_hand:
                # a person read these cells: words in the budget column ("aux frais des
                # voyageurs", "Phase 2") are what the fiche prints, not amounts to decipher
                self.report[reported:] = [
                    i for i in self.report[reported:] if i.kind != "unreadable-amount"
                ]
            _date_amounts(amounts, record)
            if record.is_total:
                draft.totals.append({"record": record, "amounts": amounts})
                continue
            domains = self.map_domains(record)
            draft.actions.append({"record": record, "domains": domains, "amounts": amounts})
            draft.domains.update(domains)
        self.check_totals(draft)
        for side, refs, members in (
            ("FR", fiche.french, draft.french),
            ("ML", fiche.malian, draft.malian),
        ):
            for ref in refs:
                member = self.add_ref(ref, fiche)
                members.append(member)
                group = len(refs) > 1 and bool(ref.population_as_printed)
                draft.printed[(side, member.key)] = dict(
                    name_as_printed=collapse(ref.name_as_printed) or "",
                    population_as_printed=collapse(ref.population_as_printed) or "",
                    population=parse_population(ref.population_as_printed),
                    population_of_group=group,
                    location_as_printed=collapse(ref.location_as_printed) or "",
                )
        # A collectivity's web site is the one given by its executive's block, when it is alone
        # on its side (a group's site would belong to the group's leader only).
        for side, members in (("FR", draft.french), ("ML", draft.malian)):
            if len(members) == 1:
                # Only a bare address: "(voir site association AJUKOBY : …)" is not the
                # collectivity's own site.
                sites = [
                    c.website
                    for c in fiche.contacts
                    if c.side == side
                    and c.role == "executive"
                    and c.website
                    and URL_RE.match(c.website)
                ]
                if sites and not members[0].website:
                    members[0].website = sites[0]
        self.partnerships.append(draft)

    def check_totals(self, draft: PartnershipDraft):
        """A printed total is checked against the sum of the rows' amounts (in euros)."""
        previous = 0
        for total in sorted(draft.totals, key=lambda t: t["record"].line):
            # a table printed in parts totals each part: a total sums the rows above it, up
            # to the total before it (Viroflay: 1981-2001 in francs, then 2001-2006 in euros)
            line = total["record"].line
            rows = [
                a
                for action in draft.actions
                if previous < action["record"].line <= line
                for a in action["amounts"]
                if not a.is_total
            ]
            previous = line
            for amount in total["amounts"]:
                printed = to_eur(amount.amount, amount.currency)
                summed = sum((to_eur(a.amount, a.currency) for a in rows), Decimal(0))
                if rows and abs(printed - summed) > 1:
                    self.note(
                        total["record"].line,
                        "total-mismatch",
                        f"Le total imprimé ({amount.as_printed}) ne correspond pas à la somme "
                        f"des montants des lignes du tableau ({summed:,.0f} €) : vérifier les "
                        "montants des lignes et le total.".replace(",", "\u202f"),
                        total["record"].budget_as_printed or "",
                        "budget",
                    )

    def add_ref(self, ref: CollectivityRef, fiche: FicheRecord) -> CollectivityDraft:
        draft = self.registry.add(ref.side, ref.name_as_printed, ref.line)
        alone = len(fiche.french if ref.side == "FR" else fiche.malian) == 1
        sector = SECTOR_RE.search(ref.name_as_printed)
        if ref.population_as_printed and not draft.population_as_printed and not sector:
            draft.population_as_printed = ref.population_as_printed
            # A population printed for a group of partners is the group's, not each one's.
            if alone:
                draft.population = parse_population(ref.population_as_printed)
                counts_members = COUNT_OF_MEMBERS_RE.search(ref.population_as_printed)
                if draft.population is None and not counts_members:
                    self.note(
                        ref.line,
                        "unreadable-population",
                        "Population non lue (pas un nombre d'habitants)",
                        ref.population_as_printed,
                        "population",
                    )
        if ref.location_as_printed and not draft.location_as_printed:
            draft.location_as_printed = ref.location_as_printed
        if alone:
            # The title sometimes prints the only accented spelling ("Kéniéba Konko").
            sides = fiche.title.split("/", 1)
            side_text = sides[0] if ref.side == "FR" else (sides[1] if len(sides) > 1 else "")
            if collapse(side_text) and places.collectivity_key(side_text) == draft.key:
                draft.add_printing(side_text)
        if ref.side == "FR":
            # A member of a group may print its own département: "La Rochette (73)".
            if re.search(r"\(\d[\dAB]\)", ref.name_as_printed):
                self.place_french(draft, ref.name_as_printed)
            self.place_french(draft, ref.location_as_printed)
        else:
            region, cercle = places.resolve_malian_region(
                ref.location_as_printed if alone else None,
                ref.name_as_printed,
                fiche.title if alone else None,
            )
            if region is None and not alone:
                region, cercle = places.resolve_malian_region(ref.location_as_printed)
                cercle = None
            if region and not draft.malian_region:
                draft.malian_region = region
            if cercle and not draft.cercle:
                draft.cercle = cercle
        return draft

    def merge_budget_doubts(self, reported: int):
        """A bare figure under the two budget labels printed on one line (Maubeuge, l. 8360:
        « 10 000 ») is one doubt, not one for its column and one for its currency."""
        for item in self.report[reported:]:
            column = next(
                (
                    i
                    for i in self.report[:reported]
                    if i.kind == "ambiguous-budget" and (i.line, i.value) == (item.line, item.value)
                ),
                None,
            )
            if column and item.message == amounts_parser.NO_CURRENCY_MESSAGE:
                self.report.remove(item)
                where = (
                    "coopération décentralisée"
                    if column.field == "budget_cd"
                    else "relations internationales"
                )
                column.message = (
                    f"« {item.value} » est imprimé sans devise sous les deux libellés de budget "
                    "(coopération décentralisée, relations internationales) d'une même ligne : "
                    f"rangé en {where}, sans montant retenu. Vérifier à quel budget il revient, "
                    "et sa devise."
                )

    def may_be_in(self, draft: CollectivityDraft, department: dict) -> bool:
        """Whether a French partner may be in ``department``: a commune only if a commune of
        its name is there (the annex's « La Fouillouse / Hautes Alpes » is a slip: the only La
        Fouillouse is in the Loire, as its fiche prints; Allonnes is in three départements)."""
        if places.guess_kind(draft.name_as_printed, "FR") != "commune":
            return True
        name = places.canonical_name(draft.name_as_printed, "FR", draft.printings)
        found, candidates = lists.match_commune([name, *draft.printings])
        return department["code"] in {c["department"] for c in candidates} | (
            {found["code"]} if found else set()
        )

    def place_french(self, draft: CollectivityDraft, text: str | None):
        if not text or draft.department:
            return
        department = lists.match_department(text)
        if department:
            draft.department = department["name"]
            draft.department_code = department["code"]
            draft.french_region = department["region"]
        elif not draft.french_region:
            region_2008 = lists.match_region_2008(text)
            if region_2008:
                draft.french_region = self.current_region(region_2008)

    def place_commune(self, draft: CollectivityDraft):
        """A French commune printed without its département takes it from INSEE's list of
        communes; homonyms the printed région does not tell apart are left for a person."""
        department, candidates = lists.match_commune(
            [draft.name, *draft.printings], draft.french_region
        )
        if department:
            draft.department = department["name"]
            draft.department_code = department["code"]
            draft.french_region = department["region"]
            return
        if candidates:
            where = ", ".join(sorted({f"{c['name']} ({c['department']})" for c in candidates}))
            message = (
                "Commune française sans département imprimé, et plusieurs communes de ce nom "
                f"en France : {where}. Choisir son département d'après la fiche."
            )
        else:
            message = (
                "Commune française sans département imprimé et absente de la liste des "
                "communes de l'INSEE : vérifier le nom et saisir le département."
            )
        self.note(draft.line, "commune-without-department", message, draft.name, "department")

    def place_by_reference(self, draft: CollectivityDraft):
        """An intercommunality or an association printed without a département takes it from
        ``french_partner_departments.csv`` (each row says where it comes from); a row without
        a code says the partner has none (an association of several départements)."""
        rows = {fold(r["name"]): r for r in references.current().rows(PARTNER_DEPARTMENTS)}
        row = next((rows[fold(n)] for n in [draft.name, *draft.printings] if fold(n) in rows), None)
        if row is None:
            if draft.kind != "commune":  # a commune has had its own item from place_commune
                self.note(
                    draft.line,
                    "commune-without-department",
                    "Collectivité française dont la fiche ou la liste n'imprime pas le "
                    "département, et qu'aucune table de référence (communes, intercommunalités) "
                    "ne situe : chercher son siège et saisir son département.",
                    draft.name,
                    "department",
                )
            return
        if row["department_code"]:
            department = next(
                d for d in lists.load_departments() if d["code"] == row["department_code"]
            )
            draft.department = department["name"]
            draft.department_code = department["code"]
            draft.french_region = department["region"]

    def current_region(self, region_2008: str) -> str:
        for row in lists.load_departments():
            if row["region_2008"] == region_2008:
                return row["region"]
        return ""

    # -- listed pairs (Annexe 1 and "non renseignés") ----------------------------------------

    def find_fiche(self, pair: ListedPair, french_key: str, malian_keys: list[str]):
        """The fiche a listed pair designates, if any: same French and same Malian partners."""

        def french_matches(draft):
            keys = {c.key for c in draft.french}
            if french_key in keys or names_collectivity(french_key, title_french_key(draft.title)):
                return True
            # "La Rochette Pontcharra" names two of the fiche's French partners at once.
            return any(re.search(rf"\b{re.escape(k)}\b", french_key) for k in keys if k)

        def malian_matches(draft, loose):
            keys = {c.key for c in draft.malian}
            if all(k in keys for k in malian_keys):
                return True
            if loose:
                cores = {core_key(k) for k in keys}
                return all(core_key(k) in cores for k in malian_keys)
            return False

        candidates = [d for d in self.partnerships if d.fiche is not None and french_matches(d)]
        for loose in (False, True):
            found = [d for d in candidates if malian_matches(d, loose)]
            if found:
                return found[0]
        # A fiche that prints no Malian partner (Bron) is the pair Annexe 1 gives it; the
        # "non renseignés" list names pairs that have no fiche, so it never completes one.
        alone = [d for d in candidates if not d.malian]
        return alone[0] if len(alone) == 1 and pair.region_heading else None

    def listed_keys(self, pair: ListedPair) -> tuple[str, list[str]]:
        malian_names = (
            places.split_partners(pair.malian_as_printed) if pair.malian_as_printed else []
        )
        return (
            places.collectivity_key(pair.french_as_printed),
            [places.collectivity_key(n) for n in malian_names],
        )

    def fiche_of_annex_row(self, french_key: str, region: str | None):
        """The fiche an Annexe 1 row names otherwise: Annexe 1 gives every fiche a row, so a
        row of the same French partner and Malian region is the row of that partner's one fiche
        that no other row names ("Saint-Denis / Arrondissement d'Aourou" in the Kayes table is
        the fiche Saint-Denis / Djélébou, Karakoro et Sahel, communes of the cercle of Kayes).
        Not for a pair the "non renseignés" list names too: that list says it has no fiche."""
        if region is None:
            return None
        found = [
            d
            for d in self.partnerships
            if d.fiche is not None
            and id(d) not in self.annex_fiches
            and (
                french_key in {c.key for c in d.french}
                or names_collectivity(french_key, title_french_key(d.title))
            )
            and d.malian
            and all(m.malian_region == region for m in d.malian)
        ]
        return found[0] if len(found) == 1 else None

    def add_listed(self, pair: ListedPair, from_annex: bool):
        french_key, malian_keys = self.listed_keys(pair)
        malian_names = (
            places.split_partners(pair.malian_as_printed) if pair.malian_as_printed else []
        )
        region = None
        if pair.region_heading:
            region, _ = places.resolve_malian_region(pair.region_heading)
        draft = self.find_fiche(pair, french_key, malian_keys)
        if draft is not None and not malian_keys:
            # the list names a French partner alone ("CG des Hautes Pyrénées", l. 12618) and it
            # has this one fiche: the pair is that fiche's, nothing is missing
            fiches = [
                d for d in self.partnerships if d.fiche and french_key in {c.key for c in d.french}
            ]
            if fiches == [draft]:
                self.report = [
                    i
                    for i in self.report
                    if not (i.kind == "missing-partner" and i.line == pair.line)
                ]
        if (
            draft is None
            and from_annex
            and (french_key, tuple(malian_keys)) not in self.unlisted_keys
        ):
            draft = self.fiche_of_annex_row(french_key, region)
            if draft is not None:
                self.annex_fiches.add(id(draft))
        if draft is None:
            draft = next(
                (
                    d
                    for d in self.partnerships
                    if d.fiche is None
                    and {c.key for c in d.french} == {french_key}
                    and {c.key for c in d.malian} == set(malian_keys)
                ),
                None,
            )
        if draft is None:
            if not malian_names:
                self.note(
                    pair.line,
                    "missing-partner",
                    "Partenaire malien absent de la liste",
                    pair.french_as_printed,
                )
            french = self.registry.add("FR", pair.french_as_printed, pair.line)
            malian = [self.registry.add("ML", name, pair.line) for name in malian_names]
            title = " / ".join(
                [pair.french_as_printed.strip(), collapse(pair.malian_as_printed) or "?"]
            )
            draft = PartnershipDraft(
                slug="",
                status="listed",
                title=collapse(title) or "",
                line=pair.line,
                french=[french],
                malian=malian,
            )
            draft.printed[("FR", french.key)] = listed_printing(pair.french_as_printed)
            for name, member in zip(malian_names, malian, strict=True):
                draft.printed.setdefault(("ML", member.key), listed_printing(name))
            self.partnerships.append(draft)
        else:
            if not draft.malian and malian_names:
                draft.malian = [self.registry.add("ML", name, pair.line) for name in malian_names]
                for name, member in zip(malian_names, draft.malian, strict=True):
                    draft.printed.setdefault(("ML", member.key), listed_printing(name))
                self.note(
                    pair.line,
                    "partner-from-list",
                    "La fiche ne nomme pas de partenaire malien : celui de l'annexe 1 est "
                    "ajouté. Vérifier que c'est bien le partenaire de cette fiche.",
                    pair.malian_as_printed,
                    "malian_partners",
                )
            for name in [pair.french_as_printed]:
                existing = self.registry.get("FR", name)
                if existing:
                    existing.add_printing(name)
            for name in malian_names:
                existing = self.registry.get("ML", name)
                if existing:
                    existing.add_printing(name)
        draft.mentions.append(
            {
                "list": "annex" if from_annex else "unlisted",
                "line": pair.line,
                "french": pair.french_as_printed,
                "malian": pair.malian_as_printed or None,
            }
        )
        # Annexe 1 tells each pair's Malian region and French département.
        if from_annex:
            for member in draft.french:
                # Only for a partner the row names: "Chaumont / Cher" says nothing of the
                # twinning association that signs Chaumont's fiche.
                if pair.department_as_printed and (
                    member.key == french_key
                    or re.search(rf"\b{re.escape(member.key)}\b", french_key)
                ):
                    annex_department = lists.match_department(pair.department_as_printed)
                    if (
                        member.department
                        and annex_department
                        and annex_department["name"] != member.department
                        and self.may_be_in(member, annex_department)
                    ):
                        self.note(
                            pair.line,
                            "department-conflict",
                            f"L'annexe 1 place « {pair.french_as_printed} » en "
                            f"{annex_department['name']}, sa fiche en {member.department}"
                            + (
                                ", et une commune de ce nom existe dans chacun"
                                if places.guess_kind(member.name_as_printed, "FR") == "commune"
                                else ""
                            )
                            + " : le département de la fiche est retenu. Vérifier lequel est "
                            "le bon.",
                            pair.department_as_printed,
                            "department",
                        )
                    self.place_french(member, pair.department_as_printed)
                    self.annex_french[pair.line].append(member)
            if region:
                for member in draft.malian:
                    if not member.malian_region:
                        member.malian_region = region

    # -- domains ---------------------------------------------------------------------------

    def map_domains(self, record) -> list[str]:
        """The domains of an action row: its label's domain, then any other the label names."""
        if not record.domain_as_printed:
            return []
        slug = actions_parser.map_domain(record.domain_as_printed, self.domain_labels)
        if not slug and fold(record.domain_as_printed) in self.domain_labels:
            return []  # a label known to name no domain (a group of projects, a delegation)
        if not slug:
            self.note(
                record.line,
                "unmapped-domain",
                "Le domaine imprimé dans le tableau des actions ne correspond à aucun des "
                "neuf domaines du répertoire : choisir celui de ces actions.",
                record.domain_as_printed,
                "domain",
            )
            return []
        row = self.domain_label_rows.get(fold(record.domain_as_printed), {})
        also = [s for s in (row.get("also") or "").split("|") if s and s != slug]
        return [slug, *also]

    def tag_from_summary(self, summary):
        """The summary table lists French collectivities under domains: tag their partnerships.

        A collectivity with several fiches is tagged on the fiches whose actions are in that
        domain; when none is, on all of them, and the report says the tag was ambiguous.
        """
        self.summary_domains: dict[str, list[str]] = {}
        slugs = {fold(row["printed_heading"]): row["slug"] for row in self.domains}
        for heading in summary:
            slug = slugs.get(fold(heading.name_as_printed))
            if slug is None:
                self.note(
                    heading.line,
                    "unknown-domain-heading",
                    "Domaine du tableau récapitulatif inconnu",
                    heading.name_as_printed,
                )
                continue
            for name in heading.collectivities_as_printed:
                key = places.collectivity_key(name)
                drafts = [
                    d
                    for d in self.partnerships
                    if d.fiche is not None
                    and (
                        key in {c.key for c in d.french}
                        or names_collectivity(key, title_french_key(d.title))
                    )
                ]
                if not drafts:
                    # Named in the table but without a fiche: its one known pair, if unique.
                    listed = [d for d in self.partnerships if key in {c.key for c in d.french}]
                    drafts = listed if len(listed) == 1 else []
                if not drafts:
                    self.note(
                        heading.line,
                        "unmatched-summary-name",
                        f"Le tableau récapitulatif range « {name} » sous "
                        f"« {heading.name_as_printed} », mais aucune fiche ni aucune liste ne "
                        "nomme cette collectivité : trouver le partenariat qu'elle désigne et lui "
                        "donner ce domaine.",
                        name,
                    )
                    continue
                for member in drafts[0].french:
                    if member.key == key:
                        member.add_printing(name)
                with_domain = [d for d in drafts if slug in self.action_domains(d)]
                if len(drafts) > 1 and not with_domain:
                    self.note(
                        heading.line,
                        "ambiguous-summary-tag",
                        f"Le tableau récapitulatif range « {name} » sous « "
                        f"{heading.name_as_printed} », mais cette collectivité a plusieurs "
                        "fiches dont aucune ne cite ce domaine dans ses actions : il est donné "
                        "à toutes. Vérifier à quelle fiche il revient.",
                        f"{name} → {heading.name_as_printed}",
                    )
                for draft in with_domain or drafts:
                    draft.domains.add(slug)

    def action_domains(self, draft: PartnershipDraft) -> set[str]:
        return {slug for action in draft.actions for slug in action["domains"]}

    # -- collectivities --------------------------------------------------------------------

    def finish_collectivities(self):
        used: set[str] = set()
        for draft in sorted(
            self.registry.drafts.values(), key=lambda d: (d.line, d.country, d.key)
        ):
            draft.name = places.canonical_name(
                draft.name_as_printed, draft.country, draft.printings
            )
            draft.kind = places.guess_kind(draft.name_as_printed, draft.country)
            if draft.kind in ("ml_region", "district"):
                draft.cercle = ""  # a region's body is not in one of its cercles
            if draft.kind == "departement":
                self.place_french(draft, draft.name)  # a conseil général is its département
            elif draft.kind == "commune" and draft.country == "FR" and not draft.department:
                self.place_commune(draft)
            elif draft.kind == "region" and draft.country == "FR" and not draft.french_region:
                region_2008 = lists.match_region_2008(draft.name)
                draft.french_region = self.current_region(region_2008) if region_2008 else ""
            if draft.country == "FR" and not draft.department and draft.kind != "region":
                self.place_by_reference(draft)
            if draft.kind == "commune" and draft.country == "FR" and draft.department_code:
                # INSEE's spelling where the printed one only lacks its accents (« Meru » is
                # Méru, Oise); the printing stays in name_as_printed. Folded alike, the slug
                # (a natural key) cannot change.
                draft.name = (
                    lists.official_commune_name(draft.name, draft.department_code) or draft.name
                )
            # A name both countries use ("Kayes"?) is told apart by the country first.
            name = draft.name
            if slugify(name) in used:
                name = f"{name} {draft.country}"
            draft.slug = allocate_slug(name, used.__contains__)
            used.add(draft.slug)
            if draft.country == "ML" and not draft.malian_region:
                # A name that is a cercle or a region ("Kidal", "Région de Koulikoro") tells it.
                region, cercle = places.resolve_malian_region(*draft.printings)
                draft.malian_region = region
                draft.cercle = draft.cercle or cercle or ""
            if draft.country == "ML" and not draft.malian_region:
                self.note(
                    draft.line,
                    "unresolved-region",
                    f"La collectivité malienne « {draft.name_as_printed} » est imprimée sans "
                    "cercle ni région, et aucune table de référence ne la situe : chercher sa "
                    "région et son cercle, puis les saisir.",
                    draft.name_as_printed,
                    "malian_region",
                )

    def report_near_duplicates(self):
        """Two collectivities whose names differ by words around the same name ("Mourdiah" and
        "Niamana – Mourdiah", "Sainte-Maure-de-Touraine" and its communauté de communes) may be
        one: a person checks (the spellings known to be one are in collectivity_aliases.csv;
        collectivity_doubts.csv gives, for a pair already read against the source, the message
        saying what is printed of each and what to ask, and its evidence in full)."""
        doubts = {
            frozenset(
                (places.collectivity_key(row["first"]), places.collectivity_key(row["second"]))
            ): row["message"].strip()
            for row in references.current().rows(DOUBTS)
        }
        drafts = sorted(self.registry.drafts.values(), key=lambda d: (d.line, d.key))
        for short in drafts:
            words = fold(short.name)
            if not words:
                continue
            for long in drafts:
                other = fold(long.name)
                if long is short or long.country != short.country or other == words:
                    continue
                match = re.search(rf"(?:^|\b(\w+) ){re.escape(words)}$", other)
                if not match or match.group(1) in ("du", "de", "d", "des"):
                    if not (match and short.kind == "commune" and long.kind in ("cc", "ca", "cu")):
                        continue
                if short.kind != long.kind and not (
                    short.kind == "commune" and long.kind in ("cc", "ca", "cu")
                ):
                    continue
                if (short.malian_region or None) != (long.malian_region or None):
                    continue
                pairs = {
                    d.title
                    for d in self.partnerships
                    if short in d.french + d.malian or long in d.french + d.malian
                }
                message = doubts.get(frozenset((short.key, long.key)))
                if not message:
                    message = (
                        f"« {short.name_as_printed} » (ligne {short.line}) et "
                        f"« {long.name_as_printed} » (ligne {long.line}) : peut-être la même "
                        "collectivité (ou une commune et l'intercommunalité de son nom). "
                        "Vérifier s'il s'agit du même partenaire et du même partenariat."
                    )
                self.note(
                    short.line,
                    "possible-duplicate",
                    message,
                    f"{short.name} / {long.name} — {' ; '.join(sorted(pairs))}",
                    "collectivity",
                )

    def drop_settled_regions(self):
        """An Annexe 1 row printing a région where the département goes (« Paris /
        Ile-de-France ») is no doubt once INSEE's list places the commune in that région."""
        self.report = [
            i
            for i in self.report
            if not (
                i.kind == "region-as-department"
                and self.annex_french.get(i.line)
                and all(m.department for m in self.annex_french[i.line])
            )
        ]

    # -- output ----------------------------------------------------------------------------

    def group_report_items(self):
        """One item per fiche for the amounts read in an assumed currency, not one per amount.

        They are many (a whole table of bare numbers) and are checked together, table by table.
        """
        groups: dict[tuple, list[ReportItem]] = defaultdict(list)
        kept = []
        for item in self.report:
            if item.kind == "assumed-currency":
                end = next(b for b in self.boundaries if b > item.line)
                groups[(end, item.message)].append(item)
            else:
                kept.append(item)
        for items in groups.values():
            items.sort(key=lambda i: i.line)
            first = items[0]
            kept.append(
                ReportItem(
                    line=first.line,
                    kind=first.kind,
                    message=first.message,
                    value=" ; ".join(i.value for i in items),
                    field=first.field,
                )
            )
        self.report = kept

    def note(self, line, kind, message, value="", field=""):
        self.report.append(
            ReportItem(line=line, kind=kind, message=message, value=value or "", field=field)
        )

    def map_fields(self, draft) -> dict:
        """Where the maps draw a Malian collectivity without coordinates of its own."""
        if draft.country != "ML":
            return {}
        regions = {row["slug"]: row for row in self.regions}
        where = mapping.fallback_place(
            kind=draft.kind,
            name=draft.name,
            cercle=draft.cercle or self.table_cercles.get(draft.slug, ""),
            region=regions.get(draft.malian_region),
            capitals=self.cercle_capitals,
        )
        if where is None:
            return {}
        latitude, longitude, precision = where
        return dict(map_latitude=latitude, map_longitude=longitude, map_precision=precision)

    def dataset(self, fiches, summary) -> Dataset:
        source = [SOURCE_SLUG]
        fixtures: dict[str, list[dict]] = {}
        fixtures["sources.json"] = [
            obj(
                "sourcedocument",
                slug=slug,
                title=title,
                publisher=publisher,
                year=year,
                filename=filename,
            )
            for slug, title, publisher, year, filename in SOURCES
        ]
        fixtures["regions.json"] = [
            obj(
                "malianregion",
                slug=row["slug"],
                number=int(row["number"]),
                name=row["name"],
                capital=row["capital"],
                latitude=row["latitude"],
                longitude=row["longitude"],
            )
            for row in self.regions
        ]
        domain_objects = [
            obj(
                "domain",
                slug=row["slug"],
                position=int(row["position"]),
                name=row["name"],
                name_en=row["name_en"],
                name_as_printed=row["printed_heading"],
            )
            for row in self.domains
        ]
        slugs = {fold(row["printed_heading"]): row["slug"] for row in self.domains}
        for heading in summary:
            slug = slugs.get(fold(heading.name_as_printed))
            if slug:
                domain_objects += [
                    obj(
                        "subtheme",
                        domain=[slug],
                        position=n,
                        name=name,
                        name_en=self.subthemes_en.get((slug, fold(name)), ""),
                    )
                    for n, name in enumerate(heading.subthemes, start=1)
                ]
        domain_objects += [
            obj(
                "domainlabel",
                key=key,
                label=label["label"],
                domain=[label["domain"]] if label["domain"] else None,
                note=label.get("note", ""),
            )
            for key, label in sorted(self.domain_label_rows.items())
        ]
        fixtures["domains.json"] = domain_objects

        drafts = sorted(self.registry.drafts.values(), key=lambda d: d.slug)
        fixtures["collectivities.json"] = [
            obj(
                "collectivity",
                slug=d.slug,
                country=d.country,
                kind=d.kind,
                name=d.name,
                name_as_printed=d.name_as_printed,
                aliases=[p for p in d.printings if p != d.name],
                population=d.population,
                population_as_printed=d.population_as_printed,
                location_as_printed=d.location_as_printed,
                department=d.department,
                department_code=d.department_code,
                french_region=d.french_region,
                malian_region=[d.malian_region] if d.malian_region else None,
                cercle=d.cercle,
                # Printed mostly without a scheme ("www.ville.fr"): stored as the link a reader
                # follows, http(s) only (the fields' validator).
                website=web_address(d.website),
                **self.map_fields(d),
                source=source,
                source_line=d.line,
            )
            for d in drafts
        ]

        self.assign_slugs()
        partnerships, members, contacts, action_objects, budgets = [], [], [], [], []
        shared_budgets: dict[tuple, list[dict]] = defaultdict(list)
        for draft in sorted(self.partnerships, key=lambda d: d.slug):
            fiche = draft.fiche
            fields = dict(
                slug=draft.slug,
                status=draft.status,
                title=draft.title,
                source=source,
                source_line=draft.line if fiche else min(m["line"] for m in draft.mentions),
                source_page=fiche.page if fiche else None,
                domains=[[slug] for slug in sorted(draft.domains)],
                mentions=sorted(draft.mentions, key=lambda m: (m["line"], m["french"])),
                actions_alignment_uncertain=draft.alignment_uncertain,
            )
            if fiche:
                fields.update(
                    updated_on=fiche.updated_on.isoformat() if fiche.updated_on else None,
                    contacts_start=fiche.contacts_start or "",
                    contacts_start_year=first_year(fiche.contacts_start),
                    formalisation=fiche.formalisation or "",
                    formalisation_year=formalisation_year(fiche.formalisation),
                    formalisation_kind=formalisation_kind(fiche.formalisation),
                    budget_cd_as_printed=fiche.budget_cd or "",
                    budget_ri_as_printed=fiche.budget_ri or "",
                    technical_partners=fiche.technical_partners or "",
                    financial_partners=fiche.financial_partners or "",
                    motivations_french=fiche.motivations_french or "",
                    motivations_malian=fiche.motivations_malian or "",
                    presentation=fiche.presentation or "",
                    actions_as_printed=actions_parser.actions_as_printed(fiche.actions_lines) or "",
                    perspectives=fiche.perspectives or "",
                    documents=fiche.documents or "",
                )
            partnerships.append(obj("partnership", **fields))
            for side, group in (("FR", draft.french), ("ML", draft.malian)):
                for position, member in enumerate(group, start=1):
                    members.append(
                        obj(
                            "partnershipmember",
                            partnership=[draft.slug],
                            collectivity=[member.slug],
                            side=side,
                            position=position,
                            **(draft.printed.get((side, member.key)) or listed_printing("")),
                        )
                    )
            if not fiche:
                continue
            for position, contact in enumerate(fiche.contacts, start=1):
                contacts.append(
                    obj(
                        "contact",
                        partnership=[draft.slug],
                        position=position,
                        side=contact.side,
                        role=contact.role,
                        label=contact.label or "",
                        name=contact.name or "",
                        function=contact.function or "",
                        address=contact.address or "",
                        phone=contact.phone or "",
                        fax=contact.fax or "",
                        email=contact.email or "",
                        website=web_address(contact.website),
                        source_line=contact.line,
                    )
                )
            budget_position = 0
            for kind, text, name in (
                ("cd_annual", fiche.budget_cd, "budget_cd"),
                ("ri_annual", fiche.budget_ri, "budget_ri"),
            ):
                reported = len(self.report)
                if name == "budget_ri" and fold(text) == "idem":
                    # "Idem" under the second budget label: the same sum as the first (Evry)
                    text, name = fiche.budget_cd, "budget_cd"
                found = self.amounts(text, fiche.field_lines.get(name, fiche.line), name)
                self.merge_budget_doubts(reported)
                for amount in found:
                    budget_position += 1
                    exceptional, year = one_off(text, amount.as_printed)
                    amount.year = amount.year or year
                    # « Pour les deux jumelages : 15.245 € »: the clause stays with the sum
                    shared = shared_clause(text, amount.as_printed)
                    if shared:
                        amount.as_printed = f"{shared} {amount.as_printed}"
                    budgets.append(
                        budget_obj(
                            draft.slug,
                            budget_position,
                            "total"
                            if amount.is_total
                            else (
                                "other"
                                if exceptional
                                or is_cumulative(text, amount.as_printed)
                                or is_part(text, amount.as_printed)
                                else kind
                            ),
                            amount,
                            None,
                            fiche.field_lines.get(name, fiche.line),
                        )
                    )
                    if shared:
                        key = (tuple(sorted(c.key for c in draft.french)), kind, amount.amount)
                        shared_budgets[key + (amount.currency,)].append(budgets[-1])
            for position, action in enumerate(draft.actions, start=1):
                record = action["record"]
                action_objects.append(
                    obj(
                        "action",
                        partnership=[draft.slug],
                        position=position,
                        domain=[action["domains"][0]] if action["domains"] else None,
                        domain_as_printed=record.domain_as_printed or "",
                        description=record.description or "",
                        period_as_printed=record.period_as_printed or "",
                        start_year=record.start_year,
                        end_year=record.end_year,
                        budget_as_printed=record.budget_as_printed or "",
                        source_line=record.line,
                    )
                )
                for amount in action["amounts"]:
                    budget_position += 1
                    budgets.append(
                        budget_obj(
                            draft.slug,
                            budget_position,
                            "total" if amount.is_total else "action",
                            amount,
                            [draft.slug, position],
                            record.line,
                        )
                    )
            for total in draft.totals:
                for amount in total["amounts"]:
                    budget_position += 1
                    budgets.append(
                        budget_obj(
                            draft.slug, budget_position, "total", amount, None, total["record"].line
                        )
                    )
        for printings in shared_budgets.values():
            # One sum printed for several fiches of the same French partner (Thionville's two
            # twinnings): the first fiche printing it holds it under its label, the others
            # show it as "other", so that a sum of yearly budgets across fiches counts it once.
            for budget in sorted(printings, key=lambda b: b["fields"]["source_line"])[1:]:
                budget["fields"]["kind"] = "other"
        fixtures["partnerships.json"] = partnerships + members
        fixtures["contacts.json"] = contacts
        fixtures["actions.json"] = action_objects + budgets
        fixtures["review.json"] = self.review_objects()
        stats = {
            "fiches": len(fiches),
            "documented": sum(1 for d in self.partnerships if d.status == "documented"),
            "listed": sum(1 for d in self.partnerships if d.status == "listed"),
            "other": sum(1 for d in self.partnerships if d.status == "other"),
            "collectivities": len(drafts),
            "contacts": len(contacts),
            "actions": len(action_objects),
            "budgets": len(budgets),
            "report": len(self.report),
        }
        return Dataset(fixtures=fixtures, report=self.report, stats=stats)

    def assign_slugs(self):
        used: set[str] = set()
        for draft in self.partnerships:
            if draft.fiche is None:
                # A listed pair has no printed title: name it after its partners' display names.
                draft.title = " / ".join(
                    ", ".join(c.name for c in side) or "?" for side in (draft.french, draft.malian)
                )
            draft.slug = allocate_slug(draft.title, used.__contains__)
            used.add(draft.slug)

    def table_currency(self, fiche: FicheRecord) -> tuple[str | None, str]:
        """The currency of the bare numbers of a fiche's actions table, and why.

        Euros where the budget header says so; also where the table names no franc at all:
        every fiche was written in 2006-2008, years after the euro replaced the franc, so a
        bare "38 217 (2003 à 2006)" is in euros. Either way each such amount is reported.
        """
        if actions_parser.table_is_in_euros(fiche.actions_lines):
            return "EUR", "d'après l'en-tête du tableau"
        text = fold(" ".join(t for _, t in fiche.actions_lines))
        if not FRANC_RE.search(text):
            return "EUR", "(aucun franc ni franc CFA cité dans le tableau d'une fiche de 2006-2008)"
        return None, ""

    def amounts(self, text, line, field_name="", default_currency=None, reason=""):
        found, problems = amounts_parser.parse_amounts(
            text,
            line=line,
            default_currency=default_currency,
            default_reason=reason or "d'après l'en-tête du tableau",
        )
        for problem in problems:
            problem.field = problem.field or field_name
        self.report += problems
        return found

    def review_objects(self) -> list[dict]:
        """The report as review items, each tied to the fiche whose lines contain it."""
        spans = sorted((d.line, d) for d in self.partnerships if d.fiche)
        starts = [line for line, _ in spans]
        objects, seen = [], defaultdict(int)
        for item in sorted(self.report, key=lambda i: (i.line, i.kind, i.field, i.value)):
            seen[(item.kind, item.line)] += 1
            key = f"{SOURCE_SLUG}:{item.line}:{item.kind}:{seen[(item.kind, item.line)]}"
            index = bisect_right(starts, item.line) - 1
            owner = (
                spans[index][1] if index >= 0 and item.line < self.fiche_end(spans, index) else None
            )
            objects.append(
                obj(
                    "reviewitem",
                    key=key,
                    source=[SOURCE_SLUG],
                    line=item.line,
                    kind=item.kind,
                    message=item.message[:300],
                    value=item.value or "",
                    field=item.field or "",
                    partnership=[owner.slug] if owner else None,
                    resolved_at=None,
                )
            )
        return objects

    def fiche_end(self, spans, index) -> int:
        start = spans[index][0]
        return next(b for b in self.boundaries if b > start)


def listed_printing(name: str) -> dict:
    """A partner as a list prints it: a name, nothing else."""
    return dict(
        name_as_printed=collapse(name) or "",
        population_as_printed="",
        population=None,
        population_of_group=False,
        location_as_printed="",
    )


# "depuis 2002", "sur 3 ans" (Montady), "total de 500 000 euros pour le projet" (Montreuil)
CUMULATIVE_RE = re.compile(
    r"\bdepuis\s+(?:19|20)\d\d\b|\bsur\s+(?:\d+|deux|trois|quatre|cinq|six)\s+ans\b|\btotal\s+de\b",
    re.IGNORECASE,
)
# "/an", "par an", "chaque année" (Roncq: "12 500 euros en moyenne chaque année depuis 1989")
PER_YEAR_RE = re.compile(r"(?:/|\bpar\s+)an\b|\bchaque\s+ann[ée]e\b", re.IGNORECASE)
# an answer opening with the years of a project gives that project's sums, not a yearly budget:
# "En 2007 et 2008, construction d'une école… Budget global : 100 000 €" (Saint-Jean-de-Boiseau)
PROJECT_YEARS_RE = re.compile(
    r"^\s*(?:en|de)\s+(?:19|20)\d\d\s*(?:et|à|-)\s*(?:19|20)\d\d\b", re.IGNORECASE
)
# a one-off sum: "Subvention exceptionnelle : (ex : en 2006, … : 6000 euros)" (Dourdan)
ONE_OFF_RE = re.compile(r"\bexceptionnel(?:le)?s?\b", re.IGNORECASE)


def one_off(text: str | None, as_printed: str) -> tuple[bool, int | None]:
    """Whether a sum is printed on a line saying it is exceptional, and the one year that line
    names (None when it names none or several)."""
    line = next((line for line in (text or "").split("\n") if as_printed in line), "")
    if not ONE_OFF_RE.search(line):
        return False, None
    years = set(YEAR_RE.findall(line))
    return True, (int(years.pop()) if len(years) == 1 else None)


# "4517 euros en moyenne par an dont … : 517 euros (2006) et … : 4000 euros" (Dourdan),
# "90 000 € dont 44 256 € en 2008 pour le Mali" (Haut-Rhin)
PART_OF_RE = re.compile(r"\d[^.;\n]*?\bdont\b[^.;\n]*$", re.IGNORECASE)


# « Pour les deux jumelages : » (Thionville): one sum for several twinnings, hence fiches
SHARED_RE = re.compile(
    r"\bpour\s+(?:les|nos|ces)\s+(?:deux|trois|quatre|\d+)\s+jumelages\s*:?", re.IGNORECASE
)


def shared_clause(text: str | None, as_printed: str) -> str:
    """The clause printed before a sum that says it is shared by several twinnings
    (« Pour les deux jumelages : »), as printed with its spaces collapsed, or ""."""
    line = next((line for line in (text or "").split("\n") if as_printed in line), "")
    found = SHARED_RE.search(line[: line.find(as_printed)])
    return " ".join(found.group(0).split()) if found else ""


def is_part(text: str | None, as_printed: str) -> bool:
    """Whether a sum is printed as a part of another printed before it in its sentence
    (« … dont … »): a share of that budget, not a budget of its own."""
    # the sum where it stands alone: "517 euros" is not the end of "4517 euros"
    found = re.search(r"(?<!\d)(?<!\d[\u00a0 ])" + re.escape(as_printed), text or "")
    return found is not None and PART_OF_RE.search(text[: found.start()]) is not None


def is_cumulative(text: str | None, as_printed: str) -> bool:
    """An amount spent "since 2002" ("Depuis 2002, 104 000 € ont été investis") is a sum over
    years, not an annual budget; "350 000 €/an (depuis 2002)" is annual."""
    if not text or as_printed not in text:
        return False
    if PROJECT_YEARS_RE.match(text):
        return True
    # the clause holding the amount: "…, soit environ 195 000 € par an" is a clause of its own
    start = text.index(as_printed)
    clause_start = max(text.rfind(" soit ", 0, start), text.rfind(" : ", 0, start), 0)
    ends = [i for i in (text.find(" soit ", start), text.find(". ", start)) if i >= 0]
    clause = text[clause_start : min(ends) if ends else len(text)]
    return bool(CUMULATIVE_RE.search(clause)) and not PER_YEAR_RE.search(clause)


PRINTED_CURRENCY_RE = re.compile(r"€|\beuros?\b|\bF\b|\bFF\b|\bfrancs?\b|\bCFA\b|\bkF\b", re.I)


def _rows_printed_in(draft, currency) -> bool:
    """Whether the rows of the table so far all print their currency, and it is ``currency``."""
    amounts = [a for action in draft.actions for a in action["amounts"]]
    return bool(amounts) and all(
        a.currency == currency and PRINTED_CURRENCY_RE.search(a.as_printed) for a in amounts
    )


def _date_amounts(amounts, record) -> None:
    """Give each sum of a budget cell the year printed on its line of the dates cell."""
    pairs = actions_parser.yearly_amounts(record.period_as_printed, record.budget_as_printed)
    index, position = 0, 0
    for amount in amounts:
        # the sums are read in printed order: look for each after the one before it
        while index < len(pairs) and pairs[index][1].find(amount.as_printed, position) < 0:
            index, position = index + 1, 0
        if index == len(pairs):
            return
        position = pairs[index][1].find(amount.as_printed, position) + len(amount.as_printed)
        if amount.year is None:
            amount.year = pairs[index][0]


def obj(model: str, **fields) -> dict:
    return {"model": f"partnerships.{model}", "fields": fields}


def budget_obj(slug, position, kind, amount, action, line) -> dict:
    return obj(
        "budget",
        partnership=[slug],
        action=action,
        position=position,
        kind=kind,
        amount=str(amount.amount),
        currency=amount.currency,
        amount_eur=str(to_eur(amount.amount, amount.currency)),
        year=amount.year,
        as_printed=amount.as_printed,
        source_line=line,
    )


def build(sources_dir: Path) -> Dataset:
    return Assembler(sources_dir).run()
