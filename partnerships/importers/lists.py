"""Parsers for the répertoire's lists, and the French départements reference.

Three parts of the répertoire are lists rather than fiches: the summary table by domain (start of
the book), the paragraph of "non renseignés" partnerships, and Annexe 1 (one table of pairs per
Malian région). Each parser takes the numbered lines of the whole file (``text.read_lines``),
finds its own block, and returns plain records plus ``ReportItem``s for what it could not place
or had to guess.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from . import references
from .records import DomainHeading, Line, ListedPair, ReportItem
from .text import collapse, fold, is_footer

DEPARTMENTS = "french_departments.csv"
COMMUNES = "french_communes.csv"
DOMAINS = "domains.csv"
MALI_CERCLES = "mali_cercles.csv"
MALIAN_REGIONS = "malian_regions.csv"

_WORD_RE = re.compile(r"[^\W_]+")
_HYPHEN_WRAP_RE = re.compile(r"[^\W\d_]-$")


# --- French départements and régions --------------------------------------------------------


def load_departments() -> list[dict]:
    """The départements reference of the current import: dicts with code, name, region,
    region_2008 (all str). region_2008 is "" for Mayotte, which was not a région in 2008.
    """
    return [dict(row) for row in references.current().rows(DEPARTMENTS)]


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Folded words of ``text`` with their character span in the original text."""
    out = []
    for match in _WORD_RE.finditer(text):
        for part in fold(match.group()).split():
            out.append((part, match.start(), match.end()))
    return out


@dataclass
class _Match:
    payload: object
    first: int  # token index
    count: int  # number of tokens
    exact: bool
    start: int  # character span in the text
    end: int


class _NameIndex:
    """Finds known names in a text, word by word, ignoring case, accents and hyphens.

    A printed word may carry a stray final "s" or "e" ("Bouches-du-Rhônes", "Rhônes Alpes",
    "Eure et Loire"): tolerated for reference words of 4 letters or more, and an exact spelling
    wins over a tolerated one.
    """

    def __init__(self, entries: list[tuple[str, object]]):
        self.by_first: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        for name, payload in entries:
            words = tuple(token for token, _, _ in _tokens(name))
            if words:
                self.by_first.setdefault(words[0], []).append((words, payload))

    @staticmethod
    def _same(printed: str, ref: str) -> bool | None:
        """True when equal, False when equal up to a stray final s/e, None otherwise."""
        if printed == ref:
            return True
        if len(ref) >= 4 and printed[:-1] == ref and printed[-1] in "se":
            return False
        return None

    def find_all(self, text: str) -> list[_Match]:
        toks = _tokens(text)
        found = []
        for i, (token, _, _) in enumerate(toks):
            candidates = list(self.by_first.get(token, ()))
            if token[-1:] in ("s", "e"):
                candidates += self.by_first.get(token[:-1], ())
            for words, payload in candidates:
                if i + len(words) > len(toks):
                    continue
                verdicts = [self._same(toks[i + k][0], w) for k, w in enumerate(words)]
                if None in verdicts:
                    continue
                found.append(
                    _Match(
                        payload,
                        i,
                        len(words),
                        all(verdicts),
                        toks[i][1],
                        toks[i + len(words) - 1][2],
                    )
                )
        return found


@references.per_import
def _indexes(_references) -> tuple[_NameIndex, _NameIndex, _NameIndex]:
    departments = load_departments()
    regions_2008 = sorted({d["region_2008"] for d in departments if d["region_2008"]})
    all_regions = sorted(set(regions_2008) | {d["region"] for d in departments})
    return (
        _NameIndex([(d["name"], d) for d in departments]),
        _NameIndex([(name, name) for name in regions_2008]),
        _NameIndex([(name, name) for name in all_regions]),
    )


def _best(matches: list[_Match]) -> _Match | None:
    # Longest name first ("Haute-Marne" over "Marne"), then exact spelling, then leftmost.
    if not matches:
        return None
    return min(matches, key=lambda m: (-m.count, not m.exact, m.first))


def _department_matches(text: str) -> list[_Match]:
    dept_index, _, region_index = _indexes()
    toks = _tokens(text)
    regions = region_index.find_all(text)
    kept = []
    for m in dept_index.find_all(text):
        # "Saint-Sébastien-sur-Loire", "Vitry-sur-Seine": after "sur" it is a river.
        if m.first > 0 and toks[m.first - 1][0] in ("sur", "sous"):
            continue
        # "Région Rhône-Alpes", "Pays de la Loire": a département inside a région's name.
        if any(
            r.count > m.count and r.first <= m.first and m.first + m.count <= r.first + r.count
            for r in regions
        ):
            continue
        kept.append(m)
    return kept


def match_department(text: str) -> dict | None:
    """The département named in ``text`` (a row of ``load_departments()``), or None.

    Insensitive to case, accents, hyphens and a stray final s/e; the longest name wins
    ("Hauts-de-Seine", not "Seine"). A name inside a région's name ("Rhône-Alpes") or after
    "sur" ("Vitry-sur-Seine") does not count.
    """
    best = _best(_department_matches(text))
    if best:
        return best.payload
    return _department_by_code(text)


def _commune_key(name: str) -> str:
    key = fold(name)
    key = re.sub(r"^(?:commune|ville|mairie) (?:de |d |du )?", "", key)
    return re.sub(r"\bste\b", "sainte", re.sub(r"\bst\b", "saint", key))


@references.per_import
def _communes_by_key(tables) -> dict[str, list[dict]]:
    index: dict[str, list[dict]] = {}
    for row in tables.rows(COMMUNES):
        index.setdefault(_commune_key(row["name"]), []).append(row)
    return index


def match_commune(names: list[str], french_region: str = "") -> tuple[dict | None, list[dict]]:
    """The département of a French commune from the communes reference (INSEE's list).

    Returns (département row, []) when the printed names designate one département, else
    (None, candidates): no commune of that name, or homonyms in several départements that the
    région printed for it (``french_region``, today's name) does not tell apart. A commune of
    2008 merged since into a commune nouvelle is found as a delegated commune.
    """
    index = _communes_by_key()
    candidates: list[dict] = []
    for name in names:
        candidates = index.get(_commune_key(name), [])
        if candidates:
            break
    departments = {row["code"]: row for row in load_departments()}
    # An associated commune (merged under the 1971 law, which the 2010 one replaced) was no
    # longer a collectivity of its own in 2008: Meylan (47) is part of Sos, Meylan (38) is the
    # partner. A delegated commune was a commune in 2008 and stays a candidate.
    own = [row for row in candidates if row.get("kind") != "associee"]
    codes = sorted(
        {row["department"] for row in own or candidates if row["department"] in departments}
    )
    if len(codes) > 1 and french_region:
        codes = [c for c in codes if departments[c]["region"] == french_region]
    if len(codes) == 1:
        return departments[codes[0]], []
    return None, candidates


@references.per_import
def _communes_by_fold(tables) -> dict[tuple[str, str], set[str]]:
    index: dict[tuple[str, str], set[str]] = {}
    for row in tables.rows(COMMUNES):
        index.setdefault((fold(row["name"]), row["department"]), set()).add(row["name"])
    return index


def official_commune_name(name: str, department_code: str) -> str | None:
    """INSEE's spelling of the commune ``name`` of ``department_code``, or None.

    Only a name that folds exactly like one spelling of that département's list: the
    répertoire often drops accents (« Meru », « Requista »), never a guess at a longer name
    (« Marolles » is not « Marolles-en-Hurepoix ») nor a homonym of another département.
    """
    spellings = _communes_by_fold().get((fold(name), department_code), set())
    return next(iter(spellings)) if len(spellings) == 1 else None


# A département number standing alone ("78", "94-Ile de France", "Rhône-Alpes (42)"): not part
# of a longer number, a decimal or a postcode, and not an ordinal ("6ème").
_CODE_RE = re.compile(r"(?<![\w.,])(\d{2,3}|2[AB])(?![\w.,]|\s*\d)", re.IGNORECASE)


def _department_by_code(text: str) -> dict | None:
    """The département whose number is printed in ``text`` when no name is (one number only)."""
    by_code = {row["code"]: row for row in load_departments()}
    codes = {m.group(1).upper() for m in _CODE_RE.finditer(text)}
    found = [by_code[c] for c in codes if c in by_code]
    return found[0] if len(found) == 1 else None


def _region_2008_matches(text: str) -> list[_Match]:
    _, region_index, _ = _indexes()
    toks = _tokens(text)
    kept = []
    for m in region_index.find_all(text):
        # "Centre" is a région only when introduced as one ("Région Centre"), or alone.
        if m.payload == "Centre" and len(toks) > 1:
            # "Conseil régional du Centre": the article between does not matter
            k = m.first - 1
            while k > 0 and toks[k][0] in ("du", "de", "la", "le"):
                k -= 1
            before = toks[k][0] if k >= 0 else ""
            if before not in ("region", "regional", "cr"):
                continue
        kept.append(m)
    return kept


def match_region_2008(text: str) -> str | None:
    """The name of the 2008 French région named in ``text`` ("Région Rhône-Alpes"), or None."""
    best = _best(_region_2008_matches(text))
    return best.payload if best else None


# --- helpers on numbered lines -----------------------------------------------------------------


def _find(lines: list[Line], predicate, start: int = 0) -> int | None:
    for index in range(start, len(lines)):
        if predicate(lines[index][1]):
            return index
    return None


def _starts(prefix: str):
    folded = fold(prefix)
    return lambda text: fold(text).startswith(folded)


class _Joined:
    """Lines joined into one text, remembering the line each character came from.

    A line ending in the middle of a hyphenated word ("Ile-de-" + "France") is glued to the
    next one; other line ends become a space.
    """

    def __init__(self) -> None:
        self.text = ""
        self.offsets: list[int] = []
        self.numbers: list[int] = []

    def add(self, lineno: int, raw: str) -> None:
        piece = collapse(raw.replace("\u00a0", " "))
        if not piece:
            return
        if self.text and not _HYPHEN_WRAP_RE.search(self.text):
            self.text += " "
        self.offsets.append(len(self.text))
        self.numbers.append(lineno)
        self.text += piece

    def line_at(self, offset: int) -> int:
        return self.numbers[max(bisect.bisect_right(self.offsets, offset) - 1, 0)]

    def split(self, separators: str) -> list[tuple[int, str]]:
        """Non-empty stripped pieces between separators, with the line each one starts on."""
        pieces = []
        for match in re.finditer(rf"[^{re.escape(separators)}]+", self.text):
            value = match.group()
            stripped = value.strip()
            if stripped:
                offset = match.start() + len(value) - len(value.lstrip())
                pieces.append((self.line_at(offset), collapse(stripped)))
        return pieces


# --- 1. Summary table by domain --------------------------------------------------------------

_UPPER_WORD = r"[A-ZÀ-ÖØ-Þ]+(?![^\W\d_])"
_HEADING_RE = re.compile(rf"^\s*({_UPPER_WORD}(?:\s+(?:/\s+)?{_UPPER_WORD})*)")


def _domain_heading(text: str) -> tuple[str, str] | None:
    """(heading, rest of the line) when ``text`` opens with a domain heading in capitals.

    Collectivity lines can open with capitals too ("CG Allier", "AIMF, Les Amis…"): a heading's
    first word has at least 3 letters and no comma follows it.
    """
    match = _HEADING_RE.match(text)
    if not match:
        return None
    heading = match.group(1)
    rest = text[match.end() :]
    if len(heading.split()[0]) < 3 or rest.lstrip().startswith(","):
        return None
    return heading, rest


def _known_headings() -> set[str]:
    return {fold(row["printed_heading"]) for row in references.current().rows(DOMAINS)}


def parse_summary_table(lines: list[Line]) -> tuple[list[DomainHeading], list[ReportItem]]:
    """The "Tableau récapitulatif des partenariats renseignés par domaines".

    Sub-themes are given without their "- " bullet, wrapped ones rejoined. Collectivities are
    split on "," and on "/" (the slash separates fiches renseignées from "autres types" ones),
    each kept as printed.
    """
    report: list[ReportItem] = []
    start = _find(lines, _starts("Tableau récapitulatif des partenariats renseignés"))
    if start is None:
        report.append(ReportItem(0, "missing-section", "Tableau récapitulatif introuvable"))
        return [], report
    end = _find(lines, _starts("Date de mise à jour"), start)
    end = len(lines) if end is None else end
    known = _known_headings()

    domains: list[DomainHeading] = []
    names: _Joined | None = None
    in_subthemes = False
    previous_blank = True

    def close() -> None:
        if domains and names is not None:
            domains[-1].collectivities_as_printed = [n for _, n in names.split(",/")]

    for lineno, raw in lines[start + 1 : end]:
        if is_footer(raw):
            continue
        text = collapse(raw.replace("\u00a0", " "))
        heading = _domain_heading(raw) if text else None
        if heading:
            close()
            name, rest = heading
            name = collapse(name)
            if fold(name) not in known:
                report.append(
                    ReportItem(lineno, "unmapped-domain", "Libellé de domaine non reconnu", name)
                )
            domains.append(DomainHeading(lineno, name))
            names = _Joined()
            names.add(lineno, rest)
            in_subthemes = not collapse(rest)
        elif not domains:
            pass  # the Nota Bene before the first domain
        elif not text:
            if domains[-1].subthemes:
                in_subthemes = False
        elif in_subthemes and text.startswith("-"):
            domains[-1].subthemes.append(collapse(text.lstrip("-")))
        elif in_subthemes and domains[-1].subthemes and not previous_blank:
            domains[-1].subthemes[-1] += " " + text
        else:
            in_subthemes = False
            names.add(lineno, text)
        previous_blank = not text
    close()
    return domains, report


# --- 2. "Non renseignés" list -------------------------------------------------------------------

_FRENCH_PREFIXES = (
    "cg ",
    "cr ",
    "ca ",
    "cc ",
    "cu ",
    "san ",
    "conseil ",
    "communaute ",
    "syndicat ",
    "ville ",
    "mairie ",
)


def _looks_french(text: str) -> bool:
    folded = fold(text) + " "
    return (
        folded.startswith(_FRENCH_PREFIXES)
        or match_department(text) is not None
        or match_region_2008(text) is not None
    )


def parse_unlisted(lines: list[Line]) -> tuple[list[ListedPair], list[ReportItem]]:
    """The "Partenariats de coopération décentralisée non renseignés" paragraph.

    Items are "French/Malian", separated by commas. A comma-separated fragment without "/" is
    either a French collectivity whose partner is not given ("CG des Hautes Pyrénées", told apart
    by a French institution prefix — CG, CR, CA, CC, Conseil, Communauté… — or a French
    département or région in its name; it gives a pair with malian_as_printed "" and a
    "missing-partner" report), or else the rest of the previous Malian side ("Djelebou,
    Karakoro et Sahel").
    """
    report: list[ReportItem] = []
    start = _find(lines, _starts("Partenariats de coopération décentralisée non renseignés"))
    if start is None:
        report.append(ReportItem(0, "missing-section", "Liste des non renseignés introuvable"))
        return [], report
    end = _find(lines, _starts("Autres types de partenariats"), start)
    end = len(lines) if end is None else end

    joined = _Joined()
    for lineno, raw in lines[start + 1 : end]:
        if not is_footer(raw):
            joined.add(lineno, raw)

    pairs: list[ListedPair] = []
    for lineno, fragment in joined.split(","):
        fragment = fragment.rstrip(".").strip()
        if not fragment:
            continue
        if "/" in fragment:
            french, malian = (collapse(part) or "" for part in fragment.split("/", 1))
            if "/" in malian or not french or not malian:
                report.append(
                    ReportItem(
                        lineno,
                        "ambiguous-pair",
                        "Couple mal formé : vérifier le partage France/Mali",
                        fragment,
                    )
                )
            pairs.append(ListedPair(lineno, french, malian))
        elif _looks_french(fragment):
            pairs.append(ListedPair(lineno, fragment, ""))
            report.append(
                ReportItem(
                    lineno,
                    "missing-partner",
                    "Collectivité française citée sans partenaire malien",
                    fragment,
                )
            )
        elif pairs and pairs[-1].malian_as_printed:
            pairs[-1].malian_as_printed += ", " + fragment
        else:
            report.append(
                ReportItem(lineno, "unplaced-fragment", "Fragment de liste non rattaché", fragment)
            )
    return pairs, report


# --- 3. Annexe 1 --------------------------------------------------------------------------------

_TABLE_RE = re.compile(r"^\s*Tableau\s+(\d+)\s*:\s*(.+?)\s*$")
_MALIAN_MARKER_RE = re.compile(
    r"\b(?:Région de|Cercle de|District de|Commune|Arrondissement)\b", re.IGNORECASE
)
_QUALIFIER_RE = re.compile(r"\s*\([^()]*\)\s*$")


@references.per_import
def _malian_places(tables) -> _NameIndex:
    names = {row["cercle"] for row in tables.rows(MALI_CERCLES)}
    for row in tables.rows(MALIAN_REGIONS):
        names |= {row["name"], row["capital"]}
    return _NameIndex([(name, name) for name in names])


def _split_at(text: str, offset: int) -> tuple[str, str]:
    return collapse(text[:offset]) or "", collapse(text[offset:]) or ""


def _guess_split(text: str, heading_place: str) -> tuple[str, str, bool] | None:
    """(French, Malian, certain) for a row printed without " / "; None when no rule applies.

    Certain when the French name ends with its département or région, or the Malian name is a
    known place: only a split at a bare Malian marker ("Région de …") is left to check.
    """
    # 1. The French name ends with its département or région: "Conseil général du Morbihan".
    best = _best([m for m in _department_matches(text) + _region_2008_matches(text) if m.first > 0])
    if best and collapse(text[best.end :]):
        return (*_split_at(text, best.end), True)
    # 2. The Malian name ends the row: a known place, possibly qualified ("Ménaka (Cercle)"),
    # or the place of the table's heading ("Saintes Tombouctou").
    qualifier = _QUALIFIER_RE.search(text)
    body = text[: qualifier.start()] if qualifier else text
    places = _malian_places().find_all(body)
    places += _NameIndex([(heading_place, heading_place)]).find_all(body)
    body_end = len(_tokens(body))
    tail = [m for m in places if m.first > 0 and m.first + m.count == body_end]
    if tail:
        return (*_split_at(text, max(tail, key=lambda m: m.count).start), True)
    # 3. A Malian marker opens the Malian name: "… Région de Kayes", "… Cercle de Yanfolila".
    for marker in _MALIAN_MARKER_RE.finditer(text):
        if marker.start() > 0:
            return (*_split_at(text, marker.start()), False)
    return None


def parse_annex(lines: list[Line]) -> tuple[list[ListedPair], list[ReportItem]]:
    """The rows of Annexe 1 ("Présentation des partenariats renseignés par régions maliennes").

    A row reads "French / Département Malian": the département is the longest département
    name opening the text after " / " (or a région, "Paris / Ile-de-France", reported). Rows
    without " / " are split by rule and reported as "guessed-split"; their département, when
    there is one, stays in the French name and department_as_printed is None.
    """
    report: list[ReportItem] = []
    start = _find(lines, _starts("Annexe 1"))
    if start is None:
        report.append(ReportItem(0, "missing-section", "Annexe 1 introuvable"))
        return [], report
    end = _find(lines, _starts("Annexe 2"), start + 1)
    end = len(lines) if end is None else end

    pairs: list[ListedPair] = []
    heading: str | None = None
    heading_place = ""
    expect_header = False
    for lineno, raw in lines[start + 1 : end]:
        text = collapse(raw.replace("\u00a0", " "))
        if not text or is_footer(raw):
            continue
        table = _TABLE_RE.match(text)
        if table:
            heading = table.group(2)
            heading_place = re.sub(r"^(?:Région|District) de\s+", "", heading)
            expect_header = True
            continue
        if heading is None:
            continue  # the end of the annex's title ("maliennes")
        if expect_header:
            expect_header = False
            if fold(text).startswith("france") and len(text.split()) <= 2:
                continue
        pairs.append(_annex_row(lineno, text, heading, heading_place, report))
    return pairs, report


def _annex_row(
    lineno: int, text: str, heading: str, heading_place: str, report: list[ReportItem]
) -> ListedPair:
    slash = re.search(r"\s/\s*", text)
    if slash is None:
        split = _guess_split(text, heading_place)
        if split is None:
            report.append(
                ReportItem(lineno, "unsplit-row", "Ligne d'annexe impossible à découper", text)
            )
            return ListedPair(lineno, text, "", None, heading)
        french, malian, certain = split
        if not certain:
            report.append(
                ReportItem(
                    lineno,
                    "guessed-split",
                    "Ligne de l'annexe 1 imprimée sans « / » : partagée avant « "
                    f"{malian.split()[0]} » entre partenaire français et partenaire malien. "
                    "Vérifier le partage.",
                    f"{french} | {malian}",
                )
            )
        return ListedPair(lineno, french, malian, None, heading)

    french = collapse(text[: slash.start()]) or ""
    rest = text[slash.end() :]
    opening = [m for m in _department_matches(rest) if m.first == 0]
    best = _best(opening)
    if best is None:
        best = _best([m for m in _region_2008_matches(rest) if m.first == 0])
        if best is not None:
            report.append(
                ReportItem(
                    lineno,
                    "region-as-department",
                    "Région imprimée à la place du département",
                    collapse(rest[: best.end]) or "",
                    "department_as_printed",
                )
            )
    if best is None:
        report.append(
            ReportItem(
                lineno,
                "unknown-department",
                "Département non reconnu : vérifier le partage département/Mali",
                rest,
                "department_as_printed",
            )
        )
        return ListedPair(lineno, french, collapse(rest) or "", None, heading)
    department, malian = _split_at(rest, best.end)
    if not malian:
        report.append(
            ReportItem(lineno, "missing-partner", "Partenaire malien absent de la ligne", text)
        )
    return ListedPair(lineno, french, malian, department, heading)
