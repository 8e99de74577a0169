"""``greymap resolve``, ``middlemen`` and ``explain`` as a user runs them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

FILES = (
    ("shipments", "shipments.csv"),
    ("ftm", "registry.ftm.jsonl"),
    ("incidents", "incidents.csv"),
)


def test_resolve_middlemen_explain_json(cli: Callable[..., Any], fixtures: Path) -> None:
    for fmt, name in FILES:
        assert cli("ingest", fmt, str(fixtures / "entities" / name)).code == 0
    resolved = cli("resolve", "--format", "json")
    assert resolved.code == 0, resolved.stderr
    [summary] = resolved.json()
    assert summary["mode"] == "full"
    assert summary["records"] == 39

    ranked = cli("middlemen", "--top", "5", "--format", "json")
    assert ranked.code == 0, ranked.stderr
    rows = ranked.json()
    assert len(rows) == 5
    assert {"entity_id", "name", "country", "score", "reasons"} <= set(rows[0])
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    # the firm that brokers the seized coffee between Sri Lanka and Turkey comes first
    assert rows[0]["name"] == "Al Nakheel International LLC"
    assert "cross-border broker" in rows[0]["reasons"]
    assert "owned by a shell-like firm" in rows[0]["reasons"]

    explained = cli("explain", rows[0]["entity_id"], "--format", "json")
    assert explained.code == 0, explained.stderr
    sections = {r["section"] for r in explained.json()}
    assert sections == {"entity", "record", "link", "path", "evidence"}

    decided = cli(
        "resolve",
        "--decide",
        "shipment:T05:consignee",
        "shipment:T09:consignee",
        "different",
        "--format",
        "json",
    )
    assert decided.code == 0, decided.stderr
    assert decided.json()[0]["decision"] == "different"


def test_user_mistakes_exit_2(cli: Callable[..., Any], fixtures: Path) -> None:
    assert cli("ingest", "shipments", str(fixtures / "entities" / "shipments.csv")).code == 0
    assert cli("middlemen").code == 2  # nothing resolved yet
    assert cli("resolve", "--engine", "oracle").code == 2
    assert cli("resolve", "--format", "json").code == 0
    assert cli("explain", "no such firm").code == 2
    assert cli("resolve", "--decide", "a", "b", "maybe").code == 2
