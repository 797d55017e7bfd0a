"""Plain records produced by the répertoire parsers.

The parsers never touch the database: they turn source lines into these records, each carrying
the line number it came from, and list what they could not place as ``ReportItem``s. The
assembly step (``repertoire.py``) resolves them into fixtures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

Line = tuple[int, str]  # (1-based line number in the source file, raw text without newline)


@dataclass
class ReportItem:
    line: int
    kind: (
        str  # short machine code, e.g. "unmapped-domain", "unreadable-amount", "unresolved-region"
    )
    message: str  # French sentence a staff member can act on
    value: str = ""  # the printed value concerned
    field: str = ""  # field of the record concerned, when there is one


@dataclass
class CollectivityRef:
    """A collectivity as a fiche prints it in its "Collectivité française/malienne" block."""

    side: str  # "FR" or "ML"
    name_as_printed: str
    line: int
    population_as_printed: str | None = None
    location_as_printed: str | None = None  # "Département/Région" or "Cercle/Région/Commune" answer


@dataclass
class ContactRecord:
    side: str  # "FR" or "ML"
    # executive | elected | international_relations | other_service | twinning_committee | other
    role: str
    line: int
    label: str = ""  # the printed heading of the block, e.g. "Élu en charge du partenariat"
    name: str | None = None
    function: str | None = None
    address: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    website: str | None = None


@dataclass
class Amount:
    amount: Decimal
    currency: str  # "EUR", "FRF" or "XOF"
    as_printed: str
    year: int | None = None
    is_total: bool = False  # printed as a total ("T : 234 879 €", "total : 146616€")


@dataclass
class ActionRecord:
    line: int
    domain_as_printed: str | None
    description: str | None
    period_as_printed: str | None = None
    budget_as_printed: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    is_total: bool = False  # a TOTAL line of the table: a total budget, not an action
    read_by_hand: bool = False  # from action_readings.csv: its cells are placed, not guessed


@dataclass
class FicheRecord:
    status: str  # "documented" (fiche renseignée) or "other" (autres types de partenariats)
    line: int  # line of "Date de mise à jour"
    title: str
    updated_on: datetime.date | None = None
    page: int | None = None  # page number of a footer printed inside the fiche
    french: list[CollectivityRef] = field(default_factory=list)
    malian: list[CollectivityRef] = field(default_factory=list)
    contacts: list[ContactRecord] = field(default_factory=list)
    contacts_start: str | None = None
    formalisation: str | None = None
    budget_cd: str | None = None  # "Budget consacré à la coopération décentralisée/an", as printed
    budget_ri: str | None = None  # "Budget consacré aux relations internationales/an", as printed
    technical_partners: str | None = None
    financial_partners: str | None = None
    motivations_french: str | None = None
    motivations_malian: str | None = None
    presentation: str | None = None  # free text of "autres types" fiches
    perspectives: str | None = None
    documents: str | None = None
    actions_lines: list[Line] = field(default_factory=list)  # the actions table(s), raw
    # line numbers of each field's first line, for provenance and the review queue
    field_lines: dict[str, int] = field(default_factory=dict)


@dataclass
class ListedPair:
    """A pair named in the "non renseignés" list or in a row of Annexe 1."""

    line: int
    french_as_printed: str
    malian_as_printed: str
    department_as_printed: str | None = None  # Annexe 1 only
    region_heading: str | None = None  # Annexe 1 only: "Région de Kayes", "District de Bamako"…


@dataclass
class DomainHeading:
    """One row of the summary table by domain."""

    line: int
    name_as_printed: str
    subthemes: list[str] = field(default_factory=list)
    collectivities_as_printed: list[str] = field(default_factory=list)
