"""Minimum node cuts and key players on hand-made graphs."""

from __future__ import annotations

from greymap.network.cuts import key_players, min_cut
from greymap.network.interdict import InterdictParams, flow_set
from tests.network.factory import layer


def _fan():
    # Two lading ports feed one hub that feeds two unlading ports.
    return layer(
        [
            (["L1", "H", "U1"], 100.0, 1.0, ["tobacco"]),
            (["L2", "H", "U2"], 50.0, 1.0, ["tobacco"]),
            (["L1", "H", "U2"], 25.0, 1.0, ["tobacco"]),
        ]
    )


def test_unit_capacity_cut_is_the_hub() -> None:
    flows = flow_set(_fan(), InterdictParams())
    cut = min_cut(flows)
    assert cut.nodes == ["H"]
    assert cut.capacity == 1.0
    assert cut.flow_value == 175.0


def test_traffic_capacity_prefers_the_cheaper_side() -> None:
    flows = flow_set(_fan(), InterdictParams())
    traffic = {"L1": 10.0, "L2": 10.0, "H": 1000.0, "U1": 500.0, "U2": 500.0}
    cut = min_cut(flows, traffic)
    assert sorted(cut.nodes) == ["L1", "L2"]
    assert cut.capacity == 20.0


def test_key_players_take_the_hub_first() -> None:
    flows = flow_set(_fan(), InterdictParams())
    players = key_players(flows, 2, {"H": 3.0, "L1": 2.0, "L2": 1.0, "U1": 0.5, "U2": 0.5})
    assert players[0] == ("H", 175.0)
    assert len(players) == 2
