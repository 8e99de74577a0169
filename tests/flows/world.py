"""A tiny hand-made world whose every mirror gap is worked out by hand in the tests."""

from __future__ import annotations

from greymap import Workspace

# (reporter, partner, flow, hs_code, year, month, value_usd, net_weight_kg)
FLOWS = [
    # FRA -> DEU fresh tuna: both agree once the 5% CIF margin is taken out.
    ("FRA", "DEU", "export", "030231", 2020, None, 1_000_000.0, 100_000.0),
    ("DEU", "FRA", "import", "030231", 2020, None, 1_050_000.0, 100_000.0),
    # ESP -> DEU: the importer declares half of what left Spain.
    ("ESP", "DEU", "export", "030231", 2020, None, 500_000.0, 50_000.0),
    ("DEU", "ESP", "import", "030231", 2020, None, 262_500.0, 50_000.0),
    ("ITA", "DEU", "export", "030231", 2020, None, 200_000.0, 20_000.0),
    ("DEU", "ITA", "import", "030231", 2020, None, 210_000.0, 20_000.0),
    # NLD reports monthly only: the two months add up to its annual export.
    ("NLD", "DEU", "export", "030231", 2020, 1, 150_000.0, 15_000.0),
    ("NLD", "DEU", "export", "030231", 2020, 2, 150_000.0, 15_000.0),
    ("DEU", "NLD", "import", "030231", 2020, None, 315_000.0, 30_000.0),
    ("FRA", "ESP", "export", "030231", 2020, None, 100_000.0, 10_000.0),
    ("ESP", "FRA", "import", "030231", 2020, None, 105_000.0, 10_000.0),
    # China reports nothing at all: Germany's import from it is one-sided.
    ("DEU", "CHN", "import", "030231", 2020, None, 50_000.0, 5_000.0),
    # Special partners and codes are not gaps.
    ("FRA", None, "export", "030231", 2020, None, 9_999_999.0, None),
    ("FRA", "DEU", "export", "TOTAL", 2020, None, 5_000_000.0, None),
    # Another heading of chapter 03, for aggregation by level.
    ("FRA", "DEU", "export", "030232", 2020, None, 100_000.0, 10_000.0),
    ("DEU", "FRA", "import", "030232", 2020, None, 105_000.0, 10_000.0),
]


def load(ws: Workspace) -> None:
    ws.con.executemany(
        "INSERT INTO trade_flows (source, reporter, partner, flow, flow_detail, hs_code, year, "
        "month, value_usd, net_weight_kg, ingest_id, source_row) "
        "VALUES ('test', ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
        [(r, p, f, f, hs, y, m, v, kg) for r, p, f, hs, y, m, v, kg in FLOWS],
    )
