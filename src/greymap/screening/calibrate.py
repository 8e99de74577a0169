"""Threshold calibration on labelled pairs: choose the score that maximises F1 on a
*training* split, then report precision, recall and F1 on the held-out test split.

A labelled pair is a query (``name, schema, country, birth_date, id``) and a list entry
(``id, schema, names, birth_dates, countries, identifiers, programs``), as
``eval/screening/pairs.jsonl`` stores them. The threshold is never chosen on the split it
is reported on (docs/screening.md tells which split each figure comes from).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from greymap.screening.matcher import Match, score_entity
from greymap.screening.records import ListEntity, Query


@dataclass(frozen=True, slots=True)
class Metrics:
    """Confusion counts and the usual rates at one threshold."""

    threshold: float
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "threshold": round(self.threshold, 3),
            "pairs": self.tp + self.fp + self.fn + self.tn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
        }


def metrics(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> Metrics:
    """Counts of a score list against labels at ``threshold`` (score >= threshold: match)."""
    tp = fp = fn = tn = 0
    for score, label in zip(scores, labels, strict=True):
        hit = score >= threshold
        tp += hit and label
        fp += hit and not label
        fn += (not hit) and label
        tn += (not hit) and not label
    return Metrics(threshold, tp, fp, fn, tn)


def choose_threshold(
    scores: Sequence[float], labels: Sequence[bool], grid: Iterable[float] | None = None
) -> Metrics:
    """The threshold with the best F1 on these (training) pairs; ties go to the higher
    threshold, the one that raises fewer alerts."""
    steps = grid if grid is not None else [i / 100 for i in range(50, 100)]
    best: Metrics | None = None
    for t in steps:
        m = metrics(scores, labels, t)
        if best is None or m.f1 >= best.f1:
            best = m
    if best is None:
        raise ValueError("no threshold to choose from")
    return best


def entity_from_payload(data: Mapping[str, Any]) -> ListEntity:
    """A list entry as a labelled pair stores it."""
    return ListEntity(
        id=str(data["id"]),
        schema=str(data["schema"]),
        caption=str(data["names"][0][0]) if data.get("names") else str(data["id"]),
        names=tuple((str(n), str(k)) for n, k in data.get("names", ())),
        birth_dates=tuple(data.get("birth_dates", ())),
        countries=frozenset(data.get("countries", ())),
        identifiers=frozenset(data.get("identifiers", ())),
        programs=tuple(data.get("programs", ())),
    )


def query_from_payload(data: Mapping[str, Any]) -> Query:
    return Query.make(
        data["name"],
        data.get("schema"),
        data.get("country"),
        data.get("birth_date"),
        data.get("id"),
    )


def score_pair(pair: Mapping[str, Any]) -> Match:
    """Score one labelled pair with the greymap matcher."""
    return score_entity(query_from_payload(pair["query"]), entity_from_payload(pair["entity"]))


def read_pairs(path: Path, split: str | None = None) -> list[dict[str, Any]]:
    """Labelled pairs from a JSON-lines file, optionally one split only."""
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [r for r in rows if split is None or r.get("split") == split]
