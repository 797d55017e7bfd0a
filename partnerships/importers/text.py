"""Text helpers shared by the parsers: reading numbered lines, page footers, cleaning answers."""

from __future__ import annotations

import re
from pathlib import Path

from ..text import fold  # noqa: F401 (the parsers compare names folded: one folding)
from .records import Line

FOOTER_RE = re.compile(r"Cités Unies France\s*-\s*Répertoire des partenariats.*?(\d+)\s*/\s*(\d+)")
# Bullet glyphs the PDF extraction leaves at the start of list items (private-use and symbol
# characters come from Wingdings bullets).
# "Action 2 - …", "Volet 1 : …": a numbered item of a list, printed one a line (Hautes-Pyrénées);
# so is "3° L’installation …" (Thionville / Gao's perspectives, after a blank)
BULLET_RE = re.compile(
    r"^\s*(?:[-–—•*·▪►✓]|[\uf000-\uf0ff]|\d{1,2}[.)]\s|\d{1,2}\s?°|(?:Action|Axe|Volet)\s+\d{1,2}\s*[-–:])"
)
# A dated entry ("2005 : Signature…", "Décembre 2007 : …") after a blank line opens a paragraph.
DATED_ENTRY_RE = re.compile(r"^\s*(?:[A-Za-zéû]+\s+)?(?:19|20)\d\d\s*[:–-]\s")
# A line closed by a sum and its currency.
SUM_END_RE = re.compile(r"\d\s*(?:€|euros?|E|F?CFA|francs)$", re.IGNORECASE)
# A paragraph ends on these; a blank line after anything else is a wrap ("de la" / "République").
PARAGRAPH_END_RE = re.compile(r"[.:;!?)»…]$")
_WS_RE = re.compile(r"\s+")
# The extraction turned the répertoire's "€" (Windows-1252 0x80) into U+FFFD "�": after an
# amount it can only be the euro sign, and the pages must not show "�".
EURO_RE = re.compile(r"(?<=\d)(\s*)\ufffd")


def read_lines(path: str | Path) -> list[Line]:
    """The file as (line number, text) pairs, numbered from 1, newline removed, the euro
    signs the extraction lost after an amount restored."""
    with open(path, encoding="utf-8") as handle:
        return [
            (number, EURO_RE.sub(r"\1€", raw.rstrip("\n")))
            for number, raw in enumerate(handle, start=1)
        ]


def footer_page(text: str) -> int | None:
    """The page number when ``text`` is a page footer ("… 2008 13/180"), else None."""
    match = FOOTER_RE.search(text)
    return int(match.group(1)) if match else None


def is_footer(text: str) -> bool:
    return footer_page(text) is not None


def collapse(text: str | None) -> str | None:
    """Whitespace collapsed to single spaces; None for an empty answer."""
    if text is None:
        return None
    text = _WS_RE.sub(" ", text).strip()
    return text or None


# A line ending on these goes on with the next whatever its length ("de la" / "République").
_OPEN_END_RE = re.compile(
    r"(?:\b(?:à|et|ou|de|du|des|la|le|les|un|une|en|pour|par|sur|au|aux|avec|dans|d’|l’)|[,’'(/&+–-])$",
    re.IGNORECASE,
)


# A line set in from the margin (the extraction starts most lines with one space at most), and
# a line holding two cells apart.
_INDENTED_RE = re.compile(r"^ {3,}\S")
_CELLS_RE = re.compile(r"\S {4,}\S")


def clean_text(lines: list[str], width: int = 0, first_indent: int = 0) -> str | None:
    """Join the lines of a printed answer into clean text.

    Wrapped lines are joined with a space (or with nothing after a hyphen that ends a line in
    the middle of a compound word: "Ile-de-" + "France"). A list item (a line opening with a
    bullet) starts a new line, and so does a paragraph: a blank line after a finished sentence,
    followed by a capital. The extraction also puts blank lines in the middle of sentences, so
    any other blank line is a wrap, not a paragraph. Page footers are dropped. Returns None when
    nothing is left: an empty answer is null, not "". ``first_indent``: the printed width before
    the first line's text (its label, on the same line), counted in that line's length.
    """
    paragraphs: list[str] = []
    current = ""
    blank_before = False
    previous = ""  # the previous printed line, as printed
    previous_indent, indent = 0, first_indent  # printed before a line's text (its label)
    previous_cells = False  # the previous line printed two cells side by side
    for raw in lines:
        if is_footer(raw):
            continue
        printed = raw.replace("\u00a0", " ").rstrip()
        line = _WS_RE.sub(" ", printed).strip()
        if not line:
            blank_before = bool(current)
            continue
        starts_paragraph = (
            BULLET_RE.match(line) is not None
            # in a fiche's text, a line printed set in from the margin is an item of its own
            # (Thionville's partners one a line, « Approuvé par le Comité Directeur … » far
            # right), and a line of two cells side by side a row (« … le 2 novembre 1986
            # Charte du Jumelage … » / « … le 19 juin 1987   Deux Protocoles … »)
            or (
                width
                and previous
                and not _OPEN_END_RE.search(previous)
                and (_INDENTED_RE.match(printed) is not None or previous_cells)
            )
            # a list of sums, one a line ("Conseil général … 27 772 €" / "Conseil de cercle …")
            or (line[0].isupper() and SUM_END_RE.search(current) is not None)
            # the line before left room for this line's first word: the text did not wrap
            # there, its author went to the line ("Agence KARED, agence de développement
            # malienne" / "Association Essonne Sahel : …")
            or (
                width
                and previous
                and (line[0].isupper() or line[0].isdigit())
                and previous_indent + len(previous) + 1 + len(line.split()[0]) < width * 0.8
                and not _OPEN_END_RE.search(previous)
            )
        ) or (
            blank_before
            and (line[0].isupper() or line[0].isdigit())
            and (PARAGRAPH_END_RE.search(current) is not None or DATED_ENTRY_RE.match(line))
        )
        if current and starts_paragraph:
            paragraphs.append(current)
            current = line
        elif current and re.search(r"\w-$", current) and not current.endswith(" -"):
            current += line
        elif current:
            current += " " + line
        else:
            current = line
        blank_before = False
        previous, previous_indent, indent = line, indent, 0
        previous_cells = _CELLS_RE.search(printed) is not None
    if current:
        paragraphs.append(current)
    text = "\n".join(p.strip() for p in paragraphs if p.strip())
    return text or None
