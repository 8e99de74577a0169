"""A hand-made resolution case: the same firms written as registries and bills write them.

The fixture (tests/fixtures/entities) names six firms on ten bills of lading, in a small
registry (FtM) and in one seizure record: legal forms spelt three ways, upper case, merged
words, abbreviations, a Cyrillic registry name, two firms called Stern Pharma in two
countries, two different firms whose names share "Blue Ocean", two namesakes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from greymap import Workspace
from greymap.entities.assign import recluster
from greymap.entities.decisions import decide
from greymap.entities.evaluate import pair_scores
from greymap.entities.resolve import THRESHOLDS, resolve
from greymap.workspace import ingest_files

FILES = (
    ("shipments", "shipments.csv"),
    ("ftm", "registry.ftm.jsonl"),
    ("incidents", "incidents.csv"),
)

EXPECTED = {
    frozenset(
        {
            "A lNakheel International llc",
            "AL NAKHEEL INTL L.L.C.",
            "AL NAKHEEL INTL LLC",
            "Al Nakheel International LLC",
            "Al Nakheel International Limited Liability Company",
        }
    ),
    frozenset({"BLUE OCEAN INTL LIMITED", "Blue Ocean International Ltd"}),
    frozenset({"BRIDGEWATER BLUE OCEAN TRDG LTD", "Bridgewater Blue Ocean Trading Ltd"}),
    frozenset({"SEVERNAYA ZVEZDA OOO", "Severnaya Zvezda LLC", "ООО Северная Звезда"}),
    frozenset({"STERN PHARMA BV", "Stern Pharma B.V."}),
    frozenset(
        {
            "STERN PHARMA G.M.B.H.",
            "Stern Pharma Gesellschaft mit beschränkter Haftung",
            "Stern Pharma GmbH",
        }
    ),
    frozenset({"Lanka Tea Exports", "Lanka Tea Exports (Pvt) Ltd"}),
    frozenset({"Anatolia Foods A.S.", "Anatolia Foods AS"}),
    frozenset({"HADDAD, Karim", "Karim Haddad"}),
    frozenset({"Palm Capital FZE"}),
    frozenset({"Palm Ventures FZE"}),
    frozenset({"John Smith"}),  # two namesakes born 31 years apart: two entities
}


def load(ws: Workspace, fixtures: Path, files: tuple[tuple[str, str], ...] = FILES) -> None:
    for fmt, name in files:
        ingest_files(ws, fmt, [fixtures / "entities" / name])


def clusters(ws: Workspace) -> set[frozenset[str]]:
    rows = ws.con.execute(
        "SELECT list_distinct(list(name)) FROM entity_records GROUP BY cluster_id"
    ).fetchall()
    return {frozenset(r[0]) for r in rows}


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One resolved workspace for the read-only tests of this module."""
    path = tmp_path_factory.mktemp("resolved") / "ws"
    with Workspace(path) as ws:
        load(ws, Path(__file__).resolve().parents[1] / "fixtures")
        resolve(ws)
    yield path


def test_variants_resolve_into_their_firms(resolved: Path) -> None:
    with Workspace(resolved) as ws:
        found = clusters(ws)
        assert found >= EXPECTED
        # every other entity is a single name: nobody else was merged
        assert all(len(c) == 1 for c in found - EXPECTED)
        assert ws.count("entity_records") == 39
        nakheel = ws.con.execute(
            "SELECT records, sources, sanctioned FROM resolved_entities "
            "WHERE name = 'Al Nakheel International LLC'"
        ).fetchone()
        assert nakheel == (6, ["entity", "shipment"], False)


def test_entity_records_table_maps_shipment_parties(resolved: Path) -> None:
    with Workspace(resolved) as ws:
        rows = ws.con.execute(
            "SELECT source_key, role FROM entity_records WHERE source = 'shipment' "
            "AND cluster_id = (SELECT cluster_id FROM entity_records "
            "WHERE record_id = 'shipment:T01:consignee') ORDER BY source_key"
        ).fetchall()
    assert rows == [
        ("T01:consignee", "consignee"),
        ("T02:shipper", "shipper"),
        ("T03:notify", "notify"),
        ("T04:notify", "notify"),
    ]


def test_decisions_survive_a_full_rerun(tmp_path: Path, resolved: Path) -> None:
    path = tmp_path / "ws"
    shutil.copytree(resolved, path)
    gmbh, full_name = "shipment:T05:consignee", "shipment:T09:consignee"
    with Workspace(path) as ws:
        same_before = _same(ws, gmbh, full_name)
        decide(ws, gmbh, full_name, "different", "two branches")
        # 'same' given as entity ids: the two Stern Pharmas of two countries
        bv = ws.scalar(
            "SELECT cluster_id FROM entity_records WHERE record_id = 'shipment:T07:consignee'"
        )
        de = ws.scalar(
            "SELECT cluster_id FROM entity_records WHERE record_id = 'shipment:T06:consignee'"
        )
        decide(ws, bv, de, "same")
        recluster(ws, THRESHOLDS)
        after_decision = (_same(ws, gmbh, full_name), _same(ws, "shipment:T07:consignee", gmbh))
        resolve(ws)
        after_rerun = (_same(ws, gmbh, full_name), _same(ws, "shipment:T07:consignee", gmbh))
    assert same_before
    assert after_decision == after_rerun == (False, True)


def _same(ws: Workspace, a: str, b: str) -> bool:
    rows = ws.con.execute(
        "SELECT count(DISTINCT cluster_id) FROM entity_records WHERE record_id IN (?, ?)", [a, b]
    ).fetchone()
    assert rows is not None
    return bool(rows[0] == 1)


def test_incremental_gives_the_full_runs_clusters(
    tmp_path: Path, fixtures: Path, resolved: Path
) -> None:
    first = tmp_path / "first.csv"
    lines = (fixtures / "entities" / "shipments.csv").read_text(encoding="utf-8").splitlines()
    first.write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    with Workspace(tmp_path / "ws") as ws:
        ingest_files(ws, "shipments", [first])
        load(ws, fixtures, FILES[1:])
        resolve(ws)
        load(ws, fixtures, FILES[:1])
        result = resolve(ws, incremental=True)
        incremental = clusters(ws)
        ids = dict(ws.con.execute("SELECT record_id, cluster_id FROM entity_records").fetchall())
    with Workspace(resolved) as ws:
        full = clusters(ws)
        full_ids = dict(
            ws.con.execute("SELECT record_id, cluster_id FROM entity_records").fetchall()
        )
    assert result.mode == "incremental"
    assert 0 < result.new_profiles < result.profiles
    # the first batch's model scores the second batch: trained on five bills, its
    # probabilities differ from the full run's and weak pairs (a seizure record's name with
    # no country or legal form) may fall on the other side of the threshold
    agreement = pair_scores(ids.items(), full_ids)
    assert agreement.f1 >= 0.9, full ^ incremental


def test_nothing_to_resolve_is_a_clear_error(workspace: Workspace) -> None:
    from greymap.errors import InputError

    with pytest.raises(InputError, match="no party records"):
        resolve(workspace)
