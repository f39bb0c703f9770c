"""Numbers as people read them: Latvian (space thousands, decimal comma, true minus) or English."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

MINUS = "\u2212"
# Rounding and normalising run at a precision no cell value reaches (quantize must not overflow 28 digits).
# One context passed to each call: entering a localcontext per number cost more than the formatting itself.
_WIDE = Context(prec=120)
_ONE = Decimal(1)
_QUANTA = {places: _ONE.scaleb(-places) for places in range(10)}


def _quantum(places: int) -> Decimal:
    """Decimal('0.01') for 2 places."""
    return _QUANTA.get(places) or _ONE.scaleb(-places)


def format_number(value: Decimal | int | None, lang: str = "lv", places: int | None = None) -> str:
    """35782 -> '35 782' (lv) / '35,782' (en); -0.5 -> '−0,5'; places fixes the decimals."""
    if value is None:
        return "–"
    d = value if value.__class__ is Decimal else Decimal(value)
    if places is not None:
        d = d.quantize(_quantum(places), rounding=ROUND_HALF_UP, context=_WIDE)
    elif d == d.to_integral_value(context=_WIDE):  # a whole number: int's own grouping is the quickest
        whole = int(d)
        text = f"{-whole if whole < 0 else whole:,}"
        if lang == "lv":
            text = text.replace(",", " ")
        return MINUS + text if whole < 0 else text
    else:
        d = d.normalize(_WIDE)
    text = format(d.copy_abs(), ",f")  # grouped with "," and pointed with "." (English)
    if lang == "lv":
        text = text.replace(",", " ").replace(".", ",")  # two replaces: a third of str.translate's time
    return MINUS + text if d < 0 else text  # -0,00 after rounding has no sign


def format_signed(value: Decimal | None, lang: str = "lv", places: int = 2) -> str:
    """+2,00 / −0,61 / 0,00 (lv); '–' for None."""
    if value is None:
        return "–"
    d = value if value.__class__ is Decimal else Decimal(value)
    rounded = d.quantize(_quantum(places), rounding=ROUND_HALF_UP, context=_WIDE)
    body = format_number(rounded.copy_abs(), lang, places)
    if rounded > 0:
        return "+" + body
    if rounded < 0:
        return MINUS + body
    return body
