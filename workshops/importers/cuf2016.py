"""Parser of the report of the CUF workshop of 19 May 2016, "Maintenir et poursuivre les
partenariats de coopération décentralisée en zones à risques".

The report is a tab-separated PDF extraction (see ``cells``). Its parts are found by their
printed headings (``HEADINGS``); inside them:

- the synthesis (I to IV) is prose, where a line "Prénom Nom, fonction, organisation" standing
  alone opens one speaker's contribution (a testimony in part II);
- the list of participants prints rows "N. <organisation> <first name> <name> <function>",
  each cell opening with a space, wrapped over several lines;
- the table of the 29 questionnaire answers prints each row column after column, cells
  separated by blank lines or by an empty field;
- footnotes (after a line of spaces) and page headers and footers are interleaved with the
  text: they are set apart so that they never leak into a section or a cell.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from partnerships.importers.records import Line, ReportItem
from partnerships.importers.text import collapse, fold

from .cells import Token, is_blank, join_tokens, prose, tokenize
from .common import Tracker, emails_in, person_key, split_person
from .records import (
    AnswerRecord,
    FootnoteRecord,
    ParticipantRecord,
    PartnerPlace,
    RecommendationRecord,
    SectionRecord,
    SpeakerRecord,
    WorkshopRecord,
)

SOURCE = "cuf-atelier-zones-a-risques-2016.txt"
ORGANISER = "Cités Unies France"


@dataclass(frozen=True)
class Heading:
    pattern: str  # regex on the folded line
    kind: str
    level: int
    role: str | None = None  # how the body is read; None: prose
    continued: bool = False  # the heading goes on over the next line


HEADINGS = (
    Heading(r"^apercu general$", "synthesis", 1),
    Heading(r"^1 synthese de l atelier$", "synthesis", 1),
    Heading(r"^points abordes$", "other", 2),
    Heading(r"^intervenants$", "other", 2, role="speakers"),
    Heading(r"^i introduction$", "synthesis", 2, role="speeches"),
    Heading(r"^ii retour d experiences", "testimony", 2, role="speeches"),
    Heading(r"^a synthese des reponses au questionnaire", "synthesis", 3, role="speeches"),
    Heading(r"^b outils et pratiques", "testimony", 3, role="speeches", continued=True),
    Heading(r"^c echanges et debats$", "testimony", 3, role="speeches"),
    Heading(r"^iii quelles articulations", "synthesis", 2, role="speeches", continued=True),
    Heading(r"^iv conclusions$", "synthesis", 2, role="speeches"),
    Heading(r"^2 1 liste des presents et des excuses$", "other", 1, role="participants"),
    Heading(r"^2 2 presentation de l atelier$", "other", 1),
    Heading(r"^contexte$", "context", 2, role="context"),
    Heading(r"^objectifs$", "context", 2, role="objectives"),
    Heading(r"^moderation$", "other", 2),
    Heading(r"^programme previsionnel$", "programme", 2, role="programme"),
    Heading(r"^2 3 methodologie de l atelier$", "other", 1),
    Heading(r"^2 3 1 questionnaire preparatoire$", "other", 2),
    Heading(r"^2 3 2 synthese des reponses au questionnaire$", "synthesis", 2),
    Heading(r"^cooperer en zones a risques principaux defis", "synthesis", 3),
    Heading(r"^l adaptation des outils et pratiques", "synthesis", 3),
    Heading(r"^les recommandations$", "recommendations", 3, role="recommendations"),
    Heading(r"^2 3 3 tableau descriptif des reponses", "other", 2, role="answers"),
    Heading(r"^2 4 recommandations pratiques", "recommendations", 1, role="laloge"),
    Heading(r"^2 5 memento de securite", "other", 1),
    Heading(r"^2 6 note aux plateformes", "other", 1, continued=True),
)

SEPARATOR_RE = re.compile(r"^ {20,}$")  # the rule above a page's footnotes
FOOTNOTE_RE = re.compile(r"^\s*(\d{1,2})\s+(\S.*)$")
PAGE_FOOTER_RE = re.compile(r"^Cités Unies France, Atelier .*\d+\s*/\s*\d+\s*$")
# "Prénom Nom, fonction…" alone on its line opens a speaker's contribution
SPEAKER_LINE_RE = re.compile(
    r"^(?P<name>[A-ZÉÈ][\wéèëï-]+(?: [A-ZÉÈ][\wéèëï-]+){1,2}), (?P<rest>.+?)\s*:?\s*$"
)
FUNCTION_WORDS = (
    "chef",
    "secretaire",
    "president",
    "vice president",
    "responsable",
    "charge",
    "directeur",
    "delegue",
)
EXCUSED_RE = re.compile(r"\s*\(excusée?\)\s*$")

# Partners named by the testimonies of part II, as printed; checked against the text.
TESTIMONY_PARTNERS = {
    "conseil departemental de la seine saint denis": ["Djénine", "Tulkarem", "Qalqilya"],
    "tremblay en france": ["Boléro"],
    "dardilly": ["Debaye El Hijaj"],
    "conseil departemental de l allier": ["Niafunké"],
}

COUNTRIES = (
    "Afrique du Sud",
    "Algérie",
    "Arménie",
    "Bénin",
    "Burkina Faso",
    "Comores",
    "Egypte",
    "Gabon",
    "Liban",
    "Mali",
    "Maroc",
    "Mauritanie",
    "Niger",
    "Palestine",
    "Sahara Occidental",
    "Sénégal",
    "Tunisie",
    "Vietnam",
    "tous pays",
)
_COUNTRY = "(?:" + "|".join(re.escape(c) for c in COUNTRIES) + ")"
COUNTRY_RE = re.compile(rf"(?P<country>{_COUNTRY})(?:\s*\((?P<locality>[^()]*)\))?")
# a whole partner cell: countries with their localities, separated by "/" or ","
_PLACE = _COUNTRY + r"(?:\s*\([^()]*\))?"
PARTNERS_RE = re.compile(rf"{_PLACE}(?:\s*[/,]\s*{_PLACE})*\s*/?")
COUNTRY_START = tuple(c.split()[0] for c in COUNTRIES)

ANSWER_HEADER_FIRST = "Cités Unies France - 19 mai 2016"
ANSWER_COUNT = 29


def _flat(raw: str) -> str:
    return re.sub(r"[\t \u00a0]+", " ", raw).strip()


def parse(lines: list[Line]) -> tuple[WorkshopRecord, list[ReportItem]]:
    tracker = Tracker(lines)
    workshop = WorkshopRecord(line=1, source=SOURCE, title="", organiser=ORGANISER)
    body_lines = _set_apart_notes(lines, workshop, tracker)

    # find the headings, in their printed order: the summary "Points abordés" lists some of
    # them again, and a heading may only follow the one before it
    found: list[tuple[int, int, Heading, str]] = []  # (index, body start, heading, text)
    expected = 0
    index = 0
    while index < len(body_lines):
        number, raw = body_lines[index]
        key = fold(raw)
        if key and found and re.search(found[-1][2].pattern, key) and index == found[-1][1]:
            # printed twice in a row ("PROGRAMME PREVISIONNEL")
            tracker.take(number)
            body_lines[index] = (number, "")
            found[-1] = (*found[-1][:1], index + 1, *found[-1][2:])
        elif key and expected < len(HEADINGS) and re.search(HEADINGS[expected].pattern, key):
            heading = HEADINGS[expected]
            expected += 1
            start = index
            text = _flat(raw)
            tracker.take(number)
            if heading.continued and index + 1 < len(body_lines):
                index += 1
                text += " " + _flat(body_lines[index][1])
                tracker.take(body_lines[index][0])
            found.append((start, index + 1, heading, re.sub(r"\s*:\s*$", "", text)))
        index += 1
    for heading in HEADINGS[expected:]:
        tracker.add(1, "missing-heading", "Titre attendu introuvable", heading.pattern)

    first_heading = found[0][0]
    for number, raw in body_lines[:first_heading]:
        if not is_blank(raw):
            tracker.add(number, "unplaced-line", "Texte avant le premier titre", _flat(raw))
            tracker.take(number)

    parents: dict[int, str] = {}
    for position, (index, body_start, heading, text) in enumerate(found):
        stop = found[position + 1][0] if position + 1 < len(found) else len(body_lines)
        body = body_lines[body_start:stop]
        parents[heading.level] = text
        parent = parents.get(heading.level - 1) if heading.level > 1 else None
        section = SectionRecord(
            body_lines[index][0], text, heading.kind, level=heading.level, parent=parent
        )
        role = heading.role
        if role == "speakers":
            _speakers(body, workshop, tracker)
            continue
        workshop.sections.append(section)
        if role == "speeches":
            _speeches(body, section, workshop, tracker)
        elif role == "participants":
            _participants(body, section, workshop, tracker)
        elif role == "answers":
            _answers(body, workshop, tracker)
        elif role in ("recommendations", "laloge"):
            _recommendations(body, section, workshop, tracker, nested=role == "recommendations")
        else:
            _take_nonblank(body, tracker)
            section.text = _prose(body)
        if role == "context":
            workshop.context = section.text
        elif role == "objectives":
            workshop.objectives = section.text
        elif role == "programme":
            workshop.agenda = _agenda(body)
            section.text = "\n".join(workshop.agenda) or None

    _link_speakers(workshop)
    _title_and_date(lines, workshop, tracker)
    return workshop, tracker.finish()


GLYPH_BULLET_RE = re.compile(r"^(\s*)[$!#](\s)")


def _prose(lines: list[Line]) -> str | None:
    """Prose where the bullet glyphs the extraction turned into "$", "!" or "#" are bullets."""
    return prose([(n, GLYPH_BULLET_RE.sub(r"\1•\2", raw)) for n, raw in lines])


def _agenda(body: list[Line]) -> list[str]:
    """One item per printed line, except the wraps of a line ending on "de", "les"…"""
    items: list[str] = []
    for _, raw in body:
        text = _flat(raw)
        if not text:
            continue
        if items and re.search(r"\b(?:de|du|des|les|la|le|et|à|en)$", items[-1]):
            items[-1] += " " + text
        else:
            items.append(text)
    return [re.sub(r"^[$•o]\s+", "", item) for item in items]


def _take_nonblank(body: list[Line], tracker: Tracker) -> None:
    tracker.take(*(n for n, raw in body if not is_blank(raw)))


def _set_apart_notes(lines: list[Line], workshop: WorkshopRecord, tracker: Tracker) -> list[Line]:
    """The lines without footnotes and page footers (their places blanked)."""
    kept: list[Line] = []
    in_notes = False
    for number, raw in lines:
        if SEPARATOR_RE.match(raw):
            in_notes = True
            tracker.take(number)
            kept.append((number, ""))
            continue
        if in_notes and "\t" not in raw:
            if not is_blank(raw):
                tracker.take(number)
                match = FOOTNOTE_RE.match(raw)
                if match:
                    workshop.footnotes.append(
                        FootnoteRecord(number, int(match.group(1)), collapse(match.group(2)))
                    )
                elif workshop.footnotes:
                    note = workshop.footnotes[-1]
                    note.text = collapse(note.text + " " + raw)
            kept.append((number, ""))
            continue
        in_notes = False
        if raw.strip() == "______" or PAGE_FOOTER_RE.match(raw.strip()):
            tracker.take(number)
            kept.append((number, ""))
            continue
        kept.append((number, raw))
    return kept


# --- speakers --------------------------------------------------------------------------------


def _speakers(body: list[Line], workshop: WorkshopRecord, tracker: Tracker) -> None:
    """The "Intervenants" list: items opening with "!" (a bullet glyph), wrapped."""
    items: list[tuple[int, list[str]]] = []
    for number, raw in body:
        text = _flat(raw)
        if not text:
            continue
        if text.startswith("!"):
            items.append((number, [text[1:].strip()]))
            tracker.take(number)
        elif items:
            items[-1][1].append(text)
            tracker.take(number)
    for number, parts in items:
        text = collapse(" ".join(parts))
        excused = bool(EXCUSED_RE.search(text))
        name, _, rest = text.partition(", ")
        if re.fullmatch(r"[A-ZÉ][\wéèë-]+(?: [A-ZÉ][\wéèë-]+){1,2}", name):
            first, last = split_person(name)
            description = EXCUSED_RE.sub("", rest).strip() or None
        else:
            # "Représentants de collectivités …": a group, not a person
            first = last = None
            description = text
        workshop.speakers.append(SpeakerRecord(number, text, first, last, description, excused))


def _link_speakers(workshop: WorkshopRecord) -> None:
    rows = {person_key(p.first_name, p.last_name): p for p in workshop.participants}
    for speaker in workshop.speakers:
        participant = rows.get(person_key(speaker.first_name, speaker.last_name))
        if speaker.first_name and participant:
            participant.is_speaker = True
            speaker.participant_line = participant.line


# --- the synthesis: prose with speakers' contributions -------------------------------------


def _speeches(
    body: list[Line], section: SectionRecord, workshop: WorkshopRecord, tracker: Tracker
) -> None:
    starts: list[int] = []
    flat = [_flat(raw) for _, raw in body]
    for i, text in enumerate(flat):
        if not SPEAKER_LINE_RE.match(text):
            continue
        following = next((t for t in flat[i + 1 :] if t), "")
        before = next((t for t in reversed(flat[:i]) if t), "")
        # a speaker's line stands alone: the text before it ends a sentence and the text after
        # it opens one (a capital or an opening quote), which tells it from a wrapped sentence
        if following[:1].isupper() or following.startswith('"'):
            if not before or before[-1] in ".:;)»" or before[-1].isdigit() or i == 0:
                starts.append(i)
    _take_nonblank(body, tracker)
    first = starts[0] if starts else len(body)
    section.text = _prose(body[:first])
    for position, start in enumerate(starts):
        stop = starts[position + 1] if position + 1 < len(starts) else len(body)
        heading = re.sub(r"\s*:\s*$", "", flat[start])
        match = SPEAKER_LINE_RE.match(flat[start])
        kind = "testimony" if section.kind == "testimony" else section.kind
        speech = SectionRecord(
            body[start][0],
            heading,
            kind,
            level=section.level + 1,
            parent=section.heading,
            speaker=match.group("name"),
        )
        speech.text = _prose(body[start + 1 : stop])
        if kind == "testimony":
            speech.collectivity = _collectivity_of(match.group("rest"))
            partners = TESTIMONY_PARTNERS.get(fold(speech.collectivity or ""), [])
            for partner in partners:
                if partner in (speech.text or ""):
                    speech.partners.append(partner)
                else:
                    tracker.add(
                        speech.line, "missing-partner", "Partenaire attendu absent", partner
                    )
        workshop.sections.append(speech)


def _collectivity_of(rest: str) -> str | None:
    """The organisation in "fonction, organisation": the last part not naming a function."""
    parts = [p.strip(" :") for p in rest.split(",") if p.strip(" :")]
    for part in reversed(parts):
        if not fold(part).startswith(FUNCTION_WORDS):
            return part
    return None


# --- participants ----------------------------------------------------------------------------


def _participants(
    body: list[Line], section: SectionRecord, workshop: WorkshopRecord, tracker: Tracker
) -> None:
    status = None
    notice: list[str] = []
    rows: list[tuple[int, str, list[Line]]] = []  # (number, status, lines)
    team: list[Line] | None = None  # the organiser's team, printed between the two lists
    for number, raw in body:
        text = _flat(raw)
        if not text:
            if rows and status in ("present", "excused"):
                rows[-1][2].append((number, raw))
            continue
        squeezed = fold(text.replace(" ", ""))
        if text.startswith("Veuillez signaler"):
            tracker.take(number)
            if not notice:
                notice.append(text)
            if status == "team":
                status = None  # the team block is over; the next list opens with its title
            continue
        if text == "CITES UNIES FRANCE":
            tracker.take(number)
            team = []
            status = "team"
            continue
        if status == "team":
            team.append((number, raw))
            continue
        if squeezed in ("presents", "excuses"):
            status = "present" if squeezed == "presents" else "excused"
            tracker.take(number)
            continue
        if text == "N. Organisme Prénom Nom Fonction":
            tracker.take(number)
            continue
        row = re.match(r"^(\d+)\.\s*\t", raw)
        if row and status:
            rows.append((int(row.group(1)), status, [(number, raw[row.end() :])]))
            tracker.take(number)
        elif rows and status:
            rows[-1][2].append((number, raw))
            tracker.take(number)
    section.text = "\n".join(notice) or None

    for printed_number, row_status, row_lines in rows:
        participant = _participant_row(row_lines, row_status, printed_number, tracker)
        workshop.participants.append(participant)
    if team is not None:
        _team(team, workshop, tracker)

    for row_status in ("present", "excused"):
        numbers = [p.number for p in workshop.participants if p.status == row_status]
        if numbers != list(range(1, len(numbers) + 1)):
            tracker.add(
                section.line,
                "participant-numbering",
                "Numérotation des participants discontinue",
                row_status,
            )


def _participant_row(
    row_lines: list[Line], status: str, number: int, tracker: Tracker
) -> ParticipantRecord:
    tokens = tokenize(row_lines)
    cells: list[list[Token]] = []
    for token in tokens:
        if not cells or (token.lead and cells[-1]):
            cells.append([])
        cells[-1].append(token)
    # too few cells: a cell also opens on a line that follows a blank line ("Bertrand" under
    # the three lines of "MINISTERE DES AFFAIRES ETRANGERES …", "ECH-CHEKHCHAKHI")
    position = 0
    while len(cells) < 4 and position < len(cells):
        cell = cells[position]
        cut = next((i for i, t in enumerate(cell) if i > 0 and t.after_blank), None)
        if cut is None:
            position += 1
            continue
        cells[position : position + 1] = [cell[:cut], cell[cut:]]
    line = row_lines[0][0]
    values = [join_tokens(cell) for cell in cells]
    if len(values) != 4:
        tracker.add(
            line,
            "participant-cells",
            f"Ligne de participant en {len(values)} cellules au lieu de 4",
            " | ".join(v or "" for v in values),
        )
        values = (values + [None] * 4)[:3] + [" ".join(v for v in values[3:] if v) or None]
    organisation, first, last, function = values
    return ParticipantRecord(line, status, organisation, first, last, function, number)


def _team(body: list[Line], workshop: WorkshopRecord, tracker: Tracker) -> None:
    """The organiser's team: "Prénom NOM, fonction" or "Fonction : Prénom NOM, Prénom NOM"."""
    for number, raw in body:
        text = _flat(raw)
        if not text:
            continue
        tracker.take(number)
        label, colon, names = text.partition(" : ")
        if colon and "," in names:
            for name in names.split(","):
                first, last = split_person(name.strip())
                workshop.participants.append(
                    ParticipantRecord(number, "team", "CITES UNIES FRANCE", first, last, label)
                )
            continue
        name, _, function = text.partition(", ")
        first, last = split_person(name)
        workshop.participants.append(
            ParticipantRecord(number, "team", "CITES UNIES FRANCE", first, last, function or None)
        )


# --- recommendations -------------------------------------------------------------------------


def _recommendations(
    body: list[Line],
    section: SectionRecord,
    workshop: WorkshopRecord,
    tracker: Tracker,
    nested: bool,
) -> None:
    """Items "- …" under themes "1) …" (nested) or directly under the section (Laloge).

    Sub-items ("$ …", a bullet glyph) belong to the item above them: they are kept in its
    text, one per line.
    """
    _take_nonblank(body, tracker)
    theme = None if nested else section.heading
    intro: list[Line] = []
    items: list[tuple[int, str | None, list[list[Line]]]] = []  # (line, theme, parts)
    state = "intro"
    blank_before = False
    for number, raw in body:
        text = _flat(raw)
        item_raw = re.sub(r"^\s*[-$]\s", "", raw)  # trailing spaces kept: they end a word
        theme_match = re.match(r"^\d\)\s+(.*)$", text) if nested else None
        if not text or re.fullmatch(r"\*+", text):
            blank_before = blank_before or not text
            if state in ("intro", "after"):
                intro.append((number, ""))  # keeps paragraphs apart
            continue  # "*****" closes the part
        if theme_match:
            theme = theme_match.group(1)
            state = "theme"
        elif state == "theme" and not text.startswith(("- ", "$ ")):
            theme += " " + text  # a theme wrapped over two lines
        elif text.startswith("- "):
            items.append((number, theme, [[(number, item_raw)]]))
            state = "item"
        elif text.startswith("$ ") and items:
            items[-1][2].append([(number, item_raw)])
        elif state == "item" and not (blank_before and text[:1].isupper()):
            items[-1][2][-1].append((number, raw))
        else:
            # a capital after a blank line ends the list ("Rédaction : …")
            intro.append((number, raw))
            state = "intro" if not items else "after"
        blank_before = False
    section.text = _prose(intro)
    orders: dict[str | None, int] = {}
    for number, item_theme, parts in items:
        orders[item_theme] = orders.get(item_theme, 0) + 1
        text = "\n".join(filter(None, (_prose(part) for part in parts)))
        workshop.recommendations.append(
            RecommendationRecord(number, text, item_theme, orders[item_theme])
        )


# --- the table of answers --------------------------------------------------------------------


def _answers(body: list[Line], workshop: WorkshopRecord, tracker: Tracker) -> None:
    _take_nonblank(body, tracker)
    kept: list[Line] = []
    category = "collectivity"
    skipping = False
    for number, raw in body:
        text = _flat(raw)
        if text in (ANSWER_HEADER_FIRST, "Autre", "Autre structure"):
            skipping = True
            if text.startswith("Autre"):
                kept.append((number, "\x00other"))
        if skipping:
            if text.endswith("Contact/courriel"):
                skipping = False
            continue
        kept.append((number, raw))

    # rows open on their number, in sequence
    rows: list[tuple[int, str, list[Line]]] = []
    expected = 1
    for number, raw in kept:
        if raw == "\x00other":
            category = "other"
            continue
        tokens = [t for t in raw.split("\t") if t.strip()]
        if tokens and tokens[0].strip() == str(expected):
            first = raw.split(tokens[0], 1)[1]
            rows.append((expected, category, [(number, first)]))
            expected += 1
        elif rows:
            rows[-1][2].append((number, raw))
        elif not is_blank(raw):
            tracker.add(number, "unplaced-line", "Ligne du tableau hors réponse", _flat(raw))
    if len(rows) != ANSWER_COUNT:
        tracker.add(
            body[0][0] if body else 0,
            "answer-count",
            f"{len(rows)} réponses lues au lieu de {ANSWER_COUNT}",
        )
    for printed, row_category, row_lines in rows:
        workshop.answers.append(_answer_row(printed, row_category, row_lines, tracker))


def _chunks(tokens: list[Token]) -> list[list[Token]]:
    """The cells of a row, in printed order (empty cells are not printed)."""
    chunks: list[list[Token]] = []
    lines_of: dict[int, list[Token]] = {}
    for token in tokens:
        lines_of.setdefault(token.line, []).append(token)
    previous: Token | None = None
    for token in tokens:
        new = not chunks or token.after_blank or token.sep
        if not new and token.first and previous is not None:
            # "Missions impossibles\t\t" then "Représentation locale …" on the next line
            new = (
                previous.end_tabs >= 2
                and token.text[:1].isupper()
                and not previous.text.endswith(("/", ","))
            )
        if not new and token.lead and token.text[:1].isupper():
            # "Missions impossibles\t Veille à distance …": in a line of words that are not
            # justified, the only word printed after a space opens the next cell
            same_line = lines_of[token.line]
            leads = [t for t in same_line[1:] if t.lead and not t.sep]
            new = len(same_line) >= 6 and leads == [token]
        if new:
            chunks.append([])
        chunks[-1].append(token)
        previous = token
    return chunks


def _starts_with_country(chunk: list[Token]) -> bool:
    text = join_tokens(chunk) or ""
    return text.startswith(COUNTRY_START) or text.startswith("/")


def _answer_row(
    number: int, category: str, row_lines: list[Line], tracker: Tracker
) -> AnswerRecord:
    line = row_lines[0][0]
    chunks = [c for c in _chunks(tokenize(row_lines)) if c]

    # contact: from the first word holding an "@" to the end of the row
    contact_tokens: list[Token] = []
    for ci, chunk in enumerate(chunks):
        at = next((i for i, t in enumerate(chunk) if "@" in t.text), None)
        if at is not None:
            contact_tokens = chunk[at:] + [t for c in chunks[ci + 1 :] for t in c]
            chunks = chunks[:ci] + ([chunk[:at]] if at else [])
            break

    collectivity_tokens = chunks.pop(0) if chunks else []
    partner_tokens: list[Token] = []
    if chunks and _starts_with_country(chunks[0]):
        partner_tokens = chunks.pop(0)
        # "Palestine" then, on the next line, the first words of the challenges
        for i, token in enumerate(partner_tokens):
            if i and token.first and PARTNERS_RE.fullmatch(join_tokens(partner_tokens[:i]) or ""):
                if not PARTNERS_RE.fullmatch(join_tokens(partner_tokens) or ""):
                    chunks.insert(0, partner_tokens[i:])
                    partner_tokens = partner_tokens[:i]
                    break
    else:
        # "Montreuil Mali (Yélimané)": the partner cell printed on the collectivity's line
        for i in range(len(collectivity_tokens) - 1, 0, -1):
            rest = join_tokens(collectivity_tokens[i:]) or ""
            match = COUNTRY_RE.fullmatch(rest)
            if match and (collectivity_tokens[i].lead or collectivity_tokens[i].first):
                partner_tokens = collectivity_tokens[i:]
                collectivity_tokens = collectivity_tokens[:i]
                break
    middle = [join_tokens(c) for c in chunks]
    if len(middle) > 3:
        tracker.add(
            line,
            "answer-cells",
            f"Réponse n° {number} : {len(middle)} cellules de texte pour 3 colonnes, "
            "les dernières sont réunies",
            " | ".join(m or "" for m in middle),
        )
        middle = middle[:2] + [" ".join(m for m in middle[2:] if m)]
    if len(middle) < 3 and len(middle) != 2:
        tracker.add(
            line,
            "answer-columns",
            f"Réponse n° {number} : {len(middle)} cellule(s) de texte pour 3 colonnes, "
            "colonne à vérifier",
            " | ".join(m or "" for m in middle),
        )
    middle = (middle + [None, None, None])[:3]

    partner = join_tokens(partner_tokens)
    answer = AnswerRecord(
        line=line,
        number=number,
        collectivity=join_tokens(collectivity_tokens) or "",
        partner_as_printed=partner,
        challenges=middle[0],
        tools=middle[1],
        recommendations=middle[2],
        contact=join_tokens(contact_tokens),
        category=category,
    )
    answer.emails = emails_in(answer.contact)
    for match in COUNTRY_RE.finditer(partner or ""):
        locality = collapse(match.group("locality"))
        answer.partners.append(PartnerPlace(match.group("country"), locality))
    if partner is None:
        message = f"Réponse n° {number} : pays partenaire absent"
        tracker.add(line, "missing-partner-country", message)
    if not answer.emails:
        tracker.add(line, "missing-email", f"Réponse n° {number} : courriel absent")
    return answer


# --- title and date --------------------------------------------------------------------------


def _title_and_date(lines: list[Line], workshop: WorkshopRecord, tracker: Tracker) -> None:
    for number, raw in lines:
        text = _flat(raw)
        match = re.match(r'^Atelier "(.+?)"', text)
        if match and not workshop.title:
            workshop.title = match.group(1)
            workshop.line = number
        date = re.search(r"atelier du (19 mai 2016)", text)
        if date and workshop.date is None:
            workshop.date = datetime.date(2016, 5, 19)
            workshop.date_as_printed = date.group(1)
            workshop.date_precision = "exact"
    if not workshop.title:
        tracker.add(1, "missing-title", "Titre de l'atelier introuvable")
    if workshop.date is None:
        tracker.add(1, "missing-date", "Date de l'atelier introuvable")
