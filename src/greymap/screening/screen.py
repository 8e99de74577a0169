"""Screening API used by the CLI (and the REST API): a query in, explained hits out.

One query: normalise its name, ask the candidate index for the list names that share keys
with it (and the entities that share its identifier), score the best few with the feature
table, keep those at or above the threshold. A batch repeats this per distinct query, so a
file that names one counterparty a thousand times costs one screening.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from greymap.errors import InputError
from greymap.screening.index import ScreeningIndex
from greymap.screening.matcher import FEATURES, THRESHOLD, Match, combine
from greymap.screening.names import compare_above
from greymap.screening.normalise import NormName, name_kind, normalise, skeleton
from greymap.screening.records import COMPATIBLE, Query

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
#: Queries from scripts that guess vowels score this many times the candidates.
CROSS_CANDIDATES = 2


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
        index = self.index
        cross = qn.guessed_vowels
        limit = self.candidates * CROSS_CANDIDATES if cross else self.candidates
        chosen = index.candidate_ids(qn.tokens, limit, cross)
        if len(chosen) > 2:
            if query.schema:
                allowed = COMPATIBLE.get(query.schema, frozenset({query.schema}))
                schemas = index.name_schemas
                chosen = [n for n in chosen if schemas[n] in allowed]
            chosen = prefilter(qn, chosen, index.sorted_forms, index.sorted_skeletons)
        if query.identifier:
            for eid in index.by_identifier(query.identifier):
                chosen += index.names_of(eid)
        self._score(query, qn, kind, list(dict.fromkeys(chosen)), best)
        hits = [m for m in best.values() if m.score >= self.min_score]
        hits.sort(key=lambda m: (-m.score, m.entity.id))
        return hits[: self.limit]

    def _score(
        self, query: Query, qn: NormName, qn_kind: str, nids: list[int], best: dict[int, Match]
    ) -> None:
        """Score candidate names; keep each entity's best. A name too far below
        ``min_score`` for any qualifier to lift it is not turned into a result, and one
        that certainly falls that short is not aligned at all (:func:`compare_above`); nor
        is another name of an entity already scored that certainly cannot beat it (the
        entity's qualifiers are the same for all its names, so the name score decides)."""
        index = self.index
        owners, positions, entities, normed = (
            index.owners,
            index.positions,
            index.entities,
            index.normed,
        )
        floor = -1.0 if query.identifier else self.min_score - QUALIFIER_LIFT
        schema = query.schema
        allowed = COMPATIBLE.get(schema, frozenset({schema})) if schema else None
        for nid in nids:
            eid = owners[nid]
            entity = entities[eid]
            if allowed is None:
                kind = index.kinds[eid]
                probe = qn if kind == "org" else normalise(query.name, kind)
            elif entity.schema in allowed:
                kind, probe = qn_kind, qn
            else:
                continue
            raw, strength = entity.names[positions[nid]]
            need = floor
            old = best.get(eid)
            if old is not None:
                # Another name of an entity already scored counts only if it beats it.
                if old.score >= 1.0:
                    continue
                beat = old.name_match.score + _alias_cost(old.name_kind) - _alias_cost(strength)
                need = max(floor, beat - 1e-9)
            nm = compare_above(probe, normed[nid], kind, need)
            if nm is None or nm.score < floor:
                continue
            match = combine(query, entity, raw, strength, nm)
            if old is None or match.score > old.score:
                best[eid] = match

    def screen_many(self, queries: Sequence[Query]) -> list[list[Match]]:
        """Hits per query; repeated queries are screened once."""
        done: dict[Query, list[Match]] = {}
        return [done.setdefault(q, self.screen(q)) if q not in done else done[q] for q in queries]


def _alias_cost(strength: str) -> float:
    """The weak-alias feature's (negative) weight for a name of this strength."""
    return FEATURES["weak_alias"].weight if strength == "weakAlias" else 0.0


def prefilter(
    qn: NormName, names: list[int], forms: Sequence[str], skeletons: Sequence[str]
) -> list[int]:
    """Names whose token-sort ratio with the query, on spellings or on phonetic skeletons,
    reaches :data:`PREFILTER_MIN`: a C call per name instead of a full comparison.
    ``forms`` and ``skeletons``: every list name's tokens and their skeletons without legal
    forms, sorted and space-joined (empty skeletons left out, as the token split drops
    them), by name id (:class:`ScreeningIndex` makes them), so the token-sort ratio is a
    plain ratio here. On OpenSanctions' 826 pairs no match that the full score accepts
    falls below it. Screening skips it for two candidates or fewer, and leaves out names
    of an incompatible schema first (they are not scored anyway)."""
    q_form = " ".join(sorted(qn.tokens))
    q_skel = " ".join(sorted(filter(None, [skeleton(t) for t in qn.tokens])))
    ratio, cut = fuzz.ratio, PREFILTER_MIN
    return [
        n
        for n in names
        if ratio(q_form, forms[n], score_cutoff=cut)
        or ratio(q_skel, skeletons[n], score_cutoff=cut)
    ]


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
