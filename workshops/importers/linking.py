"""Matching the names printed in the workshop documents to the directory's collectivities and
partnerships, without a database: the directory is read from its fixtures.

A name is linked only when its matching key (``partnerships.importers.places.collectivity_key``,
accent- and case-insensitive, with the répertoire's aliases) is exactly the key of one
collectivity: "Saint-Denis" never reaches "Saint-Denis-de-…". What cannot be matched is returned
for the report, never guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from partnerships.importers.places import collectivity_key
from partnerships.importers.text import fold

# Printings of 2016 that the répertoire of 2008 cannot know: the départements' councils were
# renamed in 2015 (général → départemental) and the Région Centre became Centre-Val de Loire.
RENAMED = {
    "conseil regional centre val de loire": "Conseil régional du Centre",
    "region centre val de loire": "Conseil régional du Centre",
}
_DEPARTMENTAL_RE = re.compile(r"^(?:conseil departemental|cd)\b", re.IGNORECASE)
_PAREN_NOTE_RE = re.compile(r"\s*\((?:interview|par)\b[^()]*\)")
# A committee or an association named after its town: "Comité de jumelage - Angoulême",
# "Association de Jumelage Alençon Koutiala Mali - Alençon", "Comité de jumelage de Caen".
_BODY_PREFIX_RE = re.compile(r"^(?:comite de jumelage|association de jumelage)(?: de| d'| du)?\s+")
_SPLIT_RE = re.compile(r"\s+/\s*|\s*/\s+|\s+&\s+|\s+et ville de\s+|\s+et\s+|,\s+")


def _fold_plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text.replace("’", "'"))).strip()


def printings(name: str) -> list[str]:
    """The ways of reading a printed name, the most literal first."""
    text = re.sub(r"(?i)\bvilled'", "Ville d'", name.replace("’", "'"))
    text = _PAREN_NOTE_RE.sub("", text).strip()
    out = [text]
    if " - " in text:
        out.append(text.rsplit(" - ", 1)[1])
    folded = fold(text)
    if _DEPARTMENTAL_RE.match(folded):
        out.append(_DEPARTMENTAL_RE.sub("Conseil général", folded, count=1))
    stripped = _BODY_PREFIX_RE.sub("", folded)
    if stripped != folded:
        out.append(stripped)
    renamed = RENAMED.get(_fold_plain(text))
    if renamed:
        out.append(renamed)
    return out


def _bare(key: str) -> str:
    """A key without its type tag: "cercle:niafunke" → "niafunke"."""
    return key.split(":", 1)[-1]


def _words(key: str) -> frozenset[str]:
    return frozenset(_bare(key).split())


@dataclass
class Match:
    slug: str
    name_as_printed: str
    method: str


@dataclass
class Directory:
    """The collectivities and partnerships of the répertoire's fixtures, indexed for matching."""

    keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    country: dict[str, str] = field(default_factory=dict)
    collectivity_keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # partnership slug → {"status", "FR": [slugs], "ML": [slugs]}
    partnerships: dict[str, dict] = field(default_factory=dict)
    by_member: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def from_fixtures(cls, collectivities: list[dict], partnerships: list[dict]) -> Directory:
        directory = cls()
        for obj in collectivities:
            fields = obj["fields"]
            slug = fields["slug"]
            directory.country[slug] = fields["country"]
            for name in [fields["name"], fields["name_as_printed"], *fields["aliases"]]:
                if name:
                    key = collectivity_key(name)
                    directory.keys[key].add(slug)
                    directory.collectivity_keys[slug].add(key)
                    directory.names[slug].append(name)
        for obj in partnerships:
            fields = obj["fields"]
            if obj["model"] == "partnerships.partnership":
                directory.partnerships[fields["slug"]] = {
                    "status": fields["status"],
                    "FR": [],
                    "ML": [],
                }
        for obj in partnerships:
            if obj["model"] == "partnerships.partnershipmember":
                fields = obj["fields"]
                slug, member = fields["partnership"][0], fields["collectivity"][0]
                directory.partnerships[slug][fields["side"]].append(member)
                directory.by_member[member].append(slug)
        return directory

    def match(self, name: str, country: str | None = None) -> tuple[str | None, str]:
        """The slug of the one collectivity named ``name`` (or None) and how it was found."""
        for index, printing in enumerate(printings(name)):
            slugs = self.keys.get(collectivity_key(printing), set())
            if country:
                slugs = {s for s in slugs if self.country[s] == country}
            if len(slugs) == 1:
                method = "nom exact" if index == 0 else f"nom lu « {printing} »"
                return next(iter(slugs)), method
        return None, ""

    def match_all(self, name: str, country: str | None = None) -> tuple[list[Match], list[str]]:
        """Collectivities named by ``name``, split on "/", "&", "et" when the whole does not
        match; and the parts left unmatched."""
        slug, method = self.match(name, country)
        if slug:
            return [Match(slug, name, method)], []
        matches, unmatched = [], []
        parts = [p.strip() for p in _SPLIT_RE.split(_PAREN_NOTE_RE.sub("", name)) if p.strip()]
        if len(parts) < 2:
            return [], [name]
        for part in parts:
            slug, method = self.match(part, country)
            if slug:
                matches.append(Match(slug, part, method))
            else:
                unmatched.append(part)
        # No part is a collectivity: the name is reported whole ("Toulouse & Métropole").
        return (matches, unmatched) if matches else ([], [name])

    def malian_partnerships(self, french_slug: str, documented_only: bool = False) -> list[str]:
        return [
            slug
            for slug in self.by_member.get(french_slug, [])
            if self.partnerships[slug]["ML"]
            and french_slug in self.partnerships[slug]["FR"]
            and (not documented_only or self.partnerships[slug]["status"] == "documented")
        ]

    def _names_member(self, locality: str, member: str) -> bool:
        """Whether ``locality`` is the whole name of the Malian collectivity ``member``,
        with or without its type ("Niafunké" names the Cercle de Niafunké), in any word order
        ("Tringa Marena" is Marena Tringa). Never a part of its name."""
        key = collectivity_key(locality)
        for own in self.collectivity_keys[member]:
            if key == own or _bare(key) == _bare(own) or _words(key) == _words(own):
                return True
        return False

    def partnerships_at(self, french_slug: str, locality: str) -> tuple[list[str], list[str]]:
        """The partnerships of a French collectivity with the Malian place(s) ``locality``
        names ("Karakoro, Sahel et Djelebou"), and the names that matched none."""

        def at(name: str) -> list[str]:
            return [
                slug
                for slug in self.malian_partnerships(french_slug)
                if any(self._names_member(name, m) for m in self.partnerships[slug]["ML"])
            ]

        whole = at(locality)
        if whole:
            return whole, []
        parts = [p.strip() for p in _SPLIT_RE.split(locality) if p.strip()]
        if len(parts) < 2:
            return [], [locality]
        found, unmatched = [], []
        for part in parts:
            hits = at(part)
            found.extend(h for h in hits if h not in found)
            if not hits:
                unmatched.append(part)
        return found, unmatched

    def mentioned_partners(self, partnership_slug: str, text: str) -> list[str]:
        """Names of the Malian partners of a partnership printed as whole words in ``text``."""
        folded = f" {_fold_plain(text or '')} "
        out = []
        for member in self.partnerships[partnership_slug]["ML"]:
            for name in {_bare(k) for k in self.collectivity_keys[member]}:
                if name and f" {name} " in folded:
                    out.append(name)
        return out
