"""The 50% rule in the ground truth, checked by hand and against the FtM file."""

from __future__ import annotations

from typing import Any

from greymap.simulate import blocked_by_ownership


def test_rule_follows_majority_chains() -> None:
    stakes = [("P", "A", 60), ("A", "B", 50), ("B", "C", 30), ("X", "C", 70)]
    out = blocked_by_ownership(stakes, ["P"])
    assert sorted(out) == ["A", "B"]
    assert out["B"]["path"] == [
        {"owner": "P", "asset": "A", "percentage": 60.0},
        {"owner": "A", "asset": "B", "percentage": 50.0},
    ]


def test_rule_adds_up_owners_and_spares_near_misses() -> None:
    stakes = [("P1", "S", 30), ("P2", "S", 25), ("Q", "S", 45), ("P3", "T", 49), ("Q", "T", 51)]
    out = blocked_by_ownership(stakes, ["P1", "P2", "P3"])
    assert list(out) == ["S"]
    assert out["S"]["aggregate_pct"] == 55.0 and out["S"]["owners"] == ["P1", "P2"]


def test_truth_matches_the_ownership_in_the_entity_file(
    truth: dict[str, Any], entities: dict[str, Any]
) -> None:
    """Recompute the blocked set from the FtM Ownership entities alone."""
    sanctions = truth["sanctions"]
    registry = {**{k: v["registry_entity_id"] for k, v in truth["firms"].items()},
                **{k: v["registry_entity_id"] for k, v in truth["persons"].items()}}  # fmt: skip
    vessels = {v: k for k, v in truth["entity_truth"].items() if v.startswith("V")}
    listed = {registry[p] for p in sanctions["listed_party_ids"] if registry.get(p)}
    stakes = [
        (
            e["properties"]["owner"][0],
            e["properties"]["asset"][0],
            float(e["properties"]["percentage"][0]),
        )
        for e in entities.values()
        if e["schema"] == "Ownership"
    ]
    recomputed = blocked_by_ownership(stakes, listed)
    expected = {registry.get(b["id"]) or vessels[b["id"]] for b in sanctions["blocked"]}
    assert set(recomputed) == expected
    assert expected, "the world should block some firms"
    for item in sanctions["blocked"]:
        assert item["aggregate_pct"] >= 50
        assert item["path"][0]["owner"] in sanctions["listed_party_ids"]
        assert item["path"][-1]["asset"] == item["id"]
        assert all(step["percentage"] > 0 for step in item["path"])
    blocked = {b["id"] for b in sanctions["blocked"]}
    for miss in sanctions["near_misses"]:
        assert miss["percentage"] == 49.0 and miss["firm_id"] not in blocked


def test_some_blocking_needs_chains_or_sums(truth: dict[str, Any]) -> None:
    blocked = truth["sanctions"]["blocked"]
    assert any(len(b["path"]) >= 2 for b in blocked)
