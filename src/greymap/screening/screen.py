"""Screening API used by the CLI (and the REST API): a query in, explained hits out.

One query: normalise its name, ask the candidate index for the list names that share keys
with it (and the entities that share its identifier), score the best few with the feature
table, keep those at or above the threshold. A batch repeats this per distinct query, so a
file that names one counterparty a thousand times costs one screening.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from greymap.errors import InputError
from greymap.screening.index import ScreeningIndex
from greymap.screening.matcher import THRESHOLD, Match, combine, compatible
from greymap.screening.names import compare_names
from greymap.screening.normalise import (
    LEGAL_MARK,
    NormName,
    from_key,
    name_kind,
    normalise,
    skeleton,
)
from greymap.screening.records import Query

#: The JSON keys every screening result carries (CONTRACTS.md), then the extra ones.
RESULT_KEYS = (
    "query",
    "entity_id",
    "name",
    "schema",
    "score",
    "matched",
    "programs",
    "explanation",
)
EXTRA_KEYS = ("caption", "name_kind", "datasets", "query_ref")
BATCH_COLUMNS = ("name", "schema", "country", "birth_date", "id")
#: Most a birth date and a country can add to a name score (FEATURES in matcher.py).
QUALIFIER_LIFT = 0.07
#: Candidates below this token-set ratio (0-100) are not compared in full.
PREFILTER_MIN = 62.0


class Screener:
    """Screens queries against one :class:`ScreeningIndex`.

    ``threshold``: lowest score reported as ``matched``; ``min_score``: lowest score
    returned at all (below the threshold for review queues); ``limit``: hits per query;
    ``candidates``: list names scored per query (the rest are never compared).
    """

    def __init__(
        self,
        index: ScreeningIndex,
        *,
        threshold: float = THRESHOLD,
        min_score: float | None = None,
        limit: int = 10,
        candidates: int = 16,
    ) -> None:
        self.index = index
        self.threshold = threshold
        self.min_score = threshold if min_score is None else min_score
        self.limit = limit
        self.candidates = candidates

    def screen(self, query: Query) -> list[Match]:
        """Hits for ``query`` at or above ``min_score``, best first."""
        kind = name_kind(query.schema)
        qn = normalise(query.name, kind)
        best: dict[int, Match] = {}
        names, _ = self.index.candidates(qn.key, self.candidates)
        chosen = prefilter(qn, names.tolist(), self.index.name_keys)
        if query.identifier:
            for eid in self.index.by_identifier(query.identifier):
                chosen += np.flatnonzero(self.index.name_entity == eid).tolist()
        self._score(query, qn, list(dict.fromkeys(chosen)), best)
        hits = [m for m in best.values() if m.score >= self.min_score]
        hits.sort(key=lambda m: (-m.score, m.entity.id))
        return hits[: self.limit]

    def _score(self, query: Query, qn: NormName, nids: list[int], best: dict[int, Match]) -> None:
        """Score candidate names; keep each entity's best. A name too far below
        ``min_score`` for any qualifier to lift it is not turned into a result."""
        index = self.index
        owners, positions = index.owners, index.positions
        floor = -1.0 if query.identifier else self.min_score - QUALIFIER_LIFT
        for nid in nids:
            eid = owners[nid]
            entity = index.entities[eid]
            if not compatible(query.schema, entity.schema):
                continue
            kind = name_kind(query.schema) if query.schema else index.kinds[eid]
            probe = qn if query.schema or kind == "org" else normalise(query.name, kind)
            nm = compare_names(probe, from_key(index.name_keys[nid]), kind)
            if nm.score < floor:
                continue
            raw, strength = entity.names[positions[nid]]
            match = combine(query, entity, raw, strength, nm)
            old = best.get(eid)
            if old is None or match.score > old.score:
                best[eid] = match

    def screen_many(self, queries: Sequence[Query]) -> list[list[Match]]:
        """Hits per query; repeated queries are screened once."""
        done: dict[Query, list[Match]] = {}
        return [done.setdefault(q, self.screen(q)) if q not in done else done[q] for q in queries]


def prefilter(qn: NormName, names: list[int], keys: Sequence[str]) -> list[int]:
    """Names whose token-sort ratio with the query, on spellings or on phonetic skeletons,
    reaches :data:`PREFILTER_MIN`: one C call instead of a full comparison per candidate.
    On OpenSanctions' 826 pairs no match that the full score accepts falls below it."""
    if len(names) <= 2:
        return names
    plain = [plain_form(keys[n]) for n in names]
    skel = [skeleton_form(keys[n]) for n in names]
    q_plain, q_skel = " ".join(qn.tokens), " ".join(skeleton(t) for t in qn.tokens)
    a = process.cdist([q_plain], plain, scorer=fuzz.token_sort_ratio, score_cutoff=PREFILTER_MIN)
    b = process.cdist([q_skel], skel, scorer=fuzz.token_sort_ratio, score_cutoff=PREFILTER_MIN)
    keep = np.flatnonzero((a[0] > 0) | (b[0] > 0))
    return [names[i] for i in keep.tolist()]


@lru_cache(maxsize=500_000)
def plain_form(key: str) -> str:
    return " ".join(t for t in key.split() if not t.startswith(LEGAL_MARK))


@lru_cache(maxsize=500_000)
def skeleton_form(key: str) -> str:
    return " ".join(skeleton(t) for t in key.split() if not t.startswith(LEGAL_MARK))


def result_records(
    query: Query, hits: Sequence[Match], threshold: float = THRESHOLD, *, empty_row: bool = True
) -> list[dict[str, Any]]:
    """Flat records with :data:`RESULT_KEYS`; a query without hits gives one empty row."""
    rows = [_record(query, m, threshold) for m in hits]
    if not rows and empty_row:
        rows.append(
            {
                "query": query.name,
                "entity_id": None,
                "name": None,
                "schema": query.schema,
                "score": 0.0,
                "matched": False,
                "programs": [],
                "explanation": "no list entry scored at or above the threshold",
                "query_ref": query.ref,
            }
        )
    return rows


def _record(query: Query, m: Match, threshold: float) -> dict[str, Any]:
    entity = m.entity
    explanation = m.explanation()
    if entity.note:
        explanation += f" | {entity.note}"
    return {
        "query": query.name,
        "entity_id": entity.id,
        "name": m.name,
        "schema": entity.schema,
        "score": m.score,
        "matched": m.score >= threshold,
        "programs": list(entity.programs or entity.topics),
        "explanation": explanation,
        "caption": entity.caption,
        "name_kind": m.name_kind,
        "datasets": list(entity.datasets),
        "query_ref": query.ref,
    }


def screen_one(screener: Screener, query: Query) -> list[dict[str, Any]]:
    """Screen one query; records with :data:`RESULT_KEYS`."""
    return result_records(query, screener.screen(query), screener.threshold)


def screen_batch(screener: Screener, queries: Sequence[Query]) -> list[dict[str, Any]]:
    """Screen many queries; one record per hit, one empty record per query without hits."""
    out: list[dict[str, Any]] = []
    for query, hits in zip(queries, screener.screen_many(queries), strict=True):
        out.extend(result_records(query, hits, screener.threshold))
    return out


def read_batch(path: Path) -> list[Query]:
    """Queries from a CSV with columns ``name, schema, country, birth_date, id`` (only
    ``name`` required). Raises :class:`InputError` naming the file, row and problem."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip().lower() for h in reader.fieldnames or []]
            if "name" not in header:
                raise InputError(
                    f"{path}: no 'name' column; expected columns {', '.join(BATCH_COLUMNS)} "
                    f"(found {', '.join(header) or 'none'})"
                )
            return [_query_row(path, n, row) for n, row in enumerate(reader, 2)]
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{path}: cannot read the batch file ({exc}); expected a UTF-8 CSV"
        ) from exc


def _query_row(path: Path, line: int, row: Mapping[str | None, Any]) -> Query:
    clean = {
        (k or "").strip().lower(): (v or "").strip() if isinstance(v, str) else ""
        for k, v in row.items()
    }
    return Query.make(
        clean.get("name", ""),
        schema=clean.get("schema"),
        country=clean.get("country"),
        birth_date=clean.get("birth_date"),
        identifier=clean.get("id"),
        ref=f"{path.name}:{line}",
    )


def queries_from(rows: Iterable[Mapping[str, str]]) -> list[Query]:
    """Queries from dicts with :data:`BATCH_COLUMNS` keys (API bodies, tests)."""
    return [
        Query.make(
            r.get("name", ""),
            r.get("schema"),
            r.get("country"),
            r.get("birth_date"),
            r.get("id"),
            ref=str(i),
        )
        for i, r in enumerate(rows, 1)
    ]
