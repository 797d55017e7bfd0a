"""Parser of the partnership fiches of the répertoire (pure: no Django, no database).

``parse_fiches(read_lines(path))`` cuts the répertoire into its 70 fiches and reads every field
except the contacts (handed to ``contacts.parse_contacts``) and the content of the actions
table(s) (cut out raw into ``actions_lines``). What no rule places is reported, never dropped.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from .contacts import parse_contacts
from .records import CollectivityRef, FicheRecord, Line, ReportItem
from .text import clean_text, collapse, fold, footer_page, is_footer

UNPLACED_MESSAGE = (
    "Ligne imprimée hors de toute rubrique de la fiche, non reprise : vérifier sur le PDF si "
    "elle complète le champ voisin (un nom, une adresse) et l'y ajouter."
)

_I = re.IGNORECASE
DATE_RE = re.compile(r"^\s*Date de mise à jour\s*:", _I)
DATE_VALUE_RE = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
NOT_DOCUMENTED_RE = re.compile(r"^\s*Partenariats de coopération décentralisée non renseignés", _I)
OTHER_TYPES_RE = re.compile(r"^\s*Autres types de partenariats\s*$", _I)
ANNEX_RE = re.compile(r"^\s*Annexe 1\b", _I)

COLLECTIVITY_RE = re.compile(r"^Collectivit[ée]s? (fran[cç]aise|malienne)s?\b", _I)
NAME_RE = re.compile(r"^Nom\s*:", _I)
POPULATION_RE = re.compile(r"^(?:Nb|Nombre)\s+(?:d['’]\s*)?(?:habitants|de villes)\s*:", _I)
# "Département/Région", "Cercle / région", "Commune", "Région"... always followed by a colon,
# which keeps a bare value such as "Région de Sikasso" out.
LOCATION_RE = re.compile(r"^(?:D[ée]partement|R[ée]gion|Cercle|Commune)[^:]{0,40}:", _I)
CONTACT_HEADING_RE = re.compile(
    r"^(?:Coordonn[ée]es|[ÉE]lue?s? en charge|Service|Pr[ée]sident du comit|Responsable|"
    r"Administrateur)",
    _I,
)

PRESENTATION_RE = re.compile(r"^Présentation du partenariat\s*", _I)
HISTORY_RE = re.compile(r"^Histoire du partenariat\s*", _I)
ACTIONS_RE = re.compile(r"^Actions de coop[ée]ration\b", _I)
PERSPECTIVES_RE = re.compile(r"^Perspectives du partenariat\s*", _I)
DOCUMENTS_RE = re.compile(r"^Documents de capitalisation, évaluations et études réalisées\W*", _I)
MOTIVATIONS_RE = re.compile(r"^Motivations\s*&\s*objectifs de d[ée]part\s*(?:\([^)]*\))?\s*:?", _I)
SIDE_BOTH_RE = re.compile(
    r"^Pour la partie française(?:,| et) (?:pour )?la partie malienne\s*[:;]?", _I
)
SIDE_FR_RE = re.compile(r"^(?:Pour la partie française|Pour l['’]AIMF)\s*[:;]?", _I)
SIDE_ML_RE = re.compile(r"^Pour la partie malienne\s*[:;]?", _I)
SIDE_OTHER_RE = re.compile(r"^Pour la partie [\w-]+\s*:", _I)

PERSPECTIVES_LABEL = fold(
    "Perspectives du partenariat (ex : existence d’une convention de financement triennale ; "
    "quels axes à développer pour les 3 prochaines années ? partenariats à développer…)"
)


@dataclass
class _Label:
    field: str
    full: re.Pattern
    start: re.Pattern | None = None  # a label that may wrap over the next line(s)
    keep_text: bool = False  # a non-standard label kept in the value because it carries meaning
    report: str = ""  # message of a "nonstandard-label" report


BUDGET_RI_RE = re.compile(r"^Budget consacr[ée] aux relations\s*internationales\s*/\s*an\s*:", _I)

LABELS = [
    _Label("contacts_start", re.compile(r"^Date de d[ée]but des contacts\s*:?", _I)),
    _Label(
        "formalisation",
        re.compile(
            r"^Date de formalisation de la relation\s*\+\s*type de document\s*"
            r"(?:\(ex\s*:\s*convention\)\s*)?r[ée]gissant le\s*partenariat\s*[:;]?",
            _I,
        ),
        re.compile(r"^Date de formalisation", _I),
    ),
    _Label(
        "budget_cd",
        re.compile(
            r"^Budget (?:annuel )?consacr[ée] à la coop[ée]ration\s*d[ée]centralis[ée]e\s*"
            r"(?:/\s*an|[–-]\s*Action Mali)\s*:",
            _I,
        ),
        re.compile(r"^Budget (?:annuel )?consacr[ée] à la coop", _I),
    ),
    _Label(
        "budget_ri",
        BUDGET_RI_RE,
        re.compile(r"^Budget consacr[ée] aux relations", _I),
    ),
    _Label(
        "technical_partners",
        re.compile(r"^Partenaires techniques\s*(?:\(expliciter les sigles\))?\s*:?", _I),
    ),
    _Label(
        "financial_partners",
        re.compile(r"^Partenaires financiers\s*(?:\(expliciter les sigles\))?\s*:?", _I),
    ),
    _Label(
        "technical_partners",
        re.compile(r"^Partenaires\s*:", _I),
        report=(
            "La fiche imprime « Partenaires : » sans dire s'ils sont techniques ou financiers : "
            "rangés en partenaires techniques. Déplacer les financeurs en partenaires financiers."
        ),
    ),
    # The AIMF fiches print the association's own budget ("Budget de l'AIMF : 5 millions
    # d'euros", "Total Mali : …") under the formalisation, then what went to the city: only
    # that second line is the partnership's budget.
    _Label("presentation", re.compile(r"^Budget de l['’]AIMF\s*:", _I), keep_text=True),
    _Label(
        "budget_cd",
        re.compile(r"^Depuis \d{4}, [\d  .,]+(?:€|euros?) ont été investis", _I),
        keep_text=True,
    ),
]

# Motivations are kept apart while reading, then merged into the record's two fields.
_GENERAL, _BOTH, _UNKNOWN = "motivations_general", "motivations_both", "unknown_side"


def _norm(text: str) -> str:
    return collapse(text.replace("\u00a0", " ")) or ""


def parse_fiches(lines: list[Line]) -> tuple[list[FicheRecord], list[ReportItem]]:
    """Cut the répertoire into fiches and read them (see the module docstring)."""
    fiches: list[FicheRecord] = []
    report: list[ReportItem] = []
    for status, chunk in _segment(lines):
        fiche, items = _parse_fiche(status, chunk)
        fiches.append(fiche)
        report.extend(items)
    return fiches, report


def _segment(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """(status, lines from the date line to the end of the fiche) for every fiche."""
    date_idx = [i for i, (_, text) in enumerate(lines) if DATE_RE.match(text)]
    if not date_idx:
        return []
    first = date_idx[0]

    def first_after(pattern: re.Pattern) -> int | None:
        return next((i for i in range(first, len(lines)) if pattern.match(lines[i][1])), None)

    not_documented = first_after(NOT_DOCUMENTED_RE)
    other_types = first_after(OTHER_TYPES_RE)
    annex = first_after(ANNEX_RE)
    stops = sorted(set(date_idx) | {i for i in (not_documented, other_types, annex) if i})
    chunks = []
    for start in date_idx:
        end = next((s for s in stops if s > start), len(lines))
        documented = not_documented is None or start < not_documented
        status = "documented" if documented else "other"
        chunks.append((status, lines[start:end]))
    return chunks


@dataclass
class _State:
    """What is being read while walking the body of a fiche."""

    fiche: FicheRecord
    report: list[ReportItem]
    segments: dict[str, list[list[Line]]] = field(default_factory=dict)
    current: str | None = None  # field receiving the lines, None: nothing open
    section: str = "presentation"  # presentation | history | actions | tail
    budget_both: int | None = None  # line where both budget labels share one line
    # lines whose text follows a label, with the printed width of what comes before that text
    after_label: dict[int, int] = field(default_factory=dict)
    printed: dict[int, str] = field(default_factory=dict)  # each line as printed

    def open(self, name: str, lineno: int, first: str = "") -> None:
        # a rubric printed twice (one per table, or a heading and its sub-heading) keeps both
        # texts end to end: nothing is lost, so nothing is left to check
        self.segments.setdefault(name, []).append([])
        self.current = name
        if first.strip():
            self.add((lineno, first))
            whole = _norm(self.printed.get(lineno, first))
            self.after_label[lineno] = max(0, len(whole) - len(_norm(first)))

    def add(self, line: Line) -> None:
        self.segments[self.current][-1].append(line)

    def unplaced(self, line: Line) -> None:
        if line[1].strip():
            self.report.append(
                ReportItem(line[0], "unplaced-line", UNPLACED_MESSAGE, value=_norm(line[1]))
            )


def _parse_fiche(status: str, chunk: list[Line]) -> tuple[FicheRecord, list[ReportItem]]:
    report: list[ReportItem] = []
    date_lineno, date_text = chunk[0]
    fiche = FicheRecord(status=status, line=date_lineno, title="")
    match = DATE_VALUE_RE.search(date_text)
    try:
        day, month, year = (int(g) for g in match.groups()) if match else (0, 0, 0)
        fiche.updated_on = datetime.date(year, month, day)
    except ValueError:
        report.append(
            ReportItem(
                date_lineno,
                "unreadable-date",
                "Date de mise à jour illisible",
                value=_norm(date_text),
                field="updated_on",
            )
        )
    for _, text in chunk:
        if is_footer(text):
            fiche.page = footer_page(text)
            break
    rows = [line for line in chunk[1:] if not is_footer(line[1])]

    coll_idx = [i for i, (_, t) in enumerate(rows) if COLLECTIVITY_RE.match(_norm(t))]
    if not coll_idx:
        _parse_collectivity_less(fiche, rows)
        return fiche, report

    title_rows = [r for r in rows[: coll_idx[0]] if r[1].strip()]
    fiche.title = _norm(" ".join(t for _, t in title_rows))
    if title_rows:
        fiche.field_lines["title"] = title_rows[0][0]

    presentation_idx = next(
        (i for i, (_, t) in enumerate(rows) if PRESENTATION_RE.match(_norm(t))), len(rows)
    )
    contacts_idx = next(
        (
            i
            for i in range(coll_idx[0], presentation_idx)
            if CONTACT_HEADING_RE.match(_norm(rows[i][1]))
        ),
        presentation_idx,
    )
    has_malian = _parse_collectivities(fiche, rows[coll_idx[0] : contacts_idx], report)
    contact_rows = rows[contacts_idx:presentation_idx]
    fiche.contacts, contact_report = _contacts(contact_rows, has_malian)
    report.extend(contact_report)
    if fiche.contacts:
        fiche.field_lines["contacts"] = contact_rows[0][0]
    _parse_body(fiche, rows[presentation_idx:], report)
    return fiche, report


def _contacts(rows: list[Line], has_malian: bool) -> tuple[list, list[ReportItem]]:
    if not rows:
        return [], []
    return parse_contacts(rows, has_malian)


def _parse_collectivity_less(fiche: FicheRecord, rows: list[Line]) -> None:
    """A fiche without any "Collectivité" block (Action Mopti): a title, then free text.

    The descriptive line under the title ("ONG de développement (Mali, Mopti)") is kept as the
    first line of the presentation.
    """
    non_blank = [i for i, (_, t) in enumerate(rows) if t.strip()]
    if not non_blank:
        return
    first = non_blank[0]
    fiche.title = _norm(rows[first][1])
    fiche.field_lines["title"] = rows[first][0]
    rest = rows[first + 1 :]
    fiche.presentation = clean_text([t for _, t in rest])
    if fiche.presentation:
        fiche.field_lines["presentation"] = next(n for n, t in rest if t.strip())


def _title_parts(title: str) -> set[str]:
    return {fold(part) for part in re.split(r"/", title) if fold(part)}


def _parse_collectivities(fiche: FicheRecord, rows: list[Line], report: list[ReportItem]) -> bool:
    """Read the "Collectivité française/malienne" blocks; True when a Malian block exists."""
    blocks: list[tuple[str, Line, list[Line]]] = []
    for line in rows:
        match = COLLECTIVITY_RE.match(_norm(line[1]))
        if match:
            side = "FR" if fold(match.group(1)).startswith("fran") else "ML"
            blocks.append((side, line, []))
        elif blocks:
            blocks[-1][2].append(line)
    title_parts = _title_parts(fiche.title)
    title_sides = [part.strip() for part in fiche.title.split("/", 1)]
    has_malian = False
    for side, heading, body in blocks:
        has_malian = has_malian or side == "ML"
        refs = _parse_block(fiche, side, heading, body, title_parts, report)
        (fiche.french if side == "FR" else fiche.malian).extend(refs)
        index = 0 if side == "FR" else 1
        if refs and index < len(title_sides):
            _check_title(title_sides[index], refs, report)
    if fiche.french:
        fiche.field_lines["french"] = fiche.french[0].line
    if fiche.malian:
        fiche.field_lines["malian"] = fiche.malian[0].line
    return has_malian


_ACRONYM_SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "et", "d", "l"}


def _check_title(title_side: str, refs: list[CollectivityRef], report: list[ReportItem]) -> None:
    """Report a "Nom :" that designates another body than the fiche's title.

    "Quimperlé" over "Nom : SMPE" (l. 10302), "Chaumont-Association de Jumelage-Coopération"
    over "Nom : Asso.de Jumelage-Coopération San Mali": which is the partner is for a reader to
    confirm. Spelling variants, level words ("Cercle de") and an acronym of the name ("AIMF")
    are not differences.
    """
    if not title_side:
        return
    title_key = _core_key(title_side)

    def designated(ref: CollectivityRef) -> bool:
        name_key = _core_key(ref.name_as_printed)
        if not name_key or name_key in title_key or title_key in name_key:
            return True
        words = fold(ref.name_as_printed).split()
        initials = "".join(w[0] for w in words if w not in _ACRONYM_SMALL_WORDS)
        return fold(title_side).replace(" ", "") == initials

    # a group is titled by its leader alone ("Pontcharra" for four communes)
    if any(designated(ref) for ref in refs):
        return
    for ref in refs:
        report.append(
            ReportItem(
                ref.line,
                "name-differs-from-title",
                "Le partenaire nommé dans la fiche n'est pas celui de son titre : vérifier "
                "qu'il s'agit bien du même partenaire (ou d'un organisme qui agit pour lui).",
                value=f"{title_side} / {ref.name_as_printed}",
                field="french" if ref.side == "FR" else "malian",
            )
        )


def _core_key(name: str) -> str:
    """The matching key without its type tag ("cercle:yelimane" -> "yelimane")."""
    from .places import collectivity_key

    return collectivity_key(name).split(":", 1)[-1]


def _parse_block(
    fiche: FicheRecord,
    side: str,
    heading: Line,
    body: list[Line],
    title_parts: set[str],
    report: list[ReportItem],
) -> list[CollectivityRef]:
    values: dict[str, list[str]] = {"name": [], "population": [], "location": []}
    name_line = heading[0]
    has_location_label = any(LOCATION_RE.match(_norm(t)) for _, t in body)
    current: str | None = None
    for lineno, raw in body:
        text = _norm(raw)
        if not text:
            continue
        if NAME_RE.match(text):
            current, name_line = "name", lineno
            values["name"].append(NAME_RE.sub("", text, count=1))
        elif POPULATION_RE.match(text):
            current = "population"
            values["population"].append(POPULATION_RE.sub("", text, count=1))
        elif LOCATION_RE.match(text):
            # several location labels ("Commune :" then "Cercle / Région :") are kept apart
            if current == "location" or values["location"]:
                values["location"].append(";")
            current = "location"
            values["location"].append(LOCATION_RE.sub("", text, count=1))
        elif current == "name" and fold(" ".join(values["name"])) not in title_parts:
            values["name"].append(text)  # a name wrapped over two lines
        elif current in ("name", "population") and not has_location_label:
            # a block printed without its location label ("Cercle de Kadiolo")
            current = "location"
            values["location"].append(text)
        elif current in ("population", "location"):
            values[current].append(text)
        else:
            report.append(ReportItem(lineno, "unplaced-line", UNPLACED_MESSAGE, value=text))

    def joined(key: str) -> str | None:
        text = collapse(" ".join(values[key]).replace(" ;", ";"))
        text = re.sub(r"^;\s*|\s*;$", "", text or "")
        return collapse(text.rstrip(":"))

    name, population, location = joined("name"), joined("population"), joined("location")
    if not name:
        if fiche.status == "documented":
            report.append(
                ReportItem(
                    heading[0],
                    "empty-collectivity",
                    "Nom de collectivité vide dans la fiche",
                    field="french" if side == "FR" else "malian",
                )
            )
        return []
    return [
        CollectivityRef(side, part, name_line, population, location) for part in _split_names(name)
    ]


def _split_names(name: str) -> list[str]:
    """Several partners printed as a list ("Djélébou, Karokoro et Sahel"), else the name alone.

    Only a list whose every item opens with a capital is split: "Sio, secteur de Somadougou"
    is one collectivity, and hyphenated names never split.
    """
    parts = [p.strip() for p in re.split(r",\s*|\s+et\s+", name)]
    if len(parts) > 1 and all(p and p[0].isupper() for p in parts):
        return parts
    return [name]


def _match_label(rows: list[Line], k: int) -> tuple[_Label, int, str] | None:
    """The label opening rows[k] (possibly wrapped), the index of its last line, the rest."""
    text = _norm(rows[k][1])
    for label in LABELS:
        match = label.full.match(text)
        if match:
            return label, k, text if label.keep_text else text[match.end() :]
        if label.start and label.start.match(text):
            joined, j = text, k
            for _ in range(2):
                if j + 1 >= len(rows) or not rows[j + 1][1].strip():
                    break
                j += 1
                joined = f"{joined} {_norm(rows[j][1])}"
                match = label.full.match(joined)
                if match:
                    return label, j, joined[match.end() :]
    return None


def _perspectives_tail(rows: list[Line], k: int, rest: str) -> tuple[int, str]:
    """Skip the wrapped example text of the Perspectives label; (last label row, value rest)."""
    if rest and fold(rest) in PERSPECTIVES_LABEL:
        rest = ""
    elif rest:
        return k, rest
    j = k
    while j + 1 < len(rows):
        nxt = _norm(rows[j + 1][1])
        if not nxt:
            break
        # the tail lines are pieces of the printed example, ending in "…)" or opening "(ex"
        if fold(nxt) in PERSPECTIVES_LABEL and ("…)" in nxt or nxt.startswith("(") or "?" in nxt):
            j += 1
        else:
            break
    return j, rest


def _parse_body(fiche: FicheRecord, rows: list[Line], report: list[ReportItem]) -> None:
    """Read from "Présentation du partenariat" to the end of the fiche."""
    state = _State(fiche, report, printed=dict(rows))
    k = 0
    while k < len(rows):
        lineno, raw = rows[k]
        text = _norm(raw)
        k = _read_line(state, rows, k, lineno, raw, text) + 1
    _finish(state)


def _read_line(state: _State, rows: list[Line], k: int, lineno: int, raw: str, text: str) -> int:
    """Handle rows[k] (text = its collapsed form or a remainder); index of the last row used."""
    fiche = state.fiche
    if not text:
        if state.section == "actions":
            fiche.actions_lines.append((lineno, raw))
        elif state.current:
            state.add((lineno, raw))
        return k
    if ACTIONS_RE.match(text):
        state.section, state.current, state.budget_both = "actions", None, None
        if not fiche.actions_lines:
            fiche.field_lines["actions_lines"] = lineno
        fiche.actions_lines.append((lineno, raw))
        return k
    if PERSPECTIVES_RE.match(text):
        state.section, state.budget_both = "tail", None
        rest = text[PERSPECTIVES_RE.match(text).end() :]
        j, rest = _perspectives_tail(rows, k, rest)
        state.open("perspectives", lineno, rest)
        return j
    if DOCUMENTS_RE.match(text):
        state.section, state.budget_both = "tail", None
        state.open("documents", lineno, text[DOCUMENTS_RE.match(text).end() :])
        return k
    if state.section == "actions":
        fiche.actions_lines.append((lineno, raw))
        return k
    if PRESENTATION_RE.match(text):
        state.section, state.current, state.budget_both = "presentation", None, None
        rest = text[PRESENTATION_RE.match(text).end() :]
        return _read_line(state, rows, k, lineno, rest, rest) if rest else k
    if HISTORY_RE.match(text):
        state.section, state.current, state.budget_both = "history", None, None
        rest = text[HISTORY_RE.match(text).end() :]
        return _read_line(state, rows, k, lineno, rest, rest) if rest else k
    if state.section in ("presentation", "history"):
        for pattern, name in (
            (MOTIVATIONS_RE, _GENERAL),
            (SIDE_BOTH_RE, _BOTH),
            (SIDE_FR_RE, "motivations_french"),
            (SIDE_ML_RE, "motivations_malian"),
            (SIDE_OTHER_RE, _UNKNOWN),
        ):
            match = pattern.match(text)
            if match:
                state.section, state.budget_both = "history", None
                # a third party's motivations keep their heading ("Pour la partie
                # vietnamienne :"): the fiche has no field of their own for them
                state.open(name, lineno, text if name == _UNKNOWN else text[match.end() :])
                return k
    if state.section == "presentation":
        found = _match_label(rows, k)
        if found:
            label, j, rest = found
            last_lineno = rows[j][0]
            state.budget_both = None
            if label.report:
                state.report.append(
                    ReportItem(lineno, "nonstandard-label", label.report, text, label.field)
                )
            if label.field == "budget_cd" and BUDGET_RI_RE.match(rest.strip()):
                # both budget labels on one line: the two columns were interleaved
                state.open("budget_cd", last_lineno)
                state.open("budget_ri", last_lineno)
                state.current, state.budget_both = None, last_lineno
                return j
            state.open(label.field, last_lineno, rest)
            return j
    if state.budget_both is not None:
        _budget_value(state, lineno, raw)
    elif state.current:
        state.add((lineno, raw))
    else:
        # free text outside any label: the body of an "autres types" fiche, or a history
        # paragraph printed before the motivations
        if "presentation" not in state.segments:
            state.open("presentation", lineno)
            if fiche.status == "documented":
                state.report.append(
                    ReportItem(
                        lineno,
                        "free-text",
                        "Texte imprimé hors de toute rubrique, rangé dans la présentation : "
                        "vérifier qu'il y a sa place.",
                        value=text,
                        field="presentation",
                    )
                )
        else:
            state.current = "presentation"
        state.add((lineno, raw))
    return k


def _budget_value(state: _State, lineno: int, raw: str) -> None:
    """A value under the two budget labels printed on one line: its column decides."""
    indent = len(raw) - len(raw.lstrip())
    name = "budget_ri" if indent >= 40 else "budget_cd"
    state.segments[name][-1].append((lineno, raw))
    state.report.append(
        ReportItem(
            lineno,
            "ambiguous-budget",
            "Montant sous les deux libellés de budget imprimés sur une ligne : "
            + (
                "rangé en relations internationales"
                if name == "budget_ri"
                else "rangé en coopération décentralisée"
            )
            + " (à vérifier)",
            value=_norm(raw),
            field=name,
        )
    )


# The width of the fiches' text, in characters (a full line prints 100 to 110).
PAGE_WIDTH = 100


def _segment_text(
    segment: list[Line], after_label: dict[int, int]
) -> tuple[str | None, int | None]:
    lines = [t for _, t in segment]
    first = next((i for i, t in enumerate(lines) if t.strip()), None)
    if first is None:
        return None, None
    lines[first] = re.sub(r"^\s*:\s*", "", lines[first])  # ": 1986" under a label without colon
    width = max(PAGE_WIDTH, *(len(_norm(t)) for t in lines))
    # an answer printed after its label on the same line: that line's width counts the label
    text = clean_text(lines, width, first_indent=after_label.get(segment[first][0], 0))
    # a currency word wrapped after a blank line is not a new paragraph ("50 000" + "Euros")
    text = re.sub(r"(\d)\n((?:euros?|€)(?:\W|$))", r"\1 \2", text or "", flags=_I)
    return text or None, segment[first][0]


def _field_text(state: _State, name: str) -> tuple[str | None, int | None]:
    texts, first_line = [], None
    for segment in state.segments.get(name, []):
        text, lineno = _segment_text(segment, state.after_label)
        if text:
            texts.append(text)
            first_line = first_line or lineno
    return ("\n".join(texts) or None), first_line


def _finish(state: _State) -> None:
    fiche = state.fiche
    for name in (
        "contacts_start",
        "formalisation",
        "budget_cd",
        "budget_ri",
        "technical_partners",
        "financial_partners",
        "presentation",
        "perspectives",
        "documents",
        "motivations_french",
        "motivations_malian",
    ):
        text, lineno = _field_text(state, name)
        setattr(fiche, name, text)
        if text:
            fiche.field_lines[name] = lineno
    other, other_line = _field_text(state, _UNKNOWN)
    if other:  # Montreuil (2) / PADDY: the Vietnamese partners' motivations
        fiche.presentation = "\n".join(t for t in (fiche.presentation, other) if t)
        fiche.field_lines.setdefault("presentation", other_line)
    general, general_line = _field_text(state, _GENERAL)
    both, both_line = _field_text(state, _BOTH)
    if both:
        for name in ("motivations_french", "motivations_malian"):
            current = getattr(fiche, name)
            setattr(fiche, name, "\n".join(t for t in (both, current) if t))
            fiche.field_lines[name] = min(fiche.field_lines.get(name, both_line), both_line)
    if general:
        fiche.motivations_french = "\n".join(t for t in (general, fiche.motivations_french) if t)
        fiche.field_lines["motivations_french"] = general_line
        state.report.append(
            ReportItem(
                general_line,
                "motivations-without-side",
                "Motivations imprimées sans « Pour la partie française / malienne » : "
                "rangées côté français. Vérifier de quel côté elles sont.",
                value=general,
                field="motivations_french",
            )
        )
