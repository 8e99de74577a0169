"""CEPII BACI reader: reconciled flows as exporters' exports, in USD and kg."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from greymap import InputError, Workspace, ingest_files
from greymap.sources.baci import classification

COLUMNS = (
    "source_row, source, reporter, reporter_code, partner, partner_code, partner_special, "
    "flow, hs_code, classification, year, month, value_usd, fob_value_usd, quantity, "
    "quantity_unit, net_weight_kg"
)


def test_current_release(workspace: Workspace, fixtures: Path) -> None:
    path = fixtures / "baci" / "v2024" / "BACI_HS17_Y2019_V202401.csv"
    [r] = ingest_files(workspace, "baci", [path])
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (12, 6, 6)
    rows = workspace.con.execute(f"SELECT {COLUMNS} FROM trade_flows ORDER BY 1").fetchall()
    thai, fra, usa, ind, twn, kosovo = rows
    # v is thousands of USD and q metric tons.
    assert thai == (
        1, "baci", "THA", "764", "USA", "842", None, "export", "160414", "H5", 2019, None,
        451_841_944.0, 451_841_944.0, 94_398.964, "t", 94_398_964.0,
    )  # fmt: skip
    # 490 is "S19" in BACI's table, no ISO code: Taiwan by Comtrade's convention.
    assert fra[2:7] + fra[12:13] + fra[16:] == ("FRA", "251", "TWN", "490", None, 185.0, 3.0)
    assert usa[4:7] == (None, "899", "areas-nes")
    # "30231" lost its leading zero; "NA" (padded with spaces) is no quantity.
    assert ind[8:9] + ind[14:] == ("030231", None, None, None)
    assert twn[2:4] == ("TWN", "490")
    # 412 is only in BACI's own table (Kosovo, XKX).
    assert kosovo[2:4] == ("XKX", "412")


def test_current_release_bad_rows(workspace: Workspace, fixtures: Path) -> None:
    path = fixtures / "baci" / "v2024" / "BACI_HS17_Y2019_V202401.csv"
    ingest_files(workspace, "baci", [path])
    reasons = dict(workspace.con.execute("SELECT source_row, reason FROM quarantine").fetchall())
    assert reasons == {
        6: "bad exporter code '999'; expected a BACI (UN Comtrade) country code",
        7: "bad product code '999998'; expected an HS6 code",
        8: "bad value v '-3'; expected a non-negative number",
        9: "bad value v 'abc'; expected a non-negative number",
        10: "bad year '19'; expected a year between 1900 and 2100",
        11: "exporter 0 (World) is not a country; expected a country as exporter",
    }


def test_old_release_latin1_codes_and_product_list(workspace: Workspace, fixtures: Path) -> None:
    path = fixtures / "baci" / "v2020" / "BACI_HS92_Y1995_V202001.csv"
    [r] = ingest_files(workspace, "baci", [path])
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (3, 2, 1)
    rows = workspace.con.execute(
        "SELECT reporter, partner, hs_code, classification, year, value_usd, net_weight_kg "
        "FROM trade_flows ORDER BY source_row"
    ).fetchall()
    # 846911 (HS92 typewriters) is gone from today's HS but is in the release's own list.
    assert rows == [
        ("CIV", "FRA", "180100", "H0", 1995, 10_500.0, 2_250.0),
        ("USA", "DEU", "846911", "H0", 1995, 3_250.0, 500.0),
    ]
    reason = workspace.con.execute("SELECT reason FROM quarantine").fetchone()
    assert reason == ("bad product code '846999'; expected an HS6 code",)


def test_without_country_table_falls_back_to_comtrade_codes(
    workspace: Workspace, fixtures: Path, tmp_path: Path
) -> None:
    path = tmp_path / "BACI_HS17_Y2019_V202401.csv"
    shutil.copy(fixtures / "baci" / "v2024" / path.name, path)
    [r] = ingest_files(workspace, "baci", [path])
    assert "no country_codes*.csv beside the file" in r.notes[0]
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (12, 5, 7)
    reason = workspace.con.execute("SELECT reason FROM quarantine WHERE source_row = 12")
    assert reason.fetchone() == (
        "bad exporter code '412'; expected a BACI (UN Comtrade) country code",
    )
    reporters = workspace.con.execute("SELECT list(reporter ORDER BY source_row) FROM trade_flows")
    assert reporters.fetchone() == (["THA", "FRA", "USA", "IND", "TWN"],)


def test_reference_table_passed_as_data_is_refused(workspace: Workspace, fixtures: Path) -> None:
    path = fixtures / "baci" / "v2024" / "country_codes_V202401.csv"
    with pytest.raises(InputError, match="is a BACI reference table"):
        ingest_files(workspace, "baci", [path])
    assert workspace.count("ingests") == 0


def test_missing_columns_and_wrong_delimiter(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "BACI_HS17_Y2019_V202401.csv"
    path.write_text("t,i,j,k\n2019,764,842,160414\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"missing required column\(s\) v; expected at least t"):
        ingest_files(workspace, "baci", [path])
    path.write_text("t|i|j|k|v|q\n2019|764|842|160414|1|1\n", encoding="utf-8")
    [r] = ingest_files(workspace, "baci", [path])  # DuckDB detects "|"
    assert r.rows_loaded == 1
    path.write_text("t#i#j#k#v#q\n2019#764#842#160414#1#1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"missing required column\(s\) t, i.*found t#i#j#k#v#q"):
        ingest_files(workspace, "baci", [path])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("BACI_HS92_Y1995_V202401.csv", "H0"),
        ("BACI_HS17_Y2022_V202401b.csv", "H5"),
        ("BACI_HS22_Y2022_V202401.csv", "H6"),
        ("trade.csv", None),
    ],
)
def test_classification_from_file_name(name: str, expected: str | None) -> None:
    assert classification(Path(name)) == expected
