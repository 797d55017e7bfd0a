"""Contacts of a fiche: the "Coordonnées…" to "Président du comité de jumelage" blocks.

Pure parser: lines in, ``ContactRecord``s and ``ReportItem``s out.

The PDF prints the blocks in two columns (French left, Malian right) and the extraction gives
them one after the other, row by row: executive FR then ML, elected FR then ML, the services
(French "Service des relations internationales" and "Autre(s) service(s)…", Malian
"Service(s) de la ville…"), the twinning committee FR then ML. The side of a block is decided
as follows:

* headings that exist on one side only keep that side (services);
* paired headings (executive, elected, twinning committee) take the French slot of their row
  when it is free, else the Malian one;
* any other heading ("Administrateur responsable", "Autre personne (chargé de projet)"…) takes
  the free Malian slot of the current row when the French one is filled, else opens a new row
  on the French side; "Autre(s) personne(s) impliqué(s)" and "Autre personne" stay in the
  column of the block above. These sides are guesses and are reported ("guessed-side");
* then the phone numbers have the last word: when every number of a block is French (or
  every one Malian) and the block sits on the other side, the side is switched; that is
  certain, so only a side guessed without any number is reported.

Inside a block, a group of lines describes one or several people: a "Nom :" line or free text
("Christian LOUIT", "Ghislaine MARSE-GUERRA, chargée de Mission"), then the labelled fields
(Fonction, Adresse, Tél, Fax, @, site web). Free text met after contact details starts a new
group (a second person with his own numbers); details printed after several names are shared
by the names of the group that have none of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .records import ContactRecord, Line, ReportItem
from .text import collapse, fold, is_footer

_I = re.IGNORECASE
_E = r"[ée]"

# --- headings ---------------------------------------------------------------------------------
# (pattern, role, kind) where kind is "paired" (first of its row French, second Malian), "FR"/"ML"
# (one side only), "other" (side by position), "follow" (same column as the block above).
_HEADINGS: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(rf"Coordonn{_E}es de l['’]ex{_E}cutif(?:\s*\([^)]*\))?", _I),
        "executive",
        "paired",
    ),
    (re.compile(rf"Coordonn{_E}es du Pr{_E}sident\b", _I), "executive", "paired"),
    (re.compile(rf"Coordonn{_E}es du Secr{_E}tariat permanent", _I), "other", "other"),
    (re.compile(r"[ÉE]lu(?:\(e\)|e|s)? en charge du partenariat", _I), "elected", "paired"),
    (
        re.compile(
            r"(?:Service|Direction) des relations internationales"
            rf"|Service Europe et Relations Internationales|Service des {_E}changes internationaux",
            _I,
        ),
        "international_relations",
        "FR",
    ),
    (
        re.compile(
            rf"Autre\(s\) service\(s\) impliqu{_E}\(s\) dans la(?:\s+coop{_E}ration)?"
            rf"|Autre\(s\) associations ext{_E}rieures au Conseil"
            rf"(?:\s+G{_E}n{_E}ral impliqu{_E}\(s\) dans la coop{_E}ration)?",
            _I,
        ),
        "other_service",
        "FR",
    ),
    (
        re.compile(
            rf"Service(?:\(s\))? de la (?:ville|collectivit{_E}) impliqu{_E}e?(?:\(s\))?"
            rf" dans la(?:\s+coop{_E}ration)?",
            _I,
        ),
        "other_service",
        "ML",
    ),
    (
        re.compile(
            rf"Pr{_E}sidente? du comit{_E} de jumelage(?:\s*\([^)]*\))?"
            r"(?:\s+et/ou\s+autre(?:\s+personne(?:\s+responsable)?)?)?",
            _I,
        ),
        "twinning_committee",
        "paired",
    ),
    (
        re.compile(rf"Autre\(s\) personne\(s\) impliqu{_E}\(s\) dans la(?:\s+coop{_E}ration)?", _I),
        "other",
        "follow",
    ),
    (re.compile(r"Autre personne responsable", _I), "other", "other"),
    (re.compile(r"Autre personne\s*\([^)]*\)", _I), "other", "other"),
    (re.compile(r"Autre personne(?=\s*:)", _I), "other", "follow"),
    (re.compile(r"Administrateur responsable", _I), "other", "other"),
    (re.compile(r"et autre personne responsable", _I), "other", "follow"),
    (re.compile(rf"Pr{_E}sident de l['’]Arcade autre personne responsable", _I), "other", "other"),
    (re.compile(rf"Responsable de la coop{_E}ration d{_E}centralis{_E}e", _I), "other", "other"),
    (
        re.compile(rf"Secr{_E}taire permanent du comit{_E} national de(?:\s+jumelage)?", _I),
        "other",
        "other",
    ),
    (re.compile(rf"Comit{_E} local de Jumelage(?:\s*\([^)]*\))?", _I), "other", "other"),
    (re.compile(rf"Conseiller technique du Pr{_E}sident", _I), "other", "other"),
]
# Second line of a heading the PDF wrapped ("Autre(s) service(s) impliqué(s) dans la" /
# "coopération :").
_HEADING_TAIL_RE = re.compile(
    rf"^(?:coop{_E}ration|personne responsable|responsable|autre personne responsable|jumelage"
    rf"|G{_E}n{_E}ral impliqu{_E}\(s\) dans la coop{_E}ration)\s*:",
    _I,
)

# --- labelled fields ----------------------------------------------------------------------------
_NOM_RE = re.compile(r"^Nom\s*:\s*", _I)
_FUNCTION_RE = re.compile(r"^Fonction\b\s*:?\s*", _I)
_ADDRESS_RE = re.compile(r"^Adresse\s*:\s*", _I)
_PHONE_RE = re.compile(rf"^T{_E}l\b\.?(?:\s*\(Std\))?\s*(?P<fax>/\s*Fax)?\s*[:;]?\s*", _I)
_FAX_RE = re.compile(r"^Fax\b\s*[:;]?\s*", _I)
_EMAIL_LABEL_RE = re.compile(r"^(?:@|Mail\s*:)\s*:?\s*", _I)
_WEBSITE_RE = re.compile(r"^(?:site web|site)\s*:\s*", _I)
# Inside a phone line: "Tél : 04 42 91 99 93   Fax :04 42 91 90 54", "…  Portable :  00 223…"
_INLINE_FAX_RE = re.compile(r"\s*Fax\b\s*[:;]?\s*", _I)
_INLINE_MOBILE_RE = re.compile(r"\s*\bPortable\s*:\s*", _I)

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_EMAIL_OWNER_RE = re.compile(r"^(?P<label>[^\W\d][^:@\d]{1,40}?)\s*:\s*(?P<rest>\S+@.*)$")
_BARE_EMAILS_RE = re.compile(r"^(?:[\w.+-]+@\s*[\w-]+(?:\.[\w-]+)+[\s,;/]*)+$")
_BARE_PHONE_RE = re.compile(r"^[\s:]*[+(]?\d[\d\s.()/+-]{5,}$")
# A number printed at the end of a name line: "Gabrielle BOUYSSOU – 01 30 24 33 28".
_TRAILING_PHONE_RE = re.compile(r"\s*[–-]?\s*((?:\+|\(|\d)[\d\s.()/+-]{7,}\d)\s*$")
_PHONE_IN_TEXT_RE = re.compile(r"\d[\d\s.()/-]{6,}\d")
# Fillers standing for "nothing": dashes, "non", "néant"…
_EMPTY_VALUES = {"non", "neant", ""}

_CIVILITIES = {"m.", "mme", "mlle", "madame", "monsieur", "dr", "mr", "m"}
_PARTICLES = {"de", "la", "le", "du", "des", "d'", "ag", "bou", "ben", "van", "von"}
# Words that open a function or an institution, never a person's name.
_NOT_NAME_WORDS = set(
    """service services direction cabinet comite commission secretariat association ong cellule
    union education centre mairie mission equipe conseil general generale regional regionale
    departement departemental departementale cooperation internationale internationales
    international internationaux relations affaires culturelles europe jeunesse sports
    developpement durable territoriale collectivite ville region cercle commune district musee
    jumelage pays agence institut groupe programme projet maire president presidente vice adjoint
    adjointe secretaire directeur directrice chef charge chargee responsable conseiller
    conseillere coordinateur coordinatrice representant representante tresorier volontaire depute
    senateur conservateur agent collaborateur attache attachee administrateur le la les pas non
    neant aucun idem en et a sous du des de bp enfance petite culture sante eau eaux
    environnement ecole hopital""".split()
)
_FUNCTION_WORDS_RE = (
    r"(?:Chef|Directeur|Directrice|Pr[ée]sidente?|Secr[ée]taire|Maire|Charg[ée]e?|Responsable)"
)


@dataclass
class _Group:
    """The lines describing one person (or several people sharing the same details)."""

    text: list[Line] = field(default_factory=list)  # free text: name, function, service…
    nom: str | None = None
    nom_line: int = 0
    function: list[str] = field(default_factory=list)
    address: list[str] = field(default_factory=list)
    phone: list[str] = field(default_factory=list)
    fax: list[str] = field(default_factory=list)
    email: list[str] = field(default_factory=list)
    website: list[str] = field(default_factory=list)
    bullet: bool = False

    def has_details(self) -> bool:
        return any((self.address, self.phone, self.fax, self.email, self.website))


@dataclass
class _Block:
    line: int
    label: str
    role: str
    kind: str
    groups: list[_Group] = field(default_factory=lambda: [_Group()])


# --- public API -------------------------------------------------------------------------------
def parse_contacts(
    lines: list[Line], has_malian_column: bool = True
) -> tuple[list[ContactRecord], list[ReportItem]]:
    """Contacts of one fiche, from its first contact heading to "Présentation du partenariat".

    Returns one ``ContactRecord`` per person found (a block printing two names gives two
    records, an empty block none) and the report of what needs a human eye: lines that could
    not be placed, names replaced after the 2008 elections, sides that had to be guessed.
    """
    report: list[ReportItem] = []
    blocks = _split_blocks(lines, report)
    records: list[ContactRecord] = []
    slots = _Slots()
    previous_side = "FR"
    previous_kind = None
    for block in blocks:
        block_records = _block_records(block, report)
        side = slots.place(block, previous_side) if has_malian_column else "FR"
        # A block printed right under a one-side heading ("Service des relations
        # internationales", "Service(s) de la ville…") is in that column: no guess there.
        guessed = has_malian_column and (
            block.kind == "other" or (block.kind == "follow" and previous_kind not in ("FR", "ML"))
        )
        previous_kind = block.kind
        evidence = _phone_side(block_records) if has_malian_column else None
        if evidence and evidence != side:
            # every number of the block is of one country: that settles the side, no doubt
            # is left for a person (the extraction's column order is what misled)
            side = evidence
            slots.close()
        elif guessed and block_records and not evidence:
            report.append(
                ReportItem(
                    block.line,
                    "guessed-side",
                    f"Côté {_SIDE_FR[side]} déduit de la seule position du bloc dans la "
                    "fiche (aucun numéro de téléphone pour le confirmer), à vérifier",
                    block.label,
                    "side",
                )
            )
        previous_side = side
        for record in block_records:
            record.side = side
        records.extend(block_records)
    return records, report


def contact_sections(lines: list[Line]) -> list[tuple[int, bool, list[Line]]]:
    """For each fiche ("Date de mise à jour" line): (its line number, whether it has a Malian
    collectivity block, the lines from its first contact heading up to, excluding,
    "Présentation du partenariat"). Used by the tests; fiches.py cuts the same way."""
    starts = [i for i, (_, text) in enumerate(lines) if "Date de mise à jour" in text]
    sections = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        first = next((i for i in range(start, end) if _match_heading(lines[i][1].strip())), end)
        stop = next(
            (i for i in range(first, end) if "Présentation du partenariat" in lines[i][1]), end
        )
        if first == end:
            stop = end
        has_malian = any(
            re.match(r"collectivites? maliennes?\b", fold(text)) for _, text in lines[start:first]
        )
        sections.append((lines[start][0], has_malian, lines[first:stop]))
    return sections


# --- blocks -----------------------------------------------------------------------------------
_SIDE_FR = {"FR": "français", "ML": "malien"}


class _Slots:
    """Rows of the two-column layout: which of the French and Malian slots are taken."""

    def __init__(self) -> None:
        self.row: str | None = None  # role of the row, None for a row opened by an "other"
        self.fr = self.ml = True  # no open row: both slots count as taken

    def close(self) -> None:
        self.fr = self.ml = True

    def _open(self, row: str | None) -> None:
        self.row, self.fr, self.ml = row, False, False

    def place(self, block: _Block, previous_side: str) -> str:
        row = (
            "services"
            if block.role in ("international_relations", "other_service")
            else (block.role if block.kind == "paired" else None)
        )
        if block.kind == "follow":
            return previous_side
        if block.kind == "other":
            if self.fr and not self.ml:
                self.ml = True
                return "ML"
            self._open(None)
            self.fr = True
            return "FR"
        if row != self.row and not (self.row is None and not self.ml):
            self._open(row)
        elif self.row is None:
            self.row = row
        if block.kind in ("FR", "ML"):
            setattr(self, block.kind.lower(), True)
            return block.kind
        if not self.fr:
            self.fr = True
            return "FR"
        if not self.ml:
            self.ml = True
            return "ML"
        self._open(row)
        self.fr = True
        return "FR"


# Headings that are also printed as answers ("Service(s) de la ville impliqué(s) dans la
# coopération :" / "Service des échanges internationaux"): headings only after a filled block.
_WEAK_HEADING_RE = re.compile(
    rf"^(?:Service des {_E}changes|Conseiller technique|Comit{_E} local)", _I
)


def _match_heading(text: str) -> tuple[re.Match[str], str, str] | None:
    for pattern, role, kind in _HEADINGS:
        match = pattern.match(text)
        if match and (match.end() == len(text) or not text[match.end()].isalnum()):
            return match, role, kind
    return None


def _search_heading(text: str) -> int | None:
    """Start of a heading printed in the middle of an answer (two columns on one line)."""
    best = None
    for pattern, _, _ in _HEADINGS:
        for match in pattern.finditer(text):
            if match.start() > 0 and text[match.start() - 1] == " ":
                best = match.start() if best is None else min(best, match.start())
    return best


def _split_blocks(lines: list[Line], report: list[ReportItem]) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    state = _FieldState()
    rows = [(n, t.replace("\u00a0", " ")) for n, t in lines if not is_footer(t)]
    i = 0
    blank_before = True
    while i < len(rows):
        number, raw = rows[i]
        text = raw.strip()
        i += 1
        if not re.search(r"\w", text):
            blank_before = blank_before or not text
            continue
        heading = _match_heading(text)
        if heading and _WEAK_HEADING_RE.match(text) and current and not blank_before:
            heading = None
        if heading and ":" not in text and i < len(rows):
            # a heading wrapped over two lines: "…et/ou autre" / "personne responsable : X"
            nxt = rows[i][1].strip()
            if _HEADING_TAIL_RE.match(nxt):
                text = f"{text} {nxt}"
                heading = _match_heading(collapse(text) or "")
                text = collapse(text) or ""
                i += 1
        heading_line = heading is not None
        while heading:
            match, role, kind = heading
            label = collapse(match.group(0)) or ""
            current = _Block(number, label.rstrip(" :"), role, kind)
            blocks.append(current)
            state = _FieldState()
            rest = text[match.end() :].strip()
            rest = re.sub(r"^:\s*", "", rest)
            heading = None
            cut = _search_heading(rest)
            if cut is not None:
                text = rest[cut:]
                rest = rest[:cut].strip()
                heading = _match_heading(text)
            if rest:
                _feed(current, state, number, rest, report)
        if current is None:
            report.append(
                ReportItem(number, "unplaced-line", "Ligne hors de tout bloc de contact", text)
            )
            continue
        if not heading_line:
            _feed(current, state, number, raw, report)
        blank_before = False
    return blocks


@dataclass
class _FieldState:
    last: str | None = None  # the field the previous line filled


def _new_group_if_needed(block: _Block, force: bool = False) -> _Group:
    group = block.groups[-1]
    if force or group.has_details():
        group = _Group()
        block.groups.append(group)
    return group


def _feed(block: _Block, state: _FieldState, number: int, raw: str, report: list[ReportItem]):
    """Place one printed line of a block."""
    text = raw.strip()
    group = block.groups[-1]
    if _NOM_RE.match(text):
        if group.nom is not None or group.has_details():
            group = _new_group_if_needed(block, force=True)
        group.nom = _NOM_RE.sub("", text)
        group.nom_line = number
        state.last = "nom"
        return
    for regex, name in ((_FUNCTION_RE, "function"), (_ADDRESS_RE, "address")):
        if regex.match(text):
            value = regex.sub("", text)
            getattr(group, name).append(value)
            state.last = name
            return
    match = _PHONE_RE.match(text)
    if match and not re.match(rf"^T{_E}l{_E}", text, _I):
        _feed_phone(group, state, text[match.end() :], both=bool(match.group("fax")))
        return
    if _FAX_RE.match(text):
        _add(group.fax, _FAX_RE.sub("", text))
        state.last = "fax"
        return
    if _EMAIL_LABEL_RE.match(text):
        value = re.sub(r"^\s*mailto:\s*", "", _EMAIL_LABEL_RE.sub("", text), flags=_I)
        owner = _EMAIL_OWNER_RE.match(value)
        if owner and not _EMAIL_RE.search(owner.group("label")):
            # "@ : Trésorier : bertrand.marcatel@…": the address of another person, named by
            # his function only
            group = _new_group_if_needed(block, force=True)
            group.text.append((number, owner.group("label")))
            value = owner.group("rest")
        _feed_email(group, number, value, report)
        state.last = "email"
        return
    if _WEBSITE_RE.match(text):
        _add(group.website, _WEBSITE_RE.sub("", text))
        state.last = "website"
        return
    # unlabelled lines
    if _BARE_EMAILS_RE.match(text):
        _feed_email(group, number, text, report)
        state.last = "email"
        return
    if _BARE_PHONE_RE.match(text):
        value = re.sub(r"^[\s:]+", "", text)
        if text.startswith(":"):  # more numbers aligned under "Tél :"
            _add(group.phone, value)
        elif state.last == "fax" or (state.last == "phone_fax" and not group.fax):
            _add(group.fax, value)
        else:
            _add(group.phone, value)
        return
    if state.last in ("phone", "phone_fax") and _PHONE_IN_TEXT_RE.search(text):
        _add(group.phone, text)
        return
    if state.last in ("nom", "function", "address"):
        if state.last == "nom":
            group.nom = f"{group.nom} {text}" if group.nom else text
        else:
            values = getattr(group, state.last)
            values[-1] = _join_wrapped(values[-1], text)
        return
    if (
        state.last == "website"
        and group.website
        and group.website[-1].count("(") > group.website[-1].count(")")
    ):
        group.website[-1] = f"{group.website[-1]} {text}"
        return
    bullet = bool(re.match(r"^[-–•]\s+", text))
    if group.has_details() or group.nom is not None or (bullet and group.text):
        if not (_is_person_text(text) or bullet):
            if len(block.groups) > 1 or group.has_details():
                report.append(
                    ReportItem(
                        number,
                        "unplaced-line",
                        "Texte non rattaché à un contact, à vérifier",
                        collapse(text) or "",
                    )
                )
                return
        group = _new_group_if_needed(block, force=True)
        group.bullet = bullet
    group.text.append((number, text))
    state.last = "text"


def _add(values: list[str], value: str) -> None:
    value = collapse(value) or ""
    value = value.strip(" :;")
    value = re.sub(r"(?<=\d)\.$", "", value)  # "02.40.80.85.33." : the final dot is not a digit
    if fold(value) in _EMPTY_VALUES or not re.search(r"\w", value):
        return
    values.append(value)


def _feed_phone(group: _Group, state: _FieldState, value: str, both: bool) -> None:
    mobile = None
    if _INLINE_MOBILE_RE.search(value):
        value, mobile = _INLINE_MOBILE_RE.split(value, maxsplit=1)
    parts = _INLINE_FAX_RE.split(value, maxsplit=1)
    _add(group.phone, re.sub(r"^[\s:]+", "", parts[0]))
    if mobile:
        _add(group.phone, "Portable : " + mobile)
    if both:  # "Tél /Fax : 252 12 72": one number for both
        _add(group.fax, re.sub(r"^[\s:]+", "", parts[0]))
    state.last = "phone"
    if len(parts) > 1:
        _add(group.fax, re.sub(r"^[\s:]+", "", parts[1]))
        state.last = "fax" if not (collapse(parts[1]) or "").strip(" :") else "phone_fax"


def _feed_email(group: _Group, number: int, value: str, report: list[ReportItem]) -> None:
    joined = re.sub(r"\s*@\s*", "@", value)
    found = _EMAIL_RE.findall(joined)
    group.email.extend(found)
    rest = _EMAIL_RE.sub("", joined)
    rest = re.sub(r"\bmailto:", "", rest).strip(" :;,/()")
    if rest and fold(rest) not in _EMPTY_VALUES and re.search(r"\w", rest):
        report.append(
            ReportItem(
                number,
                "unreadable-email" if not found else "unplaced-line",
                "L'adresse électronique est illisible à l'impression (un renvoi cassé du "
                "document, « Erreur! Signet non défini. ») : aucune adresse retenue ; la "
                "demander au partenaire."
                if not found
                else "Texte à côté de l'adresse électronique, à vérifier",
                collapse(value) or "",
                "email",
            )
        )


def _join_wrapped(previous: str, line: str) -> str:
    previous, line = previous.rstrip(), line.strip()
    if not previous:
        return line
    if re.search(r"\w-$", previous):  # "Ile-de-" + "France"
        return previous + line
    return f"{previous} {line}"


# --- people -----------------------------------------------------------------------------------
def _tokens(text: str) -> list[str]:
    return text.split()


def _is_capitalised(word: str) -> bool:
    core = word.strip("(),;:")
    return bool(core) and core[0].isupper() and core[0].isalpha()


def _is_all_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_name_word(word: str) -> bool:
    if not _is_capitalised(word) or word.endswith(":"):
        return False
    if re.search(r"[\d@/]", word) or re.search(r"\.\w", word):  # "AS.DE.K.", "B.P."
        return False
    folded = fold(word).split()
    return bool(folded) and folded[0] not in _NOT_NAME_WORDS


def _leading_name(text: str, force: bool = False) -> tuple[str, str] | None:
    """("Ghislaine MARSE-GUERRA", "chargée de Mission") from "Ghislaine MARSE-GUERRA, chargée
    de Mission"; None when the text does not open with a person's name."""
    text = re.sub(rf"(?<=[A-Z])-(?={_FUNCTION_WORDS_RE}\b)", " – ", text)  # "ROUSSAT-Chef"
    text = re.sub(r"^(M\.)(?=\w)", r"\1 ", text)  # "M.Boubacar KEITA"
    words = _tokens(text)
    i = 0
    civility = False
    if (
        words
        and words[0].lower().rstrip(".") + ("." if words[0].endswith(".") else "") in (_CIVILITIES)
        or (words and words[0].lower() in _CIVILITIES)
    ):
        civility = True
        i = 1
    count = 0
    stop = False
    while i < len(words) and not stop:
        word = words[i]
        bare = word.rstrip(",;")
        if bare.lower() in _PARTICLES and i + 1 < len(words) and _is_name_word(words[i + 1]):
            i += 1
            continue
        if re.fullmatch(r"[A-Za-z]\.", bare):  # initial: "Abou S. O. Diallo", "Badara a. TRAORE"
            count += 1
        elif _is_name_word(bare) and not bare.startswith("("):
            count += 1
        else:
            break
        stop = bare != word  # a comma closes the name
        i += 1
    if count < 1 or (count < 2 and not civility and not force):
        return None
    name = " ".join(words[:i]).rstrip(",;")
    function = " ".join(words[i:])
    return name, _clean_function(function)


def _clean_function(text: str) -> str:
    text = collapse(text) or ""
    text = text.strip(" ,;:–-")
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()
    return text


def _trailing_name(text: str) -> tuple[str, str] | None:
    """("Joëlle Vallet", "Responsable des … Internationales") when a service or function ends
    with the person's name."""
    words = _tokens(text)
    if len(words) < 3:
        return None
    last = words[-1]
    if not re.fullmatch(r"[\w'’-]+", last) or not _is_name_word(last):
        return None
    given = 0
    j = len(words) - 1
    limit = 3 if _is_all_caps(last) else 1
    while j - 1 >= 0 and given < limit:
        word = words[j - 1]
        if not re.fullmatch(r"[\w'’-]+", word) or not _is_name_word(word) or _is_all_caps(word):
            break
        given += 1
        j -= 1
    if given == 0 or j == 0 or fold(words[j]) == fold(last):
        return None
    return " ".join(words[j:]), _clean_function(" ".join(words[:j]))


def _is_person_text(text: str) -> bool:
    text = re.sub(r"^[-–•]\s+", "", text.strip())
    return _person(text) is not None


def _person(text: str, force: bool = False) -> tuple[str, str] | None:
    """(name, function) read in a free-text line, or None."""
    labelled = re.match(r"^(?P<label>[^:]{2,60}?)\s*:\s*(?P<rest>\S.*)$", text)
    if labelled:
        found = _leading_name(labelled.group("rest"), force)
        if found:
            label = _clean_function(labelled.group("label"))
            return found[0], ", ".join(p for p in (label, found[1]) if p)
    return _leading_name(text, force) or _trailing_name(text)


def _logical_lines(text_lines: list[Line]) -> list[tuple[int, str]]:
    """Join the wrapped lines of free text into logical lines (one per name or statement)."""
    logical: list[tuple[int, str]] = []
    for number, raw in text_lines:
        line = raw.strip()
        bullet = re.match(r"^[-–•]\s+", line)
        if bullet:
            logical.append((number, line[bullet.end() :]))
            continue
        if logical:
            previous = logical[-1][1].rstrip()
            words = line.split()
            prev_words = previous.split()
            continuation = (
                not line[0].isupper()
                or re.search(
                    r"(?:,|\w-|\b(?:de|du|des|et|la|le|l['’]|d['’]|à|en|au|aux|pour|sur|par))$",
                    previous,
                )
                or previous.count("(") > previous.count(")")
                or (len(words) == 1 and not _is_person_text(line))
                or (
                    len(prev_words) == 1
                    and _is_name_word(prev_words[0])
                    and not _is_all_caps(prev_words[0])
                )
            )
            if continuation:
                logical[-1] = (logical[-1][0], _join_wrapped(previous, line))
                continue
        logical.append((number, line))
    return logical


def _replaced_name(raw: str, executive: bool) -> tuple[str, str | None]:
    """The current holder's name and, when two names are printed (the struck-through one of
    the 2008 elections and its successor), the earlier one."""
    raw = raw.strip()
    words = raw.split()

    def plausible(part: list[str]) -> bool:
        return len(part) >= 2 and _is_all_caps(part[-1]) and not _is_all_caps(part[0])

    # "Christine ROIMIER   Joaquim PUEYO": a surname in capitals followed by a new first name
    for k in range(2, len(words) - 1):
        if _is_all_caps(words[k - 1]) and not _is_all_caps(words[k]) and _is_name_word(words[k]):
            if plausible(words[k:]):
                return " ".join(words[k:]), " ".join(words[:k])
    # "Yvon Luby  Gilles LEPROUST": two names apart by a wide gap
    parts = re.split(r"\s{2,}", raw)
    if len(parts) == 2 and len(parts[0].split()) >= 2 and plausible(parts[1].split()):
        return parts[1], parts[0]
    # "Charles de la Verpillière Rachel MAZUIR": an executive's Nom line with two full names
    if executive and len(words) >= 4:
        first, last = words[:-2], words[-2:]
        if (
            plausible(last)
            and _is_name_word(last[0])
            and len([w for w in first if _is_name_word(w)]) >= 2
            and not _is_all_caps(first[-1])
        ):
            return " ".join(last), " ".join(first)
    return raw, None


@dataclass
class _Person:
    name: str | None
    function: list[str]
    line: int
    phone: list[str] = field(default_factory=list)
    email: list[str] = field(default_factory=list)
    address: list[str] = field(default_factory=list)
    own_email_only: bool = False  # the group's addresses belong to others: do not share them


# Fillers answering "nothing" in free text ("Service des relations internationales : néant").
_FILLERS = {"non", "neant", "aucun", "aucune"}
# A postal address printed in a free-text answer: "BP 61 Gao", "B.P. 3002 Bamako", or a street
# to the end of the text ("… (IRCOD) – 17 rue de Boston – 67000 STRASBOURG").
_BP_RE = re.compile(r"\bB\.?\s?P\.?\s*:?\s*\d+(?:\s+[A-ZÉ][\w'’-]*)*")
_STREET_RE = re.compile(
    r"(?:^|[–,-]\s*)(?P<address>\d{1,4}(?:\s*(?:bis|ter))?,?\s+(?:rue|avenue|av\.|bd|boulevard"
    r"|place|chemin|allée|quai|route|impasse)\b.*)$",
    _I,
)
# Plural civilities open a list of surnames: "Messieurs N’DIAYE (…) et TOGOLA (…)".
_PLURAL_CIVILITY_RE = re.compile(r"(?:^|,\s*)(?:Messieurs|Mesdames|MM\.)\s+")


def _split_address(text: str) -> tuple[str, str | None]:
    """(text without the address, the address) for a free-text answer."""
    street = _STREET_RE.search(text)
    if street:
        return _clean_function(text[: street.start()]), street.group("address").strip()
    bp = _BP_RE.search(text)
    if bp:
        rest = f"{text[: bp.start()]} {text[bp.end() :]}"
        return _clean_function(rest), bp.group(0).strip()
    return text, None


def _several_people(line: str) -> list[tuple[str, str]] | None:
    """[(name, function), …] when a line names several people joined by "et": "Jean Pierre
    Fané, président de … et Jean Etienne Dakouo, président de …", "Séga SOW et Moktar
    DOUCOURE (à l’ARK …)". A name without a function of its own shares the next one's."""
    parts = re.split(r"\s+et\s+", line)
    if len(parts) < 2:
        return None
    prefix = ""
    plural = _PLURAL_CIVILITY_RE.search(parts[0])
    if plural:
        prefix = re.sub(r"^Et\s+", "", parts[0][: plural.start()]).strip(" ,")
        parts[0] = parts[0][plural.end() :]
    people = []
    for part in parts:
        found = _leading_name(part, force=bool(plural))
        if not found:
            return None
        people.append(found)
    for k in range(len(people) - 2, -1, -1):
        if not people[k][1]:
            people[k] = (people[k][0], people[k + 1][1])
    if prefix:
        people = [
            (name, ", ".join(p for p in (prefix, function) if p)) for name, function in people
        ]
    return people


def _name_by_email(line: str, emails: list[str]) -> tuple[str, str] | None:
    """("Anne raimat", "Direction des … internationale") when the text ends with a first name
    and a surname printed in lower case that the e-mail address of the block confirms
    (araimat@…)."""
    words = line.split()
    if len(words) < 3 or not _is_name_word(words[-2]) or _is_all_caps(words[-2]):
        return None
    surname = fold(words[-1])
    if len(surname) < 3 or not re.fullmatch(r"[a-z]+", surname):
        return None
    if not any(surname in fold(e.split("@")[0]).replace(" ", "") for e in emails):
        return None
    return " ".join(words[-2:]), _clean_function(" ".join(words[:-2]))


def _people(group: _Group, block: _Block, report: list[ReportItem]) -> list[_Person]:
    executive = block.role == "executive"
    people: list[_Person] = []
    prefix: list[str] = []
    heading: list[str] = []
    own_role = False
    for number, line in _logical_lines(group.text):
        emails = _EMAIL_RE.findall(line)
        line = _EMAIL_RE.sub("", line).replace("()", "").strip()
        phone = None
        trailing = _TRAILING_PHONE_RE.search(line)
        if trailing and re.search(r"[A-Za-z]{2}", line[: trailing.start()]):
            phone, line = trailing.group(1), line[: trailing.start()]
        several = _several_people(line)
        found = None if several else _person(line) or _name_by_email(line, group.email)
        for name, function in several or ([found] if found else []):
            current, earlier = _replaced_name(name, False)
            if earlier and executive:
                name = current
                _report_replaced(report, number, line, earlier, group.email)
            elif earlier:
                # Two names on an elected official's or a service's line may be two people
                # as well as a name replaced after the 2008 elections: kept as printed.
                report.append(
                    ReportItem(
                        number,
                        "two-names",
                        f"Deux noms imprimés sur une ligne (« {earlier} », « {current} ») : "
                        "deux personnes, ou un nom remplacé après les élections de 2008 ? "
                        "Gardés tels qu'imprimés ; vérifier et corriger le contact.",
                        collapse(line) or "",
                        "name",
                    )
                )
            function, address = _split_address(function)
            own_role = bool(function)
            shared = prefix or (heading if own_role else [])
            parts = [*shared, function] if function else list(shared)
            people.append(_Person(name, [p for p in parts if p], number))
            if address:
                people[-1].address.append(address)
        if several or found:
            # a heading over people one a line, each with a role in it ("ONG AMSCID", then
            # « Bassirou Diarra, Président », « Francis Dembélé, Secrétaire ») is each one's;
            # not over bare names ("DCAP", then « M. TOURE SALIOU », « M. LE PREFET DOUYON »)
            heading = (prefix or heading) if own_role else []
            prefix = []
        else:
            heading = []
            text, address = _split_address(_clean_function(line))
            if people and not people[-1].function:
                people[-1].function.append(text)
            elif text:
                prefix.append(text)
            if address and people:
                people[-1].address.append(address)
            elif address:
                group.address.append(address)
        target = people[-1] if people else None
        if target is not None:
            target.email.extend(emails)
            if phone:
                target.phone.append(collapse(phone) or phone)
        elif emails or phone:
            group.email.extend(emails)
            if phone:
                group.phone.append(collapse(phone) or phone)
    if prefix:
        if people:
            people[-1].function.extend(prefix)
        elif fold(" ".join(prefix)) not in _FILLERS:
            # no one named: the answer is a service or a statement, printed as one text
            people.append(_Person(None, [" ".join(prefix)], group.text[0][0]))
    if group.nom is not None:
        nom = group.nom.strip()
        name, earlier = _replaced_name(nom, executive)
        if earlier:
            _report_replaced(report, group.nom_line, f"Nom : {nom}", earlier, group.email)
        found = _leading_name(name, force=True) if name else None
        name, function = found if found else (collapse(name), "")
        functions = [function] if function else []
        if people:  # free text before "Nom :" (e.g. "Responsable du service :")
            functions = [f for p in people for f in ([p.name] if p.name else []) + p.function]
            functions += [function] if function else []
        people = [_Person(name or None, functions, group.nom_line)]
    if not people:
        people.append(_Person(None, [], block.line))
    _own_emails(people, group.email)
    return people


def _email_names(email: str) -> str:
    return fold(email.split("@")[0]).replace(" ", "")


def _owns(person: _Person, email: str) -> bool:
    """Whether a name word of the person (4 letters or more) is in the e-mail's local part."""
    local = _email_names(email)
    words = fold(person.name or "").split()
    return any(len(w) >= 4 and w in local for w in words if w not in _CIVILITIES)


def _own_emails(people: list[_Person], emails: list[str]) -> None:
    """Give a shared personal address ("delphine.pambrun@…" printed under two names) to its
    owner only; the other shared addresses stay with everyone who has none of his own."""
    if len(people) < 2:
        return
    for email in _unique(emails):
        owners = [p for p in people if _owns(p, email)]
        if len(owners) == 1 and not owners[0].email:
            owners[0].email.append(email)
    if any(p.email for p in people):
        for person in people:
            if not person.email:
                person.email.extend(
                    e for e in _unique(emails) if not any(_owns(p, e) for p in people)
                )
            person.own_email_only = True


def _report_replaced(
    report: list[ReportItem], number: int, printed: str, earlier: str, emails: list[str]
) -> None:
    message = (
        "Deux noms imprimés (remplacement après les élections de 2008 ?) : le dernier est "
        "retenu, à confirmer"
    )
    earlier_person = _Person(earlier, [], number)
    old = [e for e in _unique(emails) if _owns(earlier_person, e)]
    if old:
        message += (
            f" ; l'adresse électronique imprimée ({', '.join(old)}) est celle de l'ancien "
            "titulaire, gardée telle qu'imprimée"
        )
    report.append(ReportItem(number, "replaced-name", message, collapse(printed) or "", "name"))


def _block_records(block: _Block, report: list[ReportItem]) -> list[ContactRecord]:
    records = []
    # "Autre personne (chargé de projet)": the heading gives the function
    label_function = re.fullmatch(r"Autre personne\s*\((?P<f>[^)]+)\)", block.label, _I)
    for group in block.groups:
        people = _people(group, block, report)
        function_label = ", ".join(collapse(f) or "" for f in group.function if collapse(f))
        for person in people:
            functions = person.function + ([function_label] if function_label else [])
            if not functions and label_function and person.name:
                functions = [label_function.group("f")]
            record = ContactRecord(
                side="FR",
                role=block.role,
                line=block.line,
                label=block.label,
                name=collapse(person.name),
                function=collapse(", ".join(f for f in functions if f)),
                address=_address(person.address or group.address),
                phone=_joined(person.phone or group.phone, "; "),
                fax=_joined(group.fax, "; "),
                email=_joined(
                    _unique(person.email or ([] if person.own_email_only else group.email)), ", "
                ),
                website=_joined(group.website, " "),
            )
            if _names_an_organisation(record):
                # "Nom : Arcade" with the association's own site: the block gives the body
                # that acts for the executive, not a person (and its name is not personal data)
                record.function = ", ".join(p for p in (record.name, record.function) if p)
                record.name = None
            if any(
                (
                    record.name,
                    record.function,
                    record.address,
                    record.phone,
                    record.fax,
                    record.email,
                    record.website,
                )
            ):
                records.append(record)
    return records


def _names_an_organisation(record: ContactRecord) -> bool:
    """A one-word name that the block's own web site spells out: an association or a firm."""
    name = fold(record.name or "")
    if not name or " " in name or not record.website:
        return False
    return name in fold(re.sub(r"[^\w]+", " ", record.website)).split()


def _address(values: list[str]) -> str | None:
    # "Adresse :, Maison de l’Amitié…": punctuation left of an empty first part
    return collapse((_joined(values, " ") or "").lstrip(" ,;:"))


def _joined(values: list[str], separator: str) -> str | None:
    return collapse(separator.join(v for v in values if v))


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _phone_country(number: str) -> str | None:
    if re.search(r"(?:^|\D)(?:00\s*223|\+\s*223|\(\+?223\)|223\b)|^\s*223", number):
        return "ML"
    if re.match(r"^\s*(?:\+\s*33|\(33\)|0[1-9](?:[\s.-]?\d{2}){4}\b|0[1-9]\d{8}\b)", number):
        return "FR"
    return None


def _phone_side(records: list[ContactRecord]) -> str | None:
    """The country all the numbers of a block belong to, when they agree."""
    countries = set()
    for record in records:
        for value in (record.phone, record.fax):
            if value:
                country = _phone_country(value)
                if country:
                    countries.add(country)
    return countries.pop() if len(countries) == 1 else None
