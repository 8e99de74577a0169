"""Indicators reader: long and wide files, all seven real country-index files, and the
rules for years in column names, flags, text columns and missing values."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from greymap import InputError, Workspace, ingest_files
from greymap.errors import MissingColumnsError
from greymap.sources import ColumnMapping
from greymap.sources.indicators import historic_iso3, slug
from greymap.workspace import IngestResult
from tests.conftest import SHARED_DATA

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "mappings"
#: The example mapping each real file needs, if any.
MAPPINGS = {
    "cpi_1995_2017_wide": "cpi_1995_2017_wide",
    "cpi_2017_with_source_scores": "cpi_2017_with_source_scores",
    "fatf_fsrb_regions": "fatf_fsrb_regions",
    "global_organized_crime_index_2021": "goci_2021",
    "global_organized_crime_index_2023": "goci_2023",
}


def counts(result: IngestResult) -> tuple[int, int, int]:
    return (result.rows_read, result.rows_loaded, result.rows_quarantined)


def reasons(ws: Workspace) -> dict[int, str]:
    return dict(ws.con.execute("SELECT source_row, reason FROM quarantine").fetchall())


def value(ws: Workspace, source: str, country: str, indicator: str, year: int | None) -> float:
    row = ws.con.execute(
        "SELECT value FROM indicators WHERE source = ? AND country = ? AND indicator = ? "
        "AND year IS NOT DISTINCT FROM ?",
        [source, country, indicator, year],
    ).fetchone()
    assert row is not None, (source, country, indicator, year)
    return float(row[0])


@pytest.fixture(scope="module")
def real(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Workspace, dict[str, IngestResult]]]:
    """All eight real files, loaded once for the module (each with its example mapping)."""
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data is not available")
    ws = Workspace(tmp_path_factory.mktemp("indicators") / "ws")
    results = {}
    for path in sorted((SHARED_DATA / "country-indices").glob("*.csv")):
        name = MAPPINGS.get(path.stem)
        mapping = ColumnMapping.load(EXAMPLES / f"{name}.yaml") if name else None
        [results[path.stem]] = ingest_files(ws, "indicators", [path], mapping=mapping)
    yield ws, results
    ws.close()


def test_real_files_all_load(real: tuple[Workspace, dict[str, IngestResult]]) -> None:
    workspace, results = real
    assert {stem: counts(r) for stem, r in results.items()} == {
        "basel_aml_index_expert_edition": (203, 203, 0),
        "cpi_1995_2017_wide": (252, 250, 2),
        "cpi_2012_2017_iso3": (181, 181, 0),
        "cpi_2017_with_source_scores": (180, 180, 0),
        "fatf_fsrb_regions": (212, 212, 0),
        "global_organized_crime_index_2021": (193, 193, 0),
        "global_organized_crime_index_2023": (193, 193, 0),
        "lpi_2010_2016": (630, 630, 0),
    }
    # Only the two rows that are no single country stay out.
    assert sorted(reasons(workspace).values()) == [
        "unrecognised country 'Belgium/Luxembourg'; expected a country name or ISO code",
        "unrecognised country 'GLOBAL AVARAGE'; expected a country name or ISO code",
    ]
    shape = workspace.con.execute(
        "SELECT source, count(*), count(DISTINCT indicator), count(DISTINCT country), "
        "min(year), max(year) FROM indicators GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert shape == [
        ("basel_aml_index_expert_edition", 3397, 17, 203, None, None),
        ("cpi_1995_2017_wide", 3164, 1, 190, 1995, 2017),
        ("cpi_2012_2017_iso3", 3156, 3, 181, 2012, 2017),
        ("cpi_2017_with_source_scores", 2325, 19, 180, 2017, 2017),
        ("fatf_fsrb_regions", 4240, 20, 212, None, None),
        ("global_organized_crime_index_2021", 5790, 30, 193, 2021, 2021),
        ("global_organized_crime_index_2023", 6948, 36, 193, 2023, 2023),
        ("lpi_2010_2016", 5040, 8, 167, 2010, 2016),
    ]


def test_real_values(real: tuple[Workspace, dict[str, IngestResult]]) -> None:
    ws = real[0]
    goci = "global_organized_crime_index_2023"
    assert value(ws, goci, "AFG", "criminality_avg", 2023) == 7.1
    assert value(ws, goci, "LBY", "illicit_trade_in_excisable_goods", 2023) == 7.0
    basel = "basel_aml_index_expert_edition"
    # Afghanistan,AF,8.2,...,yes (ofac),yes (un_sc),,,yes (eu_high_risk),,yes (uk_fs)
    assert value(ws, basel, "AFG", "score", None) == 8.2
    assert [value(ws, basel, "AFG", f, None) for f in ("ofac", "un_sc", "fatf_grey")] == [
        1.0,
        1.0,
        0.0,
    ]
    # "CPI score 2016" -> cpi_score, 2016; "CPI Score 2013" is the same indicator.
    assert value(ws, "cpi_2012_2017_iso3", "NZL", "cpi_score", 2016) == 90.0
    assert value(ws, "cpi_2012_2017_iso3", "NZL", "cpi_score", 2013) == 91.0
    # KSV is no ISO code: the name (Kosovo) gives XKX.
    assert value(ws, "cpi_2012_2017_iso3", "XKX", "cpi_score", 2017) == 39.0
    # LPI writes ROM (Romania) and ZAR (DR Congo, ex-Zaire): the current names win.
    lpi = ws.con.execute(
        "SELECT DISTINCT country FROM indicators WHERE source = 'lpi_2010_2016' "
        "AND country IN ('ROU', 'COD', 'ZAR')"
    ).fetchall()
    assert sorted(lpi) == [("COD",), ("ROU",)]
    fatf = "fatf_fsrb_regions"
    assert value(ws, fatf, "ALB", "fatf_style_regional_bodies_fsrb_moneyval", None) == 1.0
    assert value(ws, fatf, "AFG", "fatf_style_regional_bodies_fsrb_moneyval", None) == 0.0


def test_real_messy_cpi_names(real: tuple[Workspace, dict[str, IngestResult]]) -> None:
    """Seven spellings of Côte d'Ivoire (with ´, \\x92, a hyphen, "Ivory Coast") are one
    country with one score a year; historic countries keep their ISO 3166-3 code."""
    workspace = real[0]
    civ = workspace.con.execute(
        "SELECT count(DISTINCT source_row), count(*), count(DISTINCT year), min(year) "
        "FROM indicators WHERE source = 'cpi_1995_2017_wide' AND country = 'CIV'"
    ).fetchone()
    assert civ == (7, 20, 20, 1998)
    assert value(workspace, "cpi_1995_2017_wide", "CIV", "cpi_score_0_10", 2017) == 3.6
    # 0.0 means missing in this file: Afghanistan has no score before 2005.
    first = workspace.con.execute(
        "SELECT min(year) FROM indicators WHERE source = 'cpi_1995_2017_wide' AND country = 'AFG'"
    ).fetchone()
    assert first == (2005,)
    historic = workspace.con.execute(
        "SELECT DISTINCT country FROM indicators WHERE country IN ('YUG', 'SCG') ORDER BY 1"
    ).fetchall()
    assert historic == [("SCG",), ("YUG",)]


def test_real_goci_without_mapping(workspace: Workspace, shared_data: Path) -> None:
    path = shared_data / "country-indices" / "global_organized_crime_index_2023.csv"
    [result] = ingest_files(workspace, "indicators", [path], dataset="goci")
    assert counts(result) == (193, 193, 0)
    assert result.notes == [
        "column 'Continent' holds text, not numbers: skipped",
        "column 'Region' holds text, not numbers: skipped",
    ]
    years = workspace.con.execute("SELECT DISTINCT year, source FROM indicators").fetchall()
    assert years == [(None, "goci")]


def test_real_text_only_file_says_what_to_do(workspace: Workspace, shared_data: Path) -> None:
    path = shared_data / "country-indices" / "fatf_fsrb_regions.csv"
    with pytest.raises(InputError, match=r"options\.categorical: dummies"):
        ingest_files(workspace, "indicators", [path])
    assert workspace.count("ingests") == 0


def test_long_file(workspace: Workspace, fixtures: Path) -> None:
    [result] = ingest_files(workspace, "indicators", [fixtures / "indicators" / "long.csv"])
    assert counts(result) == (8, 3, 5)
    rows = workspace.con.execute(
        "SELECT source_row, country, indicator, year, value, source FROM indicators ORDER BY 1"
    ).fetchall()
    assert rows == [
        (1, "DEU", "control_of_corruption", 2020, 1.9, "WGI"),
        (2, "DEU", "control_of_corruption", 2021, 1234.5, "long"),
        (8, "YUG", "control_of_corruption", 1996, -0.5, "long"),
    ]
    assert reasons(workspace) == {
        3: "unrecognised country 'Atlantis'; expected a country name or ISO code",
        4: "bad year '20x1'; expected a year such as 2017",
        5: "missing value",
        6: "bad value 'high'; expected a number",
        7: "missing indicator",
    }


def test_wide_file(workspace: Workspace, fixtures: Path) -> None:
    [result] = ingest_files(workspace, "indicators", [fixtures / "indicators" / "wide.csv"])
    assert counts(result) == (6, 4, 2)
    assert result.notes == ["column 'Region' holds text, not numbers: skipped"]
    rows = workspace.con.execute(
        "SELECT country, indicator, year, value FROM indicators ORDER BY source_row, indicator, year"
    ).fetchall()
    assert rows == [
        ("DEU", "rank", None, 1.0),
        ("DEU", "score", 2016, 80.0),
        ("DEU", "score", 2017, 81.0),
        ("XKX", "rank", None, 2.0),  # ISO3 "KSV" is unknown; the name is Kosovo
        ("XKX", "score", 2017, 39.0),  # NA is missing
        ("CIV", "score", 2017, 36.0),  # ".." and "n/a" are missing
        ("ESP", "rank", None, 4.0),
        ("ESP", "score", 2016, 57.0),
        ("ESP", "score", 2017, 57.0),
    ]
    assert reasons(workspace) == {
        3: "unrecognised country 'Narnia'; expected a country name or ISO code",
        5: "no indicator values",
    }


def test_wide_year_constant_and_exclude(workspace: Workspace, fixtures: Path) -> None:
    mapping = ColumnMapping.from_dict(
        {"constants": {"year": "2015"}, "options": {"exclude": ["Score 2016"]}}
    )
    path = fixtures / "indicators" / "wide.csv"
    ingest_files(workspace, "indicators", [path], mapping=mapping)
    rows = workspace.con.execute(
        "SELECT indicator, year, count(*) FROM indicators GROUP BY ALL ORDER BY 1, 2"
    ).fetchall()
    # The year in a column's name wins over the constant.
    assert rows == [("rank", 2015, 3), ("score", 2017, 4)]


def test_flags_and_dummies(workspace: Workspace, fixtures: Path) -> None:
    path = fixtures / "indicators" / "flags.csv"
    mapping = ColumnMapping.from_dict({"options": {"categorical": "dummies"}})
    [result] = ingest_files(workspace, "indicators", [path], mapping=mapping)
    assert counts(result) == (3, 3, 0)
    rows = workspace.con.execute(
        "SELECT country, indicator, value FROM indicators ORDER BY source_row, indicator"
    ).fetchall()
    # NA in the ISO2 column is Namibia, not a missing value.
    assert rows == [
        ("AFG", "fsrb_apg", 1.0), ("AFG", "fsrb_esaamlg", 0.0), ("AFG", "fsrb_moneyval", 0.0),
        ("AFG", "ofac", 1.0), ("AFG", "score", 8.2),
        ("ALB", "fsrb_apg", 0.0), ("ALB", "fsrb_esaamlg", 0.0), ("ALB", "fsrb_moneyval", 1.0),
        ("ALB", "ofac", 0.0), ("ALB", "score", 4.36),
        ("NAM", "fsrb_apg", 0.0), ("NAM", "fsrb_esaamlg", 1.0), ("NAM", "fsrb_moneyval", 0.0),
        ("NAM", "ofac", 0.0), ("NAM", "score", 5.1),
    ]  # fmt: skip


def test_text_column_skipped_by_default(workspace: Workspace, fixtures: Path) -> None:
    [result] = ingest_files(workspace, "indicators", [fixtures / "indicators" / "flags.csv"])
    assert result.notes == ["column 'fsrb' holds text, not numbers: skipped"]
    assert workspace.count("indicators") == 6


def test_only_text_columns_is_an_error(workspace: Workspace, fixtures: Path) -> None:
    with pytest.raises(InputError, match=r"regions_only\.csv: no numeric or yes/no column"):
        ingest_files(workspace, "indicators", [fixtures / "indicators" / "regions_only.csv"])


def test_missing_country_column(workspace: Workspace, fixtures: Path) -> None:
    with pytest.raises(MissingColumnsError, match=r"missing required column\(s\) country"):
        ingest_files(workspace, "indicators", [fixtures / "indicators" / "no_country.csv"])


def test_bad_option(workspace: Workspace, fixtures: Path) -> None:
    mapping = ColumnMapping.from_dict({"options": {"categorical": "onehot"}})
    with pytest.raises(InputError, match="expected skip or dummies"):
        ingest_files(
            workspace, "indicators", [fixtures / "indicators" / "wide.csv"], mapping=mapping
        )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Criminality avg", "criminality_avg"),
        ("Logistics Quality & Competence", "logistics_quality_competence"),
        ("Côte d'Ivoire", "cote_d_ivoire"),
        ("Non-renewable resource crimes", "non_renewable_resource_crimes"),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_historic_names() -> None:
    assert historic_iso3("Yugoslavia") == "YUG"
    assert historic_iso3("Serbia & Montenegro") == "SCG"
    assert historic_iso3("Atlantis") is None


def test_doubled_carriage_returns(workspace: Workspace, tmp_path: Path) -> None:
    """Line ends of "\\r\\r\\n" (as in the real CPI 1995-2017 file) and an apostrophe in
    a name defeat DuckDB's dialect sniffer unless staging is lenient."""
    path = tmp_path / "cpi.csv"
    path.write_bytes(
        b'country,2016\r\r\nFrance,1.5\r\r\nCote d\'Ivoire,2\r\r\n"Korea, South",3\r\r\n'
    )
    [result] = ingest_files(workspace, "indicators", [path])
    assert counts(result) == (3, 3, 0)
    rows = workspace.con.execute(
        "SELECT country, indicator, year, value FROM indicators ORDER BY source_row"
    ).fetchall()
    assert rows == [("FRA", "cpi", 2016, 1.5), ("CIV", "cpi", 2016, 2.0), ("KOR", "cpi", 2016, 3.0)]
