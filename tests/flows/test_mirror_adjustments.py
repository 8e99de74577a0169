"""What mirror analysis explains away before it scores: each case worked out by hand.

Every flow below is honest; each pair disagrees for a known innocent reason. After the
adjustments no gap is left, so every score is 0.
"""

from __future__ import annotations

import pytest

from greymap import Workspace
from greymap.flows import MirrorParams, run_mirror

M = 0.05  # CIF/FOB margin used throughout

# (reporter, partner, partner_special, flow, hs_code, year, value_usd)
ROWS = [
    # Re-export: Thai tuna reaches the USA through Singapore. Thailand reports Singapore;
    # the USA reports Thailand (origin); Singapore's exports to the USA include it.
    ("THA", "SGP", None, "export", "160414", 2020, 100_000.0),
    ("SGP", "THA", None, "import", "160414", 2020, 105_000.0),
    ("USA", "THA", None, "import", "160414", 2020, 105_000.0),
    ("SGP", "USA", None, "export", "160414", 2020, 210_000.0),
    ("SGP", "USA", None, "re-export", "160414", 2020, 100_000.0),
    ("USA", "SGP", None, "import", "160414", 2020, 115_500.0),
    # Confidential: Indonesia hides its imports from Malaysia under "Areas n.e.s.".
    ("MYS", "IDN", None, "export", "160414", 2020, 300_000.0),
    ("IDN", None, "areas-nes", "import", "160414", 2020, 315_000.0),
    ("AUS", "IDN", None, "export", "160414", 2020, 50_000.0),
    ("IDN", "AUS", None, "import", "160414", 2020, 52_500.0),
    # Classification: Japan declares 030231, Korea the sibling 030232.
    ("JPN", "KOR", None, "export", "030231", 2020, 200_000.0),
    ("KOR", "JPN", None, "import", "030232", 2020, 210_000.0),
    # Timing: shipped by New Zealand in December 2020, received by Australia in 2021.
    ("NZL", "AUS", None, "export", "030233", 2020, 100_000.0),
    ("AUS", "NZL", None, "import", "030233", 2021, 105_000.0),
    ("NZL", "AUS", None, "export", "030234", 2020, 50_000.0),
    ("AUS", "NZL", None, "import", "030234", 2020, 52_500.0),
    ("NZL", "AUS", None, "export", "030234", 2021, 50_000.0),
    ("AUS", "NZL", None, "import", "030234", 2021, 52_500.0),
    # A unit slip: Peru reported in USD what was meant in hundreds.
    ("CHL", "PER", None, "export", "030235", 2020, 10_000.0),
    ("PER", "CHL", None, "import", "030235", 2020, 1_050_000.0),
]


def load(ws: Workspace) -> None:
    ws.con.executemany(
        "INSERT INTO trade_flows (source, reporter, partner, partner_special, flow, flow_detail, "
        "hs_code, year, value_usd, ingest_id, source_row) VALUES ('test',?,?,?,?,?,?,?,?,0,0)",
        [(r, p, sp, f, f, hs, y, v) for r, p, sp, f, hs, y, v in ROWS],
    )


@pytest.fixture
def gaps(workspace: Workspace) -> dict[tuple[str, str, str, int], dict[str, object]]:
    load(workspace)
    run_mirror(workspace, MirrorParams(cif_fob=M))
    cur = workspace.con.execute("SELECT * FROM mirror_gaps")
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    return {(r["exporter"], r["importer"], r["hs_code"], r["year"]): r for r in rows}


def test_reexports_are_credited_to_the_origin(gaps: dict) -> None:
    origin = gaps["THA", "USA", "160414", 2020]
    assert origin["exports_reported_usd"] == 0.0
    assert origin["reexport_credit_usd"] == pytest.approx(100_000.0)
    assert origin["gap_usd"] == pytest.approx(0.0, abs=1e-6)
    hub = gaps["SGP", "USA", "160414", 2020]
    assert hub["exports_adjusted_usd"] == pytest.approx(110_000.0)
    assert hub["gap_usd"] == pytest.approx(0.0, abs=1e-6)
    assert origin["score"] == pytest.approx(0.0, abs=1e-9) and hub["score"] == pytest.approx(
        0.0, abs=1e-9
    )


def test_trade_hidden_under_special_partners_is_credited(gaps: dict) -> None:
    hidden = gaps["MYS", "IDN", "160414", 2020]
    assert hidden["imports_reported_usd"] == 0.0
    assert hidden["hidden_credit_usd"] == pytest.approx(300_000.0)
    assert hidden["gap_usd"] == pytest.approx(0.0, abs=1e-6)
    assert hidden["score"] == pytest.approx(0.0, abs=1e-9)


def test_sibling_codes_cancel(gaps: dict) -> None:
    a = gaps["JPN", "KOR", "030231", 2020]
    b = gaps["JPN", "KOR", "030232", 2020]
    assert a["classification_offset_usd"] == pytest.approx(-200_000.0)
    assert b["classification_offset_usd"] == pytest.approx(200_000.0)
    assert a["gap_usd"] == pytest.approx(0.0, abs=1e-6) == b["gap_usd"]


def test_adjacent_years_cancel(gaps: dict) -> None:
    late = gaps["NZL", "AUS", "030233", 2020]
    early = gaps["NZL", "AUS", "030233", 2021]
    assert late["timing_offset_usd"] == pytest.approx(-100_000.0)
    assert early["timing_offset_usd"] == pytest.approx(100_000.0)
    assert late["gap_usd"] == pytest.approx(0.0, abs=1e-6) == early["gap_usd"]


def test_power_of_ten_gap_is_marked_as_a_unit_error(gaps: dict) -> None:
    slip = gaps["CHL", "PER", "030235", 2020]
    assert slip["possible_unit_error"] is True
    assert slip["gap_usd"] == pytest.approx(990_000.0)
    assert not gaps["THA", "USA", "160414", 2020]["possible_unit_error"]
