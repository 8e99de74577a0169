"""The screening API and its quality on the labelled sets (regression floors)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from greymap.errors import InputError
from greymap.screening import (
    RESULT_KEYS,
    Screener,
    ScreeningIndex,
    read_batch,
    screen_batch,
    screen_one,
)
from greymap.screening.calibrate import choose_threshold, metrics, read_pairs, score_pair
from greymap.screening.screen import queries_from
from tests.screening.factory import PUTIN, ROMASHKA, STAR, query

EVAL = Path(__file__).resolve().parents[2] / "eval" / "screening" / "pairs.jsonl"


def test_screen_one_and_batch() -> None:
    screener = Screener(ScreeningIndex([PUTIN, ROMASHKA, STAR]))
    (row,) = screen_one(screener, query("Putin", "Person"))
    assert set(RESULT_KEYS) <= set(row)
    rows = screen_batch(
        screener,
        queries_from([{"name": "Romashka"}, {"name": "Romashka"}, {"name": "Nobody Known"}]),
    )
    assert [r["entity_id"] for r in rows] == ["c-romashka", "c-romashka", None]


def test_read_batch_names_the_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("name,schema,country\nAcme,Company,XX\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"b.csv:2: unknown country 'XX'"):
        read_batch(path)


def test_choose_threshold() -> None:
    scores = [0.95, 0.9, 0.85, 0.7, 0.6, 0.3]
    labels = [True, True, False, True, False, False]
    best = choose_threshold(scores, labels, [0.5, 0.65, 0.8, 0.88])
    assert (best.threshold, best.tp, best.fp, best.fn) == (0.65, 3, 1, 0)
    assert metrics(scores, labels, 0.88).f1 == pytest.approx(0.8)


def test_generated_set_is_split_and_small() -> None:
    assert EVAL.stat().st_size < 5_000_000
    rows = read_pairs(EVAL)
    splits = {r["split"] for r in rows}
    assert splits == {"train", "validation", "test"}
    # no list entry has pairs in two splits
    where: dict[str, set[str]] = {}
    for r in rows:
        where.setdefault(r["entity"]["id"], set()).add(r["split"])
    assert all(len(s) == 1 for s in where.values())


def test_quality_floor_on_generated_test_split() -> None:
    rows = read_pairs(EVAL, "test")
    from greymap.screening import THRESHOLD

    m = metrics([score_pair(r).score for r in rows], [r["label"] for r in rows], THRESHOLD)
    assert m.f1 >= 0.96, m.as_dict()


def test_opensanctions_pairs_beat_logic_v2(shared_data: Path) -> None:
    """OpenSanctions' own frozen logic-v2 run has F1 0.790 on these pairs."""
    from greymap.screening import THRESHOLD, ListEntity, Query, score_entity

    path = shared_data / "name-matching" / "nomenklatura_name_bench_cases.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    scores = [
        score_entity(
            Query.make(r["name1"], r["schema"]),
            ListEntity("c", r["schema"], r["name2"], ((r["name2"], "name"),)),
        ).score
        for r in rows
    ]
    m = metrics(scores, [r["is_match"] == "true" for r in rows], THRESHOLD)
    assert m.f1 > 0.79, m.as_dict()


def test_norwegian_companies_do_not_hit_the_un_list(shared_data: Path, workspace) -> None:  # type: ignore[no-untyped-def]
    from greymap.screening import Query, load_list
    from greymap.workspace import ingest_files

    ingest_files(
        workspace, "un-sc", [shared_data / "un-consolidated" / "un_sc_consolidated_2018-10-29.xml"]
    )
    screener = Screener(ScreeningIndex(load_list(workspace)))
    path = shared_data / "name-matching" / "negative_queries_norwegian_companies.csv"
    with path.open(encoding="utf-8") as fh:
        queries = [
            Query.make(r["business_name"], "Company", "NO")
            for r in csv.DictReader(fh, delimiter=";")
        ]
    assert [q.name for q in queries if screener.screen(q)] == []
    # while a listed name in another script is found
    (hit,) = screener.screen(Query.make("Аль-Каида", "Organization"))[:1]
    assert (hit.entity.caption, hit.entity.programs) == ("AL-QAIDA", ("Al-Qaida",))
