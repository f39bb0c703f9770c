"""Numbers as people read them: Latvian (space thousands, decimal comma, true minus) or English."""
from __future__ import annotations

import decimal
from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"
_CENT = Decimal("0.01")


def format_number(value: Decimal | int | None, lang: str = "lv", places: int | None = None) -> str:
    """35782 -> '35 782' (lv) / '35,782' (en); -0.5 -> '−0,5'; places fixes the decimals."""
    if value is None:
        return "–"
    with decimal.localcontext(decimal.Context(prec=120)):  # quantize must not overflow 28 digits
        return _format(Decimal(value), lang, places)


def _format(d: Decimal, lang: str, places: int | None) -> str:
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    elif d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    else:
        d = d.normalize()
    text = format(abs(d), "f")
    whole, _, frac = text.partition(".")
    sep, point = (" ", ",") if lang == "lv" else (",", ".")
    if len(whole) > 3:
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = sep.join([whole] + groups)
    out = whole + (point + frac if frac else "")
    return (MINUS + out) if d < 0 and any(c not in "0" for c in text if c.isdigit()) else out


def format_signed(value: Decimal | None, lang: str = "lv", places: int = 2) -> str:
    """+2,00 / −0,61 / 0,00 (lv); '–' for None."""
    if value is None:
        return "–"
    with decimal.localcontext(decimal.Context(prec=120)):
        rounded = Decimal(value).quantize(_CENT if places == 2 else Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    body = format_number(abs(rounded), lang, places)
    if rounded > 0:
        return "+" + body
    if rounded < 0:
        return MINUS + body
    return body
