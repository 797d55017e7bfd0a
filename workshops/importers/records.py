"""Plain records produced by the workshop-document parsers.

Like the répertoire parsers, these parsers never touch the database: each document becomes one
``WorkshopRecord`` holding its sections, participants, quotes, recommendations, questionnaire
answers and twin towns, every record carrying the 1-based line number of its first line in its
source file. Names of collectivities and places are kept as printed: linking them to
collectivities and partnerships is done later, by the assembly step.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from partnerships.importers.records import ReportItem

__all__ = [
    "AnswerRecord",
    "FootnoteRecord",
    "ParticipantRecord",
    "PartnerPlace",
    "QuoteRecord",
    "RecommendationRecord",
    "ReportItem",
    "SectionRecord",
    "SpeakerRecord",
    "TwinTownRecord",
    "WorkshopRecord",
]

SECTION_KINDS = (
    "testimony",
    "synthesis",
    "recommendations",
    "key_points",
    "programme",
    "context",
    "other",
)


@dataclass
class SectionRecord:
    line: int  # line of the heading
    heading: str
    kind: str  # one of SECTION_KINDS
    text: str | None = None  # the section's own text, sub-sections excluded
    level: int = 1  # 1 for a top-level section
    parent: str | None = None  # heading of the enclosing section
    speaker: str | None = None  # who speaks, as printed ("Lino Ferreira, Chef du service…")
    collectivity: str | None = None  # testimonies: the collectivity speaking, as printed
    partners: list[str] = field(default_factory=list)  # testimonies: partner towns, as printed


@dataclass
class ParticipantRecord:
    line: int
    status: str  # "present", "excused" or "team" (staff of the organiser)
    organisation: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    function: str | None = None
    number: int | None = None  # the row number printed in the list
    is_speaker: bool = False


@dataclass
class SpeakerRecord:
    """A speaker as the "Intervenants" list prints it.

    ``description`` is everything printed after the name (function and organisation, which
    the documents do not separate reliably). ``participant_line`` points to the row of the
    participants list naming the same person, when there is one.
    """

    line: int
    as_printed: str
    first_name: str | None = None
    last_name: str | None = None
    description: str | None = None
    excused: bool = False
    participant_line: int | None = None


@dataclass
class QuoteRecord:
    line: int
    text: str
    value: str | None = None  # the value it illustrates, as printed ("AMITIE"), when printed


@dataclass
class RecommendationRecord:
    line: int
    text: str
    theme: str | None  # the heading the recommendation is listed under, as printed
    order: int  # 1-based rank within its theme


@dataclass
class PartnerPlace:
    country: str
    locality: str | None = None  # the parenthesised precision, as printed ("cercle de Kolokani")


@dataclass
class AnswerRecord:
    """One row of the table of answers to the preparatory questionnaire (CUF 2016)."""

    line: int
    number: int
    collectivity: str  # "Collectivité française ou association de jumelage", as printed
    partner_as_printed: str | None
    partners: list[PartnerPlace] = field(default_factory=list)
    challenges: str | None = None
    tools: str | None = None
    recommendations: str | None = None
    contact: str | None = None  # the contact cell as printed (e-mails rejoined)
    emails: list[str] = field(default_factory=list)
    category: str = "collectivity"  # or "other" (the "Autre structure" part of the table)


@dataclass
class TwinTownRecord:
    line: int
    name: str
    country: str | None = None
    year: int | None = None  # year of the twinning, from the presentation text
    population: int | None = None
    population_as_printed: str | None = None
    population_year: int | None = None
    population_approximate: bool = False  # printed "Environ …"
    description: str | None = None
    cercle: str | None = None  # Malian towns: the cercle named by the description


@dataclass
class FootnoteRecord:
    line: int
    number: int | None
    text: str


@dataclass
class WorkshopRecord:
    line: int  # line of the title
    source: str  # file name of the source document
    title: str
    organiser: str | None = None
    date: datetime.date | None = None  # set only when the document prints a full date
    date_as_printed: str | None = None
    date_precision: str = "unknown"  # "exact", "partial" or "unknown"
    date_note: str | None = None  # why the date is partial or unknown (French)
    place: str | None = None
    context: str | None = None
    objectives: str | None = None
    agenda: list[str] = field(default_factory=list)
    sections: list[SectionRecord] = field(default_factory=list)
    participants: list[ParticipantRecord] = field(default_factory=list)
    speakers: list[SpeakerRecord] = field(default_factory=list)
    quotes: list[QuoteRecord] = field(default_factory=list)
    recommendations: list[RecommendationRecord] = field(default_factory=list)
    answers: list[AnswerRecord] = field(default_factory=list)
    twin_towns: list[TwinTownRecord] = field(default_factory=list)
    footnotes: list[FootnoteRecord] = field(default_factory=list)
