"""Euros at the fixed parities of 1999: one conversion for the import and for every save, and
one way of writing an amount on the pages."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext

# Per euro, fixed on 31 December 1998 (franc) and since 1994/1999 (franc CFA, pegged to it).
PER_EUR = {"EUR": Decimal(1), "FRF": Decimal("6.55957"), "XOF": Decimal("655.957")}
CENT = Decimal("0.01")


def to_eur(amount, currency: str) -> Decimal:
    """The amount in euros, to the cent (half up, as bank conversions round)."""
    if currency not in PER_EUR:
        raise ValueError(f"Unknown currency: {currency}")
    return (Decimal(str(amount)) / PER_EUR[currency]).quantize(CENT, rounding=ROUND_HALF_UP)


def format_eur(amount) -> str:
    """A whole amount in euros as the active language writes it: "460 000 €" in French,
    "€460,000" in English. Every amount on the pages goes through here (the ``euros`` template
    filter, the charts), so that a page never mixes the two."""
    if amount is None or amount == "":
        return ""
    whole = Decimal(str(amount)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    number = number_format(whole, decimal_pos=0, use_l10n=True, force_grouping=True)
    # Where the sign goes is the translation's; a no-break space keeps "€" on its number's line
    # (written as the character itself: xgettext would extract the escape "\u00a0" literally).
    return gettext("%(amount)s €") % {"amount": number}
