"""Country normalisation on the spellings real files use."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from greymap.reference.countries import iso2_to_iso3, iso3_to_iso2, to_iso3, to_iso3_many

SPELLINGS = Path(__file__).resolve().parents[1] / "fixtures" / "reference" / "country_spellings.csv"
CPI = "country-indices/cpi_1995_2017_wide.csv"


def _spelling_cases() -> list[tuple[str, str | None, str]]:
    with SPELLINGS.open(encoding="utf-8") as handle:
        return [(r["value"], r["iso3"] or None, r["why"]) for r in csv.DictReader(handle)]


@pytest.mark.parametrize(("value", "expected", "why"), _spelling_cases())
def test_spellings(value: str, expected: str | None, why: str) -> None:
    assert to_iso3(value) == expected, why


def _cpi_names(shared_data: Path) -> list[str]:
    with (shared_data / CPI).open(encoding="utf-8") as handle:
        return [row["country"] for row in csv.DictReader(handle)]


def test_cpi_messy_names_are_recognised(shared_data: Path) -> None:
    names = _cpi_names(shared_data)
    missed = {name for name in names if to_iso3(name) is None}
    assert len(names) == 252
    # What is left is an aggregate, former countries and three misspellings.
    assert missed == {
        "GLOBAL AVARAGE",
        "Belgium/Luxembourg",
        "Serbia & Montenegro",
        "Serbia and Montenegro",
        "Yugoslavia",
        "Kuweit",
        "Taijikistan",
        "Unit.Kingd.",
    }
    assert (len(names) - len(missed)) / len(names) > 0.96


def test_cpi_cote_divoire_variants_are_all_civ(shared_data: Path) -> None:
    variants = [n for n in _cpi_names(shared_data) if "voire" in n or "Ivory" in n]
    assert variants == [
        "Cote d'Ivoire",
        "Cote d´Ivoire",
        "Côte D'Ivoire",
        "Côte d´Ivoire",
        "Côte d\x92Ivoire",
        "Côte-d'Ivoire",
        "Ivory Coast",
    ]
    assert {to_iso3(v) for v in variants} == {"CIV"}


def test_cpi_congo_and_kosovo(shared_data: Path) -> None:
    names = set(_cpi_names(shared_data))
    assert {"Congo. Republic", "Kosovo"} <= names
    assert to_iso3("Congo. Republic") == "COG"
    assert to_iso3("Kosovo") == "XKX"


def test_nothing_is_no_country() -> None:
    assert to_iso3(None) is None
    assert to_iso3("") is None
    assert to_iso3("  ") is None
    assert to_iso3("Atlantis") is None


def test_iso2_and_back() -> None:
    assert iso2_to_iso3("NA") == "NAM"
    assert iso2_to_iso3("de") == "DEU"
    assert iso2_to_iso3("xk") == "XKX"
    assert iso2_to_iso3("DEU") is None
    assert iso2_to_iso3("QQ") is None
    assert iso3_to_iso2("DEU") == "de"
    assert iso3_to_iso2("XKX") == "xk"
    assert iso3_to_iso2("QQQ") is None


def test_many_maps_each_distinct_value() -> None:
    result = to_iso3_many(["Viet Nam", "VN", "Viet Nam", None, "Nowhere"])
    assert result == {"Viet Nam": "VNM", "VN": "VNM", "Nowhere": None}
