"""HS codes: repair of lost zeros and separators, and which codes exist."""

from __future__ import annotations

from collections import Counter

import pytest

from greymap.reference.hs import describe, hs_exists, nomenclature, normalise_hs


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("030231", "030231"),
        ("30231", "030231"),  # a spreadsheet dropped the leading zero
        ("3023.1", "030231"),
        (" 0302.31 ", "030231"),
        ("0302 31", "030231"),
        ("0302.31.00", "03023100"),
        ("101", "0101"),
        ("1", "01"),
        ("0101210000", "0101210000"),
        ("total", "TOTAL"),
        ("ag6", "AG6"),
        ("99", "99"),
        ("abc", None),
        ("03-02", None),
        ("", None),
        (None, None),
        ("1234567890123", None),
    ],
)
def test_normalise_hs(raw: str | None, expected: str | None) -> None:
    assert normalise_hs(raw) == expected


@pytest.mark.parametrize(
    ("code", "exists"),
    [
        ("01", True),  # chapter
        ("97", True),
        ("77", False),  # reserved chapter
        ("0101", True),  # heading
        ("0100", False),
        ("010121", True),  # subheading
        ("010199", True),  # unknown subheading of a known heading: another HS edition
        ("010021", False),  # no heading 0100
        ("01012100", True),  # national line, judged by its subheading
        ("0101210000", True),
        ("99", True),  # special codes of trade statistics
        ("9999", True),
        ("999999", True),
        ("990000", False),  # chapter 99 has no real subheadings
        ("TOTAL", True),
        ("AG2", True),
        ("", False),
        (None, False),
    ],
)
def test_hs_exists(code: str | None, exists: bool) -> None:
    assert hs_exists(code) is exists


def test_nomenclature_levels() -> None:
    levels = Counter(level for level, _, _ in nomenclature().values())
    assert levels == {2: 97, 4: 1229, 6: 5613, 5: 1}  # 5: the TOTAL line


def test_describe() -> None:
    assert describe("0409") == "Honey; natural"
    assert describe("0100") is None
