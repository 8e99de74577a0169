"""Incidents reader: seizure records with routes; the real EIA and court files load
through the example mappings, and broken rows are quarantined with reasons."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from greymap import InputError, Workspace, ingest_files
from greymap.errors import MissingColumnsError
from greymap.sources import ColumnMapping
from greymap.sources.incidents import SECTORS, normalise_sector
from greymap.workspace import IngestResult

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "mappings"
EIA = "eia_pangolin_seizures_2000_2019.csv"


def counts(result: IngestResult) -> tuple[int, int, int]:
    return (result.rows_read, result.rows_loaded, result.rows_quarantined)


def reasons(ws: Workspace) -> dict[int, str]:
    return dict(ws.con.execute("SELECT source_row, reason FROM quarantine").fetchall())


def test_real_eia_seizures_load(workspace: Workspace, shared_data: Path) -> None:
    """1,104 EIA incidents: 1,099 load; the 5 whose seizing country is "Various" cannot
    be placed in any country and are the only ones quarantined."""
    mapping = ColumnMapping.load(EXAMPLES / "eia_pangolin_seizures.yaml")
    path = shared_data / "pangolin-seizures" / EIA
    [result] = ingest_files(workspace, "incidents", [path], mapping=mapping)
    assert counts(result) == (1104, 1099, 5)
    assert reasons(workspace) == {
        row: "bad country 'Various'; expected a country name or ISO code"
        for row in (193, 237, 446, 750, 1035)
    }
    # Place text naming no country (a city, a province) is noted, not rejected.
    assert any(n.startswith("transit_countries: 34 place text(s)") for n in result.notes)


def test_real_eia_values(workspace: Workspace, shared_data: Path) -> None:
    mapping = ColumnMapping.load(EXAMPLES / "eia_pangolin_seizures.yaml")
    ingest_files(workspace, "incidents", [shared_data / "pangolin-seizures" / EIA], mapping=mapping)

    def row(n: int) -> tuple[object, ...] | None:
        return workspace.con.execute(
            "SELECT incident_id, date, country, sector, quantity, origin_country, "
            "transit_countries, destination_country FROM incidents WHERE source_row = ?",
            [n],
        ).fetchone()

    # "Fanling Customs seized 2145 kg pangolin scales arriving from Indonesia" (via).
    assert row(1) == ("eia-1", date(2000, 3, 15), "HKG", "wildlife", 2145.0, None, ["IDN"], None)
    # Date "SPLIT 2014-2015" is unreadable: the year column (2015) gives 1 January.
    assert row(1061)[1:3] == (date(2015, 1, 1), "CHN")  # type: ignore[index]
    # "China - Taiwan" is mapped; of "Cameroon, Central African Republic, Democratic
    # Republic of Congo" the origin keeps the first; "Asia (Vietnam)" is Vietnam.
    assert row(22)[2] == "TWN"  # type: ignore[index]
    assert row(950)[5:] == ("CMR", ["CMR"], "VNM")  # type: ignore[index]
    # "Kinshasa (DRC), Xiamen (China)"
    assert row(1100)[6] == ["COD", "CHN"]  # type: ignore[index]
    summary = workspace.con.execute(
        "SELECT count(*) FILTER (len(transit_countries) > 0), count(DISTINCT country), "
        "min(date), max(date) FROM incidents"
    ).fetchone()
    # 54 spellings of the seizing country ("India", " India", "Congo", "Republic of the
    # Congo (Congo-Brazzaville)", "Various"...) are 46 countries.
    assert summary == (195, 46, date(2000, 3, 15), date(2019, 8, 26))


def test_real_court_files_load(workspace: Workspace, shared_data: Path) -> None:
    mapping = ColumnMapping.load(EXAMPLES / "china_court_seizures.yaml")
    folder = shared_data / "pangolin-seizures"
    files = sorted(folder.glob("china_*_court_seizures_2017_2019.csv"))
    results = ingest_files(workspace, "incidents", files, mapping=mapping)
    assert [counts(r) for r in results] == [(5, 5, 0), (20, 20, 0)]
    first = workspace.con.execute(
        "SELECT date, country, quantity, unit FROM incidents WHERE incident_id = '2' LIMIT 1"
    ).fetchone()
    # Year 2012, Month 04, Day 24.0; "4;\n41" live and frozen pangolins.
    assert first == (date(2012, 4, 24), "CHN", 45.0, "no.")
    origin = workspace.con.execute(
        "SELECT DISTINCT origin_country FROM incidents WHERE incident_id = '151'"
    ).fetchall()
    assert origin == [("VNM",)]


def test_small_file_normalises_and_quarantines(workspace: Workspace, fixtures: Path) -> None:
    [result] = ingest_files(workspace, "incidents", [fixtures / "incidents" / "small.csv"])
    assert counts(result) == (11, 2, 9)
    rows = workspace.con.execute(
        "SELECT incident_id, date, country, sector, hs_code, quantity, value_usd, "
        "origin_country, transit_countries, destination_country, shipper_name "
        "FROM incidents ORDER BY source_row"
    ).fetchall()
    assert rows == [
        ("I1", date(2019, 3, 15), "VNM", "wildlife", "050790", 120.0, 50000.0,
         "NGA", ["SGP", "MYS"], "CHN", "Acme Ltd"),
        ("I2", date(2019, 3, 15), "FRA", "forced-labour", None, None, None,
         None, [], None, None),
    ]  # fmt: skip
    assert reasons(workspace) == {
        3: "bad country 'Atlantis'; expected a country name or ISO code",
        4: "bad date 'someday'; expected an ISO 8601 date such as 2019-03-15",
        5: "bad quantity '-5'; expected a non-negative number",
        6: "bad hs_code '12AB'; expected an HS code in the nomenclature",
        7: "unknown sector 'guns'; expected one of " + ", ".join(SECTORS),
        8: "bad transit_countries Narnia; expected country names or ISO codes",
        9: "bad value_usd '-1'; expected a non-negative number",
        10: "missing incident_id",
        11: "missing date",
    }


def test_free_text_routes_and_year_dates(workspace: Workspace, fixtures: Path) -> None:
    mapping = ColumnMapping.from_dict(
        {
            "columns": {
                "incident_id": "Ref",
                "country": "Seized in",
                "year": "Year",
                "transit_countries": "Route",
            },
            "options": {
                "date_from_year": True,
                "place_text": ["transit_countries"],
                "list_separator": r"\s*(?:[,;/()]|\band\b|^via\b)\s*",
            },
        }
    )
    path = fixtures / "incidents" / "routes.csv"
    [result] = ingest_files(workspace, "incidents", [path], mapping=mapping)
    assert counts(result) == (3, 2, 1)
    rows = workspace.con.execute(
        "SELECT incident_id, date, country, transit_countries FROM incidents ORDER BY 1"
    ).fetchall()
    assert rows == [
        ("R1", date(2015, 1, 1), "THA", ["MYS"]),
        ("R2", date(2017, 1, 1), "KEN", ["NGA", "TUR"]),
    ]
    assert reasons(workspace) == {3: "bad year 'soon'; expected a year such as 2019"}
    assert result.notes == [
        "transit_countries: 1 place text(s) name no country and were left empty (e.g. 'Douala')"
    ]


def test_missing_required_column(workspace: Workspace, fixtures: Path) -> None:
    with pytest.raises(MissingColumnsError, match=r"missing required column\(s\) date"):
        ingest_files(workspace, "incidents", [fixtures / "incidents" / "no_date.csv"])
    assert workspace.count("ingests") == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"separator": ","}, "unknown incidents option"),
        ({"list_separator": "(["}, "not a valid regex"),
        ({"place_text": ["shipper_name"]}, "expected country columns"),
        ({"incident_id_template": "eia"}, "must contain {row}"),
    ],
)
def test_bad_options_are_clear_errors(
    workspace: Workspace, fixtures: Path, options: dict[str, object], message: str
) -> None:
    mapping = ColumnMapping.from_dict({"options": options})
    with pytest.raises(InputError, match=message.replace("{", r"\{").replace("}", r"\}")):
        ingest_files(
            workspace, "incidents", [fixtures / "incidents" / "small.csv"], mapping=mapping
        )


@pytest.mark.parametrize(
    ("raw", "slug"),
    [
        ("Wildlife", "wildlife"),
        (" Agri Food ", "agri-food"),
        ("counterfeiting_and_piracy", "counterfeiting-and-piracy"),
        ("Precious metals & gemstones", "precious-metals-and-gemstones"),
        ("FORCED-LABOUR", "forced-labour"),
        ("forced labor", None),
        ("drugs", None),
    ],
)
def test_sector_normalisation(raw: str, slug: str | None) -> None:
    assert normalise_sector(raw) == slug
