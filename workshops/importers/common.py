"""Helpers shared by the workshop-document parsers."""

from __future__ import annotations

import re

from partnerships.importers.records import Line, ReportItem
from partnerships.importers.text import collapse, fold

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)


class Tracker:
    """Remembers which lines a parser consumed, to report the others.

    Every non-blank line must be either consumed by a rule or reported as "unplaced-line":
    nothing leaves the source silently.
    """

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.consumed: set[int] = set()
        self.report: list[ReportItem] = []

    def take(self, *numbers: int) -> None:
        self.consumed.update(numbers)

    def take_range(self, first: int, last: int) -> None:
        self.consumed.update(range(first, last + 1))

    def add(self, line: int, kind: str, message: str, value: str = "", field: str = "") -> None:
        self.report.append(ReportItem(line, kind, message, value, field))

    def finish(self) -> list[ReportItem]:
        for number, text in self.lines:
            if number not in self.consumed and text.strip():
                self.add(number, "unplaced-line", "Ligne non reprise par l'import", collapse(text))
        self.report.sort(key=lambda item: item.line)
        return self.report


def split_person(name: str) -> tuple[str | None, str | None]:
    """First name and last name of a printed "Prénom NOM" or "Prénom Nom".

    Upper-case words are the last name ("Lucie ALLEX-BILLAUD", "Renée LE BORGNE"); without
    them the last word is ("Astrid Frey").
    """
    words = name.split()
    if not words:
        return None, None
    upper = [i for i, w in enumerate(words) if len(w) > 1 and w.upper() == w and w[0].isalpha()]
    if upper and upper[0] > 0:
        cut = upper[0]
    else:
        cut = len(words) - 1 if len(words) > 1 else 0
    first = " ".join(words[:cut]) or None
    last = " ".join(words[cut:]) or None
    return first, last


def person_key(first: str | None, last: str | None) -> tuple[str, str]:
    """Comparison key of a person: "Anne-Laure Barrès" and "Anne Laure BARRES" match."""
    return fold(first or ""), fold(last or "")


def emails_in(text: str | None) -> list[str]:
    return EMAIL_RE.findall(text or "")
