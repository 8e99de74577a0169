"""UN Comtrade reader: three column sets, monthly and annual, Comtrade's own area codes."""

from __future__ import annotations

import csv
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry
import pytest

from greymap import InputError, Workspace, ingest_files
from greymap.errors import MissingColumnsError
from greymap.sources.comtrade import area_by_code, area_by_iso
from tests.conftest import CliResult

COLUMNS = (
    "source_row, reporter, reporter_code, partner, partner_code, partner_special, flow, "
    "flow_detail, hs_code, classification, year, month, value_usd, cif_value_usd, "
    "fob_value_usd, quantity, quantity_unit, net_weight_kg"
)


def load(ws: Workspace, path: Path) -> tuple[tuple[int, int, int], list[tuple[Any, ...]]]:
    [r] = ingest_files(ws, "comtrade", [path])
    rows = ws.con.execute(f"SELECT {COLUMNS} FROM trade_flows ORDER BY source_row").fetchall()
    return (r.rows_read, r.rows_loaded, r.rows_quarantined), rows


def reasons(ws: Workspace) -> dict[int, str]:
    return dict(ws.con.execute("SELECT source_row, reason FROM quarantine").fetchall())


# -- Comtrade+ ---------------------------------------------------------------------------
def test_plus_monthly(workspace: Workspace, fixtures: Path) -> None:
    counts, rows = load(workspace, fixtures / "comtrade" / "plus_monthly.csv")
    assert counts == (14, 7, 7)
    thai, usa, nes, fra, world, che, ind = rows
    # fob 0 in Comtrade+ means "not available": NULL, not zero.
    assert thai == (
        1, "THA", "764", "USA", "842", None, "export", "export", "160414", "H5",
        2019, 3, 1000.5, None, 1000.5, 100.0, "kg", 100.0,
    )  # fmt: skip
    assert usa[1:9] == ("USA", "842", "THA", "764", None, "import", "import", "160414")
    assert (usa[13], usa[14]) == (1200.0, 1150.0)
    assert nes[3:8] == (None, "899", "areas-nes", "export", "domestic-export")
    assert fra[1:8] == ("FRA", "251", "TWN", "490", None, "import", "foreign-import")
    # "TOTAL" is a commodity code; unit N/A means no quantity.
    assert world[3:6] == (None, "0", "world")
    assert (world[8], world[15], world[16]) == ("TOTAL", None, None)
    assert che[1:8] == ("CHE", "757", None, "837", "bunkers", "re-export", "re-export")
    assert ind[1:8] == (
        "IND",
        "699",
        "NOR",
        "579",
        None,
        "export",
        "export-after-inward-processing",
    )


def test_plus_monthly_bad_rows(workspace: Workspace, fixtures: Path) -> None:
    ingest_files(workspace, "comtrade", [fixtures / "comtrade" / "plus_monthly.csv"])
    assert reasons(workspace) == {
        7: "bad reporter code '999'; expected a UN Comtrade country or area code",
        8: "bad commodity code '999998'; expected an HS code in the nomenclature or TOTAL",
        9: "bad primary_value '-5'; expected a non-negative number",
        10: "unknown flow code 'ZZ'; expected one of M, X, RM, RX, DX, FM, MIP, XIP, MOP, XOP "
        "or legacy 1-4",
        11: "bad period '201913'; expected YYYY or YYYYMM; "
        "bad refMonth '13'; expected 1-12 (or 52 for a year)",
        12: "breakdown row mot_code '2100'; expected 0 (totals only)",
        14: "reporter 0 (World) is not a country; expected a country as reporter",
    }
    raw = workspace.con.execute("SELECT raw FROM quarantine WHERE source_row = 7").fetchone()
    assert raw is not None and raw[0].startswith("C,M,20190301,2019,3,201903,999,XXX,Atlantis,")


def test_plus_annual(workspace: Workspace, fixtures: Path) -> None:
    counts, rows = load(workspace, fixtures / "comtrade" / "plus_annual.csv")
    assert counts == (4, 2, 2)
    # refMonth 52 is Comtrade+'s "whole year": month stays empty.
    assert [r[1:13] for r in rows] == [
        ("ITA", "380", "DEU", "276", None, "export", "export", "030231", "H5", 2019, None, 500.0),
        ("DEU", "276", "ITA", "380", None, "import", "import", "030231", "H5", 2019, None, 550.0),
    ]
    assert reasons(workspace) == {
        3: "period 2019 disagrees with year 2018",
        4: "bad commodity code '0341'; expected an HS code in the nomenclature or TOTAL; "
        "non-HS classification 'S4'; expected H0..H6 or HS",
    }


# -- legacy bulk columns -----------------------------------------------------------------
def test_legacy_annual(workspace: Workspace, fixtures: Path) -> None:
    counts, rows = load(workspace, fixtures / "comtrade" / "legacy_annual.csv")
    assert counts == (6, 4, 2)
    export, imp, rx, rm = rows
    # "30231" lost its leading zero in a spreadsheet; an empty CIF/FOB is NULL.
    assert export == (
        1, "USA", "842", "CAN", "124", None, "export", "export", "030231", "H4",
        2015, None, 25000.0, None, None, 1500.0, "kg", 1500.0,
    )  # fmt: skip
    assert (imp[6], imp[13]) == ("import", 26000.0)
    # Qty Unit Code 1 is "No Quantity".
    assert rx[1:9] == ("IND", "699", "CHE", "757", None, "re-export", "re-export", "1604")
    assert rx[15:] == (None, None, 20.0)
    assert rm[3:8] == (None, "0", "world", "re-import", "re-import")
    assert reasons(workspace) == {
        5: "unknown flow code '7'; expected one of M, X, RM, RX, DX, FM, MIP, XIP, MOP, XOP "
        "or legacy 1-4",
        6: "bad period '1850'; expected YYYY or YYYYMM; "
        "bad year '1850'; expected a year between 1900 and 2100",
    }


def test_legacy_monthly(workspace: Workspace, fixtures: Path) -> None:
    counts, rows = load(workspace, fixtures / "comtrade" / "legacy_monthly.csv")
    assert counts == (3, 2, 1)
    # 490 "Other Asia, nes" has no ISO column in the legacy files: Taiwan by convention.
    assert [r[1:5] + r[10:13] + r[15:17] for r in rows] == [
        ("TWN", "490", "USA", "842", 2016, 4, 480.0, 12.0, "u"),
        ("USA", "842", "TWN", "490", 2016, 4, 510.0, 12.0, "u"),
    ]
    assert reasons(workspace) == {
        3: "bad reporter code 'abc'; expected a UN Comtrade country or area code"
    }


# -- snake_case spelling (as in shared/data/comtrade-tuna-2019) ---------------------------
def test_snake_monthly(workspace: Workspace, fixtures: Path) -> None:
    counts, rows = load(workspace, fixtures / "comtrade" / "snake_monthly.csv")
    assert counts == (3, 3, 0)
    assert [r[1:7] + r[10:12] + r[15:] for r in rows] == [
        ("ABW", "533", "USA", "842", None, "import", 2019, 1, 13899.5, "kg", 13899.5),
        ("ABW", "533", None, "899", "areas-nes", "import", 2019, 1, 23846.3, "kg", 23846.3),
        ("CHN", "156", None, "838", "free-zones", "export", 2019, 2, None, None, 120.0),
    ]


def test_snake_annual(workspace: Workspace, fixtures: Path) -> None:
    counts, rows = load(workspace, fixtures / "comtrade" / "snake_annual.csv")
    assert counts == (3, 3, 0)
    assert [r[1:7] + r[10:15] for r in rows] == [
        ("ABW", "533", None, "899", "areas-nes", "import", 2019, None, 53546.0, 53546.0, None),
        ("AGO", "24", "PRT", "620", None, "import", 2019, None, 261.548, 261.548, None),
        ("AGO", "24", None, "568", "other-europe-nes", "export", 2019, None, 10.0, None, 10.0),
    ]


def test_iso_columns_are_read_when_codes_are_missing(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "iso.csv"
    path.write_text(
        "period,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,cmdCode,primaryValue\n"
        "2020,,FRA,X,,W00,TOTAL,10\n"
        "2020,,FRA,X,,S19,TOTAL,10\n"
        "2020,,,X,842,USA,TOTAL,10\n",
        encoding="utf-8",
    )
    counts, rows = load(workspace, path)
    assert counts == (3, 2, 1)
    assert [r[1:6] for r in rows] == [
        ("FRA", None, None, None, "world"),
        ("FRA", None, "TWN", None, None),
    ]
    assert reasons(workspace) == {3: "missing reporter code"}


# -- broken files ------------------------------------------------------------------------
def test_file_that_is_not_comtrade(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "shipments.csv"
    path.write_text("shipment_id,shipper_name,hs_code\nS1,Acme,870323\n", encoding="utf-8")
    with pytest.raises(MissingColumnsError) as err:
        ingest_files(workspace, "comtrade", [path])
    message = str(err.value)
    assert "shipments.csv: missing required column(s) reporter_code, partner_code" in message
    assert "found shipment_id, shipper_name, hs_code" in message
    assert workspace.count("ingests") == 0


def test_file_without_period_or_year(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "noyear.csv"
    path.write_text(
        "reporterCode,partnerCode,flowCode,cmdCode,primaryValue\n842,124,X,160414,10\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"noyear\.csv: missing required column\(s\) period"):
        ingest_files(workspace, "comtrade", [path])


def test_semicolon_file_is_read_and_unknown_delimiter_names_columns(
    workspace: Workspace, tmp_path: Path, fixtures: Path
) -> None:
    text = (fixtures / "comtrade" / "snake_annual.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    semi = tmp_path / "semi.csv"
    semi.write_text("\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8")
    [r] = ingest_files(workspace, "comtrade", [semi])
    assert (r.rows_read, r.rows_loaded) == (3, 3)
    hashed = tmp_path / "hashed.csv"
    hashed.write_text("\n".join("#".join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"missing required column.*found year#reporter_code#"):
        ingest_files(workspace, "comtrade", [hashed])


def test_cli_json(cli: Callable[..., CliResult], fixtures: Path) -> None:
    result = cli("ingest", "comtrade", str(fixtures / "comtrade" / "plus_annual.csv"), "-f", "json")
    assert result.code == 0, result.stderr
    [record] = result.json()
    assert (record["rows_read"], record["rows_loaded"], record["rows_quarantined"]) == (4, 2, 2)


# -- area codes --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "iso3", "special"),
    [
        ("842", "USA", None),
        ("251", "FRA", None),
        ("699", "IND", None),
        ("757", "CHE", None),
        ("579", "NOR", None),
        ("381", "ITA", None),
        ("380", "ITA", None),
        ("490", "TWN", None),
        ("0842", "USA", None),
        ("842.0", "USA", None),
        ("810", "SUN", None),  # dissolved: ISO 3166-3 through pycountry
        ("0", None, "world"),
        ("899", None, "areas-nes"),
        ("837", None, "bunkers"),
        ("838", None, "free-zones"),
        ("839", None, "special-categories"),
        ("97", None, "eu"),
        ("568", None, "other-europe-nes"),
        ("492", None, "europe-eu-nes"),  # Comtrade's, not ISO's Monaco
    ],
)
def test_area_codes(code: str, iso3: str | None, special: str | None) -> None:
    area = area_by_code(code)
    assert area is not None
    assert (area.iso3, area.special) == (iso3, special)


def test_unknown_codes_and_iso_column() -> None:
    assert area_by_code("999") is None
    assert area_by_code("abc") is None
    assert area_by_iso("_X ") == area_by_code("899")
    assert area_by_iso("W00") == area_by_code("0")
    assert area_by_iso("S19") == area_by_code("490")
    iso = area_by_iso("fra")
    assert iso is not None and iso.iso3 == "FRA"
    assert area_by_iso("XYZ") is None


def test_area_table_is_consistent() -> None:
    path = resources.files("greymap.reference") / "data" / "comtrade_areas.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    known = {c.alpha_3 for c in pycountry.countries}
    known |= {h.alpha_3 for h in pycountry.historic_countries}
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    specials = [r["special"] for r in rows if r["special"]]
    assert len(specials) == len(set(specials))
    for row in rows:
        assert bool(row["iso3"]) != bool(row["special"]), row
        assert not row["iso3"] or row["iso3"] in known, row


# -- the real files ----------------------------------------------------------------------
def test_real_monthly_file(workspace: Workspace, shared_data: Path) -> None:
    path = shared_data / "comtrade-tuna-2019" / "comtrade_hs160414_2019_monthly.csv"
    [r] = ingest_files(workspace, "comtrade", [path])
    assert r.rows_read == 27_677
    assert r.rows_loaded + r.rows_quarantined == 27_677
    assert r.rows_quarantined == 0
    con = workspace.con
    details = dict(
        con.execute("SELECT flow_detail, count(*) FROM trade_flows GROUP BY 1").fetchall()
    )
    assert details == {
        "import": 10_833,
        "export": 11_284,
        "foreign-import": 2_138,
        "domestic-export": 2_636,
        "re-export": 718,
        "re-import": 47,
        "import-for-inward-processing": 17,
        "export-for-outward-processing": 4,
    }
    partners = dict(
        con.execute(
            "SELECT partner_code, coalesce(partner, partner_special) FROM trade_flows "
            "WHERE partner_code IN ('899', '490', '837', '838', '839', '568', '577') "
            "GROUP BY ALL"
        ).fetchall()
    )
    assert partners == {
        "899": "areas-nes",
        "490": "TWN",
        "837": "bunkers",
        "838": "free-zones",
        "839": "special-categories",
        "568": "other-europe-nes",
        "577": "other-africa-nes",
    }
    months = con.execute("SELECT min(month), max(month), min(year), max(year) FROM trade_flows")
    assert months.fetchone() == (1, 12, 2019, 2019)


def test_real_annual_file_mirror_values(workspace: Workspace, shared_data: Path) -> None:
    path = shared_data / "comtrade-tuna-2019" / "comtrade_tuna_hs6_2019_annual_from_monthly.csv"
    [r] = ingest_files(workspace, "comtrade", [path])
    assert (r.rows_read, r.rows_loaded + r.rows_quarantined) == (10_643, 10_643)
    mirror = dict(
        workspace.con.execute(
            "SELECT flow, value_usd FROM trade_flows WHERE hs_code = '160414' "
            "AND (reporter, partner, flow) IN (('THA', 'USA', 'export'), ('USA', 'THA', 'import'))"
        ).fetchall()
    )
    # SOURCES.md: Thailand->USA HS160414, X = 451.8 M USD vs M = 526.9 M USD, ratio 1.17.
    assert mirror["export"] == pytest.approx(451_841_943.814)
    assert mirror["import"] == pytest.approx(526_905_091.0)
    assert round(mirror["import"] / mirror["export"], 2) == 1.17


def test_duckdb_progress_bar_is_off(workspace: Workspace) -> None:
    """DuckDB prints its own progress bar on stdout for queries over ~2 s, which broke
    ``ingest --format json`` on large Comtrade files; the workspace turns it off."""
    setting = workspace.con.execute("SELECT current_setting('enable_progress_bar')")
    assert setting.fetchone() == (False,)
