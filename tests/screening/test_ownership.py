"""The 50% rule: chains, splits that add up, 49.9% that does not, cycles, ranges."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from greymap.screening import Stake, apply_rule, parse_share, stakes_from_ftm


def s(owner: str, asset: str, pct: float) -> Stake:
    return Stake(owner, asset, pct / 100, str(pct))


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("50", 0.5),
        ("51.0", 0.51),
        ("50%", 0.5),
        ("25-50", 0.25),
        ("25 - 50 %", 0.25),
        (">50", 0.5),
        ("12,5", 0.125),
        ("260", 1.0),
        ("", None),
        ("majority", None),
        (None, None),
    ],
)
def test_parse_share(text: str | None, share: float | None) -> None:
    assert parse_share(text) == share


def test_split_stakes_that_add_up_to_fifty_are_flagged() -> None:
    flags = apply_rule([s("X", "A", 30), s("Y", "A", 20)], {"X", "Y"})
    assert list(flags) == ["A"]
    assert flags["A"].share == pytest.approx(0.5)
    assert flags["A"].explain({"X": "Mr X", "Y": "Y Corp", "A": "A Ltd"}) == (
        "owned 50.0% in aggregate by sanctioned parties; path: Mr X -30%-> A Ltd; Y Corp -20%-> A Ltd"
    )


def test_forty_nine_point_nine_is_not_flagged() -> None:
    assert apply_rule([s("X", "A", 29.9), s("Y", "A", 20)], {"X", "Y"}) == {}
    assert apply_rule([s("X", "A", 49.9)], {"X"}) == {}


def test_unsanctioned_co_owner_does_not_count() -> None:
    assert apply_rule([s("X", "A", 40), s("Z", "A", 60)], {"X"}) == {}


def test_chain_ofac_propagates_blocked_status() -> None:
    # X owns 60% of A (A blocked); A owns 50% of B: B is blocked too, at 50% (not 30%).
    flags = apply_rule([s("X", "A", 60), s("A", "B", 50), s("B", "C", 49)], {"X"})
    assert sorted(flags) == ["A", "B"]
    assert flags["B"].share == pytest.approx(0.5)
    (path,) = flags["B"].paths
    assert [(st.owner, st.asset) for st in path] == [("X", "A"), ("A", "B")]


def test_chain_multiply_mode() -> None:
    stakes = [s("X", "A", 60), s("A", "B", 50), s("X", "B", 25)]
    flags = apply_rule(stakes, {"X"}, mode="multiply")
    # B: 25% direct + 60% x 50% through A = 55%
    assert sorted(flags) == ["A", "B"]
    assert flags["B"].share == pytest.approx(0.55)
    assert apply_rule([s("X", "A", 60), s("A", "B", 50)], {"X"}, mode="multiply").keys() == {"A"}


def test_cycles_terminate() -> None:
    stakes = [s("X", "A", 50), s("A", "B", 50), s("B", "A", 50), s("B", "C", 10)]
    assert sorted(apply_rule(stakes, {"X"})) == ["A", "B"]
    flags = apply_rule(stakes, {"X"}, mode="multiply")
    # A = 0.5 + 0.5 * B, B = 0.5 * A  ->  A = 2/3, B = 1/3
    assert flags.keys() == {"A"}
    assert flags["A"].share == pytest.approx(2 / 3)


def test_cycle_without_sanctioned_root_flags_nothing() -> None:
    assert apply_rule([s("A", "B", 100), s("B", "A", 100)], {"X"}) == {}


def test_unknown_mode() -> None:
    with pytest.raises(ValueError, match="ownership mode"):
        apply_rule([], {"X"}, mode="guess")


def test_stakes_from_ftm_keep_largest_current_record() -> None:
    def own(pct: str, end: str | None = None) -> dict[str, object]:
        props = {"owner": ["X"], "asset": ["A"], "percentage": [pct]}
        if end:
            props["endDate"] = [end]
        return {"id": pct, "schema": "Ownership", "properties": props}

    stakes = stakes_from_ftm([own("50"), own("48"), own("51"), own("90", end="2001-01-01")])
    assert stakes == [Stake("X", "A", 0.51, "51")]


def test_zala_cluster(shared_data: Path) -> None:
    """The real OpenSanctions cluster, as of two dates: the stakes have start and end dates."""
    path = shared_data / "opensanctions-ftm" / "zala_aero_cluster.ftm.jsonl"
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    sanctioned = {
        r["id"]
        for r in rows
        if r["schema"] != "Sanction" and "sanction" in r["properties"].get("topics", [])
    }
    ownerships = [r for r in rows if r["schema"] == "Ownership"]
    # 2021: Aleksandr Zakharov (sanctioned) held 75% of OOO "SPS" (not listed itself).
    flags = apply_rule(stakes_from_ftm(ownerships, today=date(2021, 1, 1)), sanctioned)
    assert set(flags) == {"NK-9Xa4Kg7Y7nfccE7VcZt6Q6"}
    assert flags["NK-9Xa4Kg7Y7nfccE7VcZt6Q6"].share == pytest.approx(0.75)
    # 2025: only Kalashnikov 49% + Zakharov 51% of CST remain, and CST is listed itself.
    assert apply_rule(stakes_from_ftm(ownerships, today=date(2025, 1, 1)), sanctioned) == {}
