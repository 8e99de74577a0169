"""How the mirror plan adapts to the data: steps that could only add zeros are left out,
and leaving them out changes no figure."""

from __future__ import annotations

import pytest

from greymap import Workspace
from greymap.engine import get_engine
from greymap.flows import MirrorParams, run_mirror
from greymap.flows.geography import register_locations
from greymap.flows.mirror import DataShape, mirror_plan
from greymap.flows.run import probe_shape
from tests.flows import test_mirror_adjustments as adjustments
from tests.flows import world
from tests.flows.test_mirror import assert_same_rows

QUERY = "SELECT * FROM {} ORDER BY exporter, importer, hs_code, year"


def test_probe_sees_monthly_rows_reexports_and_special_partners(workspace: Workspace) -> None:
    world.load(workspace)
    # NLD reports monthly; the row to no partner has no special partner named.
    assert probe_shape(workspace) == DataShape(
        monthly=True, reexports=False, special_partners=False
    )
    adjustments.load(workspace)
    assert probe_shape(workspace) == DataShape(monthly=True, reexports=True, special_partners=True)


def test_plan_leaves_out_pools_the_data_cannot_have() -> None:
    bare = {s.name for s in mirror_plan(MirrorParams(), DataShape(False, False, False)).steps}
    full = {s.name for s in mirror_plan(MirrorParams()).steps}
    pools = {"m_rx_pool", "m_special", "m_sx_pool", "m_sm_pool"}
    assert pools <= full
    assert not pools & bare
    assert full - bare == pools


@pytest.mark.parametrize("load", [world.load, adjustments.load], ids=["world", "adjustments"])
def test_probed_plan_gives_the_full_plans_figures(workspace: Workspace, load: object) -> None:
    assert callable(load)
    load(workspace)
    params = MirrorParams()
    run_mirror(workspace, params)
    expected = workspace.con.execute(QUERY.format("mirror_gaps")).fetchall()
    register_locations(workspace.con)
    get_engine("duckdb").run(workspace, mirror_plan(params, DataShape()), "mirror_full")
    got = workspace.con.execute(QUERY.format("mirror_full")).fetchall()
    assert len(expected) > 5
    assert_same_rows(got, expected)


@pytest.mark.parametrize("load", [world.load, adjustments.load], ids=["world", "adjustments"])
def test_column_types_do_not_depend_on_the_data(workspace: Workspace, load: object) -> None:
    """A step left out still yields DOUBLE columns, not the DECIMAL of a bare 0.0."""
    assert callable(load)
    load(workspace)
    run_mirror(workspace, MirrorParams())
    types = dict(
        workspace.con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'mirror_gaps'"
        ).fetchall()
    )
    for column in ("reexport_credit_usd", "hidden_credit_usd", "classification_offset_usd"):
        assert types[column] == "DOUBLE", column


@pytest.mark.slow
def test_spark_gives_the_same_credits(workspace: Workspace) -> None:
    """The pool and offset steps (absent from the tiny world) on both engines."""
    pytest.importorskip("pyspark")
    adjustments.load(workspace)
    query = (
        "SELECT * EXCLUDE (distance_km) FROM mirror_gaps ORDER BY exporter, importer, hs_code, year"
    )
    run_mirror(workspace, MirrorParams(cif_fob=adjustments.M))
    expected = workspace.con.execute(query).fetchall()
    run_mirror(workspace, MirrorParams(cif_fob=adjustments.M), engine="spark")
    got = workspace.con.execute(query).fetchall()
    assert_same_rows(got, expected)
