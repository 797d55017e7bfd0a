"""Amounts and years as printed in the répertoire's budget and date cells.

Pure functions, no Django. ``parse_amounts`` reads only what it can read with confidence and
lists the rest as ``ReportItem``s:

- a number followed by a currency word or sign is an amount ("78778€", "30000Ff", "45 millions
  de francs CFA", "157 700 E");
- a number without a currency joined by "et" or "," to one that has one shares it ("5967 et
  6990€", "12 000 francs en 2001 et 12 000 en 2002");
- a bare number is read as euros only when the caller passes ``default_currency`` because the
  table itself says so (a "Budget (en euros)" column header): kind "assumed-currency". Otherwise
  it is not read (kind "ambiguous-amount"): francs and euros both circulate in these tables.
- "francs" alone is read as French francs (kind "assumed-currency"), and the replacement
  character "�" left by the extraction in place of "€" as euros (same kind);
- ranges ("De 10 à 42000Ff"), fractions ("1/3=8155€", the amount after "=" is kept) and
  unquantified answers ("dons+qq Ff", "Gratuit…") are reported.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .records import Amount, ReportItem

YEAR_MIN, YEAR_MAX = 1950, 2030

# A number: grouped thousands ("3 677 549", "300.000", "90.047"), or plain digits with an
# optional decimal part ("8004,27", "9 200, 00", "25,5").
# A comma followed by a space is a decimal comma only before two digits that do not start a
# thousands group: "Depuis 2002, 22 000 euros" is a year then an amount.
_DECIMAL = r"(?:,\d+|,\s\d{1,2}(?![ \u00a0.]?\d))"
_NUMBER = rf"\d{{1,3}}(?:[ \u00a0.]\d{{3}})+{_DECIMAL}?(?!\d)|\d+{_DECIMAL}?"
_CURRENCY = (
    r"(?P<cur>€|\ufffd|euros?\b|E\b|"
    r"(?:de\s+)?(?:francs?\s*CFA|F\s*CFA|Fcfa|CFA)\b|Ff\b|FF\b|Fr\b|kF\b|(?:de\s+)?francs?\b)"
)
# Budget cells that state there is no sum to read ("en cours", "néant", "PM" = pour mémoire,
# "Variable", "Intégré dans un budget global…", "Gratuit…", "Non évaluée financièrement").
NO_AMOUNT_RE = re.compile(
    r"^(?:en cours|néant|pm|variable|gratuit|intégrée?|non évaluée?)\b", re.IGNORECASE
)
AMOUNT_RE = re.compile(
    rf"(?P<num>{_NUMBER})\s*(?P<mult>millions?\s*(?:de\s+|d['’]\s*)?)?{_CURRENCY}?",
    re.IGNORECASE,
)
TOTAL_RE = re.compile(r"(?:\bT\s*:|\btotal(?:\s+[^\s\d:]+)?\s*(?::|\bde)?)\s*$", re.IGNORECASE)
YEAR_CONTEXT_RE = re.compile(
    r"(?:exercice|année|en|pour|depuis|de|à|et|sur)\s*$|\(\s*$|\(\s*\d{4}\s*(?:à|et|-)\s*$",
    re.IGNORECASE,
)
EQUIVALENT_RE = re.compile(r"\s*\)?\s*(?:\.\s*)?(?:ou|soit|\()\s*|\s*\(\s*", re.IGNORECASE)
REVISED_RE = re.compile(r"\s*\)?\s*(?:réduit|ramené)e?s?\s+à\s*", re.IGNORECASE)
# "Budget de l'AIMF : 5 millions d'euros": the budget of another body, not of this partnership
OTHER_BUDGET_RE = re.compile(r"\bBudget\s+(?:de\s+l['’]|de\s+la\s+|du\s+)[A-ZÉ][\w'’ -]{0,40}:\s*$")
UNIT_PRICE_RE = re.compile(r"\s*par\s+\w+\s+soit\s*", re.IGNORECASE)
SHARE_BEFORE_RE = re.compile(r"\(\s*participation\b[^()\d]*:?\s*$", re.IGNORECASE)
# a number that names a phase or a programme ("Phase 1", "(Pacedel 1,2,3)"), with the numbers
# listed after it
INDEX_BEFORE_RE = re.compile(
    r"\b(?:phase|tranche|n°|pacedel|volet)\s*(?:\d+\s*(?:,|et)\s*)*$", re.IGNORECASE
)
RANGE_BEFORE_RE = re.compile(r"\b(?:de|entre)\s+$", re.IGNORECASE)
RANGE_JOIN_RE = re.compile(r"^\s*(?:à|-)\s*$")
LIST_JOIN_RE = re.compile(r"^\s*(?:et|,|ou)\s*$")
# A bare number in a cell of sums, not kept (the assembler merges it with a budget's doubt).
NO_CURRENCY_MESSAGE = (
    "Nombre imprimé sans devise (ni euros, ni francs) : pas retenu comme montant. Vérifier sur "
    "le PDF s'il s'agit d'une somme, et sa devise."
)
YEAR_AFTER_RE = re.compile(
    r"^[^\d]{0,25}?(?:exercice|année|en|pour|budget)\s+(\d{4})\b|^\s*\((\d{4})\)", re.IGNORECASE
)

MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    "novembre|décembre|decembre|janv|févr|sept|oct|nov|déc|dec"
)


def _currency_of(token: str | None) -> str | None:
    if not token:
        return None
    t = token.lower()
    if t in ("€", "\ufffd", "e") or t.startswith("euro"):
        return "EUR"
    if "cfa" in t:
        return "XOF"
    if t in ("ff", "fr", "kf") or "franc" in t:
        return "FRF"
    return None


def _to_decimal(number: str) -> Decimal:
    text = number.replace("\u00a0", " ")
    if "," in text:
        whole, _, frac = text.partition(",")
        whole = re.sub(r"[ .]", "", whole)
        return Decimal(f"{whole}.{frac.strip()}")
    return Decimal(re.sub(r"[ .]", "", text))


def _problem(line: int, kind: str, message: str, value: str) -> ReportItem:
    return ReportItem(line=line, kind=kind, message=message, value=value, field="budget")


def parse_amounts(
    text: str | None,
    line: int = 0,
    default_currency: str | None = None,
    default_reason: str = "d'après l'en-tête du tableau",
) -> tuple[list[Amount], list[ReportItem]]:
    """The amounts printed in a budget cell, and the problems met reading it.

    ``default_reason`` says in the report why a bare number was read in ``default_currency``.
    """
    if not text or not text.strip():
        return [], []
    # A line that opens on a figure is a new item: "690" / "698" / "250" are three amounts,
    # never the number 690 698 250 (spaces are also thousands separators); a line that opens
    # on a word continues the previous one ("2,4" / "millions d'euros").
    flat = ""
    for part in text.replace("\u00a0", " ").splitlines():
        part = re.sub(r"\s+", " ", part).strip()
        # the number of a numbered item ("1." / "2. Matériel…" / "3. 9 200, 00 €") is no sum
        part = re.sub(r"^\d{1,2}\.(?:\s|$)", "", part).strip()
        if part:
            flat += (" ¦ " if flat and part[0].isdigit() else " " if flat else "") + part
    # a cell whose first line is a lone 4-digit number lists amounts ("2018\n4970\n690"), it
    # does not open on a year
    first_line = text.strip().splitlines()[0].strip()
    matches = list(AMOUNT_RE.finditer(flat))
    # (match, currency, value) of the numbers that are not years or range bounds
    found: list[list] = []
    problems: list[ReportItem] = []
    for index, match in enumerate(matches):
        before = flat[: match.start()]
        number = match.group("num")
        alone_first = index == 0 and first_line == number
        currency = _currency_of(match.group("cur"))
        if match.group("cur") and match.group("cur").lower() == "kf":
            # "460 kF": thousands of francs
            value = _to_decimal(number) * 1000
        else:
            value = _to_decimal(number)
        if match.group("mult"):
            value = (value * 1_000_000).normalize().quantize(Decimal(1))
        if currency is None:
            if (
                re.fullmatch(r"\d{4}", number)
                and YEAR_MIN <= int(number) <= YEAR_MAX
                and (YEAR_CONTEXT_RE.search(before) or (not found and not alone_first))
                and not re.match(r"\s*(?:/\s*an|€)", flat[match.end() :])
            ):
                continue  # a year ("sur l'exercice 2000", "(2003 à 2006)")
            if re.fullmatch(r"0\d+", number) or INDEX_BEFORE_RE.search(before):
                continue  # "CG 01", "Phase 1": a number that names, not an amount
            if re.search(r"\b(?:les|aux|des)\s*$", before, re.IGNORECASE):
                continue  # "15000 pour les 2": how many things, not a sum
            if re.match(r"\s*/\s*\d", flat[match.end() :]) or before.endswith("/"):
                continue  # the "1/3" of "1/3=8155€"
            if re.match(r"\s*(?:ans?|mois|sem|pers|puits|classes?|%)\b", flat[match.end() :]):
                continue  # a duration or a count, not money
        found.append([match, currency, value, index])
    # figures that are all years, in an answer opening with words: a budget told without a sum
    # ("Interventions ponctuelles( à partir de 2004) + …", Nord-Pas-de-Calais): nothing to read
    if (
        not found
        and not any(m.group("cur") for m in matches)
        and re.search(r"\d", _YEAR_RE.sub("", flat)) is None
        and re.match(r"\W*[^\W\d]", flat)
        and re.search(r"\d", flat)
    ):
        return [], problems
    if not found and re.search(r"\d", flat) is None:
        if NO_AMOUNT_RE.match(flat):
            return [], problems  # the fiche says plainly there is no sum: nothing to check
        problems.append(
            _problem(line, "unreadable-amount", "Budget non chiffré : montant à saisir", flat)
        )
        return [], problems

    # Currency shared through "et"/"," ("5967 et 6990€"); ranges share it too but are refused.
    for i in range(len(found) - 1, -1, -1):
        item = found[i]
        if item[1] is None and i + 1 < len(found):
            nxt = found[i + 1]
            between = flat[item[0].end() : nxt[0].start()]
            between = re.sub(r"\b(?:en|pour)\s+\d{4}\b", "", between)
            if nxt[1] and (LIST_JOIN_RE.match(between) or RANGE_JOIN_RE.match(between)):
                item[1] = nxt[1]
        if item[1] is None and i > 0:
            prev = found[i - 1]
            between = flat[prev[0].end() : item[0].start()]
            if prev[1] and re.fullmatch(r"\s*(?:en \d{4}\s*)?(?:et|,)\s*", between):
                item[1] = prev[1]

    skip: set[int] = set()
    # The same sum in two currencies ("(36.000 FF) ou 5.488 €", "671.000 FF (102.300 €)") is one
    # amount: the euro figure is kept. A sum "réduit à" another is replaced by it.
    for i in range(len(found) - 1):
        left, right = found[i], found[i + 1]
        between = flat[left[0].end() : right[0].start()]
        if left[1] and right[1] and left[1] != right[1] and EQUIVALENT_RE.fullmatch(between):
            skip.add(i if right[1] == "EUR" or left[1] != "EUR" else i + 1)
        elif left[1] and right[1] == left[1] and REVISED_RE.fullmatch(between):
            skip.add(i)
        elif right[1] in (left[1], None) and UNIT_PRICE_RE.fullmatch(between):
            skip.add(i)  # "30 000 francs par puit soit 210 000 francs": the sum is the total
    # "(participation ville de Diakon : 5 000 francs)": the partner's share of the sum before
    for i, item in enumerate(found):
        if i and SHARE_BEFORE_RE.search(flat[: item[0].start()]):
            skip.add(i)
    # A bare number in a cell whose other amounts all share one currency takes it, reported.
    currencies = {item[1] for item in found if item[1]}
    inherited = currencies.pop() if len(currencies) == 1 else None

    amounts: list[Amount] = []
    for i, (match, currency, value, _index) in enumerate(found):
        if i in skip:
            continue
        before = flat[: match.start()]
        after = flat[match.end() :]
        printed = match.group(0).strip()
        # ranges: "De 10 à 42000Ff", "3000 à 8580€ l'une"
        joint = flat[match.end() : found[i + 1][0].start()] if i + 1 < len(found) else ""
        if i + 1 < len(found) and (
            RANGE_JOIN_RE.match(joint)
            or (re.search(r"\bentre\s+$", before, re.IGNORECASE) and LIST_JOIN_RE.match(joint))
        ):
            end = found[i + 1][0]
            problems.append(
                _problem(
                    line,
                    "ambiguous-amount",
                    "Une fourchette est imprimée au lieu d'un montant : aucun montant retenu. "
                    "Saisir le montant si la fiche ou le partenaire le précise.",
                    flat[match.start() : end.end()].strip(),
                )
            )
            skip.add(i + 1)
            continue
        if RANGE_BEFORE_RE.search(before) and currency is None:
            continue
        if OTHER_BUDGET_RE.search(before):
            problems.append(
                _problem(
                    line,
                    "ambiguous-amount",
                    "Budget d'un autre organisme : non retenu comme budget du partenariat",
                    flat[: match.end()].strip()[-80:],
                )
            )
            continue
        if currency is None:
            if inherited and not default_currency:
                currency = inherited
                problems.append(
                    _problem(
                        line,
                        "assumed-currency",
                        "Montant sans devise : devise reprise des autres montants du même budget",
                        printed,
                    )
                )
            elif default_currency:
                currency = default_currency
                problems.append(
                    _problem(
                        line,
                        "assumed-currency",
                        f"Montant sans devise : euros retenus {default_reason}",
                        printed,
                    )
                )
            else:
                if value:  # "0" (a project abandoned) is no money in any currency: no doubt
                    problems.append(
                        _problem(line, "ambiguous-amount", NO_CURRENCY_MESSAGE, printed)
                    )
                continue
        else:
            cur = (match.group("cur") or "").lower()
            if cur == "\ufffd":
                problems.append(
                    _problem(
                        line,
                        "assumed-currency",
                        "Symbole monétaire illisible (�) : euros retenus",
                        printed,
                    )
                )
            elif currency == "FRF" and "franc" in cur:
                problems.append(
                    _problem(
                        line,
                        "assumed-currency",
                        "« francs » sans précision : francs français retenus",
                        printed,
                    )
                )
        if re.search(r"=\s*$", before) and re.search(r"\d\s*/\s*\d+\s*=\s*$", before):
            problems.append(
                _problem(
                    line,
                    "ambiguous-amount",
                    "Somme imprimée comme une part (« 1/3 = … ») : seul le montant après « = » "
                    "est retenu. Vérifier que c'est bien la part du partenariat.",
                    flat[max(0, before.rfind(" ") + 1) : match.end()].strip(),
                )
            )
        year = None
        year_match = YEAR_AFTER_RE.match(after)
        if year_match:
            year = int(year_match.group(1) or year_match.group(2))
        amounts.append(
            Amount(
                amount=value,
                currency=currency,
                as_printed=printed,
                year=year,
                is_total=bool(TOTAL_RE.search(before)),
            )
        )
    if not amounts and not problems and not (found and all(item[2] == 0 for item in found)):
        problems.append(
            _problem(line, "unreadable-amount", "Budget illisible : montant à saisir", flat)
        )
    elif re.search(r"\bqq\b|\bquelques\b", flat, re.IGNORECASE):
        problems.append(
            _problem(line, "unreadable-amount", "Montant non chiffré (« qq ») ignoré", flat)
        )
    return amounts, problems


_YEAR_RE = re.compile(r"(?<!\d)(?<!\b\d/)(?<!\b\d\d/)(19[5-9]\d|20[0-3]\d)(?!\d)")
_SHORT_DATE_RE = re.compile(r"\b\d{1,2}/\d{1,2}/(\d{2})\b")
_LIST_TAIL_RE = re.compile(r"(?<=,)\s*(\d{2})\b(?![/\d])")
_OPEN_START_RE = re.compile(r"^\W*(?:depuis|à partir de|a partir de|dès|des)\b", re.IGNORECASE)


def parse_years(text: str | None) -> tuple[int | None, int | None]:
    """Start and end year of a printed period; (None, None) when it prints no plausible year.

    "Depuis 1996" has no end: (1996, None). Two-digit years are read in a list after a full
    year ("1988,2002, 03, 04") and in dd/mm/yy dates ("Du 03/02/07").
    """
    if not text:
        return None, None
    years: list[int] = []
    for match in _YEAR_RE.finditer(text):
        years.append(int(match.group(1)))
    for match in _SHORT_DATE_RE.finditer(text):
        years.append(2000 + int(match.group(1)))
    if years:
        for match in _LIST_TAIL_RE.finditer(text):
            prior = [y for y in years if True]
            century = (max(prior) // 100) * 100
            candidate = century + int(match.group(1))
            if candidate >= min(prior) and YEAR_MIN <= candidate <= YEAR_MAX:
                years.append(candidate)
    years = [y for y in years if YEAR_MIN <= y <= YEAR_MAX]
    if not years:
        return None, None
    start, end = min(years), max(years)
    if start == end and _OPEN_START_RE.search(text):
        return start, None
    return start, end
