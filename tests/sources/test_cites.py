"""CITES reader: three layouts told apart by the header, both sides' quantities kept apart,
special and historic country codes kept without error."""

from __future__ import annotations

from pathlib import Path

import pytest

from greymap import InputError, Workspace, ingest_files
from greymap.errors import MissingColumnsError
from greymap.sources import ColumnMapping
from greymap.workspace import IngestResult

COLUMNS = (
    "year, taxon, importer, exporter, origin, importer_reported_quantity, "
    "exporter_reported_quantity, reporter_type, record_id, importer_code, exporter_code, "
    "origin_code, tabulation"
)


def counts(result: IngestResult) -> tuple[int, int, int]:
    return (result.rows_read, result.rows_loaded, result.rows_quarantined)


def reasons(ws: Workspace) -> dict[int, str]:
    return dict(ws.con.execute("SELECT source_row, reason FROM quarantine").fetchall())


def test_real_files_all_load(workspace: Workspace, shared_data: Path) -> None:
    folder = shared_data / "cites-pangolin"
    results = ingest_files(workspace, "cites", sorted(folder.glob("*.csv")))
    by_name = {Path(r.path).stem.replace("_manidae", ""): counts(r) for r in results}
    assert by_name == {
        "cites_comptab_1977_2019": (1607, 1607, 0),
        "cites_gross_exports": (502, 502, 0),
        "cites_gross_imports": (439, 439, 0),
        "cites_net_exports": (482, 482, 0),
        "cites_net_imports": (418, 418, 0),
        "cites_shipments": (3631, 3631, 0),
    }
    per_tabulation = dict(
        workspace.con.execute(
            "SELECT tabulation, count(*) FROM cites_trade GROUP BY 1 ORDER BY 1"
        ).fetchall()
    )
    # Gross/net tables give one row per non-empty year cell.
    assert per_tabulation == {
        "comparative": 1607,
        "gross_exports": 1077,
        "gross_imports": 1048,
        "net_exports": 965,
        "net_imports": 968,
        "shipments": 3631,
    }


def test_real_shipments_split_by_reporter(workspace: Workspace, shared_data: Path) -> None:
    path = shared_data / "cites-pangolin" / "cites_shipments_manidae.csv"
    ingest_files(workspace, "cites", [path])
    split = workspace.con.execute(
        "SELECT reporter_type, count(*), count(importer_reported_quantity), "
        "count(exporter_reported_quantity), round(sum(importer_reported_quantity), 3), "
        "round(sum(exporter_reported_quantity), 3) FROM cites_trade GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert split == [("E", 1252, 0, 1252, None, 414174.556), ("I", 2379, 2379, 0, 736176.176, None)]
    first = workspace.con.execute(
        f"SELECT {COLUMNS} FROM cites_trade WHERE record_id = '326704'"
    ).fetchone()
    # 326704,1979,II,Manis spp.,...,skins,356,"",US,ES,XX,T,"",I
    assert first == (
        1979, "Manis spp.", "USA", "ESP", None, 356.0, None, "I", "326704",
        "US", "ES", "XX", "shipments",
    )  # fmt: skip


def test_real_gross_exports_match_imports(workspace: Workspace, shared_data: Path) -> None:
    folder = shared_data / "cites-pangolin"
    ingest_files(workspace, "cites", sorted(folder.glob("cites_gross_*.csv")))
    exported, imported = workspace.con.execute(
        "SELECT sum(exporter_reported_quantity) FILTER (tabulation = 'gross_exports'), "
        "sum(importer_reported_quantity) FILTER (tabulation = 'gross_imports') FROM cites_trade"
    ).fetchone() or (0, 0)
    assert round(exported, 3) == round(imported, 3) == 941527.732
    soviet = workspace.con.execute(
        "SELECT DISTINCT importer, importer_code FROM cites_trade WHERE importer_code = 'SU'"
    ).fetchall()
    assert soviet == [("SUN", "SU")]


def test_comparative_codes_and_quarantine(workspace: Workspace, fixtures: Path) -> None:
    [result] = ingest_files(workspace, "cites", [fixtures / "cites" / "comptab_small.csv"])
    assert counts(result) == (6, 3, 3)
    rows = workspace.con.execute(
        f"SELECT {COLUMNS} FROM cites_trade ORDER BY source_row"
    ).fetchall()
    assert rows == [
        # XX (unknown origin) is no error: no country, the code kept.
        (1977, "Manis javanica", "FRA", "GBR", None, None, 4.0, None, None,
         "FR", "GB", "XX", "comparative"),
        # Historic codes: SU is the USSR; CS was Czechoslovakia in 1980 ...
        (1980, "Manis spp.", "SUN", "CSK", None, 10.0, 12.0, None, None,
         "SU", "CS", None, "comparative"),
        # ... and Serbia and Montenegro in 2005; ZZ is the high seas.
        (2005, "Manis spp.", "SCG", None, None, 1.5, None, None, None,
         "CS", "ZZ", None, "comparative"),
    ]  # fmt: skip
    why = reasons(workspace)
    assert why[4] == "bad importer 'ZQ'; expected an ISO 3166 alpha-2 country code"
    assert why[5] == (
        "missing taxon; bad exporter_reported_quantity '-2'; expected a non-negative number"
    )
    assert why[6] == (
        "bad year '20X6'; expected a year such as 2016; "
        "no quantity: importer- and exporter-reported quantities are both empty"
    )


def test_namibia_is_not_a_missing_value(workspace: Workspace, fixtures: Path) -> None:
    ingest_files(workspace, "cites", [fixtures / "cites" / "comptab_small.csv"])
    raw = workspace.con.execute("SELECT raw FROM quarantine WHERE source_row = 4").fetchone()
    assert raw is not None and ",ZQ,NA," in raw[0]


def test_shipments_quantity_by_reporter_type(workspace: Workspace, fixtures: Path) -> None:
    [result] = ingest_files(workspace, "cites", [fixtures / "cites" / "shipments_small.csv"])
    assert counts(result) == (4, 2, 2)
    rows = workspace.con.execute(
        "SELECT record_id, importer_reported_quantity, exporter_reported_quantity, "
        "reporter_type, exporter FROM cites_trade ORDER BY source_row"
    ).fetchall()
    assert rows == [("1001", 2.0, None, "I", None), ("1002", None, 5.0, "E", "CHN")]
    why = reasons(workspace)
    assert why[3] == (
        "bad reporter_type 'X'; expected I (importer-reported) or E (exporter-reported)"
    )
    assert why[4] == "missing quantity"


def test_gross_table_unpivots_years(workspace: Workspace, fixtures: Path) -> None:
    path = fixtures / "cites" / "cites_gross_exports_small.csv"
    [result] = ingest_files(workspace, "cites", [path])
    assert counts(result) == (6, 3, 3)
    rows = workspace.con.execute(
        "SELECT source_row, year, exporter, exporter_code, importer, "
        "exporter_reported_quantity, importer_reported_quantity, tabulation "
        "FROM cites_trade ORDER BY source_row, year"
    ).fetchall()
    assert rows == [
        (1, 2017, "HKG", "HK", None, 14.8, None, "gross_exports"),
        (2, 2016, "IDN", "ID", None, 3.0, None, "gross_exports"),
        (2, 2018, "IDN", "ID", None, 5.0, None, "gross_exports"),
        (3, 2016, None, "XX", None, 1.0, None, "gross_exports"),
    ]
    why = reasons(workspace)
    assert why[4] == "bad country 'ZQ'; expected an ISO 3166 alpha-2 country code"
    assert why[5] == "no quantity in any year column"
    assert why[6] == (
        "bad quantity for 2017 'lots'; expected a non-negative number; "
        "bad quantity for 2018 '-1'; expected a non-negative number"
    )


def test_gross_table_kind_from_option(workspace: Workspace, fixtures: Path) -> None:
    path = fixtures / "cites" / "net_table_unnamed.csv"
    with pytest.raises(InputError, match=r"lists exports or imports.*options\.tabulation"):
        ingest_files(workspace, "cites", [path])
    mapping = ColumnMapping.from_dict({"options": {"tabulation": "net_imports"}})
    [result] = ingest_files(workspace, "cites", [path], mapping=mapping)
    assert counts(result) == (1, 1, 0)
    row = workspace.con.execute(
        "SELECT year, importer, exporter, importer_reported_quantity, tabulation FROM cites_trade"
    ).fetchone()
    assert row == (2017, "ZAF", None, 14.8, "net_imports")
    bad = ColumnMapping.from_dict({"options": {"tabulation": "exports"}})
    with pytest.raises(InputError, match="expected one of gross_exports"):
        ingest_files(workspace, "cites", [path], mapping=bad)


def test_unknown_layout_names_the_expected_ones(workspace: Workspace, fixtures: Path) -> None:
    with pytest.raises(InputError) as err:
        ingest_files(workspace, "cites", [fixtures / "cites" / "not_cites.csv"])
    message = str(err.value)
    assert "not_cites.csv: not a CITES layout" in message
    assert "comparative tabulation" in message and "gross/net trade table" in message
    assert workspace.count("ingests") == 0


def test_layout_missing_columns(workspace: Workspace, fixtures: Path) -> None:
    with pytest.raises(MissingColumnsError, match=r"missing required column.*taxon"):
        ingest_files(workspace, "cites", [fixtures / "cites" / "comptab_no_taxon.csv"])
    assert workspace.count("cites_trade") == 0
