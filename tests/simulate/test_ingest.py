"""Every file of a world loads through greymap's readers with nothing quarantined."""

from __future__ import annotations

from typing import Any

import pytest

from greymap import Workspace, ingest_files
from greymap.errors import InputError
from greymap.simulate import SimulationResult
from greymap.sources import get_reader

FORMATS = ("comtrade", "shipments", "ftm", "incidents", "indicators")


def _reader_or_skip(fmt: str) -> None:
    try:
        get_reader(fmt)
    except InputError:
        pytest.skip(f"the {fmt} reader is not in this build yet")


@pytest.mark.parametrize("fmt", FORMATS)
def test_file_ingests_without_quarantine(
    world: SimulationResult, workspace: Workspace, fmt: str
) -> None:
    _reader_or_skip(fmt)
    written = next(f for f in world.files if f.format == fmt)
    [result] = ingest_files(workspace, fmt, [written.path])
    reasons = workspace.con.execute("SELECT reason FROM quarantine LIMIT 5").fetchall()
    assert result.rows_quarantined == 0, reasons
    assert result.rows_read == result.rows_loaded == written.rows


def test_shipments_normalise_to_iso3_and_known_ports(
    world: SimulationResult, workspace: Workspace
) -> None:
    ingest_files(workspace, "shipments", [world.path("shipments")])
    bad = workspace.con.execute(
        "SELECT count(*) FROM shipments WHERE shipper_country IS NULL OR consignee_country IS NULL "
        "OR origin_country IS NULL OR port_of_lading IS NULL OR port_of_unlading IS NULL "
        "OR hs_code IS NULL"
    ).fetchone()
    assert bad == (0,)


def test_comtrade_special_partners_and_codes(world: SimulationResult, workspace: Workspace) -> None:
    _reader_or_skip("comtrade")
    ingest_files(workspace, "comtrade", [world.path("comtrade")])
    specials = dict(
        workspace.con.execute(
            "SELECT partner_special, count(*) FROM trade_flows WHERE partner_special IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    assert specials.get("world", 0) > 0
    assert set(specials) <= {"world", "areas-nes"}
    flows = {
        r[0] for r in workspace.con.execute("SELECT DISTINCT flow FROM trade_flows").fetchall()
    }
    assert {"export", "import"} <= flows


def test_incidents_keep_the_seizing_country(
    world: SimulationResult, truth: dict[str, Any], workspace: Workspace
) -> None:
    _reader_or_skip("incidents")
    ingest_files(workspace, "incidents", [world.path("incidents")])
    loaded = dict(workspace.con.execute("SELECT incident_id, country FROM incidents").fetchall())
    for seizure in truth["seizures"]:
        assert loaded[seizure["incident_id"]] == seizure["seized_in"]
