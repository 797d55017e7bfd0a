"""Parser of a fiche's "Actions de coopération réalisées" table(s).

The extraction prints the four columns of a row one after the other, as blocks separated by
empty lines: the domain cell, the actions cell, the dates cell, the budget cell. Lines holding
a single space are the blank lines *inside* a cell (they keep its vertical layout); a block of
such lines alone is an empty cell. Cells are also run together on one line ("Vie économique
Développement de l'action micro-crédit 2000 à 2006 1 723 (2003 à"). The parser walks the
blocks with the column it expects next, and recognises a dates or a budget cell by its content.

Mixed-case domain labels printed on the same line as the actions text ("Santé Petit matériel")
are recognised with the list of printed labels in ``domain_labels.csv``: the same file maps
them to the nine domains of the summary table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import references
from .amounts import MONTHS, parse_years
from .records import ActionRecord, Line, ReportItem
from .text import clean_text, collapse, fold, is_footer

DOMAIN_LABELS = "domain_labels.csv"
READINGS = "action_readings.csv"
# kind of a reading row whose domain is a merged cell printed over rows above it
MERGED_DOMAIN = "domaine-fusionné"

TITLE_RE = re.compile(r"Actions de coopération réalisées")
_HEADER_PHRASES = [
    # a heading over a second table of the same fiche: "Actions réalisées de 2005-à 2007"
    r"Actions\s+réalisées\s+(?:de|depuis|en)\s+\d{4}(?:\s*-?\s*(?:à|-)\s*\d{4})?",
    r"Domaines\s+d[’']intervention",
    r"Domaines",
    r"d[’']intervention",
    r"Actions\s+réalisée?s",
    r"par des opérateurs du NPDC et de Kayes",
    r"avec le soutien de la RNPDC",
    r"Date de début(?:\s+et)?(?:\s+périodicité)?",
    r"et\s+périodicité",
    r"périodicité",
    r"Budget",
    r"\(en euros\)",
    r"\(Euros\)",
]
HEADER_RE = re.compile("|".join(_HEADER_PHRASES), re.IGNORECASE)
EURO_HEADER_RE = re.compile(r"\((?:en\s+)?euros\)", re.IGNORECASE)

_YEAR = r"(?:19[5-9]\d|20[0-3]\d)"
YEAR_RE = re.compile(rf"(?<!\d){_YEAR}(?!\d)")
MONTH_RE = re.compile(rf"\b(?:{MONTHS})\b", re.IGNORECASE)
DATE_WORDS_RE = re.compile(
    r"^[-–\s]*(?:chaque année|tous les ans|annuel(?:le)?|en cours|depuis|permanent|en continu|"
    r"sur deux ans|à la demande)\b",
    re.IGNORECASE,
)
CURRENCY_RE = re.compile(
    r"\d\s*(?:millions?\s*(?:de\s+)?)?(?:€|\ufffd|euros?\b|E\b|Ff\b|FF\b|Fr\b|kF\b|"
    r"(?:de\s+)?francs?\b|F\s*CFA|Fcfa|CFA)",
    re.IGNORECASE,
)
BUDGET_WORDS_RE = re.compile(
    r"^(?:\+ou-|PM\b|T\s*:|total\b|gratuit|dons?\b|intégré|non évalué|aux frais|a leurs frais|"
    r"bénéfices|cette année|attente devis|phase \d)",
    re.IGNORECASE,
)
CURRENCY_WORDS_RE = re.compile(
    r"^(?:de\s+)?(?:francs?\s*)?(?:F?CFA|FcfA|euros?|€)\s*$", re.IGNORECASE
)
NUMBERING_RE = re.compile(r"^\d+\.\s*")
# A frequency is a dates cell, not a sum: "2à 3 par an", "4 fois par an".
FREQUENCY_RE = re.compile(
    r"^\d+\s*(?:à\s*\d+\s*)?(?:fois\s+)?par\s+(?:an|mois|semaine)\b", re.IGNORECASE
)
# A total (or sub-total) line closes the table: it is not a row's budget.
TOTAL_RE = re.compile(r"^(?:sous[-\s]?)?total\b", re.IGNORECASE)
# A day or an ordinal opening a dates cell ("4 au 13 mars 2002", "1er au 15 décembre", "1er
# stage de"): a number, but not an amount.
DAY_DATE_RE = re.compile(
    rf"^(?:du\s+)?\d{{1,2}}(?:er|ère|ème|e)?\s+(?:au\b|(?:{MONTHS})\b)|^\d{{1,2}}(?:er|ère|ème)\s",
    re.IGNORECASE,
)
# A period ending an actions line, possibly followed by the budget: "… 2006-2007 12 747".
_YEARS = rf"{_YEAR}(?:\s*(?:-|–|/|à|et|,)\s*{_YEAR})*,?"
_PERIOD = (
    rf"(?:(?:Depuis|En|Dès|De)\s+)?(?:(?:{MONTHS})\s+)?{_YEARS}(?:\s*\([^)]*\))?"
    r"|Chaque année|En cours|en cours"
)
_BUDGET_START = r"(?:\d|\+ou-|PM\b|en cours|[A-ZÉ][a-zé]+\s*:)"
TAIL_RE = re.compile(
    rf"^(?P<head>.*?\S)\s+(?P<period>{_PERIOD})(?:\s+(?P<budget>{_BUDGET_START}.*))?$"
)
BUDGET_TAIL_RE = re.compile(
    r"^(?P<head>.*?\S)\s{2,}(?P<budget>\d[\d .,]*\s*(?:millions?\s+de\b|€|euros?\b|Fr\b).*)$"
)
# A dates line that carries the budget as well: "2005 3000  Euros", "Depuis 1996  Les".
LEAD_RE = re.compile(
    rf"^(?P<period>(?i:(?:(?:Démarrage fin|Depuis|En|Dès|De|Entre)\s+)?(?:(?:{MONTHS})\s+)?"
    rf"{_YEARS}(?:\s*\([^)]*\))?(?:\s+annuel)?|Chaque année|En cours|permanent))"
    rf"\s+(?P<budget>(?:\d|\+ou-|PM\b|[A-ZÉ]).*)$"
)
CAPS_START_RE = re.compile(
    r"^(?:\d+\.\s*)?(?!(?:F?CFA|FF|PM|TOTAL)\b)([A-ZÀÂÉÈÊÎÔÛÇ][A-ZÀÂÉÈÊÎÔÛÇ’'\-]{2,})(?=\s|$|/|:)"
)
LABEL_WIDTH = 27  # the domain column wraps its text at about this many characters


@dataclass
class _Row:
    line: int
    domain: list[tuple[int, Line]] = field(default_factory=list)  # (offset in block, line)
    actions: list[tuple[int, Line]] = field(default_factory=list)
    period: list[tuple[int, Line]] = field(default_factory=list)
    budget: list[tuple[int, Line]] = field(default_factory=list)
    col: str = "D"  # column expected next: D(omain), A(ctions), P(eriod), B(udget), E(nd)


# ---------------------------------------------------------------- domain labels


def load_domain_labels() -> dict[str, str]:
    """label (folded) -> domain slug ("" when no domain fits), from the current import."""
    rows = references.current().rows(DOMAIN_LABELS)
    return {fold(row["label"]): row["domain"].strip() for row in rows}


def _label_key(label: str) -> str:
    return fold(NUMBERING_RE.sub("", label.strip()).rstrip(" :-–/"))


def map_domain(label: str | None, mapping: dict[str, str]) -> str | None:
    """The domain slug of a printed label, or None (unknown label or no domain fits)."""
    if not label:
        return None
    for key in (fold(label), _label_key(label)):
        if key in mapping:
            return mapping[key] or None
    return None


@references.per_import
def _known_labels(tables) -> list[str]:
    labels = [row["label"] for row in tables.rows(DOMAIN_LABELS)]
    keys = {_label_key(label) for label in labels}
    return sorted((k for k in keys if k), key=len, reverse=True)


# ---------------------------------------------------------------- line classification


def _is_header_line(text: str) -> bool:
    return bool(HEADER_RE.search(text)) and not HEADER_RE.sub("", text).strip(" \t:")


def _is_date_line(text: str) -> bool:
    body = NUMBERING_RE.sub("", text.strip())
    if FREQUENCY_RE.match(body):
        return True
    if not body or CURRENCY_RE.search(body) or len(body) > 32 or CAPS_START_RE.match(body):
        return False
    if DAY_DATE_RE.match(body):
        return True
    return bool(YEAR_RE.search(body) or MONTH_RE.search(body) or DATE_WORDS_RE.search(body))


def _is_amount_line(text: str) -> bool:
    body = NUMBERING_RE.sub("", text.strip())
    if FREQUENCY_RE.match(body):
        return False
    if not body or (DAY_DATE_RE.match(body) and not CURRENCY_RE.search(body)):
        return False
    if CURRENCY_RE.search(body) and not LEAD_RE.match(body):
        if len(body) > 32 and not body[0].isdigit():
            return False  # an actions line quoting a sum ("Prêts … de 75 à 150 €")
        return not re.match(rf"^{_YEAR}\b", body) or bool(re.match(rf"^{_YEAR}\s*€", body))
    if BUDGET_WORDS_RE.match(body):
        return True
    number = re.match(r"^(\d[\d .,]*)", body)
    if number and not re.match(rf"^{_YEAR}(?!\d)", body):
        return bool(re.match(r"^[\d,]+\s+millions?", body)) or not re.match(
            r"^\d+\s+[a-zé]{3,}", body
        )  # "5 carrefours ont été…" is text
    return False


def _content(block: list[tuple[int, Line]]) -> list[tuple[int, Line]]:
    return [(o, ln) for o, ln in block if ln[1].strip()]


def _kind(block: list[tuple[int, Line]]) -> str:
    content = _content(block)
    if not content:
        return "empty"
    first = content[0][1][1]
    if all(ln[1].strip() in ("-", "–") for _, ln in content):
        return "empty"
    if first.strip() in ("-", "–") and len(content) > 1:
        first = content[1][1][1]  # a dash standing for "nothing" on the cell's first line
    if _is_amount_line(first):
        return "budget"
    if (_is_date_line(first) or LEAD_RE.match(first.strip())) and not _is_prose(content):
        return "dates"
    return "text"


def _is_prose(content: list) -> bool:
    """Lines of running text opening with a date ("Depuis 2008, le PJCMY soutient / …"): the
    actions cell, not a dates cell."""
    long_lines = [
        ln[1]
        for _, ln in content
        if len(ln[1].strip()) > LABEL_WIDTH + 2 and not _is_date_line(ln[1])
    ]
    first = content[0][1][1].strip()
    return len(first) > 20 and len(long_lines) >= 2 and 2 * len(long_lines) >= len(content)


def _label_prefix(text: str, labels: list[str], strict: bool) -> int | None:
    """Length of the domain label opening ``text`` (a line), or None.

    ``strict``: the label must be followed by what opens an actions text (a capital, a
    digit, a dash) — used where the line could as well be the continuation of an actions cell.
    A label followed by a function word ("Accueil d'une délégation", "Assainissement de la
    rue") is the start of a sentence, not a label.
    """
    stripped = text.strip()
    numbering = NUMBERING_RE.match(stripped)
    body = stripped[numbering.end() :] if numbering else stripped
    if not body or body[0] in "-–•(":
        return None
    offset = len(text) - len(text.lstrip()) + (numbering.end() if numbering else 0)
    folded_body = fold(body)
    candidates: list[int] = []
    for key in labels:  # longest first
        if folded_body == key or folded_body.startswith(key + " "):
            pos = _position_after_words(body, len(key.split()))
            if pos is not None:
                candidates.append(pos)
    caps = CAPS_START_RE.match(body)
    if caps:
        candidates.append(_caps_end(body, caps.end()))
    for end in candidates:
        rest = body[end:]
        if rest.strip().startswith(":"):
            end += rest.index(":") + 1
            rest = body[end:]
        if rest and not rest[0].isspace() and rest[0] not in "-–":
            continue
        if re.match(r"\s*(?:d[’']|l[’']|de|du|des|la|le|les|à|au|aux|et|en|pour|sur)\b", rest):
            continue
        if strict and rest.strip() and not re.match(r"\s*[-–A-ZÀÂÉÈÊÎÔÛÇ\d]", rest):
            continue
        return offset + end
    return None


def _caps_end(body: str, end: int) -> int:
    """Extend an upper-case label over its further words: "APPUI   A  LA DECENTRALISATION"."""
    words = list(re.finditer(r"\s+(\S+)", body[end:]))
    caps_word = re.compile(r"^[A-ZÀÂÉÈÊÎÔÛÇ][A-ZÀÂÉÈÊÎÔÛÇ’'\-/]*:?$")
    position = end
    for i, word in enumerate(words):
        token = word.group(1)
        if not caps_word.match(token):
            break
        if len(token.rstrip(":")) < 2:
            following = words[i + 1].group(1) if i + 1 < len(words) else ""
            if not (caps_word.match(following) and len(following) >= 2):
                break
        position = end + word.end()
    return position


def _position_after_words(body: str, count: int) -> int | None:
    matches = list(re.finditer(r"[^\W_]+", body))
    if len(matches) < count:
        return None
    end = matches[count - 1].end()
    # the fold of "d’urgence" is two words ("d", "urgence"): count words as fold() does
    folded_count = len(fold(body[:end]).split())
    index = count - 1
    while folded_count > count and index > 0:
        index -= 1
        end = matches[index].end()
        folded_count = len(fold(body[:end]).split())
    while folded_count < count and index + 1 < len(matches):
        index += 1
        end = matches[index].end()
        folded_count = len(fold(body[:end]).split())
    if end < len(body) and body[end] in ")»":
        end += 1
    return end


def _is_label_block(block: list[tuple[int, Line]]) -> bool:
    content = _content(block)
    if not content or len(content) > 12:
        return False
    first = NUMBERING_RE.sub("", content[0][1][1].strip())
    if not first or not (first[0].isupper() or first[0] == "("):
        return False
    if first[0] in "-–•":
        return False
    return all(len(ln[1].strip()) <= LABEL_WIDTH for _, ln in content) and not any(
        _is_amount_line(ln[1]) for _, ln in content
    )


# ---------------------------------------------------------------- cell text


def _join_cell(lines: list[str], dates: bool = False) -> str | None:
    """A dates or budget cell: one line per printed item, wrapped items joined.

    In a dates cell (``dates``) a line naming no date after an unfinished one goes on with it
    ("… de la parcelle par la Sous" / "Préfecture et la Municipalité en")."""
    items: list[str] = []
    for raw in lines:
        text = collapse(raw)
        if not text or is_footer(text):
            continue
        if items:
            prev = items[-1]
            opened = prev.count("(") > prev.count(")")
            continues = (
                opened
                or text[0].islower()
                or text[0] in "()«"
                or CURRENCY_WORDS_RE.match(text)
                or re.search(
                    r"(?:\b(?:à|et|de|du|au|pour|sur|des|en|le|la|ou|depuis)|[:,–-])$", prev
                )
                or re.search(rf"\b(?:{MONTHS})$", prev, re.IGNORECASE)
            )
            if re.match(r"^(?:de|du)\s+\d", text) and re.search(rf"{_YEAR}\W*$", prev):
                continues = False
            if re.match(rf"^(?:{MONTHS})\s+{_YEAR}\b", text, re.IGNORECASE) and re.search(
                rf"{_YEAR}\W*$", prev
            ):
                continues = False  # "2004 / décembre 2004 / novembre 2005": three dates
            if re.match(r"^total\b", text, re.IGNORECASE):
                continues = False
            if (
                dates
                and not continues
                and not _is_date_line(text)
                and not re.search(r"[.!?)]$", prev)
                and len(prev) > LABEL_WIDTH - 5
            ):
                continues = True
            if continues and not re.search(r"\w-$", prev):
                items[-1] = f"{prev} {text}"
                continue
            if continues:
                items[-1] = prev + text
                continue
        items.append(text)
    return "\n".join(items) or None


def _budget_cell(lines: list[str], period: str | None) -> str | None:
    """A budget cell, keeping its blank cells where they face a date.

    A column of sums facing a column of years, one a line, may leave a year without a sum: the
    extraction prints a line of spaces there (La Fouillouse, "3000 € / 1000 € / ␣ / 2800 €").
    Dropping it would give 2800 € to 2003 instead of 2004, so the blank is kept as an empty
    line, but only where the counts agree exactly: as many sums and blanks as dates.
    """
    joined = _join_cell(lines)
    if not joined or not period:
        return joined
    runs: list[list[str]] = [[]]
    blanks: list[int] = [0]
    for raw in lines:
        if raw.strip():
            if blanks[-1] and runs[-1]:
                runs.append([])
                blanks.append(0)
            runs[-1].append(raw)
        elif runs[-1]:
            blanks[-1] += 1
    if len(runs) < 2:
        return joined
    items: list[str] = []
    for index, run in enumerate(runs):
        items += (_join_cell(run) or "").split("\n")
        if index < len(runs) - 1:
            items += [""] * blanks[index]
    if len(items) != len(period.split("\n")) or not all(
        _is_amount_line(item) for item in items if item
    ):
        return joined
    return "\n".join(items)


def yearly_amounts(period: str | None, budget: str | None) -> list[tuple[int, str]]:
    """(year, sum as printed) where a dates cell faces a budget cell line for line, each date
    naming one year ("2001 / 2002 / …" and "1500 € / 1500 € / …", "Juin 2000 / 4 au 13 mars
    2002" and "17 082 francs / 1004 euros"); empty when they do not pair exactly."""
    dates = (period or "").split("\n")
    sums = (budget or "").split("\n")
    if len(dates) < 2 or len(dates) != len(sums):
        return []
    years = [set(YEAR_RE.findall(date)) for date in dates]
    if not all(len(found) == 1 for found in years):
        return []  # a range or a list of years: which one the sum is for is not printed
    return [(int(y.pop()), text) for y, text in zip(years, sums, strict=True) if text.strip()]


# An actions cell line ending on these words or signs goes on after a blank line ("de la" /
# "République"): the blank is a wrap, not the gap between two printed actions.
_GOES_ON_RE = re.compile(
    r"(?:\b(?:à|et|ou|de|du|des|la|le|les|un|une|en|pour|par|sur|au|aux|avec|dans|entre|vers|"
    r"chez|sans|son|sa|ses|leur|leurs|ce|cette|ces)|[’',(;/&+–-])$",
    re.IGNORECASE,
)


# A line ending a sentence: a full stop (not an initial's, "M."), "!" or "?", maybe closing a
# parenthesis ("(Maison d’Alençon).").
_ENDS_SENTENCE_RE = re.compile(r"(?:\w{2,}|\d|\))[.!?]\)?$")


def _join_actions(lines: list[str], dates: int = 0, width: int = 0) -> str | None:
    """An actions cell: one line per printed action, an action's wrapped lines joined.

    The cell stacks its actions one under the other with a blank line between them, facing
    their dates and budgets; a blank line is also where the extraction cut a sentence, so a
    blank starts a new action only when the text before it is finished and the next line opens
    like an action (a capital, a digit, a dash).

    Some cells print their actions with no blank between them ("Analyse de la situation locale
    et / préconisations / Envoi de matériels informatiques" facing "Décembre 2007 / Décembre
    2008"): when the row prints more ``dates`` than the blanks give actions, a finished line
    followed by one opening like an action also starts one, or else every line is one, if that
    gives exactly as many actions as dates; failing both, a finished sentence followed by a
    capital starts one, if that gives no more actions than dates.
    """
    joined = _actions_items(lines, at_blank_only=True)
    if 1 < dates and len(joined) < dates:
        finer = _actions_items(lines, at_blank_only=False)
        # one action a line ("danses bretonnes / théâtre / atelier de peinture" facing
        # "En 2000 / En 2001 / En 2002"), when no line reads as cut short
        texts = [collapse(t) or "" for t in lines if t.strip() and not is_footer(t)]
        # last, a line ending a sentence then a capital opens an action even where the dates
        # outnumber them (Alençon ÉCHANGES: five sentences, six dates, one action dated twice)
        sentences = _actions_items(lines, at_blank_only=False, sentence_ends=True)
        if len(finer) == dates:
            joined = finer
        elif len(texts) == dates and not any(_GOES_ON_RE.search(t) for t in texts):
            joined = texts
        elif len(joined) < len(sentences) <= dates:
            joined = sentences
    if width:
        # whatever the dates, a finished line that left room in the column for the next line's
        # first word was not wrapped: the next line is another action ("Formations du
        # personnel" / "Equipement de locaux"), when every such line of the cell left room
        finer = _actions_items(lines, at_blank_only=False)
        roomy = _actions_items(lines, at_blank_only=False, width=width)
        if len(joined) < len(finer) == len(roomy):
            joined = finer
    return "\n".join(joined) or None


def _actions_items(
    lines: list[str], at_blank_only: bool, sentence_ends: bool = False, width: int = 0
) -> list[str]:
    items: list[list[str]] = [[]]
    blank = False
    for raw in lines:
        if is_footer(raw):
            continue
        text = raw.strip()
        if not text:
            blank = bool(items[-1])
            continue
        if (
            (blank or not at_blank_only)
            and items[-1]
            and (text[0].isupper() or text[0].isdigit() or text[0] in "-–•")
            and not _GOES_ON_RE.search(items[-1][-1].strip())
            and (blank or not items[-1][-1].rstrip().endswith(":"))  # a heading and its text
            and "".join(items[-1]).count("(") <= "".join(items[-1]).count(")")
            and (blank or not sentence_ends or _ENDS_SENTENCE_RE.search(items[-1][-1].strip()))
            and (blank or not width or _left_room(items[-1][-1], text, width))
        ):
            items.append([])
        items[-1].append(raw)
        blank = False
    joined = [clean_text(item) for item in items if item]
    return [text for text in joined if text]


def _left_room(line: str, following: str, width: int) -> bool:
    """Whether ``line`` ends short of the column's ``width`` by more than the first word of
    the ``following`` line, with a margin (the column's widest line is only a guess of its
    width, and letters are not all as wide), or ends a sentence: the extraction did not wrap
    it there. A line closing a parenthesis it does not open goes on with the line before
    ("dans le cercle de Diéma" / "Pacedel 2000-2003)")."""
    if following.count(")") > following.count("("):
        return False
    if _ENDS_SENTENCE_RE.search(line.strip()):
        return True  # a full stop ends it, however long
    return len(collapse(line) or "") + 1 + len(following.split()[0]) < width * 0.85


# ---------------------------------------------------------------- the table


def _blocks(lines: list[Line], problems: list[ReportItem]) -> tuple[list[list], bool]:
    """Blocks of (offset, line), header and footer lines removed; and the euro-header flag."""
    blocks: list[list[tuple[int, Line]]] = []
    current: list[tuple[int, Line]] = []
    had_header = False
    after_budget = False
    header_budget: list[Line] = []
    euros = False
    offset = 0

    pending: list[Line] = []  # lines printed right under the "Budget" header

    def close() -> None:
        nonlocal current, had_header, after_budget, offset, pending
        # A sum there is a budget for the whole table ("Annuel environ / 80 000 €"); anything
        # else is the first row's cell, printed on the header's last line ("Environnement").
        if pending and CURRENCY_RE.search(" ".join(t for _, t in pending)):
            header_budget.extend(pending)
        elif pending:
            current = [(i, line) for i, line in enumerate(pending)] + [
                (o + len(pending), line) for o, line in current
            ]
        pending = []
        if current and not (had_header and not _content(current)):
            blocks.append(current)
        current, had_header, after_budget, offset = [], False, False, 0

    for number, text in lines:
        if is_footer(text) or TITLE_RE.search(text):
            continue
        if text == "":
            close()
            continue
        if _is_header_line(text):
            had_header = True
            euros = euros or bool(EURO_HEADER_RE.search(text))
            if re.search(r"Budget", text):
                after_budget = True
            continue
        if after_budget and text.strip():
            pending.append((number, text))
            continue
        current.append((offset, (number, text)))
        offset += 1
    close()
    if header_budget:
        value = collapse(" ".join(t for _, t in header_budget)) or ""
        problems.append(
            ReportItem(
                line=header_budget[0][0],
                kind="header-budget",
                message=(
                    "Montant imprimé sous l'en-tête « Budget » du tableau des actions, sans "
                    "action en face, non retenu : vérifier ce qu'il couvre (le tableau entier, "
                    "chaque année ?) et le saisir comme budget du partenariat s'il l'est."
                ),
                value=value,
                field="budget",
            )
        )
    return blocks, euros


def _split_mixed_blocks(blocks: list[list], labels: list[str]) -> list[list]:
    """Split a dates/budget block where a new row's label starts ("… 72604€ / ARTISANAT 6 …")."""
    result = []
    for block in blocks:
        start = 0
        for i in range(1, len(block)):
            text = block[i][1][1]
            prev = [ln[1] for _, ln in block[start:i] if ln[1].strip()]
            if (
                prev
                and (_is_amount_line(prev[-1]) or _is_date_line(prev[-1]))
                and CAPS_START_RE.match(text.strip())
                and _label_prefix(text, labels, strict=True)
            ) or (prev and _opens_actions_after_budget(block[start:i], text)):
                result.append(block[start:i])
                start = i
        result.append(block[start:])
    return result


def _opens_actions_after_budget(before: list, text: str) -> bool:
    """A sentence after a finished budget cell is the next row's actions text (the extraction
    runs them together: "80 000 /an / (moyenne) / Étude diagnostic pour le développement de")."""
    lines = [ln[1].strip() for _, ln in before if ln[1].strip()]
    stripped = text.strip()
    if (
        not lines
        or not (_is_amount_line(lines[0]) or LEAD_RE.match(lines[0]))
        or _is_amount_line(stripped)
    ):
        return False
    prev = lines[-1]
    return (
        len(stripped) >= 20
        and len(stripped.split()) >= 4
        and stripped[0].isupper()
        and not re.search(r"\d", stripped)
        and prev.count("(") <= prev.count(")")
        and not re.search(r"(?:\b(?:à|et|de|du|au|par|pour|sur|des|en|le|la|ou|que)|[:,–-])$", prev)
    )


def _pull_tail(actions: list[tuple[int, Line]]) -> tuple[list, list, list]:
    """Take the dates and budget printed at the end of an actions cell's last lines."""
    content = [(o, ln) for o, ln in actions if ln[1].strip()]
    if not content:
        return actions, [], []
    # trailing lines that are continuations of the dates or budget ("2006)", "(moyenne)")
    trailing: list[tuple[int, Line]] = []
    index = len(content) - 1
    while index > 0:
        text = content[index][1][1].strip()
        if (
            (_is_date_line(text) and not re.match(r"^[A-Za-zÀ-ÿ]+\s+\d", text))
            or _is_amount_line(text)
            or re.match(r"^[(\d].{0,20}$", text)
            or CURRENCY_WORDS_RE.match(text)
        ):
            trailing.insert(0, content[index])
            index -= 1
            continue
        break
    offset, (number, text) = content[index]
    match = TAIL_RE.match(text.rstrip())
    budget_only = None
    if match is None:
        budget_only = BUDGET_TAIL_RE.match(text.rstrip())
        if budget_only is None:
            return actions, [], []
    else:
        head = match.group("head")
        keyword_period = not YEAR_RE.search(match.group("period"))
        if not match.group("budget"):
            # a bare year closing a sentence ("… équipés en 2005") is part of the text
            if re.search(r"\b(?:en|de|depuis|du|au|le|les|à|d[’']|l[’'])$", head):
                return actions, [], []
            if keyword_period:
                return actions, [], []
        if (
            keyword_period
            and not re.search(r"\s{2}", text)
            and not CURRENCY_RE.search(match.group("budget") or "")
        ):
            return actions, [], []
    kept = [item for item in actions if item[1][0] < number]
    if budget_only:
        head = budget_only.group("head")
        kept.append((offset, (number, head)))
        budget = [(offset, (number, budget_only.group("budget")))] + trailing
        return kept, [], budget
    kept.append((offset, (number, match.group("head"))))
    period = [(offset, (number, match.group("period")))]
    budget: list = []
    if match.group("budget"):
        budget = [(offset, (number, match.group("budget")))] + trailing
    else:
        for item in trailing:
            (budget if _is_amount_line(item[1][1]) and budget else period).append(item)
            if _is_amount_line(item[1][1]) and not budget:
                period.remove(item)
                budget.append(item)
    return kept, period, budget


def _lead_splits(lead: re.Match, line: str) -> bool:
    """Whether a dates line really carries the budget after its period."""
    budget = lead.group("budget")
    if not _is_date_line(line) or budget[0].isupper():
        return True
    if re.match(r"\s{2,}", line[lead.end("period") :]):
        return True  # a wide gap is the column gap
    if lead.group("period").rstrip().endswith(","):
        return False  # a list of years going on: "1988,2002, 03, 04"
    return not YEAR_RE.match(budget)


def _assign_dates(row: _Row, block: list, problems: list[ReportItem]) -> None:
    moved = False
    finishing = False  # the lines end the actions cell's unfinished sentence
    for offset, (number, text) in block:
        stripped = text.strip()
        if not stripped:
            continue
        actions = [ln[1].strip() for _, ln in row.actions if ln[1].strip()]
        periods = [ln[1].strip() for _, ln in row.period if ln[1].strip()]
        plain_text = not _is_date_line(stripped) and not _is_amount_line(stripped)
        if (
            row.period
            and not row.budget
            and plain_text
            and not moved
            and (
                (finishing and stripped[0].islower())
                or (actions and _GOES_ON_RE.search(actions[-1]) and not finishing)
            )
        ):
            # "… formation sur place dispensée par des" / "1999" / "2001" / "techniciens de
            # la communauté": the end of the sentence, printed in the dates column
            row.actions.append((offset, (number, text)))
            finishing = True
            continue
        finishing = False
        if (
            periods
            and not moved
            and plain_text
            and stripped[0].islower()
            and not row.budget
            and (
                re.search(r"[,]$", periods[-1])
                or _GOES_ON_RE.search(periods[-1])
                or (len(stripped) <= LABEL_WIDTH - 5 and not periods[-1].endswith("."))
            )
        ):
            # the dates cell's own sentence going on: "Depuis 1996, / sur la base de
            # programme triennal", "Depuis 2000, tous / les ans."
            row.period.append((offset, (number, text)))
            continue
        count_then_year = re.match(rf"^(\d+\s+[a-zéèêà]+(?:\s+[a-zéèêà]+)*)\s+({_YEAR})$", stripped)
        if count_then_year and not (row.actions or row.period or row.budget):
            # a whole row on one line: "2 pompes 2003" (La Flèche, Maraîchage)
            row.actions.append((offset, (number, count_then_year.group(1))))
            row.period.append((offset, (number, count_then_year.group(2))))
            continue
        lead = LEAD_RE.match(stripped)
        budget_open = bool(row.budget) and row.budget[-1][1][1].count("(") > row.budget[-1][1][
            1
        ].count(")")
        if row.col == "B" or budget_open or (row.budget and not _is_date_line(stripped)):
            row.budget.append((offset, (number, text)))
            continue
        if lead and _lead_splits(lead, stripped):
            row.period.append((offset, (number, lead.group("period"))))
            row.budget.append((offset, (number, lead.group("budget"))))
            continue
        long_text = (
            len(stripped) > LABEL_WIDTH + 2
            and not YEAR_RE.search(stripped)
            and not MONTH_RE.search(stripped)
        )
        sentence = (
            stripped.endswith(".") and not _is_date_line(stripped) and not _is_amount_line(stripped)
        )
        if moved or ((long_text or sentence) and row.period):
            if _is_date_line(stripped):
                moved = False
                row.period.append((offset, (number, text)))
                continue
            row.actions.append((offset, (number, text)))
            if moved and problems and problems[-1].kind == "unaligned-column":
                problems[-1].value += " " + stripped  # one item for the whole run of lines
            else:
                problems.append(
                    ReportItem(
                        line=number,
                        kind="unaligned-column",
                        message="Texte imprimé dans la colonne des dates : ajouté à la "
                        "description de l'action voisine. Vérifier sur le PDF qu'il la complète.",
                        value=stripped,
                        field="description",
                    )
                )
            moved = True
            continue
        if _is_amount_line(stripped) and row.period:
            row.budget.append((offset, (number, text)))
            continue
        row.period.append((offset, (number, text)))


def _start_row(block: list, labels: list[str], rows: list[_Row], next_kind: str) -> _Row:
    content = _content(block)
    row = _Row(line=content[0][1][0])
    rows.append(row)
    if _is_label_block(block) and (next_kind == "text" or not _label_then_text(content, labels)):
        row.domain = list(block)
        row.col = "A"
        return row
    first_offset, (number, text) = content[0]
    cut = _label_prefix(text, labels, strict=False)
    if len(content) > 1 and len(text.strip()) <= LABEL_WIDTH and not text[cut or 0 :].strip():
        # a label wrapped on two lines, the actions starting on the second ("Développement /
        # rural Lancement d'un appel…")
        second_offset, (number2, text2) = content[1]
        joined = f"{text.strip()} {text2.strip()}"
        cut2 = _label_prefix(joined, labels, strict=False)
        if cut2 is not None and cut2 > len(text.strip()):
            inner = cut2 - len(text.strip()) - 1
            row.domain = [
                (first_offset, (number, text)),
                (second_offset, (number2, text2.strip()[:inner])),
            ]
            rest = text2.strip()[inner:].strip()
            row.actions = [(second_offset, (number2, rest))] if rest else []
            row.actions += [item for item in block if item[1][0] > number2]
            row.col = "A"
            return row
    if cut is None:
        row.actions = list(block)
    else:
        row.domain = [(first_offset, (number, text[:cut]))]
        rest = text[cut:].strip()
        row.actions = ([(first_offset, (number, rest))] if rest else []) + [
            item for item in block if item[1][0] > number
        ]
    row.col = "A"
    return row


def _label_then_text(content: list, labels: list[str]) -> bool:
    """A short first line that is a label followed by actions text ("Santé Petit matériel")."""
    # alone on its line, "Hydraulique villageoise" is a label; "Culturel danses bretonnes /
    # théâtre / …" is a label and a list of actions
    cut = _label_prefix(content[0][1][1], labels, strict=len(content) == 1)
    return cut is not None and bool(content[0][1][1][cut:].strip())


def _strong_label(block: list, labels: list[str]) -> bool:
    content = _content(block)
    return bool(content) and _label_prefix(content[0][1][1], labels, strict=True) is not None


def _build_rows(blocks: list, labels: list[str], problems: list[ReportItem]) -> list[_Row]:
    rows: list[_Row] = []
    row: _Row | None = None
    for index, block in enumerate(blocks):
        kind = _kind(block)
        following = next((b for b in blocks[index + 1 :] if _content(b)), None)
        next_kind = _kind(following) if following else "end"
        if kind == "empty":
            if row is not None:
                row.col = {"D": "A", "A": "P", "P": "B", "B": "E", "E": "E"}[row.col]
            continue
        if kind in ("dates", "budget") and row is None:
            row = _Row(line=_content(block)[0][1][0])
            rows.append(row)
        if kind == "dates":
            if _continues(row, block, ("period",)):
                continue
            if row.col == "E" or (row.col == "B" and row.budget):
                row = _Row(line=_content(block)[0][1][0], col="P")
                rows.append(row)
            if row.col == "B" or (row.period and row.col == "P" and _has_lead_budget(block)):
                row.col = "B"
            _assign_dates(row, block, problems)
            row.col = "B" if row.col in ("D", "A", "P") else row.col
            if row.budget:
                row.col = "E" if next_kind == "text" else "B"
            continue
        if (
            kind == "budget"
            and row is not None
            and row.domain
            and not (row.actions or row.period or row.budget)
        ):
            kind = "text"  # "10 puits par an Chaque année 150 000 €": a whole row on one line
        if kind == "budget":
            # Runs of blank cells are not reliable (some tables pad every cell with them): a
            # budget cell goes with the current row as long as that row has none.
            if (row.col == "E" and (row.budget or not (row.actions or row.period))) or (
                row.col == "B" and row.budget and next_kind != "budget"
            ):
                row = _Row(line=_content(block)[0][1][0], col="B")
                rows.append(row)
            budget, rest = _split_budget_block(block, row)
            row.budget.extend(budget)
            row.actions.extend(rest)
            row.col = "E" if next_kind == "text" else "B"
            continue
        # a text block: a new row, or the continuation of the current one
        if row is not None and _continues(row, block):
            continue
        # the first text after a domain-only row is its actions cell, however many blank cells
        # the extraction put between them
        label_only = (
            row is not None
            and row.domain
            and not (row.actions or row.period or row.budget)
            and not _is_label_block(block)
        )
        if label_only:
            row.col = "A"
        new_row = not label_only and (
            row is None
            or row.col in ("B", "E")
            or (row.col == "P" and (_is_label_block(block) or _strong_label(block, labels)))
            or (row.col in ("A",) and row.actions and _strong_label(block, labels))
            or (row.col == "A" and not row.actions and row.domain and _strong_label(block, labels))
        )
        if (
            not new_row
            and row.col == "A"
            and row.actions
            and _looks_like_dates_cell(block, next_kind)
        ):
            # a dates cell printed as words ("Programme sur 3 / ans (2000, 2001 et / 2002)")
            row.period.extend(block)
            row.col = "B"
            continue
        if row is not None and row.col == "P" and not new_row:
            row.budget.extend(block)
            row.col = "E"
            continue
        if new_row:
            row = _start_row(block, labels, rows, next_kind)
            if row.domain and not row.actions:
                continue
        else:
            row.actions.extend(block)
            row.col = "A"
        if next_kind not in ("dates", "budget"):
            kept, period, budget = _pull_tail(row.actions)
            if period or budget:
                row.actions, row.period, row.budget = kept, row.period + period, row.budget + budget
                row.col = "B" if period and not budget else "E"
    return rows


def _split_budget_block(block: list, row: _Row) -> tuple[list, list]:
    """The budget cell, and the lines after it that finish the actions cell's sentence.

    Saumur prints the amount in the middle of a description ("… une association de gestion.
    (Il existe déjà / 4 500,00 € / d'autres périmètres maraîchers sur la / commune, …"): the
    wide lower-case lines under the amount go back to the unfinished actions cell.
    """
    actions = [ln[1].strip() for _, ln in row.actions if ln[1].strip()]
    if not actions or re.search(r"[.!?:]$", actions[-1]):
        return block, []
    for index, (_, ln) in enumerate(block):
        text = ln[1].strip()
        if text and text[0].islower() and len(text) > LABEL_WIDTH and not _is_amount_line(text):
            return block[:index], block[index:]
    return block, []


def _continues(row: _Row, block: list, cells=("budget", "period", "actions")) -> bool:
    """Attach a text block that plainly continues the current row.

    A block opening in lower case goes on the unfinished cell before it (a dates cell printed
    one line per block: "Depuis le démarrage / du projet en 1995 et / chaque année, des").
    """
    first = _content(block)[0][1][1].strip()
    if not first[0].islower():
        return False
    for name in ("budget", "period", "actions"):
        cell = [ln[1].strip() for _, ln in getattr(row, name) if ln[1].strip()]
        if cell:
            if re.search(r"[.!?]$", cell[-1]) or name not in cells:
                return False
            getattr(row, name).extend(block)
            return True
    return False


def _looks_like_dates_cell(block: list, next_kind: str) -> bool:
    content = _content(block)
    if not content or any(len(ln[1].strip()) > 22 for _, ln in content):
        return False
    if next_kind == "budget":
        return True
    has_year = any(YEAR_RE.search(ln[1]) for _, ln in content)
    return has_year and next_kind in ("end", "empty")


def _has_lead_budget(block: list) -> bool:
    return any(LEAD_RE.match(ln[1].strip()) for _, ln in block if ln[1].strip())


def _label_groups(domain: list[tuple[int, Line]]) -> list[list[tuple[int, Line]]]:
    """The labels of a domain cell that prints several, separated by blank lines."""
    groups: list[list[tuple[int, Line]]] = []
    current: list[tuple[int, Line]] = []
    gap = False
    for offset, line in domain:
        if not line[1].strip():
            gap = bool(current)
            continue
        starts = line[1].strip()[0]
        if gap and current and (starts.isupper() or starts.isdigit()):
            groups.append(current)
            current = []
        current.append((offset, line))
        gap = False
    if current:
        groups.append(current)
    return groups


def _units(cell: list[tuple[int, Line]], wanted: int) -> list[list[tuple[int, Line]]]:
    """Pieces of a cell to distribute among labels: paragraphs, or lines when too few."""
    paragraphs: list[list[tuple[int, Line]]] = []
    current: list[tuple[int, Line]] = []
    for offset, line in cell:
        if not line[1].strip():
            if current:
                paragraphs.append(current)
                current = []
            continue
        current.append((offset, line))
    if current:
        paragraphs.append(current)
    if len(paragraphs) >= wanted:
        return paragraphs
    units: list[list[tuple[int, Line]]] = []
    for offset, line in (item for p in paragraphs for item in p):
        text = line[1].strip()
        if units and (text[0].islower() or text[0] in "(),"):
            units[-1].append((offset, line))
        else:
            units.append([(offset, line)])
    return units


def _split_multi_label(row: _Row, problems: list[ReportItem]) -> list[_Row]:
    groups = _label_groups(row.domain)
    if len(groups) < 2:
        return [row]
    starts = [g[0][0] - 1 for g in groups]  # labels are centred a line below their text
    result = [_Row(line=g[0][1][0], domain=g, col="E") for g in groups]

    def target(unit: list[tuple[int, Line]]) -> int:
        first, last = unit[0][0], unit[-1][0]
        best, best_overlap = 0, -1
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else 10**6
            overlap = min(last + 1, end) - max(first, start)
            if overlap >= best_overlap:
                best, best_overlap = i, overlap
        return best

    for name in ("actions", "period", "budget"):
        cell = getattr(row, name)
        for unit in _units(cell, len(groups)):
            getattr(result[target(unit)], name).extend(unit)
    problems.append(
        ReportItem(
            line=row.line,
            kind="split-domain-cell",
            message="La case du domaine porte plusieurs intitulés pour les mêmes actions : "
            "chaque action est rangée sous l'intitulé imprimé à sa hauteur. Vérifier sur le PDF "
            "le domaine de chacune.",
            value=" | ".join(collapse(" ".join(ln[1] for _, ln in g)) or "" for g in groups),
            field="domain",
        )
    )
    return result


SECTION_RE = re.compile(r"^(?:AU MALI|EN FRANCE)$")


def _span(row: _Row) -> tuple[int, int]:
    numbers = [
        ln[0] for cell in (row.domain, row.actions, row.period, row.budget) for _, ln in cell
    ]
    return min(numbers), max(numbers)


GLUED_LABEL_RE = re.compile(r"^(?P<head>.*[\d€])\s+(?P<label>[A-ZÀÉ][^\d€]*?)\s*$")


def _strip_glued_labels(rows: list[_Row], labels: list[str]) -> list[tuple[int, str]]:
    """Known labels printed at the end of a dates or budget line ("210 000 € Assainissement"):
    the label of a merged cell, centred beside another row. Taken out of the cell and returned
    with their line, for ``_fill_merged_domains``."""
    known = set(labels)
    found: list[tuple[int, str]] = []
    for row in rows:
        if not row.domain:
            # a label alone on the second line of an unlabelled row's actions cell ("Appui à
            # la modernisation de l'état civil / État civil")
            for item in [item for item in row.actions if item[1][1].strip()][1:2]:
                text = item[1][1].strip()
                if text[0].isupper() and len(text) <= LABEL_WIDTH and _label_key(text) in known:
                    row.actions.remove(item)
                    found.append((item[1][0], collapse(text) or ""))
        for name in ("period", "budget"):
            cell = getattr(row, name)
            for i, (offset, (number, text)) in enumerate(list(cell)):
                match = GLUED_LABEL_RE.match(text.strip())
                if match and _label_key(match.group("label")) in known:
                    cell[i] = (offset, (number, match.group("head")))
                    found.append((number, collapse(match.group("label")) or ""))
                elif text.strip() and _label_key(text) in known and text.strip()[0].isupper():
                    cell[i] = (offset, (number, ""))  # the whole line is the label
                    found.append((number, collapse(text) or ""))
    return found


def _merge_orphan_text(rows: list[_Row]) -> list[_Row]:
    """Text printed below a row's budget with no domain, date or budget of its own goes on
    that row's actions cell: the budget was printed beside the middle of a long description
    (Saumur), not at the end of a row."""
    kept: list[_Row] = []
    for row in rows:
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and previous.budget
            and previous.actions
            and row.actions
            and not (row.domain or row.period or row.budget)
        ):
            previous.actions.extend(row.actions)
            continue
        kept.append(row)
    return kept


def _split_inline_budgets(rows: list[_Row]) -> list[_Row]:
    """A line inside an actions cell that ends with a sum in a currency ("… financière Depuis
    2002 240 000 €", "Formation d'artisans de secteur informel  48 000 €") closes a row: the
    extraction printed that row's dates and budget on its last line, and the lines after it are
    the next row (AIMF tables)."""
    result: list[_Row] = []
    for row in rows:
        budget = [ln[1].strip() for _, ln in row.budget if ln[1].strip()]
        content = [item for item in row.actions if item[1][1].strip()]
        if content and not row.budget and len(content) > 1:
            text = content[-1][1][1].strip()
            if _is_amount_line(text) and CURRENCY_RE.search(text) and text[0].isdigit():
                # a sum alone on the cell's last line ("Formation de cadres / 33 000 €")
                row.actions.remove(content[-1])
                row.budget = [content[-1]]
                content = content[:-1]
        if content and budget and re.match(r"TOTAL\b", budget[0]):
            # the table's total under the last row: that row's own sum is on its last line
            offset, (number, text) = content[-1]
            match = TAIL_RE.match(text.rstrip()) or BUDGET_TAIL_RE.match(text.rstrip())
            if match and match.groupdict().get("budget") and CURRENCY_RE.search(match["budget"]):
                row.actions[row.actions.index(content[-1])] = (offset, (number, match["head"]))
                if match.groupdict().get("period"):
                    row.period.append((offset, (number, match["period"])))
                row.budget.insert(0, (offset, (number, match["budget"])))
        while True:
            content = [item for item in row.actions if item[1][1].strip()]
            cut = None
            # the last line too when the row has no dates or budget of its own yet
            scanned = content if not (row.period or row.budget) else content[:-1]
            for index, (_offset, (_number, text)) in enumerate(scanned):
                match = TAIL_RE.match(text.rstrip()) or BUDGET_TAIL_RE.match(text.rstrip())
                budget = match and match.groupdict().get("budget")
                if budget and CURRENCY_RE.search(budget) and not text.strip()[0].isdigit():
                    cut = index, match
                    break
            if cut is None:
                # the same, already taken apart: a one-line budget printed on an actions line
                # that is not the cell's last
                budget_lines = {ln[0] for _, ln in row.budget if ln[1].strip()}
                action_lines = [ln[0] for _, ln in content]
                if not (
                    len(budget_lines) == 1
                    and budget_lines <= set(action_lines[:-1])
                    and not row.period
                ):
                    break
                number = budget_lines.pop()
                head = _Row(line=row.line, domain=row.domain, budget=row.budget)
                head.actions = [item for item in row.actions if item[1][0] <= number]
                row.budget = []
            else:
                index, match = cut
                offset, (number, _text) = content[index]
                head = _Row(line=row.line, domain=row.domain)
                head.actions = [item for item in row.actions if item[1][0] < number]
                head.actions.append((offset, (number, match.group("head"))))
                if match.groupdict().get("period"):
                    head.period = [(offset, (number, match.group("period")))]
                head.budget = [(offset, (number, match.group("budget")))]
            result.append(head)
            rest = [item for item in row.actions if item[1][0] > number]
            row = _Row(
                line=rest[0][1][0] if rest else number,
                actions=rest,
                period=row.period,
                budget=row.budget,
            )
            # the next row may open on its own domain cell ("Nouvelles technologies / Éducation")
            content = [item for item in rest if item[1][1].strip()]
            first_block = content[:1] + [
                item for item in content[1:] if item[0] > 0 and item[1][0] - content[0][1][0] < 3
            ]
            if first_block and len(first_block) < len(content) and _is_label_block(first_block):
                row.domain = first_block
                row.actions = [item for item in rest if item not in first_block]
        result.append(row)
    return result


def _fill_merged_domains(
    rows: list[_Row], lines: list[Line], problems: list[ReportItem], floating=()
) -> dict:
    """Domains of the rows printed without one, taken from the nearest label of their page.

    A domain cell merged over several rows prints its label once, vertically centred on the
    group, so the extraction puts it beside one row of the group only. Each unlabelled row
    takes the label whose lines are nearest to its own, within the same page of the table (the
    repeated column headers, and the "AU MALI" / "EN FRANCE" headings, close a group). The
    result is reported, one item per run of rows, for a reader to check against the PDF.
    """
    breaks = sorted(
        number
        for number, text in lines
        if (_is_header_line(text) and text.strip()) or SECTION_RE.match(text.strip())
    )

    def section(line: int) -> int:
        return sum(1 for b in breaks if b <= line)

    labels = []
    for index, row in enumerate(rows):
        domain = collapse(" ".join(ln[1] for _, ln in row.domain))
        if domain and not SECTION_RE.match(domain):
            centre = sum(ln[0] for _, ln in row.domain if ln[1].strip()) / len(
                [1 for _, ln in row.domain if ln[1].strip()]
            )
            here = section(row.domain[0][1][0])
            following = next(
                (r for r in rows[index + 1 :] if r.domain or r.actions or r.period or r.budget),
                None,
            )
            last = following is None or section(_span(following)[0]) != here
            shared = {ln[0] for _, ln in row.domain} & {ln[0] for _, ln in row.actions}
            if last and shared and centre <= _span(row)[0]:
                # a label printed on the same line as the last row of a table page heads that
                # row alone: a merged cell over rows above would be centred above it
                # ("Humanitaire Achat de grains" under "Don de Bennes…", « Assainissement »)
                centre += 1000
            labels.append((here, centre, domain))
    labels += [(section(number), number, label) for number, label in floating]
    result: dict[int, str] = {}
    runs: list[tuple[str, list[int]]] = []
    for row in rows:
        if row.domain or not (row.actions or row.period or row.budget):
            continue
        first, last = _span(row)
        centre = (first + last) / 2
        candidates = [(abs(c - centre), -c, d) for s, c, d in labels if s == section(first)]
        if not candidates:
            continue
        domain = min(candidates)[2]
        result[id(row)] = domain
        if runs and runs[-1][0] == domain:
            runs[-1][1].append(row.line)
        else:
            runs.append((domain, [row.line]))
    problems += [_inferred_domain_item(domain, numbers) for domain, numbers in runs]
    return result


def _inferred_domain_item(domain: str, numbers: list[int]) -> ReportItem:
    """Rows without a domain of their own given the label of a merged cell: to be checked."""
    return ReportItem(
        line=numbers[0],
        kind="inferred-domain",
        message="Aucun domaine imprimé sur ces lignes : le libellé le plus proche "
        "leur est attribué (cellule fusionnée sur plusieurs lignes). Vérifier sur le "
        "PDF que ces actions relèvent bien de ce domaine.",
        value=f"{domain} ← lignes {', '.join(map(str, numbers))}",
        field="domain",
    )


# Montreuil's PADDY table: "Volet 1 : DEVELOPPEMENT RURAL …" headings over the columns
# "PROJET | OBJECTIF SPECIFIQUE | ACTIVITES PRINCIPALES PREVUES"
PROJECT_HEADER_RE = re.compile(r"^\s*PROJET\s+OBJECTIF\s+SPECIFIQUE\b")
VOLET_RE = re.compile(
    r"^\s*(?:\W\s*)?(?:VOLET\s*\d+\s*:\s*(?:VOLET\s+)?(?P<label>.+)|(?P<other>AUTRES VOLETS\b.*))$",
    re.IGNORECASE,
)
STUDY_RE = re.compile(r"À l[’']étude\s+À l[’']étude\s*$")
ACTIVITY_WIDTH = 45  # the activities column is the wide one


def _parse_project_table(lines: list[Line]) -> tuple[list[ActionRecord], list[ReportItem]]:
    """The "Volet / PROJET / OBJECTIF SPECIFIQUE / ACTIVITES" table, read by its own rules.

    The heading of each "Volet" is the domain of its rows; under "AUTRES VOLETS …" each project
    names its own domain. A row is a project cell, an objective cell and an activities cell
    (the wide one, or "À l'étude À l'étude" for both of the last two). The extraction prints
    some rows twice: a row repeated later in the table is kept once, where it is last printed.
    """
    problems: list[ReportItem] = []
    started = False
    volet: str | None = None
    other = False
    blocks: list[tuple[str | None, bool, list[Line]]] = []
    current: list[Line] = []
    pending_heading = False

    def flush():
        nonlocal current
        if current:
            blocks.append((volet, other, current))
        current = []

    for number, text in lines:
        stripped = text.strip()
        if is_footer(text):
            continue
        heading = VOLET_RE.match(stripped)
        if heading:
            flush()
            other = bool(heading.group("other"))
            volet = None if other else collapse(heading.group("label"))
            pending_heading = not other
            continue
        if not started:
            started = bool(PROJECT_HEADER_RE.match(text))
            if not started and re.match(r"^\(?(?:Budget|coût)\b", stripped, re.IGNORECASE):
                problems.append(
                    ReportItem(
                        line=number,
                        kind="header-budget",
                        message=(
                            "Montant imprimé au-dessus du tableau des actions, non retenu : "
                            "vérifier s'il est le budget du partenariat (et non celui d'un "
                            "programme plus large) et, si oui, le saisir."
                        ),
                        value=collapse(stripped) or "",
                        field="budget",
                    )
                )
            continue
        if not stripped:
            flush()
            continue
        if pending_heading and stripped.isupper() and not current:
            volet = collapse(f"{volet} {stripped}")  # the heading wrapped: "… ET / SOLIDES"
            continue
        pending_heading = False
        current.append((number, stripped))
    flush()

    rows: list[dict] = []
    row: dict | None = None
    for volet_label, is_other, block in blocks:
        cell: list[str] = []
        for number, text in block:
            if row is None:
                row = {"line": number, "volet": volet_label, "other": is_other, "cells": []}
            study = STUDY_RE.search(text)
            if study:
                # "Santé À l'étude À l'étude": objective and activities both to be studied
                head = text[: study.start()].strip()
                if cell or head:
                    row["cells"].append(" ".join(cell + ([head] if head else [])))
                row["cells"] += ["À l’étude", "À l’étude"]
                rows.append(row)
                row, cell = None, []
                continue
            cell.append(text)
        if not cell:
            continue
        if len(cell[0]) > LABEL_WIDTH + 6 and len(cell[0]) <= ACTIVITY_WIDTH and not row["cells"]:
            row["cells"] += [" ".join(cell), None]  # project and objective on the same lines
        else:
            row["cells"].append(" ".join(cell))
        if len(row["cells"]) >= 3 or any(len(t) > ACTIVITY_WIDTH for t in cell):
            rows.append(row)
            row = None
    if row is not None:
        rows.append(row)

    records: list[ActionRecord] = []
    keys = [(r["cells"][0] or "" if r["cells"] else "") for r in rows]
    for index, row in enumerate(rows):
        cells = [collapse(c) if c else None for c in row["cells"]]
        if keys[index] and keys[index] in keys[index + 1 :]:
            later = rows[index + 1 + keys[index + 1 :].index(keys[index])]
            if [collapse(c) if c else None for c in later["cells"]] == cells:
                continue  # printed twice word for word: keeping one is certain, no doubt
            problems.append(
                ReportItem(
                    line=row["line"],
                    kind="repeated-row",
                    message="Ligne du tableau imprimée deux fois par l'extraction : "
                    "gardée une fois",
                    value=cells[0][:80],
                    field="actions",
                )
            )
            continue
        if len(cells) != 3 or cells[1] is None:
            problems.append(
                ReportItem(
                    line=row["line"],
                    kind="unaligned-column",
                    message="Ligne du tableau des projets dont les colonnes ne se lisent pas "
                    "(« ? » : case introuvable) : vérifier sur le PDF ce que dit chaque colonne.",
                    value=" | ".join(c or "?" for c in cells)[:120],
                    field="actions",
                )
            )
        project, objective, activities = (cells + [None, None, None])[:3]
        parts = [project]
        if objective:
            parts.append(f"Objectif spécifique : {objective}")
        if activities:
            parts.append(f"Activités principales prévues : {activities}")
        domain = project if row["other"] else row["volet"]
        records.append(
            ActionRecord(
                line=row["line"],
                domain_as_printed=domain,
                description="\n".join(p for p in parts if p) or None,
                period_as_printed=None,
                budget_as_printed=None,
                start_year=None,
                end_year=None,
            )
        )
    return records, problems


# ---------------------------------------------------------------- tables read by hand


class ReadingError(ValueError):
    """A hand reading of ``action_readings.csv`` that the source text does not print."""


@references.per_import
def _readings(tables) -> list[tuple[int, int, list[dict[str, str]]]]:
    """The tables read by hand: (first line, last line, rows), in the order of the file."""
    spans: dict[tuple[int, int], list[dict[str, str]]] = {}
    for row in tables.rows(READINGS):
        first, last = (int(n) for n in row["table"].split("-"))
        spans.setdefault((first, last), []).append(row)
    return [(first, last, rows) for (first, last), rows in spans.items()]


def _cell(text: str, separator: str = "\n") -> str | None:
    """A cell of the readings: printed lines separated by " | ", one item per line (a domain
    label's lines are joined with a space)."""
    items = [collapse(item) for item in (text or "").split("|")]
    return separator.join(item for item in items if item) or None


def _squeeze(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _read_by_hand(
    lines: list[Line], first: int, last: int, rows: list[dict[str, str]]
) -> tuple[list[ActionRecord], list[ReportItem]]:
    """The rows a person read in lines ``first``-``last``, each cell checked against them.

    Every item of every cell must be printed there, word for word (whitespace aside: the
    extraction cuts "XEMARD-" / "DIALLO."): a reading places the printed text in its row and
    column, it never rewrites it.
    """
    printed = _squeeze(" ".join(t for n, t in lines if first <= n <= last and not is_footer(t)))
    records: list[ActionRecord] = []
    problems: list[ReportItem] = []
    undomained: list[int] = []  # rows printed without a domain: one item for the table
    # rows under a merged domain cell printed over rows above (kind "domaine-fusionné"): the
    # reading repeats the label, which is a guess as much as the parser's, so it is reported
    # the same way (and under the same review key)
    merged: list[tuple[str, list[int]]] = []
    for row in rows:
        cells = {name: _cell(row[name]) for name in ("description", "period", "budget")}
        cells["domain"] = _cell(row["domain"], " ")
        for name in ("domain", "description", "period", "budget"):
            for item in (row[name] or "").split("|"):
                if _squeeze(item) not in printed:
                    raise ReadingError(
                        f"{READINGS}, tableau {first}-{last}, ligne {row['line']} : "
                        f"« {item} » ({name}) n'est pas imprimé dans ces lignes"
                    )
        line = int(row["line"])
        start, end = parse_years(cells["period"] or cells["description"])
        records.append(
            ActionRecord(
                line=line,
                domain_as_printed=cells["domain"],
                description=cells["description"],
                period_as_printed=cells["period"],
                budget_as_printed=cells["budget"],
                start_year=start,
                end_year=end,
                is_total=row["kind"] == "total",
                read_by_hand=True,
            )
        )
        if row["kind"] != "total" and not cells["domain"]:
            undomained.append(line)
        if row["kind"] == MERGED_DOMAIN and cells["domain"]:
            if merged and merged[-1][0] == cells["domain"]:
                merged[-1][1].append(line)
            else:
                merged.append((cells["domain"], [line]))
        if row["doubt"].strip():
            problems.append(
                ReportItem(
                    line=line,
                    kind="uncertain-alignment",
                    message=row["doubt"].strip(),
                    value=" | ".join(v.replace("\n", " / ") for v in cells.values() if v)[:200],
                    field="actions",
                )
            )
    problems += [_inferred_domain_item(domain, numbers) for domain, numbers in merged]
    if undomained:
        problems.append(
            ReportItem(
                line=undomained[0],
                kind="missing-domain",
                message=_missing_domain_message(len(undomained)),
                value="lignes " + ", ".join(str(n) for n in undomained),
                field="domain",
            )
        )
    return records, problems


def _missing_domain_message(count: int) -> str:
    if count == 1:
        return "Action sans domaine d'intervention imprimé : domaine à choisir"
    return (
        f"{count} actions sans domaine d'intervention imprimé dans ce tableau : "
        "domaine à choisir pour chacune"
    )


def _split_totals(records: list[ActionRecord]) -> list[ActionRecord]:
    """A TOTAL line printed under the last row's budget is the table's total, not that row's."""
    result: list[ActionRecord] = []
    for record in records:
        items = (record.budget_as_printed or "").split("\n")
        index = len(items) - 1
        # only a closing line: "total :146616€" followed by more sums is one row's total
        # over several years (Alençon), not the table's
        if not TOTAL_RE.match(items[index]) or record.is_total:
            result.append(record)
            continue
        if index or record.description or record.period_as_printed:
            record.budget_as_printed = "\n".join(items[:index]) or None
            result.append(record)
        result.append(
            ActionRecord(
                line=record.line,
                domain_as_printed=None,
                description=None,
                budget_as_printed="\n".join(items[index:]),
                is_total=True,
            )
        )
    return result


def parse_actions_table(lines: list[Line]) -> tuple[list[ActionRecord], list[ReportItem]]:
    """One ActionRecord per row of the table(s), and the report of what could not be placed.

    A table read by hand (``action_readings.csv``) is taken from there; the rest of the lines
    are parsed. A TOTAL line becomes a record of its own (``is_total``).
    """
    numbers = {number for number, _ in lines}
    blocks: list[tuple[int, list[ActionRecord]]] = []  # (first line, records in printed order)
    problems: list[ReportItem] = []
    for first, last, rows in _readings():
        if first not in numbers:
            continue
        if all(row["kind"] == "incertain" for row in rows):
            # a table left to the parser, which a reader found it cannot realign
            problems += [
                ReportItem(
                    line=int(row["line"]),
                    kind="uncertain-alignment",
                    message=row["doubt"],
                    value=f"lignes {first} à {last}",
                    field="actions",
                )
                for row in rows
            ]
            continue
        if first in numbers:
            read, report = _read_by_hand(lines, first, last, rows)
            blocks.append((first, read))
            problems += report
            lines = [(n, t) for n, t in lines if not first <= n <= last]
    if any(t.strip() and not is_footer(t) and not TITLE_RE.search(t) for _, t in lines):
        parsed, report = _parse_table(lines)
        blocks += [(record.line, [record]) for record in _split_totals(parsed)]
        problems += report
    blocks.sort(key=lambda block: block[0])
    return [record for _, block in blocks for record in block], problems


# A table answered by a placeholder alone, in the domain column: no action is printed.
NO_ANSWER_RE = re.compile(r"^(?:informations?\s+)?en\s+attente\.?$|^néant\.?$", re.IGNORECASE)


def _parse_table(lines: list[Line]) -> tuple[list[ActionRecord], list[ReportItem]]:
    if any(PROJECT_HEADER_RE.match(text) for _, text in lines):
        return _parse_project_table(lines)
    problems: list[ReportItem] = []
    labels = _known_labels()
    realigned: list[ActionRecord] = []
    flagged: list[tuple[int, int]] = []
    for section in _column_sections(lines, labels):
        result = _realign_columns(section)
        if result is None:
            problems.append(_column_problem(section))
            flagged.append((section.first, section.last))
            continue
        realigned += result[0]
        problems += result[1]
        lines = [(n, t) for n, t in lines if not section.first <= n <= section.last]
    if realigned and not any(t.strip() for _, t in lines if not _is_header_line(t)):
        return realigned, problems
    blocks, _euros = _blocks(lines, problems)
    blocks = _split_mixed_blocks(blocks, labels)
    rows: list[_Row] = []
    for row in _build_rows(blocks, labels, problems):
        rows.extend(_split_multi_label(row, problems))
    rows = _split_inline_budgets(_merge_orphan_text(rows))
    floating = _strip_glued_labels(rows, labels)
    inferred = _fill_merged_domains(rows, lines, problems, floating)
    records: list[ActionRecord] = []
    # the actions column's width: its widest line, where a sentence wrapped
    width = max((len(collapse(ln[1]) or "") for row in rows for _, ln in row.actions), default=0)
    for row in rows:
        domain = inferred.get(id(row)) or collapse(" ".join(ln[1] for _, ln in row.domain))
        period = _join_cell([ln[1] for _, ln in row.period], dates=True)
        description = _join_actions(
            [ln[1] for _, ln in row.actions], len(period.split("\n")) if period else 0, width
        )
        budget = _budget_cell([ln[1] for _, ln in row.budget], period)
        if domain and SECTION_RE.match(domain) and not (description or period or budget):
            problems.append(
                ReportItem(
                    line=row.line,
                    kind="section-heading",
                    message="Intertitre du tableau (lieu des actions), pas un domaine",
                    value=domain,
                    field="domain",
                )
            )
            continue
        if not (domain or description or period or budget):
            continue
        if domain and NO_ANSWER_RE.match(domain) and not (description or period or budget):
            continue  # "Informations en attente" (Auvergne): the fiche lists no action yet
        start, end = parse_years(period or description)
        if (
            domain is None
            and max(len((period or "").split("\n")), len((budget or "").split("\n"))) >= 4
        ):
            # many dates or sums and no domain: the extraction printed the table column after
            # column (Thionville), its rows cannot be matched up from the text
            first, last = _span(row)
            problems.append(
                ReportItem(
                    line=row.line,
                    kind="uncertain-alignment",
                    message=f"Tableau des actions extrait colonne par colonne (lignes {first} à "
                    f"{last}) : les actions, dates et budgets n'ont pas pu être remis sur leurs "
                    "lignes. Le tableau tel qu'imprimé est joint à la fiche ; réaligner les "
                    "cellules d'après le PDF.",
                    value=f"lignes {first}-{last}",
                    field="actions",
                )
            )
        if domain is None:
            problems.append(
                ReportItem(
                    line=row.line,
                    kind="missing-domain",
                    message="Action sans domaine d'intervention imprimé : domaine à choisir",
                    value=(description or period or budget or "")[:80],
                    field="domain",
                )
            )
        records.append(
            ActionRecord(
                line=row.line,
                domain_as_printed=domain,
                description=description,
                period_as_printed=period,
                budget_as_printed=budget,
                start_year=start,
                end_year=end,
            )
        )
    # a flagged table of columns says it all: no second item for its merged label cells
    problems = [
        p
        for p in problems
        if p.kind != "split-domain-cell" or not any(a <= p.line <= b for a, b in flagged)
    ]
    return sorted(records + realigned, key=lambda record: record.line), problems


# ------------------------------------------------------- tables printed column after column

TABLE_TOTAL_RE = re.compile(r"^(?:T\s*:|(?:sous[-\s]?)?total\b)", re.IGNORECASE)


@dataclass
class _ColumnSection:
    """Part of a table the extraction printed column after column: its domain labels, then
    its actions, then its dates and sums, each column keeping the blank lines of its cells."""

    first: int
    last: int
    labels: list[list[Line]]  # paragraphs of label lines
    actions: list[list[Line]]  # paragraphs of action lines
    tail: list[Line]  # dates, sums, totals and their continuation lines
    label_count: int = 0

    def dates(self) -> list[str]:
        items: list[str] = []
        for _, text in self.tail:
            stripped = text.strip()
            if (
                _is_amount_line(stripped)
                or TABLE_TOTAL_RE.match(stripped)
                or (stripped.startswith("(") and stripped.endswith(")"))  # "(kF courant)"
            ):
                break
            if items and (stripped[0].islower() or not _is_date_line(items[-1])):
                items[-1] += " " + stripped  # "Sur les 20 / premières années : / 1981-2001"
            else:
                items.append(stripped)
        return [collapse(item) or "" for item in items]

    def sums(self) -> tuple[list[str], list[str], list[Line]]:
        """(row sums, totals, legend lines): a sum goes on over its continuation lines
        ("434 kF (appui / du SEDIF)"); a line in brackets before the first sum is the
        column's legend ("(kF courant)")."""
        sums: list[str] = []
        totals: list[str] = []
        legend: list[Line] = []
        started = False
        for number, text in self.tail:
            stripped = text.strip()
            if TABLE_TOTAL_RE.match(stripped):
                totals.append(stripped)
                started = True
            elif _is_amount_line(stripped):
                sums.append(stripped)
                started = True
            elif not started:
                if stripped.startswith("(") and stripped.endswith(")"):
                    legend.append((number, text))
            elif sums and not totals:
                sums[-1] += " " + stripped
            else:
                return [], [], []  # text after a total: not a plain column of sums
        return [collapse(x) or "" for x in sums], [collapse(x) or "" for x in totals], legend

    def rows(self) -> list[tuple[list[Line], Line]] | None:
        """Each label with its action, when each column prints one line per row in the same
        paragraphs (Viroflay: "Santé / Eau" facing "Maternité… / Puits…"); else None."""
        if [len(p) for p in self.labels] != [len(p) for p in self.actions]:
            return None
        pairs = []
        for labels, actions in zip(self.labels, self.actions, strict=True):
            for label, action in zip(labels, actions, strict=True):
                if action[1].strip()[0].islower() or label[1].strip()[0].islower():
                    return None  # a wrapped cell: lines are not rows
                pairs.append(([label], action))
        return pairs


def _paragraphs(lines: list[Line]) -> list[list[Line]]:
    paragraphs: list[list[Line]] = [[]]
    for number, text in lines:
        if is_footer(text) or TITLE_RE.search(text) or _is_header_line(text):
            continue
        if text.strip():
            paragraphs[-1].append((number, text))
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _is_label_paragraph(paragraph: list[Line], labels: list[str]) -> bool:
    texts = [text.strip() for _, text in paragraph]
    return (
        all(
            len(t) <= LABEL_WIDTH and not _is_date_line(t) and not _is_amount_line(t) for t in texts
        )
        and texts[0][0].isupper()
        and any(fold(texts[0]) == key or fold(texts[0]).startswith(key + " ") for key in labels)
    )


def _label_count(paragraphs: list[list[Line]], labels: list[str]) -> int:
    """How many labels the paragraphs print: a line opening on a known label starts one,
    unless the line before it goes on ("Développement des / activités agricoles")."""
    count = 0
    for paragraph in paragraphs:
        previous = ""
        for _, text in paragraph:
            folded = fold(text.strip())
            known = any(folded == key or folded.startswith(key + " ") for key in labels)
            if known and text.strip()[0].isupper() and not _GOES_ON_RE.search(previous):
                count += 1
            previous = text.strip()
    return count


def _has_date_or_sum(paragraph: list[Line]) -> bool:
    return any(_is_date_line(t.strip()) or _is_amount_line(t.strip()) for _, t in paragraph)


def _column_sections(lines: list[Line], labels: list[str]) -> list[_ColumnSection]:
    """The parts of a table printed column after column: two or more label lines in a row,
    then paragraphs of actions with no date or sum in them, then the dates and sums."""
    paragraphs = _paragraphs(lines)
    sections: list[_ColumnSection] = []
    index = 0
    while index < len(paragraphs):
        start = index
        while index < len(paragraphs) and _is_label_paragraph(paragraphs[index], labels):
            index += 1
        label_paragraphs = paragraphs[start:index]
        if _label_count(label_paragraphs, labels) < 2:
            index = start + 1
            continue
        action_start = index
        while (
            index < len(paragraphs)
            and not _has_date_or_sum(paragraphs[index])
            and not _is_label_paragraph(paragraphs[index], labels)
        ):
            index += 1
        action_paragraphs = paragraphs[action_start:index]
        tail_start = index
        while (
            index < len(paragraphs)
            and not _is_label_paragraph(paragraphs[index], labels)
            and (index == tail_start or not _starts_like_actions(paragraphs[index]))
        ):
            index += 1
        tail = [line for p in paragraphs[tail_start:index] for line in p]
        if not action_paragraphs or not tail or not _has_date_or_sum(tail):
            index = max(index, start + 1)
            continue
        section = _ColumnSection(
            first=label_paragraphs[0][0][0],
            last=tail[-1][0],
            labels=label_paragraphs,
            actions=action_paragraphs,
            tail=tail,
            label_count=_label_count(label_paragraphs, labels),
        )
        # several labels over a single row is one label printed in words ("ÉDUCATION /
        # FORMATION des JF"): columns need at least two rows to be out of line
        if max(len(action_paragraphs), len(section.dates()), len(section.sums()[0])) >= 2:
            sections.append(section)
    return sections


def _starts_like_actions(paragraph: list[Line]) -> bool:
    """A paragraph of the next row's text, not a continuation of the dates and sums."""
    return not _has_date_or_sum(paragraph) and any(
        len(t.strip()) > LABEL_WIDTH for _, t in paragraph
    )


def _realign_columns(
    section: _ColumnSection,
) -> tuple[list[ActionRecord], list[ReportItem]] | None:
    """Rows rebuilt from a column-after-column section where every column counts the same
    number of rows (the dates may be one cell shared by all); None where they do not."""
    rows = section.rows()
    if rows is None:
        return None
    dates = section.dates()
    sums, totals, _legend = section.sums()
    if len(dates) not in (0, 1, len(rows)) or len(sums) not in (0, len(rows)):
        return None
    if not dates and not sums:
        return None
    records = []
    for index, (label, (_number, text)) in enumerate(rows):
        period = dates[0] if len(dates) == 1 else (dates[index] if dates else None)
        start, end = parse_years(period)
        records.append(
            ActionRecord(
                line=label[0][0],
                domain_as_printed=collapse(" ".join(t for _, t in label)),
                description=collapse(text),
                period_as_printed=period,
                budget_as_printed=sums[index] if sums else None,
                start_year=start,
                end_year=end,
            )
        )
    records += [
        ActionRecord(
            line=section.last,
            domain_as_printed=None,
            description=None,
            budget_as_printed=total,
            is_total=True,
        )
        for total in totals
    ]
    if totals:
        return records, []  # the printed total is checked against the rows (total-mismatch)
    report = [
        ReportItem(
            line=section.first,
            kind="realigned-columns",
            message=f"Tableau imprimé colonne après colonne (lignes {section.first} à "
            f"{section.last}) : {len(rows)} domaines, {len(rows)} actions et "
            f"{len(sums) or len(dates)} dates ou montants, remis ligne à ligne dans l'ordre. "
            "Vérifier sur le PDF que chaque montant est bien celui de sa ligne.",
            value=" | ".join(r.domain_as_printed or "" for r in records if not r.is_total),
            field="actions",
        )
    ]
    return records, report


def _column_problem(section: _ColumnSection) -> ReportItem:
    sums = section.sums()[0]
    return ReportItem(
        line=section.first,
        kind="uncertain-alignment",
        message=f"Tableau imprimé colonne après colonne (lignes {section.first} à "
        f"{section.last}) : {section.label_count} domaines, {len(section.actions)} "
        f"paragraphes d'actions, {len(section.dates())} dates et {len(sums)} montants, qui ne "
        "se répondent pas un à un. Le tableau tel qu'imprimé est joint à la fiche ; vérifier "
        "sur le PDF le domaine, la date et le montant de chaque action.",
        value=f"lignes {section.first}-{section.last}",
        field="actions",
    )


def table_is_in_euros(lines: list[Line]) -> bool:
    """True when the budget column header says the amounts are in euros ("(en euros)")."""
    return any(EURO_HEADER_RE.search(text) for _, text in lines)


def actions_as_printed(lines: list[Line]) -> str | None:
    """The table verbatim for display: footers dropped, trailing spaces stripped, single blanks."""
    out: list[str] = []
    for _, text in lines:
        if is_footer(text):
            continue
        text = text.rstrip()
        if not text and (not out or not out[-1]):
            continue
        out.append(text)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) or None
