"""Euros at the fixed parities of 1999: one conversion for the import and for every save."""

from decimal import ROUND_HALF_UP, Decimal

# Per euro, fixed on 31 December 1998 (franc) and since 1994/1999 (franc CFA, pegged to it).
PER_EUR = {"EUR": Decimal(1), "FRF": Decimal("6.55957"), "XOF": Decimal("655.957")}
CENT = Decimal("0.01")


def to_eur(amount, currency: str) -> Decimal:
    """The amount in euros, to the cent (half up, as bank conversions round)."""
    if currency not in PER_EUR:
        raise ValueError(f"Unknown currency: {currency}")
    return (Decimal(str(amount)) / PER_EUR[currency]).quantize(CENT, rounding=ROUND_HALF_UP)
