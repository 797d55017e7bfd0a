"""Parser of the notes of the Horizons Solidaires meeting on local authorities and twinning
committees ("L'évolution des relations entre collectivités et comités de jumelage").

The notes are Markdown-like: a bold title, bold pseudo-headings for the opening parts
(context, questions, agenda, speakers), then "##"…"#####" headings. The testimonies
("Châtelleraut ou l'influence positive…", "Angers et son approche…") are not nested
consistently by the extraction (Hérouville sits under Alençon), so a heading of the form
"<Town> ou …" / "<Town> et son …" after the "Témoignages" heading opens a testimony whatever
its level.
"""

from __future__ import annotations

import re

from partnerships.importers.records import Line, ReportItem
from partnerships.importers.text import clean_text, collapse, fold

from .common import Tracker, split_person
from .records import (
    FootnoteRecord,
    ParticipantRecord,
    SectionRecord,
    SpeakerRecord,
    WorkshopRecord,
)

SOURCE = "horizons-solidaires-collectivites-comites-jumelage.txt"

HEADING_RE = re.compile(r"^(#{2,5})\s+(.*)$")
BOLD_LINE_RE = re.compile(r"^\*\*(.+?)\*\*\s*$")
FOOTNOTE_RE = re.compile(r"^<sup>(\d+)</sup>\s*(.*)$")
TESTIMONY_RE = re.compile(r"^(?P<town>[A-ZÀ-Ý][\w'’-]*(?: [A-ZÀ-Ý][\w'’-]*){0,3}) (?:ou|et son) ")
SPEAKER_RE = re.compile(r"^-\s*(?P<name>[^()]+?)\s*\((?P<description>[^()]+)\)\s*$")
BY_RE = re.compile(r"\(par ([^()]+)\)\s*$")
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
DATE_RE = re.compile(rf"\ble (\d{{1,2}} (?:{MONTHS}))\b")

# Section kinds by the folded start of the heading; sub-sections inherit their parent's kind.
KINDS = (
    ("contexte", "context"),
    ("introduction", "synthesis"),
    ("les questionnements", "context"),
    ("ordre du jour", "programme"),
    ("cooperation decentralisee evolution du cadre", "context"),
    ("temoignages", "testimony"),
    ("tranches de paroles", "synthesis"),
    ("quelques points clefs", "key_points"),
    ("les differents modes d organisation", "other"),
    ("relations entre la collectivite", "other"),
    ("les prochains rendez vous", "other"),
)

# Partner towns each testimony names, as printed in its text; checked against the text.
TESTIMONY_PARTNERS = {
    "chatelleraut": ["Kaya"],
    "angers": ["Bamako"],
    "alencon": ["Koutiala"],
    "herouville st clair": ["Tikhvine", "Agnam", "Afhir"],
    "chambery": ["Ouahigouya"],
    "nantes": [],
}


def _plain(text: str) -> str:
    """A Markdown line without its emphasis markers."""
    text = text.replace("\u00a0", " ")
    text = re.sub(r"\*\*|(?<!\w)\*|\*(?!\w)", "", text)
    return text.strip()


def _heading_text(text: str) -> str:
    text = _plain(text).lstrip("•").strip()
    return re.sub(r"\s*:\s*$", "", text)


def _kind_of(heading: str) -> str | None:
    key = fold(heading)
    for prefix, kind in KINDS:
        if key.startswith(prefix):
            return kind
    return None


def parse(lines: list[Line]) -> tuple[WorkshopRecord, list[ReportItem]]:
    tracker = Tracker(lines)

    # the title: the first bold block, possibly over several lines ("…  " hard breaks)
    start = next(i for i, (_, t) in enumerate(lines) if t.strip())
    end = start
    while not lines[end][1].rstrip().endswith("**"):
        end += 1
    title = collapse(" ".join(_plain(t) for _, t in lines[start : end + 1]))
    tracker.take_range(lines[start][0], lines[end][0])
    workshop = WorkshopRecord(line=lines[start][0], source=SOURCE, title=title)

    # headings: bold pseudo-headings until the first "##", Markdown headings after
    headings: list[tuple[int, int, str]] = []  # (index in lines, markdown level, text)
    seen_markdown = False
    for index in range(end + 1, len(lines)):
        text = lines[index][1]
        match = HEADING_RE.match(text)
        if match:
            seen_markdown = True
            headings.append((index, len(match.group(1)), _heading_text(match.group(2))))
        elif not seen_markdown and BOLD_LINE_RE.match(text.strip()):
            headings.append((index, 2, _heading_text(text)))

    testimonies_heading: str | None = None
    stack: list[tuple[int, str, int, str]] = []  # (markdown level, heading, level, kind)
    bodies: list[tuple[SectionRecord | None, list[tuple[int, str]]]] = []
    for position, (index, md_level, heading) in enumerate(headings):
        number = lines[index][0]
        tracker.take(number)
        stop = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        body = lines[index + 1 : stop]
        while stack and stack[-1][0] >= md_level:
            stack.pop()
        folded = fold(heading)
        testimony = TESTIMONY_RE.match(heading) if testimonies_heading else None
        if folded.startswith("temoignages"):
            testimonies_heading = heading
        if testimony:
            level, parent, kind = 2, testimonies_heading, "testimony"
            stack = [s for s in stack if s[1] == testimonies_heading]
        else:
            kind = _kind_of(heading) or (stack[-1][3] if stack else "other")
            level = stack[-1][2] + (md_level - stack[-1][0]) if stack else md_level - 1
            parent = stack[-1][1] if stack else None
        stack.append((md_level, heading, level, kind))

        if folded.startswith("intervenants"):
            _speakers(workshop, body, tracker)
            continue
        if folded.startswith("structures presentes"):
            _structures(workshop, body, tracker)
            continue
        section = SectionRecord(number, heading, kind, level=level, parent=parent)
        by = BY_RE.search(heading)
        if by:
            section.speaker = by.group(1)
        if testimony:
            section.collectivity = testimony.group("town")
        workshop.sections.append(section)
        bodies.append((section, body))

    for section, body in bodies:
        kept: list[str] = []
        for number, raw in body:
            text = raw.strip()
            if not text:
                kept.append("")
                continue
            tracker.take(number)
            footnote = FOOTNOTE_RE.match(text)
            if footnote:
                workshop.footnotes.append(
                    FootnoteRecord(number, int(footnote.group(1)), _plain(footnote.group(2)))
                )
                continue
            kept.append(_plain(text))
            if raw.endswith("  "):
                kept.append("")  # a Markdown hard break ends the printed line
        section.text = clean_text(kept)
        if section.kind == "programme":
            items = (section.text or "").split("\n")
            workshop.agenda = [item.lstrip("- ").strip() for item in items]
        if section.kind == "context" and section.heading.lower().startswith("contexte"):
            workshop.context = section.text

    _testimony_partners(workshop, tracker)
    _date_and_place(workshop, lines, tracker)
    return workshop, tracker.finish()


def _speakers(workshop: WorkshopRecord, body: list[Line], tracker: Tracker) -> None:
    for number, raw in body:
        text = raw.strip()
        if not text:
            continue
        match = SPEAKER_RE.match(text)
        if not match:
            continue  # left for the report
        tracker.take(number)
        first, last = split_person(match.group("name"))
        workshop.speakers.append(
            SpeakerRecord(number, text.lstrip("- "), first, last, match.group("description"))
        )


def _structures(workshop: WorkshopRecord, body: list[Line], tracker: Tracker) -> None:
    for number, raw in body:
        text = raw.strip()
        if text.startswith("- "):
            tracker.take(number)
            # organisations are kept as printed, "Villed'Alençon" included
            workshop.participants.append(
                ParticipantRecord(number, "present", organisation=collapse(text[2:]))
            )


def _testimony_partners(workshop: WorkshopRecord, tracker: Tracker) -> None:
    sections = workshop.sections
    for position, section in enumerate(sections):
        if section.collectivity is None:
            continue
        # a testimony's text includes that of its sub-sections
        text = section.text or ""
        for following in sections[position + 1 :]:
            if following.level <= section.level:
                break
            text += "\n" + (following.text or "")
        partners = TESTIMONY_PARTNERS.get(fold(section.collectivity))
        if partners is None:
            tracker.add(
                section.line,
                "unknown-testimony",
                "Témoignage d'une collectivité inattendue : partenaires à saisir",
                section.collectivity,
            )
            continue
        for partner in partners:
            if partner in text:
                section.partners.append(partner)
            else:
                tracker.add(
                    section.line,
                    "missing-partner",
                    "Partenaire attendu absent du témoignage",
                    partner,
                )


def _date_and_place(workshop: WorkshopRecord, lines: list[Line], tracker: Tracker) -> None:
    for number, text in lines:
        if workshop.organiser is None and "Horizons Solidaires" in text:
            workshop.organiser = "Horizons Solidaires"
        match = DATE_RE.search(text)
        if match and workshop.date_as_printed is None:
            workshop.date_as_printed = match.group(1)
            workshop.date_precision = "partial"
            workshop.date_note = (
                f"Jour et mois imprimés (« le {match.group(1)} », ligne {number}), "
                "année absente du document"
            )
    if workshop.date_as_printed is None:
        workshop.date_note = "Date de la rencontre non imprimée"
        tracker.add(workshop.line, "missing-date", "Date de la rencontre non imprimée")
    # The only address printed (Caen) is that of the next meeting, not of this one.
    tracker.add(
        workshop.line,
        "missing-place",
        "Lieu de la rencontre non imprimé (l'adresse à Caen est celle du prochain rendez-vous)",
    )
