"""Parser of the international-cooperation page of the town of Bagnolet.

The page (saved as text) opens with site chrome (news teasers, breadcrumb), then the title
"La coopération internationale", a few headed paragraphs, the contact of the service, and one
block per twin town: "<image path>NameName (Country)", the population line, a description
and "Lire la suite". The years of the twinnings are printed only in the presentation text
("Sesto Fiorentino en Italie (1962), …").
"""

from __future__ import annotations

import re

from partnerships.importers.records import Line, ReportItem
from partnerships.importers.text import clean_text, fold

from .common import Tracker
from .records import SectionRecord, TwinTownRecord, WorkshopRecord

SOURCE = "bagnolet-cooperation-internationale.txt"
TITLE = "La coopération internationale"

IMAGE_RE = re.compile(r"^tl_files/\S+?\.(?:jpe?g|png|gif)", re.IGNORECASE)
TOWN_RE = re.compile(r"^(?P<name>.+?) \((?P<country>[^()]+)\)$")
POPULATION_RE = re.compile(
    r"^(?P<approx>Environ\s+)?(?P<number>\d[\d\s\u00a0\u202f]*)\s+habitants(?:\s+\((?P<year>\d{4})\))?$"
)
CERCLE_RE = re.compile(r"cercle de ([^\"”»,]+)", re.IGNORECASE)


def _is_heading(rows: list[tuple[int, str]], index: int) -> bool:
    """A short unpunctuated line standing alone between blank lines."""
    text = rows[index][1]
    before = rows[index - 1][1] if index > 0 else ""
    after = rows[index + 1][1] if index + 1 < len(rows) else ""
    return bool(text) and not before and not after and len(text) < 100 and text[-1] not in ".…"


def _town_name(printed: str) -> str:
    # the saved page repeats the name (image alternative text, then title): "MassalaMassala"
    half = len(printed) // 2
    if len(printed) % 2 == 0 and printed[:half] == printed[half:]:
        return printed[:half]
    return printed


def parse(lines: list[Line]) -> tuple[WorkshopRecord, list[ReportItem]]:
    tracker = Tracker(lines)
    rows = [(n, t.replace("\u00a0", " ").strip()) for n, t in lines]

    title_index = next(i for i, (_, t) in enumerate(rows) if t == TITLE)
    chrome = [n for n, t in rows[:title_index] if t]
    tracker.take(*chrome)
    tracker.add(
        chrome[0],
        "skipped-page-chrome",
        f"En-tête du site (actualités, fil d'Ariane) ignoré : lignes {chrome[0]} à {chrome[-1]}",
    )
    workshop = WorkshopRecord(
        line=rows[title_index][0],
        source=SOURCE,
        title=TITLE,
        organiser="Ville de Bagnolet",
        date_note="Page web sans date de publication",
    )
    tracker.take(rows[title_index][0])

    # headed paragraphs, until the first twin-town block
    first_town = next(
        i
        for i, (_, t) in enumerate(rows)
        if i > title_index
        and TOWN_RE.match(IMAGE_RE.sub("", t))
        and t.endswith(")")
        and POPULATION_RE.match(rows[i + 2][1] if i + 2 < len(rows) else "")
    )
    bodies: dict[int, list[str]] = {}
    for index in range(title_index + 1, first_town):
        number, text = rows[index]
        if text:
            tracker.take(number)
        if IMAGE_RE.match(text):
            continue  # an illustration's file path, not text
        if text and _is_heading(rows, index):
            kind = "key_points" if fold(text).startswith("quels sont les objectifs") else "other"
            workshop.sections.append(SectionRecord(number, text, kind))
            bodies[number] = []
        elif workshop.sections:
            bodies[workshop.sections[-1].line].append(text)
        elif text:
            tracker.consumed.discard(number)  # text before any heading: left for the report
    for section in workshop.sections:
        body = bodies[section.line]
        if fold(section.heading).startswith("informations et coordonnees"):
            # an address block: one printed line per piece of information
            section.text = "\n".join(t for t in body if t) or None
        else:
            section.text = clean_text(body)
        if section.kind == "key_points":
            workshop.objectives = section.text
    presentation = " ".join(s.text or "" for s in workshop.sections)

    index = first_town
    while index < len(rows):
        number, text = rows[index]
        match = TOWN_RE.match(IMAGE_RE.sub("", text)) if text else None
        if not match:
            index += 1
            continue
        tracker.take(number)
        town = TwinTownRecord(number, _town_name(match.group("name")), match.group("country"))
        index += 1
        while index < len(rows) and not rows[index][1]:
            index += 1
        population = POPULATION_RE.match(rows[index][1]) if index < len(rows) else None
        if population:
            tracker.take(rows[index][0])
            town.population_as_printed = rows[index][1]
            town.population = int(re.sub(r"\D", "", population.group("number")))
            town.population_approximate = bool(population.group("approx"))
            if population.group("year"):
                town.population_year = int(population.group("year"))
            index += 1
        else:
            tracker.add(number, "missing-population", "Population non lue", town.name)
        description = []
        while index < len(rows) and rows[index][1] and rows[index][1] != "Lire la suite":
            description.append(rows[index][1])
            tracker.take(rows[index][0])
            index += 1
        town.description = clean_text(description)
        cercle = CERCLE_RE.search(town.description or "")
        if cercle:
            town.cercle = cercle.group(1).strip()
        # the twinning year: "Oranienburg en Allemagne (1964)", "Chatila à Beyrouth (Liban 2002)"
        pattern = re.escape(town.name) + r"[^()]{0,40}\((?:[^()\d]*\s)?(\d{4})\)"
        year = re.search(pattern, presentation)
        if year:
            town.year = int(year.group(1))
        else:
            tracker.add(number, "missing-twinning-year", "Année de jumelage non trouvée", town.name)
        workshop.twin_towns.append(town)

    for number, text in rows[first_town:]:
        if text == "Lire la suite":
            tracker.take(number)

    # A town named in the presentation without a block of its own is pointed out, not invented.
    listed = {fold(t.name) for t in workshop.twin_towns}
    robert = re.search(r"ville du (Robert) en (\w+)", presentation)
    if robert and fold(robert.group(1)) not in listed:
        line = next(n for n, t in rows if "ville du Robert" in t)
        tracker.add(
            line,
            "unlisted-twin-town",
            "Ville citée parmi les jumelages sans fiche de ville jumelle : à vérifier",
            f"{robert.group(1)} ({robert.group(2)})",
        )
    return workshop, tracker.finish()
