"""Gould-Fernandez brokerage roles on a hand-made graph whose roles are known."""

from __future__ import annotations

import pytest

from greymap import Workspace
from greymap.entities.brokerage import Triad, brokerage_roles, brokerage_roles_from_triads, role

#: a1, a2, d in X; b in Y; c, c2 in Z
GROUP = {"a1": "X", "a2": "X", "d": "X", "b": "Y", "c": "Z", "c2": "Z"}


@pytest.mark.parametrize(
    ("a", "broker", "c", "expected"),
    [
        ("a1", "a2", "d", "coordinator"),
        ("a1", "b", "d", "itinerant"),
        ("a1", "a2", "c", "representative"),
        ("b", "c", "c2", "gatekeeper"),
        ("a1", "b", "c", "liaison"),
    ],
)
def test_roles(a: str, broker: str, c: str, expected: str) -> None:
    assert role(GROUP[a], GROUP[broker], GROUP[c]) == expected


def test_counts_weighted_by_suspicion() -> None:
    triads = [
        Triad("a1", "a2", "d", 1.0),
        Triad("a1", "a2", "c", 0.5),
        Triad("a1", "b", "d", 1.0),
        Triad("a1", "b", "c", 0.25),
        Triad("a2", "b", "c", 0.25),
        Triad("b", "c", "c2", 1.0),
        Triad("a1", "a1", "c", 1.0),  # not a broker of itself
    ]
    counts = brokerage_roles_from_triads(triads, GROUP)
    assert counts["a2"] == {
        "coordinator": 1.0,
        "itinerant": 0.0,
        "representative": 0.5,
        "gatekeeper": 0.0,
        "liaison": 0.0,
    }
    assert counts["b"]["itinerant"] == 1.0
    assert counts["b"]["liaison"] == 0.5
    assert counts["c"]["gatekeeper"] == 1.0
    assert "a1" not in counts


def test_sql_counts_notify_and_reconsignment_triads(workspace: Workspace) -> None:
    con = workspace.con
    con.execute(
        "CREATE TEMP TABLE shipment_parties (shipment_id VARCHAR, arrival_date DATE, "
        "hs_code VARCHAR, value_usd DOUBLE, suspicion DOUBLE, shipper VARCHAR, "
        "consignee VARCHAR, notify VARCHAR)"
    )
    con.executemany(
        "INSERT INTO shipment_parties VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            # b notified between a1 (X) and c (Z): liaison, fully suspicious
            ("s1", "2021-01-01", "240220", 100.0, 1.0, "a1", "c", "b"),
            # a1 -> b, then b -> c within 90 days, same goods: re-consignment, liaison
            ("s2", "2021-02-01", "240220", 200.0, 0.2, "a1", "b", None),
            ("s3", "2021-03-01", "240220", 150.0, 0.8, "b", "c", None),
            # b -> d after 200 days: not a re-consignment of s2
            ("s4", "2021-08-20", "240220", 90.0, 1.0, "b", "d", None),
            # a2 notified for a local sale in X: coordinator, clean
            ("s5", "2021-01-05", "090111", 50.0, 0.0, "a1", "d", "a2"),
        ],
    )
    con.execute(
        "CREATE TEMP TABLE resolved_entities AS SELECT * FROM (VALUES "
        "('a1', 'X'), ('a2', 'X'), ('d', 'X'), ('b', 'Y'), ('c', 'Z')) t(cluster_id, country)"
    )
    assert brokerage_roles(workspace) == 2
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT cluster_id, triads, flagged_triads, liaison, coordinator, sectors "
            "FROM brokerage"
        ).fetchall()
    }
    # b: the notify triad (suspicion 1.0) and the re-consignment (max of 0.2 and 0.8)
    assert rows["b"][:4] == (2, 1.8, 1.8, None)
    assert rows["b"][4] == ["tobacco"]
    assert rows["a2"][:4] == (1, 0.0, None, 0.0)
