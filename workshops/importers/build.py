"""From the four workshop documents to fixtures/workshops.json (no database).

Each document is read by its own pure parser; this module turns the records into fixture
objects (natural keys, stable order), reads the classification of the 2016 challenges from
their words, and links the names the documents print to the directory's collectivities and
partnerships, read from the répertoire's own fixtures (collectivities.json, partnerships.json).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from partnerships.importers import references
from partnerships.importers.records import ReportItem
from partnerships.importers.text import fold, read_lines

from . import bagnolet, cuf2016, horizons, mauritania
from .linking import Directory
from .records import WorkshopRecord


@dataclass(frozen=True)
class Document:
    parser: object
    slug: str
    kind: str
    short_title: str
    source_title: str
    year: int | None


DOCUMENTS = (
    Document(
        horizons,
        "horizons-solidaires-collectivites-comites-jumelage",
        "meeting",
        "collectivités et comités de jumelage",
        "Horizons Solidaires : l'évolution des relations entre collectivités et comités de "
        "jumelage (compte rendu)",
        None,
    ),
    Document(
        cuf2016,
        "cuf-atelier-zones-a-risques-2016",
        "workshop",
        "zones à risques",
        "Cités Unies France : atelier « Maintenir et poursuivre les partenariats de coopération "
        "décentralisée en zones à risques », 19 mai 2016 (compte rendu)",
        2016,
    ),
    Document(
        mauritania,
        "synthese-jumelages-franco-mauritaniens",
        "debate",
        "jumelages franco-mauritaniens",
        "Intensifier et consolider les partenariats : synthèse des débats sur les jumelages "
        "franco-mauritaniens",
        None,
    ),
    Document(
        bagnolet,
        "bagnolet-cooperation-internationale",
        "web_page",
        "coopération internationale de Bagnolet",
        "Ville de Bagnolet : la coopération internationale (page web)",
        None,
    ),
)

# Kinds of challenge and the folded word starts that name them (models.ChallengeKind).
CHALLENGE_WORDS = {
    "missions": ("mission", "deplacement", "se rendre", "voyage", "deconseill", "visite"),
    "security": (
        "terroris",
        "enlevement",
        "attentat",
        "conflit",
        "insecurit",
        "securit",
        "guerre",
        "rebell",
        "risque",
    ),
    "follow_up": ("suivi", "a distance", "controle", "evaluation"),
    "communication": ("communication", "contact", "telephon", "internet", "information"),
    "mobilisation": ("sensibilis", "mobilis", "benevol", "image", "opinion", "motivation"),
    "funding": ("financ", "budget", "bailleur", "subvention", "fonds", "cout"),
    "political": ("politique", "election", "institution", "autorite", "collaboration", "etat"),
}


def challenge_kinds(text: str | None) -> list[str]:
    folded = " " + re.sub(r"[^a-z0-9]+", " ", fold(text or "")) + " "
    return [
        kind
        for kind, words in CHALLENGE_WORDS.items()
        if any(f" {word}" in folded for word in words)
    ]


def public_heading(heading: str, speaker: str | None) -> str:
    """The heading without the speaker's name ("Bertrand Fort, Délégué…" → "Délégué…")."""
    if not speaker:
        return heading
    name = speaker.split(",")[0].strip()
    if heading.startswith(name):
        rest = heading[len(name) :].lstrip(" ,")
        return rest or heading
    return re.sub(r"\s*\(par [^()]*\)", "", heading).strip()


@dataclass
class Dataset:
    fixtures: dict[str, list[dict]]
    report: list[tuple[str, ReportItem]] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)


def _text(value) -> str:
    return value or ""


# Words of a testimony that tell how a partnership changed (the first that matches decides).
SECTION_EVENT_WORDS = [
    ("reoriented", ("recentr", "réorient", "reorient")),
    ("suspended", ("suspendu", "suspension", "mis en sommeil")),
]


def _sentences(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [s.strip() for s in re.split(r"(?<=[.;])\s+", flat) if s.strip()]


def section_event(text: str) -> tuple[str, str]:
    """The kind of event a testimony reports and the sentence that says it ("news" and the
    opening sentences when no sentence tells of a change)."""
    sentences = _sentences(text)
    for kind, words in SECTION_EVENT_WORDS:
        for sentence in sentences:
            if any(word in sentence.lower() for word in words):
                return kind, sentence
    return "news", " ".join(sentences[:2])[:600]


def answer_event_text(answer) -> str:
    challenges = " ".join(_text(answer.challenges).split())
    return f"Réponse n° {answer.number} au questionnaire : {challenges}"


class _Builder:
    def __init__(self, directory: Directory):
        self.directory = directory
        self.objects: list[dict] = []
        self.report: list[tuple[str, ReportItem]] = []
        self.out_of_scope: dict[str, list[str]] = {}

    def add(self, model: str, fields: dict) -> None:
        self.objects.append({"model": model, "fields": fields})

    def note(self, source: str, line: int, kind: str, message: str, value: str = "") -> None:
        self.report.append((source, ReportItem(line, kind, message, value)))

    def workshop(self, document: Document, record: WorkshopRecord) -> None:
        slug = document.slug
        self.links: list[dict] = []
        self.add(
            "partnerships.sourcedocument",
            {
                "slug": slug,
                "title": document.source_title,
                "publisher": _text(record.organiser),
                "year": document.year,
                "filename": record.source,
            },
        )
        self.add(
            "workshops.workshop",
            {
                "slug": slug,
                "kind": document.kind,
                "title": record.title,
                "short_title": document.short_title,
                "organiser": _text(record.organiser),
                "date": record.date.isoformat() if record.date else None,
                "year": record.date.year if record.date else document.year,
                "date_as_printed": _text(record.date_as_printed),
                "date_precision": record.date_precision,
                "date_note": _text(record.date_note),
                "place": _text(record.place),
                "context": _text(record.context),
                "objectives": _text(record.objectives),
                "agenda": record.agenda,
                "footnotes": [
                    {"number": n.number, "text": n.text, "line": n.line} for n in record.footnotes
                ],
                "source": [slug],
                "source_line": record.line,
            },
        )
        self.sections(slug, record)
        self.participants(slug, record)
        for position, quote in enumerate(record.quotes, 1):
            self.add(
                "workshops.quote",
                {
                    "workshop": [slug],
                    "position": position,
                    "source_line": quote.line,
                    "text": quote.text,
                    "value": _text(quote.value),
                },
            )
        for position, item in enumerate(record.recommendations, 1):
            self.add(
                "workshops.recommendation",
                {
                    "workshop": [slug],
                    "position": position,
                    "source_line": item.line,
                    "theme": _text(item.theme),
                    "order": item.order,
                    "text": item.text,
                },
            )
        self.answers(slug, record)
        self.twin_towns(slug, record)
        # Links go last: they refer to the items above by their natural keys.
        for position, link in enumerate(self.links, 1):
            self.add("workshops.link", {"workshop": [slug], "position": position, **link})
        self.events(slug, record)

    def events(self, slug: str, record: WorkshopRecord) -> None:
        """What a testimony or a questionnaire answer says of a partnership, as a dated event
        of its life (partnerships.PartnershipEvent), with the document and line it comes from."""
        if not record.date:
            return
        sections = {n: s for n, s in enumerate(record.sections, 1)}
        answers = {a.number: a for a in record.answers}
        seen = set()
        for link in self.links:
            if not link["partnership"] or not (link["section"] or link["answer"]):
                continue
            if link["answer"]:
                number = link["answer"][1]
                key = f"{slug}-reponse-{number}"[:80]
                kind, description = "news", answer_event_text(answers[number])
            else:
                position = link["section"][1]
                key = f"{slug}-temoignage-{position}"[:80]
                kind, description = section_event(sections[position].text or "")
            if (link["partnership"][0], key) in seen:
                continue
            seen.add((link["partnership"][0], key))
            self.add(
                "partnerships.partnershipevent",
                {
                    "partnership": link["partnership"],
                    "key": key,
                    "kind": kind,
                    "date": record.date.isoformat(),
                    # A workshop has a date only when it is printed in full.
                    "precision": "day",
                    "description": description,
                    "source": [slug],
                    "source_line": link["source_line"],
                    "provenance": (
                        f"{record.title} — {link['method']}" if record.title else link["method"]
                    )[:300],
                },
            )

    def link(self, item: str | None, key, *, collectivity=None, partnership=None, name, method):
        fields = {
            "source_line": None,
            "collectivity": [collectivity] if collectivity else None,
            "partnership": [partnership] if partnership else None,
            "section": None,
            "participant": None,
            "answer": None,
            "twin_town": None,
            "name_as_printed": name,
            "method": method,
        }
        if item:
            fields[item] = key
        fields["source_line"] = self._line
        self.links.append(fields)

    def sections(self, slug: str, record: WorkshopRecord) -> None:
        for position, section in enumerate(record.sections, 1):
            self.add(
                "workshops.section",
                {
                    "workshop": [slug],
                    "position": position,
                    "source_line": section.line,
                    "heading": section.heading,
                    "public_heading": public_heading(section.heading, section.speaker),
                    "speaker": _text(section.speaker),
                    "kind": section.kind,
                    "level": section.level,
                    "text": _text(section.text),
                },
            )
            if not section.collectivity:
                continue
            self._line = section.line
            key = [slug, position]
            matches, unmatched = self.directory.match_all(section.collectivity, "FR")
            self.unmatched(record.source, section.line, unmatched, "témoignage")
            for match in matches:
                self.link(
                    "section",
                    key,
                    collectivity=match.slug,
                    name=match.name_as_printed,
                    method=match.method,
                )
                for partner in section.partners:
                    found, _ = self.directory.partnerships_at(match.slug, partner)
                    for partnership in found:
                        self.link(
                            "section",
                            key,
                            partnership=partnership,
                            name=partner,
                            method="partenaire nommé par le témoignage",
                        )

    def participants(self, slug: str, record: WorkshopRecord) -> None:
        speakers_listed = {s.participant_line for s in record.speakers if s.participant_line}
        rows = [
            (
                participant.line,
                {
                    "status": participant.status,
                    "number": participant.number,
                    "organisation": _text(participant.organisation),
                    "first_name": _text(participant.first_name),
                    "last_name": _text(participant.last_name),
                    "function": _text(participant.function),
                    "is_speaker": participant.is_speaker or participant.line in speakers_listed,
                },
            )
            for participant in record.participants
        ]
        # Speakers the participants' list does not name (the 001 meeting lists structures only).
        rows += [
            (
                speaker.line,
                {
                    "status": "speaker",
                    "number": None,
                    "organisation": _text(speaker.description),
                    "first_name": _text(speaker.first_name),
                    "last_name": _text(speaker.last_name),
                    "function": "",
                    "is_speaker": True,
                },
            )
            for speaker in record.speakers
            if not speaker.participant_line
        ]
        absent: set[str] = set()
        for position, (line, fields) in enumerate(rows, 1):
            self.add(
                "workshops.participant",
                {"workshop": [slug], "position": position, "source_line": line, **fields},
            )
            organisation = fields["organisation"]
            if not organisation:
                continue
            self._line = line
            # A speaker's description mixes function and organisation: each comma-separated
            # part is tried whole, never split further.
            names = [organisation]
            if fields["status"] == "speaker":
                names += [part.strip() for part in organisation.split(",")]
            found = False
            for name in names:
                slug_found, method = self.directory.match(name)
                if slug_found:
                    self.link(
                        "participant",
                        [slug, position],
                        collectivity=slug_found,
                        name=name,
                        method=method,
                    )
                    found = True
                    break
            if not found:
                absent.add(organisation)
        if absent:
            # Most are not collectivities (ministries, NGOs, networks): one line, not one each.
            self.note(
                record.source,
                record.line,
                "participants-not-in-directory",
                f"{len(absent)} organisation(s) participante(s) absente(s) du répertoire "
                "(collectivités sans partenariat malien, ONG, État, réseaux) : non reliées",
                " ; ".join(sorted(absent, key=fold)),
            )

    def unmatched(self, source: str, line: int, names: list[str], where: str) -> None:
        for name in names:
            self.note(
                source,
                line,
                "unmatched-collectivity",
                f"Collectivité absente du répertoire ou nom ambigu ({where}) : non reliée",
                name,
            )

    def answers(self, slug: str, record: WorkshopRecord) -> None:
        for answer in record.answers:
            self.add(
                "workshops.questionnaireanswer",
                {
                    "workshop": [slug],
                    "number": answer.number,
                    "category": answer.category,
                    "respondent": answer.collectivity,
                    "partner_as_printed": _text(answer.partner_as_printed),
                    "places": [
                        {"country": p.country, "locality": p.locality} for p in answer.partners
                    ],
                    "challenges": _text(answer.challenges),
                    "challenge_kinds": challenge_kinds(answer.challenges),
                    "tools": _text(answer.tools),
                    "recommendations": _text(answer.recommendations),
                    "contact": _text(answer.contact),
                    "source_line": answer.line,
                },
            )
            self._line = answer.line
            if answer.category != "collectivity":
                continue
            key = [slug, answer.number]
            matches, unmatched = self.directory.match_all(answer.collectivity, "FR")
            self.unmatched(record.source, answer.line, unmatched, f"réponse n° {answer.number}")
            for match in matches:
                self.link(
                    "answer",
                    key,
                    collectivity=match.slug,
                    name=match.name_as_printed,
                    method=match.method,
                )
                self.answer_partnerships(record.source, answer, key, match.slug)

    def answer_partnerships(self, source, answer, key, french_slug) -> None:
        texts = " ".join(
            _text(t) for t in (answer.challenges, answer.tools, answer.recommendations)
        )
        for place in answer.partners:
            if fold(place.country) != "mali":
                continue
            if place.locality:
                found, unmatched = self.directory.partnerships_at(french_slug, place.locality)
                method = f"localité « {place.locality} »"
                for name in unmatched:
                    self.note(
                        source,
                        answer.line,
                        "unmatched-partner",
                        f"Réponse n° {answer.number} : localité malienne sans "
                        "partenariat connu de cette collectivité",
                        name,
                    )
            else:
                # "Mali" alone: the collectivity's one documented Malian partnership, if it
                # has exactly one; the answer's text naming the partner confirms it.
                found = self.directory.malian_partnerships(french_slug, documented_only=True)
                if len(found) > 1:
                    found = [s for s in found if self.directory.mentioned_partners(s, texts)]
                if len(found) != 1:
                    self.note(
                        source,
                        answer.line,
                        "unplaced-partnership",
                        f"Réponse n° {answer.number} : « Mali » sans localité, "
                        f"{len(found)} fiche(s) possible(s) : non reliée",
                        answer.collectivity,
                    )
                    continue
                cited = self.directory.mentioned_partners(found[0], texts)
                method = "seul partenariat malien documenté de la collectivité"
                if cited:
                    method += f", nommé dans la réponse (« {cited[0]} »)"
            for partnership in found:
                self.link(
                    "answer",
                    key,
                    partnership=partnership,
                    name=answer.partner_as_printed,
                    method=method,
                )

    def twin_towns(self, slug: str, record: WorkshopRecord) -> None:
        owner = None
        if record.organiser:
            self._line = record.line
            owner, method = self.directory.match(record.organiser, "FR")
            if owner:
                self.link(None, None, collectivity=owner, name=record.organiser, method=method)
        abroad = []
        for position, town in enumerate(record.twin_towns, 1):
            self.add(
                "workshops.twintown",
                {
                    "workshop": [slug],
                    "position": position,
                    "source_line": town.line,
                    "name": town.name,
                    "country": _text(town.country),
                    "year": town.year,
                    "population": town.population,
                    "population_as_printed": _text(town.population_as_printed),
                    "population_year": town.population_year,
                    "population_approximate": town.population_approximate,
                    "description": _text(town.description),
                    "cercle": _text(town.cercle),
                },
            )
            if fold(town.country or "") != "mali":
                abroad.append(f"{town.name} ({town.country})")
                continue
            self._line = town.line
            slug_ml, method = self.directory.match(town.name, "ML")
            if not slug_ml:
                self.unmatched(record.source, town.line, [town.name], "ville jumelle")
                continue
            key = [slug, position]
            self.link("twin_town", key, collectivity=slug_ml, name=town.name, method=method)
            if owner:
                for partnership in self.directory.partnerships_at(owner, town.name)[0]:
                    self.link(
                        "twin_town",
                        key,
                        partnership=partnership,
                        name=town.name,
                        method="jumelage de l'organisateur avec cette ville",
                    )
        if abroad:
            self.note(
                record.source,
                record.line,
                "out-of-scope-twin-towns",
                "Villes jumelles hors du Mali : hors du champ du répertoire",
                " ; ".join(abroad),
            )


def build(sources_dir: Path, fixtures_dir: Path) -> Dataset:
    """Parse the four documents and assemble fixtures/workshops.json (nothing is written)."""
    with references.use(sources_dir):  # the répertoire's alias table, for matching names
        return _build(sources_dir, fixtures_dir)


def _build(sources_dir: Path, fixtures_dir: Path) -> Dataset:
    directory = Directory.from_fixtures(
        json.loads((fixtures_dir / "collectivities.json").read_text(encoding="utf-8")),
        json.loads((fixtures_dir / "partnerships.json").read_text(encoding="utf-8")),
    )
    builder = _Builder(directory)
    stats: dict[str, int] = {}
    for document in DOCUMENTS:
        record, report = document.parser.parse(read_lines(sources_dir / document.parser.SOURCE))
        builder.report.extend((record.source, item) for item in report)
        builder.workshop(document, record)
    for obj in builder.objects:
        name = obj["model"].split(".")[1]
        stats[name] = stats.get(name, 0) + 1
    return Dataset({"workshops.json": builder.objects}, builder.report, stats)
