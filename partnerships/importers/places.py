"""Names and places: matching keys for collectivities, kinds, display names, Malian regions.

Pure helpers (no Django, no database). The same collectivity is printed many ways across the
répertoire ("CG Allier", "Conseil Général de l'Allier", "Département du Haut-Rhin"…);
``collectivity_key`` gives every printing of one collectivity the same key, and
``fixtures/sources/collectivity_aliases.csv`` holds the spelling variants no rule can catch.

Key format: ``"<tag>:<name>"`` for bodies named after a territory — tags ``san``, ``ca``, ``cc``,
``cu``, ``departement`` (conseil général, département), ``region`` (conseil régional, région,
assemblée régionale — French and Malian alike: no name is shared), ``cercle``, ``district`` —
and the bare folded name for a commune ("la fleche", "bamako commune v"): the colon keeps
"san:evry" (a syndicat) apart from "san" (the Malian town).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from .references import per_import
from .text import collapse, fold

ALIASES = "collectivity_aliases.csv"
REGIONS = "malian_regions.csv"
CERCLES = "mali_cercles.csv"

# --------------------------------------------------------------------------------------------
# Matching keys
# --------------------------------------------------------------------------------------------

# Folded type prefixes, longest first, with their tag. Everything after a tag is a territory
# name, so the articles and elisions that printings add or drop there ("de l'", "du", "des")
# are dropped; a bare commune name keeps its article ("La Flèche", "Le Cheylas").
_TYPE_PREFIXES: list[tuple[str, str]] = [
    ("syndicat d agglomeration nouvelle", "san"),
    ("communaute d agglomeration", "ca"),
    ("communaute de communes", "cc"),
    ("communaute urbaine", "cu"),
    ("conseil general", "departement"),
    ("departement", "departement"),
    ("conseil regional", "region"),
    ("assemblee regionale", "region"),
    ("region", "region"),
    ("conseil de cercle", "cercle"),
    ("cercle", "cercle"),
    ("mairie du district", "district"),
    ("district", "district"),
]
_ABBREVIATIONS = {
    "cg": "conseil general",
    "cr": "conseil regional",
    "ca": "communaute d agglomeration",
    "cc": "communaute de communes",
    "cu": "communaute urbaine",
    "c u": "communaute urbaine",
}
# Prefixes in front of a commune's name; only followed by "de"/"d'"/"du" are they noise.
_COMMUNE_PREFIX_RE = re.compile(
    r"^(?:commune rurale|commune urbaine|commune|conseil communal|mairie|ville|village)"
    r" (?:de|d|du) (?=\S)"
)
_CONNECTORS = {"de", "d", "du", "des", "la", "l", "le", "les"}
# Parenthesised notes: department numbers, "(commune)", "(et 39 villages)", "(secteur 1 de …)".
# A single digit is kept: "Thionville (2)" marks a second fiche, not a department.
_NOISE_PAREN_RE = re.compile(
    r"^(?:\d{2,3}|2a|2b|commune|commune rurale|commune urbaine|conseil communal"
    r"|.*\bvillages?\b.*|secteur\b.*|hinterland)$"
)
_TYPE_PAREN = {"cercle": "cercle", "region": "region", "district": "district"}
# Programme or committee names printed after the Malian name in two Montreuil fiches.
_NOISE_SUFFIX_RE = re.compile(
    r"\s*(?:/\s*comit[ée] local de jumelage.*|[–—-]\s*PADDY\s*|/\s*Mali\s*)$", re.IGNORECASE
)
_PAREN_RE = re.compile(r"\(([^()]*)\)")


def _strip_parentheses(name: str) -> tuple[str, str | None]:
    """Drop noise notes in parentheses; "(Cercle)", "(Région)", "(District)" give a tag."""
    tag: str | None = None

    def replace(match: re.Match[str]) -> str:
        nonlocal tag
        inner = fold(match.group(1))
        if inner in _TYPE_PAREN:
            tag = _TYPE_PAREN[inner]
            return " "
        if _NOISE_PAREN_RE.match(inner):
            return " "
        return " " + inner + " "

    return _PAREN_RE.sub(replace, name), tag


def _base_key(name: str) -> str:
    """The key before the alias table is consulted."""
    text = _NOISE_SUFFIX_RE.sub("", name.replace("’", "'"))
    text, tag = _strip_parentheses(text)
    folded = fold(text)
    folded = re.sub(r"\bleader\b", " ", folded)
    words = folded.split()
    words = ["saint" if w == "st" else "sainte" if w == "ste" else w for w in words]
    folded = " ".join(words)
    for short, long in _ABBREVIATIONS.items():
        if folded == short or folded.startswith(short + " "):
            folded = long + folded[len(short) :]
            break
    # "SAN d'Evry" is a syndicat; "SAN Région de SEGOU" or "San" is the Malian town.
    if re.match(r"^san (?:d|de|du|des) ", folded):
        folded = "syndicat d agglomeration nouvelle" + folded[3:]
    folded = _COMMUNE_PREFIX_RE.sub("", folded)
    for prefix, prefix_tag in _TYPE_PREFIXES:
        if folded == prefix or folded.startswith(prefix + " "):
            tag = prefix_tag
            folded = folded[len(prefix) :].strip()
            break
    if tag:
        rest = folded.split()
        while len(rest) > 1 and rest[0] in _CONNECTORS:
            rest.pop(0)
        if tag == "cu" and len(rest) > 1 and rest[0] == "grand":
            rest.pop(0)  # "Communauté Urbaine Grand Nancy" = "Communauté urbaine de Nancy"
        return f"{tag}:{' '.join(rest)}"
    return re.sub(r"\s+", " ", folded).strip()


def load_aliases(path: str | Path) -> dict[str, str]:
    """The alias table as {fold(variant): canonical spelling}."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {fold(row["variant"]): row["canonical"].strip() for row in csv.DictReader(handle)}


@per_import
def _default_alias_keys(references) -> dict[str, str]:
    rows = references.rows(ALIASES)
    return {_base_key(row["variant"]): _base_key(row["canonical"]) for row in rows}


def _alias_keys(aliases: Mapping[str, str] | None) -> dict[str, str]:
    if aliases is None:
        return _default_alias_keys()
    # The mapping is keyed by fold(variant); folding is idempotent on its own output.
    return {_base_key(variant): _base_key(canonical) for variant, canonical in aliases.items()}


def collectivity_key(name: str, aliases: Mapping[str, str] | None = None) -> str:
    """Matching key: the printings of one collectivity give the same key.

    ``aliases`` ({fold(variant): canonical}, as ``load_aliases`` returns) defaults to
    the ``collectivity_aliases.csv`` of the current import (``references.use()``).
    """
    key = _base_key(name)
    return _alias_keys(aliases).get(key, key)


# --------------------------------------------------------------------------------------------
# Kinds
# --------------------------------------------------------------------------------------------

KINDS = (
    "commune",
    "ca",
    "cc",
    "cu",
    "san",
    "departement",
    "region",
    "cercle",
    "ml_region",
    "district",
    "association",
    "other",
)
_ASSOCIATION_RE = re.compile(
    r"\b(?:association|asso|amis|jumelage|federation|comite|ong|aimf|reseau|cites unies"
    r"|essonne sahel)\b"
)
# Bodies of the répertoire whose name says nothing of their kind (by key).
_KNOWN_KINDS = {"action mopti": "association", "smpe": "other"}
_OTHER_RE = re.compile(r"^(?:village|arrondissement|syndicat|smpe)\b")


@per_import
def _alias_tags(references) -> dict[str, str]:
    """{key: tag} for untagged keys whose alias variants name the type ("Grand Lyon" is the
    "Communauté urbaine de Lyon")."""
    rows = references.rows(ALIASES)
    tags: dict[str, str] = {}
    for row in rows:
        variant = _base_key(row["variant"])
        if ":" in variant:
            tags.setdefault(collectivity_key(row["canonical"]), variant.split(":", 1)[0])
    return tags


def guess_kind(name: str, country: str) -> str:
    """Kind of collectivity from its printed name; ``country`` is "FR" or "ML".

    A region is ``region`` in France and ``ml_region`` in Mali ("Assemblée régionale" is always
    Malian). Associations and networks are recognised by their words ("Association",
    "Amis", "Jumelage", "Fédération", "ONG", "AIMF"…); a name with no type word is a commune.
    """
    folded = fold(_NOISE_SUFFIX_RE.sub("", name))
    if _ASSOCIATION_RE.search(folded):
        return "association"
    key = collectivity_key(name)
    tag = key.split(":", 1)[0] if ":" in key else _alias_tags().get(key)
    if tag is None and key in _KNOWN_KINDS:
        return _KNOWN_KINDS[key]
    if tag == "region":
        malian = country.upper() == "ML" or folded.startswith("assemblee regionale")
        return "ml_region" if malian else "region"
    if tag in {"san", "ca", "cc", "cu", "departement", "cercle", "district"}:
        return tag
    if _OTHER_RE.match(folded):
        return "other"
    return "commune"


# --------------------------------------------------------------------------------------------
# Display names
# --------------------------------------------------------------------------------------------

_ABBREVIATED_RE = re.compile(r"^(?:CG|CR|CA|CC|CU|C\.\s?U\.?|SAN)\s", re.IGNORECASE)
_ABBREVIATION_TEXT = {
    "cg": "Conseil général",
    "cr": "Conseil régional",
    "ca": "Communauté d'agglomération",
    "cc": "Communauté de communes",
    "cu": "Communauté urbaine",
    "c.u": "Communauté urbaine",
    "c.u.": "Communauté urbaine",
    "c. u.": "Communauté urbaine",
    "san": "Syndicat d'agglomération nouvelle",
}
# French typography: the common noun of an institution's name is lower-case after the first
# word ("Conseil général", "Communauté urbaine", "Assemblée régionale").
_LOWERCASE_AFTER_FIRST = {
    "général", "générale", "régional", "régionale", "urbaine", "rurale", "communal", "communes",
    "agglomération", "cercle", "district", "nouvelle",
}  # fmt: skip
_SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "sur", "sous", "en", "et", "lès", "aux"}
_ACRONYMS = {"AIMF", "SMPE", "CLJ", "PADDY", "ONG", "BINKAD", "II", "III", "IV", "V", "VI"}
_COMMUNE_DISPLAY_PREFIX_RE = re.compile(
    r"^(?:commune rurale|commune urbaine|commune|conseil communal|mairie|ville)\s+"
    r"(?:de\s+|d'|du\s+)",
    re.IGNORECASE,
)


def _accents(text: str) -> int:
    return sum(1 for c in unicodedata.normalize("NFD", text) if unicodedata.combining(c))


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _recase_word(word: str, first: bool) -> str:
    """An all-capitals word in ordinary case; hyphenated parts are handled one by one."""
    if "-" in word:
        parts = word.split("-")
        return "-".join(_recase_word(p, first and i == 0) for i, p in enumerate(parts))
    elision = re.match(r"^([dlDL]['’])(.+)$", word)
    if elision:
        rest = elision.group(2)
        if _all_caps(rest):
            rest = _recase_word(rest, first=False).capitalize()
        return elision.group(1).lower() + rest
    if word in {"St", "ST", "st"}:
        return "Saint"
    if word in {"Ste", "STE", "ste"}:
        return "Sainte"
    if not word or not _all_caps(word) or word in _ACRONYMS:
        return word
    lower = word.lower()
    if not first and lower in _SMALL_WORDS:
        return lower
    return lower.capitalize()


def _typography(name: str, institution: bool) -> str:
    name = collapse(name.replace("’", "'")) or ""
    words = name.split(" ")
    out = []
    for i, word in enumerate(words):
        word = _recase_word(word, i == 0)
        if not institution or i == 0:
            pass
        elif word.lower() in _LOWERCASE_AFTER_FIRST and word[:1].isupper():
            word = word.lower()
        elif word.lower() == "d'agglomération":
            word = "d'agglomération"
        out.append(word)
    return " ".join(out)


def canonical_name(name_as_printed: str, country: str, variants: list[str] | None = None) -> str:
    """A display name in ordinary French typography.

    Rule: among ``name_as_printed`` and those ``variants`` with the same matching key, take
    the first of the printings that are (1) not abbreviated ("CG …", "CA …"), (2) not all in
    capitals, (3) richest in accents; ties go to the earliest (``name_as_printed`` first).
    Then: noise is dropped (parenthesised notes, department numbers, "Leader", "Commune de" /
    "Ville de" / "Mairie de" in front of a commune's name), all-capital words are re-cased
    (accents are only ever taken from another printing, never guessed), the common noun of an
    institution is lower-cased ("Conseil général", "Communauté urbaine") and a remaining
    abbreviation is spelt out without inventing an article ("CG Allier" -> "Conseil général
    Allier").
    """
    key = collectivity_key(name_as_printed)
    curated = _alias_canonicals().get(key)
    candidates = [name_as_printed] + [
        v for v in (variants or []) if v and collectivity_key(v) == key
    ]
    if curated:
        candidates.append(curated)
    # Scored without the noise, else "Comité" in a trailing "/Comité local…" counts as an accent.
    candidates = [collapse(_NOISE_SUFFIX_RE.sub("", c)) or "" for c in candidates]
    best = min(
        enumerate(candidates),
        key=lambda item: (
            item[1] != curated,  # the spelling chosen in the alias table comes first
            _ABBREVIATED_RE.match(item[1]) is not None,
            _all_caps(item[1]),
            -_accents(item[1]),
            item[0],
        ),
    )[1]
    text = _NOISE_SUFFIX_RE.sub("", best.replace("’", "'"))

    def drop_noise(match: re.Match[str]) -> str:
        inner = fold(match.group(1))
        return " " if _NOISE_PAREN_RE.match(inner) else match.group(0)

    text = _PAREN_RE.sub(drop_noise, text)
    text = re.sub(r"\bLeader\b", " ", text)
    text = collapse(text) or ""
    kind = guess_kind(text, country)
    if kind == "commune":
        text = _COMMUNE_DISPLAY_PREFIX_RE.sub("", text)
    elif kind == "district" and fold(text).startswith("mairie du district"):
        text = text[len("Mairie du ") :]
    abbreviation = _ABBREVIATED_RE.match(text)
    if abbreviation:
        short = abbreviation.group(0).strip().lower()
        text = (
            _ABBREVIATION_TEXT.get(short, abbreviation.group(0).strip())
            + text[abbreviation.end() - 1 :]
        )
    if kind == "association":
        text = re.sub(r"^Asso\.\s*", "Association ", text)  # "Asso.de Jumelage…"
    # An association's name is its own ("Fédération France Cercle de Ménaka"): no lower-casing.
    text = _typography(text, institution=kind not in {"association", "other"})
    text = _accents_from(text, [*candidates, *(variants or []), *_reference_names(country)])
    if country.upper() == "FR":
        text = _french_territory(text, kind, [*candidates, *(variants or [])])
    return text[:1].upper() + text[1:]


@per_import
def _alias_canonicals(references) -> dict[str, str]:
    """{key: canonical spelling} of the alias table: a curated display spelling."""
    rows = references.rows(ALIASES)
    return {collectivity_key(row["canonical"]): row["canonical"].strip() for row in rows}


@per_import
def _reference_names(references, country: str) -> tuple[str, ...]:
    """Place names of the reference tables, spelt with their accents ("Yélimané", "Dioïla")."""
    if country.upper() != "ML":
        return ()
    names = [name for name, _ in _cercle_table().values()]
    names += list(_region_table()[2].values())
    return tuple(names)


_WORD_SPLIT_RE = re.compile(r"([\s\-'’/(),]+)")


def _accents_from(text: str, sources: list[str]) -> str:
    """Accents put back on a word from another printing of it, letter for letter.

    "Kenieba Konko" takes "Kéniéba" from the cercle table, "Cercle de Yelimane" takes
    "Yélimané" from the title: the accents are read in a printing, never guessed. A word only
    changes when the other printing has the same letters and more accents.
    """
    accented: dict[str, str] = {}
    for source in sources:
        for word in _WORD_SPLIT_RE.split(source or ""):
            folded = fold(word)
            if folded and _accents(word) > _accents(accented.get(folded, "")):
                accented[folded] = word
    out = []
    for word in _WORD_SPLIT_RE.split(text):
        other = accented.get(fold(word))
        if other and _accents(other) > _accents(word):
            other = unicodedata.normalize("NFC", other)
            word_nfc = unicodedata.normalize("NFC", word)
            if len(other) == len(word_nfc):
                word = "".join(
                    o.upper() if w.isupper() else o.lower()
                    for w, o in zip(word_nfc, other, strict=True)
                )
        out.append(word)
    return "".join(out)


_ARTICLE_RE = re.compile(r"^(?:la|le|les|l')$", re.IGNORECASE)
_SAINT_RUN_RE = re.compile(
    r"\b(Saint|Sainte)\s+([A-ZÉÈÎÂ][\w'’]*(?:\s+(?:(?:de|du|des|la|le|les|sur|sous|en|lès|aux|"
    r"d'|l')\s*)*[A-ZÉÈÎÂ][\w'’]*)*)"
)


_DEPT_ARTICLE_RE = re.compile(r"(?:\b(?:de la|du|des|de) |\b(?:de l|d)['’])$", re.IGNORECASE)


def _department_article(department: dict, sources: list[str]) -> str:
    """The article printed before a département's name in another printing ("CG du Haut-Rhin")."""
    from . import lists

    for source in sources:
        for match in lists._department_matches(source or ""):
            found = _DEPT_ARTICLE_RE.search(source[: match.start])
            if match.payload["code"] == department["code"] and found:
                return found.group(0).lower().replace("’", "'")
    return ""


def _french_territory(text: str, kind: str, sources: list[str] = ()) -> str:
    """French toponyms in their official form.

    A commune's name is hyphenated ("Saint Jean de la Ruelle" -> "Saint-Jean-de-la-Ruelle",
    "Marly le Roy" -> "Marly-le-Roy"), an opening article excepted ("La Rochette"); in a body's
    name, a "Saint…" place is ("… de Sainte-Maure-de-Touraine"). A département or a région
    takes the spelling of the reference table ("Conseil général des Hautes-Pyrénées",
    "Conseil régional Nord-Pas-de-Calais"), with the article as printed.
    """
    from . import lists  # lists holds the départements reference

    if kind == "commune":
        words = text.split(" ")
        head = []
        if len(words) > 1 and _ARTICLE_RE.match(words[0]):
            head = [words.pop(0)]
        if len(words) > 1 and not any(w.startswith("(") for w in words):
            words = ["-".join(words)]
        return " ".join(head + words).replace("' ", "'")
    text = _SAINT_RUN_RE.sub(lambda m: m.group(1) + "-" + re.sub(r"\s+", "-", m.group(2)), text)
    text = re.sub(r"(d'|l')-", r"\1", text)
    if kind == "departement":
        # one display form for the body: "Département du Morbihan" is its Conseil général
        text = re.sub(r"^D[ée]partement\b", "Conseil général", text)
        match = lists._best(lists._department_matches(text))
        if match:
            head = text[: match.start]
            if not _DEPT_ARTICLE_RE.search(head):
                head = head.rstrip() + " " + _department_article(match.payload, sources)
            text = head + match.payload["name"] + text[match.end :]
    elif kind == "region":
        match = lists._best(lists._region_2008_matches(text))
        if match:
            text = text[: match.start] + match.payload + text[match.end :]
    return text


# --------------------------------------------------------------------------------------------
# Malian regions and cercles
# --------------------------------------------------------------------------------------------


@per_import
def _region_table(references) -> tuple[dict[str, str], dict[int, str], dict[str, str]]:
    """({folded region name or alias: slug}, {number: slug}, {slug: capital})."""
    names: dict[str, str] = {}
    numbers: dict[int, str] = {}
    capitals: dict[str, str] = {}
    for row in references.rows(REGIONS):
        slug = row["slug"]
        numbers[int(row["number"])] = slug
        capitals[slug] = row["capital"]
        for alias in [row["name"], row["capital"], *row["aliases"].split("|")]:
            folded = fold(alias)
            if folded and not folded.startswith(("region ", "assemblee ", "district ")):
                names[folded] = slug
    return names, numbers, capitals


@per_import
def _cercle_table(references) -> dict[str, tuple[str, str]]:
    """{folded cercle name: (cercle name, region slug)}, with the short forms printed."""
    cercles: dict[str, tuple[str, str]] = {}
    for row in references.rows(CERCLES):
        cercles[fold(row["cercle"])] = (row["cercle"], row["region"])
    # Short forms the répertoire prints ("Nioro / Kayes", "Rharous"), and the English name.
    cercles["nioro"] = cercles["nioro du sahel"]
    cercles["rharous"] = cercles["gourma rharous"]
    cercles["timbuktu"] = cercles["tombouctou"]
    return cercles


# Malian place names that begin with a cercle's name but lie elsewhere: Kéniéba Konko is near
# Siby (cercle de Kati), Bamako Commune V is in the District.
_NOT_A_CERCLE = ("kenieba konko",)
_REGION_WORDS = r"(?:regions?|assemblee regionale|conseil regional|ar)"
_LINKS = r"(?:\s+(?:de|du|d|des))?"


@per_import
def _region_patterns(references) -> list[tuple[re.Pattern[str], str]]:
    names = _region_table()[0]
    alternatives = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    patterns = [
        (rf"\b{_REGION_WORDS}{_LINKS}\s+({alternatives})\b", "name"),
        (rf"\b({alternatives})\s+region\b", "name"),  # "Kidal (Région)" once folded
        (r"\b(\d)\s*(?:e|er|ere|eme|ieme)?\s+regions?\b", "number"),
        (r"\bregions?\s+(\d)\b", "number"),
        (r"\b(?:mairie\s+du\s+)?district(?:\s+de)?\s+bamako\b|\bbamako\s+district\b", "district"),
    ]
    return [(re.compile(pattern), how) for pattern, how in patterns]


@per_import
def _cercle_patterns(references) -> list[re.Pattern[str]]:
    cercles = _cercle_table()
    alternatives = "|".join(sorted((re.escape(n) for n in cercles), key=len, reverse=True))
    return [
        re.compile(rf"\bcercle{_LINKS}\s+({alternatives})\b"),
        re.compile(rf"\b({alternatives})\s+cercle\b"),
    ]


def _explicit_regions(folded: str) -> list[tuple[int, int, str]]:
    """Spans and slugs of explicit region mentions in a folded text."""
    names, numbers, _ = _region_table()
    found: list[tuple[int, int, str]] = []
    for pattern, how in _region_patterns():
        for match in pattern.finditer(folded):
            if how == "name":
                slug = names[match.group(1)]
            elif how == "number":
                slug = numbers.get(int(match.group(1)))
                if slug is None:
                    continue
            else:
                slug = "district-de-bamako"
            found.append((match.start(), match.end(), slug))
    return sorted(found)


def _explicit_cercles(folded: str) -> list[tuple[int, int, str]]:
    before, after = _cercle_patterns()
    found = [(m.start(), m.end(), m.group(1)) for m in before.finditer(folded)]
    # "X cercle" ("Kolokani (Cercle)") only when that word "cercle" does not open a "cercle Y":
    # in "Région Koulikoro Cercle Kati" the cercle is Kati, not Koulikoro.
    openings = {start for start, _, _ in found}
    for match in after.finditer(folded):
        if match.end() - len("cercle") not in openings:
            found.append((match.start(), match.end(), match.group(1)))
    return sorted(found)


def _blank(folded: str, spans: list[tuple[int, int, str]]) -> str:
    """The text with the explicit mentions replaced by separators."""
    for start, end, _ in spans:
        folded = folded[:start] + "|" * (end - start) + folded[end:]
    return folded


def _bare_names(folded: str) -> list[str]:
    """Cercle names (folded) standing alone in the segments of a location text.

    A segment is what lies between separators ("/", ",", ";", "|" for a blanked explicit
    mention); it counts when it opens with a chain of names: "Tominian Mandiakuy" gives
    Tominian, "Bafoulabé-Kayes-Bafoulabé" (one segment once folded) gives all three.
    """
    cercles = _cercle_table()
    found: list[str] = []
    for raw_segment in re.split(r"[/,;|:]+", folded):
        words = raw_segment.split()
        if not words or raw_segment.strip().startswith(_NOT_A_CERCLE):
            continue
        if words[0] == "bamako":
            found.append("bamako")
            continue
        chain: list[str] = []
        while words:
            for size in (3, 2, 1):
                head = " ".join(words[:size])
                if len(words) >= size and head in cercles:
                    chain.append(head)
                    words = words[size:]
                    break
            else:
                break
        # "SAN d'Evry" is a French syndicat, not the cercle of San.
        if chain and not (words and words[0] in {"d", "de", "du", "des"}):
            found.extend(chain)
    return found


def resolve_malian_region(*texts: str | None) -> tuple[str | None, str | None]:
    """(region slug, cercle name) from printed texts, in the caller's order of trust.

    Typically the "Cercle/Région/Commune" answer, the Malian name, the Malian side of the fiche
    title (a French name is not meant to be passed, though "SAN d'Evry" is not taken for San). An
    explicit region ("Région de Ségou", "Assemblée régionale de Kayes", "8ème région",
    "District de Bamako") wins over a cercle; a cercle ("Cercle de Koutiala", or a cercle's name
    standing alone: "Bandiagara/ Mopti") gives its region. An explicit cercle comes before a
    bare name; a cercle that contradicts the explicit region is ignored. Bamako gives the
    District and no cercle. The cercle is returned in the spelling of ``mali_cercles.csv``
    ("Diéma", "Nioro du Sahel").
    """
    cercles = _cercle_table()
    capitals = _region_table()[2]
    explicit_region: str | None = None
    explicit_cercles: list[str] = []
    bare: list[str] = []
    for text in texts:
        if not text:
            continue
        # fold() drops punctuation: separators become "/" first so that segments stay apart.
        folded = " ".join(
            fold(part) or "/" for part in re.split(r"([/,;:|–—]|\s-\s)", text) if part.strip()
        )
        regions = _explicit_regions(folded)
        explicit = _explicit_cercles(folded)
        if regions and explicit_region is None:
            explicit_region = regions[0][2]
        explicit_cercles.extend(name for _, _, name in explicit)
        names = _bare_names(_blank(folded, regions + explicit))
        if regions:
            # "Mopti, Régions 5": the bare name repeats the region, it is not a cercle.
            region_names = {fold(capitals[slug]) for _, _, slug in regions}
            names = [n for n in names if n not in region_names]
        bare.extend(names)

    if explicit_region == "district-de-bamako":
        return explicit_region, None
    candidates = explicit_cercles + _order_bare([n for n in bare if n != "bamako"])
    if explicit_region:
        for name in candidates:
            if cercles[name][1] == explicit_region:
                return explicit_region, cercles[name][0]
        return explicit_region, None
    if candidates:
        cercle, region = cercles[candidates[0]]
        return region, cercle
    if "bamako" in bare:
        return "district-de-bamako", None
    return None, None


def _order_bare(bare: list[str]) -> list[str]:
    """Bare names in order, a region capital moved behind a cercle of its own region.

    In "Bandiagara/ Mopti" Mopti names the region, so Bandiagara is the cercle; in
    "Sikasso/Sikasso/Ganadougou" there is no other cercle and Sikasso stays.
    """
    cercles = _cercle_table()
    _, _, capitals = _region_table()
    capital_names = {fold(capital): slug for slug, capital in capitals.items()}
    ordered = list(dict.fromkeys(bare))
    others = [n for n in ordered if n not in capital_names]
    result = []
    for name in ordered:
        if name in capital_names and any(cercles[o][1] == capital_names[name] for o in others):
            continue
        result.append(name)
    for name in ordered:
        if name not in result:
            result.append(name)
    return result


# --------------------------------------------------------------------------------------------
# Lists of partners
# --------------------------------------------------------------------------------------------

# Names that contain " et " and are one territory, not two partners.
_ET_NAMES_RE = re.compile(
    r"\b(?:ille|indre|maine|saone|seine|loir|eure|lot|tarn|meurthe|isle)\s+et\s+\w", re.IGNORECASE
)
_BODY_START_RE = re.compile(
    r"^(?:communaute|conseil|syndicat|association|asso\b|federation|comite|assemblee|region"
    r"|departement|cercle|district)",
)
_COUNTRY_PIECES = {"mali", "france"}


def _split_top_level(text: str, separators: str) -> list[str]:
    """Split on ``separators`` (a regex) outside parentheses."""
    pieces, depth, start = [], 0, 0
    for match in re.finditer(rf"[()]|{separators}", text):
        token = match.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            pieces.append(text[start : match.start()])
            start = match.end()
    pieces.append(text[start:])
    return pieces


def split_partners(text: str) -> list[str]:
    """The collectivities of a printed list of several partners on one side, as printed.

    Separators are commas, " et " and "/" outside parentheses ("Diema/Nioro" is two places:
    Essonne Sahel works in both cercles). A hyphen never separates ("Niamana- Mourdiah",
    "Sofara-Fakala" are one commune each). A piece opening in lower case qualifies the
    previous one ("Sio, secteur de Somadougou"); a lone country name ("… / Mali") is dropped;
    a name that begins with a body's type ("Communauté de communes Astérienne Isle et Vern")
    or contains a département in "X et Y" is not cut at " et ".
    """
    text = collapse(text) or ""
    if not text:
        return []
    folded_start = fold(text)
    keep_et = _BODY_START_RE.match(folded_start) is not None or _ET_NAMES_RE.search(text)
    separators = r",|;|/" if keep_et else r",|;|/|\s+et\s+"
    pieces: list[str] = []
    for raw in _split_top_level(text, separators):
        piece = raw.strip(" .:-–")
        if not piece:
            continue
        if pieces and piece[0].islower():
            pieces[-1] = f"{pieces[-1]}, {piece}"
            continue
        if fold(piece) in _COUNTRY_PIECES:
            continue
        pieces.append(piece)
    return pieces
