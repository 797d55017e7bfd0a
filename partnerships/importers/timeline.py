"""The events of each partnership that the 2008 répertoire itself dates (pure: no database).

From the records of fixtures/partnerships.json: the first contacts (year printed under
"Début des contacts"), the formalisation (year of the convention, charter or oath printed) and
the fiche's own update date, or for a pair only listed, its mention in the 2008 répertoire.
The workshops' testimonies and answers add their own events (workshops/importers/build.py).
"""

from __future__ import annotations

import datetime
import re

from .text import fold

MONTHS = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
]


# A day printed before the month, the first of two ("le 1er décembre", "11 et 12 avril", "du 21
# au 31 janvier": the event began on the first day named; folding made "11-12" "11 12").
_DAY = r"(?:(\d{1,2})(?:er)?(?:\s+(?:et\s+|au\s+)?\d{1,2}(?:er)?)?\s+)?"


def dated(text: str, year: int) -> tuple[datetime.date, str]:
    """The date of ``year`` as ``text`` prints it, its first mention: the day when it names one
    ("17 mars 2003", "le 31/01/1993"), a month when it names one before the year ("octobre
    1988"), else the year alone."""
    # a date in figures reads as one in words: "31/01/1993" is "31 janvier 1993"
    text = re.sub(
        r"\b(\d{1,2})/(0?[1-9]|1[0-2])/((?:19|20)\d\d)\b",
        lambda m: f"{m.group(1)} {MONTHS[int(m.group(2)) - 1]} {m.group(3)}",
        text or "",
    )
    match = re.search(r"\b" + _DAY + "(" + "|".join(MONTHS) + r")\s+" + str(year), fold(text))
    if match is None:
        return datetime.date(year, 1, 1), "year"
    month = MONTHS.index(match.group(2)) + 1
    if match.group(1) and _valid(year, month, int(match.group(1))):
        return datetime.date(year, month, int(match.group(1))), "day"
    return datetime.date(year, month, 1), "month"


def _valid(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


SOURCE_SLUG = "cuf-repertoire-2008"
REPERTOIRE_YEAR = 2008
PROVENANCE = "Répertoire CUF 2008"


def event(slug, key, kind, date, precision, description, line, provenance=PROVENANCE) -> dict:
    return {
        "model": "partnerships.partnershipevent",
        "fields": {
            "partnership": [slug],
            "key": key,
            "kind": kind,
            "date": date.isoformat(),
            "precision": precision,
            "description": description,
            "source": [SOURCE_SLUG],
            "source_line": line,
            "provenance": provenance,
        },
    }


def events_of(record: dict) -> list[dict]:
    fields = record["fields"]
    slug, line = fields["slug"], fields.get("source_line")
    events = []
    if fields.get("contacts_start_year"):
        events.append(
            event(
                slug,
                "repertoire-premiers-contacts",
                "first_contact",
                *dated(fields.get("contacts_start"), fields["contacts_start_year"]),
                " ".join((fields.get("contacts_start") or "").split()),
                line,
                f"{PROVENANCE}, début des contacts",
            )
        )
    if fields.get("formalisation_year"):
        events.append(
            event(
                slug,
                "repertoire-formalisation",
                "signed",
                *dated(fields.get("formalisation"), fields["formalisation_year"]),
                " ".join((fields.get("formalisation") or "").split()),
                line,
                f"{PROVENANCE}, formalisation",
            )
        )
    if fields.get("updated_on"):
        day = datetime.date.fromisoformat(fields["updated_on"])
        events.append(
            event(
                slug,
                "repertoire-fiche",
                "news",
                day,
                # The fiches print a month and a year ("mai 2007"): read as the 1st.
                "month" if day.day == 1 else "day",
                "Fiche du répertoire mise à jour (partenariat en cours)",
                line,
                f"{PROVENANCE}, date de mise à jour de la fiche",
            )
        )
    else:
        events.append(
            event(
                slug,
                "repertoire-mention",
                "news",
                datetime.date(REPERTOIRE_YEAR, 1, 1),
                "year",
                "Partenariat cité dans le répertoire de 2008",
                line,
            )
        )
    return events


def build(partnership_records: list[dict]) -> list[dict]:
    """The records of fixtures/events.json, in the order of the partnerships."""
    records = []
    for record in partnership_records:
        if record["model"] == "partnerships.partnership":
            records.extend(events_of(record))
    return records
