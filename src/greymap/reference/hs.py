"""HS nomenclature: the codes that exist, and the repair of codes that lost a zero.

The nomenclature is the UN Comtrade HS list bundled in ``data/hs_nomenclature.csv``
(chapters, headings and subheadings). A code is valid if it exists at its own level;
a subheading of a newer or older HS edition that is missing from the list is accepted
when its heading exists, because editions move subheadings but rarely headings.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

# Codes trade statistics use for totals and for goods not classified by kind.
SPECIAL_CODES = frozenset({"TOTAL", "AG2", "AG4", "AG6", "99", "9999", "999999"})


@cache
def nomenclature() -> dict[str, tuple[int, str, str]]:
    """code -> (level, description, section)."""
    path = resources.files("greymap.reference") / "data" / "hs_nomenclature.csv"
    with path.open(encoding="utf-8") as handle:
        return {
            row["hscode"]: (int(row["level"]), row["description"], row["section"])
            for row in csv.DictReader(handle)
        }


def normalise_hs(raw: str | None) -> str | None:
    """Strip separators and restore a leading zero lost to a spreadsheet.

    >>> normalise_hs("3023.1"), normalise_hs("30231"), normalise_hs(" 0302.31 ")
    ('030231', '030231', '030231')
    """
    if raw is None:
        return None
    code = raw.strip().replace(".", "").replace(" ", "")
    if code.upper() in SPECIAL_CODES:
        return code.upper()
    if not code.isdigit() or not 1 <= len(code) <= 12:
        return None
    if len(code) % 2 == 1:
        code = "0" + code
    return code


def hs_exists(code: str | None) -> bool:
    """True for a known chapter, heading or subheading (national 8-10 digit lines
    are judged by their 6-digit subheading)."""
    if code is None:
        return False
    if code in SPECIAL_CODES:
        return True
    table = nomenclature()
    if len(code) > 6:
        code = code[:6]
    return code in table or (len(code) == 6 and code[:2] != "99" and code[:4] in table)


def describe(code: str) -> str | None:
    entry = nomenclature().get(code)
    return entry[1] if entry else None
