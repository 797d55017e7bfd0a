"""Token streams of the tab-separated extraction of the CUF 2016 workshop report.

The PDF extraction of that report separates words with tabs. Three signals survive in it and
are all this module relies on:

- a word printed at the start of a table cell is preceded by a space ("\\t Laurent");
- an empty cell shows as an empty field followed by such a word ("humanitaire\\t\\t nathalie");
- a line that does not end with a tab or a space stops in the middle of a word, which goes on
  at the start of the next non-blank line ("Partenari" / "at", "pd.ngninteng@trembl" /
  "ayenfrance.fr", "Marie-" / "Christine").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from partnerships.importers.records import Line
from partnerships.importers.text import clean_text


@dataclass
class Token:
    text: str
    line: int
    lead: bool = False  # printed after a space: the start of a cell in a table
    sep: bool = False  # printed after an empty field: a cell boundary
    first: bool = False  # the first word of its printed line
    after_blank: bool = False  # the first word of a line that follows a blank line
    end_tabs: int = 0  # the last word of a line: how many tabs close the line


def is_blank(text: str) -> bool:
    return not text.strip()


def tokenize(lines: list[Line]) -> list[Token]:
    """The words of ``lines`` with their layout signals, broken words rejoined."""
    out: list[Token] = []
    glue = False
    blank_before = False
    for number, raw in lines:
        if is_blank(raw):
            blank_before = True
            continue
        words: list[Token] = []
        empty_before = False
        for part in raw.split("\t"):
            if part == "":
                empty_before = True
                continue
            if not part.strip():
                continue
            words.append(
                Token(
                    part.strip(),
                    number,
                    lead=part[0] == " ",
                    sep=empty_before and part[0] == " ",
                )
            )
            empty_before = False
        if not words:
            blank_before = True
            continue
        words[0].first = True
        words[0].after_blank = blank_before
        stripped = raw.rstrip(" ")
        words[-1].end_tabs = len(stripped) - len(stripped.rstrip("\t"))
        if glue and out:
            # the previous line stopped inside a word: this line's first part completes it
            out[-1].text += words[0].text
            out[-1].end_tabs = words[0].end_tabs
            words = words[1:]
        out.extend(words)
        glue = not raw[-1].isspace()
        blank_before = False
    return out


def join_tokens(tokens: list[Token]) -> str | None:
    """Cell text: words joined by single spaces, the hyphen of a wrapped compound kept."""
    text = ""
    for token in tokens:
        if not text:
            text = token.text
        elif text.endswith("-") and token.first and not text.endswith(" -") and len(text) > 1:
            text += token.text  # "Tremblay-en-" at the end of a line + "France"
        else:
            text += " " + token.text
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


def prose(lines: list[Line]) -> str | None:
    """Clean text of a run of prose lines, tabs and broken words handled."""
    logical: list[str] = []
    glue = False
    for _, raw in lines:
        text = re.sub(r"[\t ]+", " ", raw.replace("\u00a0", " ")).strip()
        if glue and text and logical:
            # a word broken at the end of the previous line
            last = max(i for i, t in enumerate(logical) if t)
            logical[last] += text
            glue = not raw[-1].isspace()
            continue
        logical.append(text)
        if text:
            glue = not raw[-1].isspace()
    return clean_text(logical)
