"""Parser of the synthesis of the debate on Franco-Mauritanian twinning.

The document is short: a title, three quotes each followed by the value it illustrates
(« … » AMITIE), then two themes ("Développer les jumelages :", "Rendre durable une relation de
jumelage :") listing recommendations as "- " items, with a few more quotes in between.
"""

from __future__ import annotations

import re

from partnerships.importers.records import Line, ReportItem
from partnerships.importers.text import clean_text, collapse

from .common import Tracker
from .records import QuoteRecord, RecommendationRecord, SectionRecord, WorkshopRecord

SOURCE = "synthese-jumelages-franco-mauritaniens.txt"

THEME_RE = re.compile(r"^[A-ZÉ][^«»]*:\s*$")
# The value a quote illustrates is printed in capitals after the closing guillemet, or alone on
# the next line.
VALUE_RE = re.compile(r"^[A-ZÉÈÊÀÇ]{4,}$")


def _strip(text: str) -> str:
    return text.replace("\u00a0", " ").strip()


def parse(lines: list[Line]) -> tuple[WorkshopRecord, list[ReportItem]]:
    tracker = Tracker(lines)
    rows = [(n, _strip(t)) for n, t in lines]

    index = 0
    while index < len(rows) and not rows[index][1]:
        index += 1
    title_line = rows[index][0]
    title_parts = []
    while index < len(rows) and rows[index][1]:
        title_parts.append(rows[index][1])
        tracker.take(rows[index][0])
        index += 1
    workshop = WorkshopRecord(
        line=title_line,
        source=SOURCE,
        title=collapse(" ".join(title_parts)),
        date_note="Le document n'imprime ni date, ni lieu, ni organisateur",
    )

    theme: str | None = None
    section: SectionRecord | None = None
    section_lines: list[str] = []
    order = 0

    def close_section() -> None:
        if section is not None:
            section.text = clean_text(section_lines)

    while index < len(rows):
        number, text = rows[index]
        if not text:
            index += 1
            continue
        if text.startswith("«"):
            # a quote runs until its closing guillemet
            parts = [text]
            first = number
            tracker.take(number)
            while "»" not in parts[-1] and index + 1 < len(rows):
                index += 1
                parts.append(rows[index][1])
                tracker.take(rows[index][0])
            joined = collapse(" ".join(p for p in parts if p))
            match = re.match(r"^«\s*(.*?)\s*»\s*(.*)$", joined)
            quote_text, value = (match.group(1), match.group(2)) if match else (joined, "")
            if not value and index + 1 < len(rows) and VALUE_RE.match(rows[index + 1][1]):
                index += 1
                value = rows[index][1]
                tracker.take(rows[index][0])
            if value and not VALUE_RE.match(value):
                tracker.add(first, "unreadable-quote-value", "Valeur de citation illisible", value)
                value = ""
            workshop.quotes.append(QuoteRecord(first, quote_text, value or None))
            if section is not None:
                section_lines.extend(["", f"« {quote_text} »"])
            index += 1
            continue
        if THEME_RE.match(text):
            close_section()
            theme = collapse(text.rstrip(":").strip())
            section = SectionRecord(number, theme, "recommendations")
            workshop.sections.append(section)
            section_lines = []
            order = 0
            tracker.take(number)
            index += 1
            continue
        if text.startswith("-"):
            first = number
            item = [text.lstrip("-").strip()]
            tracker.take(number)
            index += 1
            # the item runs until the next item, quote or theme; blank lines inside are wraps
            while index < len(rows):
                following = rows[index][1]
                if following.startswith(("-", "«")) or THEME_RE.match(following):
                    break
                item.append(following)
                tracker.take(rows[index][0])
                index += 1
            order += 1
            item_text = clean_text(item)
            workshop.recommendations.append(RecommendationRecord(first, item_text, theme, order))
            if section is not None:
                section_lines.extend(["", "- " + item_text])
            continue
        index += 1  # left for the report
    close_section()
    return workshop, tracker.finish()
