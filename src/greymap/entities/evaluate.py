"""How good resolution and the middlemen ranking are on a simulated world.

Pairwise precision, recall and F1 count pairs of *records* (every mention: a shipper on
one bill of lading, one FtM entity, one party named in a seizure record) that resolution
put in one entity, against the pairs the ground truth says are one firm, person or
vessel: ``parties`` (shipper, consignee, notify party of every shipment, in that order),
``entity_truth`` (every Company, Person and Vessel entity) and ``seizures`` (the parties a
seizure record names). A firm named on a thousand bills weighs a thousand times more than
a firm named once, as it does for an analyst reading shipments.

Precision at k of the middlemen ranking: the share of the top ``k`` entities whose records
belong mostly to a planted middleman, with ``k`` the number planted (at most 20).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from greymap.workspace import Workspace

ROLES = ("shipper", "consignee", "notify")


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int

    def as_record(self) -> dict[str, float | int]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def load_truth(world: Path) -> dict[str, Any]:
    return dict(json.loads((world / "ground_truth.json").read_text(encoding="utf-8")))


def record_truth(truth: Mapping[str, Any]) -> dict[str, str]:
    """The true party id of every record id the simulated world can name."""
    out: dict[str, str] = {}
    for shipment_id, parties in truth["parties"].items():
        for role, party in zip(ROLES, parties, strict=True):
            if party:
                out[f"shipment:{shipment_id}:{role}"] = party
    for entity_id, party in truth["entity_truth"].items():
        out[f"entity:{entity_id}"] = party
    for seizure in truth.get("seizures", []):
        for role in ("shipper", "consignee"):
            if seizure.get(f"{role}_id"):
                out[f"incident:{seizure['incident_id']}:{role}"] = seizure[f"{role}_id"]
    return out


def _assigned(workspace: Workspace) -> list[tuple[str, str, str]]:
    """``(truth key, cluster id, kind)`` of every record: entity records are keyed by
    their FtM id whatever dataset name the file was ingested under."""
    rows = workspace.con.execute(
        "SELECT CASE WHEN source = 'entity' THEN 'entity:' || entity_id ELSE record_id END, "
        "cluster_id, kind FROM entity_records"
    ).fetchall()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


def pair_scores(assigned: Iterable[tuple[str, str]], truth: Mapping[str, str]) -> PairScores:
    """Pairwise scores of ``(record_id, cluster_id)`` against ``truth`` (record -> party),
    over the records the truth knows."""
    both: dict[str, Counter[str]] = defaultdict(Counter)
    clusters: Counter[str] = Counter()
    parties: Counter[str] = Counter()
    for record_id, cluster_id in assigned:
        party = truth.get(record_id)
        if party is None:
            continue
        both[cluster_id][party] += 1
        clusters[cluster_id] += 1
        parties[party] += 1
    tp = sum(_pairs(n) for counts in both.values() for n in counts.values())
    predicted = sum(_pairs(n) for n in clusters.values())
    true = sum(_pairs(n) for n in parties.values())
    precision = tp / predicted if predicted else 1.0
    recall = tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairScores(precision, recall, f1, true, predicted)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def resolution_scores(
    workspace: Workspace, truth: Mapping[str, Any], by_kind: bool = True
) -> dict[str, PairScores]:
    """Pairwise scores of the last resolution, overall and per kind of party."""
    rows = _assigned(workspace)
    known = record_truth(truth)
    out = {"all": pair_scores(((r, c) for r, c, _ in rows), known)}
    if by_kind:
        for kind in sorted({k for _, _, k in rows}):
            out[kind] = pair_scores(((r, c) for r, c, k in rows if k == kind), known)
    return out


def entity_parties(workspace: Workspace, truth: Mapping[str, Any]) -> dict[str, str]:
    """Each entity's majority true party (over the records the truth knows)."""
    known = record_truth(truth)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for record_id, cluster_id, _ in _assigned(workspace):
        if record_id in known:
            votes[cluster_id][known[record_id]] += 1
    return {c: v.most_common(1)[0][0] for c, v in votes.items()}


def middlemen_precision(
    workspace: Workspace, truth: Mapping[str, Any], k: int | None = None
) -> tuple[float, int, list[str]]:
    """Precision at ``k`` (default: the number planted, at most 20) of ``middlemen``;
    returns it with ``k`` and the true party of each of the top ``k``."""
    planted = {m["firm_id"] for m in truth["middlemen"]}
    k = k or min(20, len(planted))
    party_of = entity_parties(workspace, truth)
    top = [
        r[0]
        for r in workspace.con.execute(
            f"SELECT entity_id FROM middlemen ORDER BY score DESC, entity_id LIMIT {int(k)}"
        ).fetchall()
    ]
    parties = [party_of.get(e, "?") for e in top]
    return sum(p in planted for p in parties) / k, k, parties


#: Identifiers that name one party only: the labelled positives of the real-list evaluation.
STRONG_IDENTIFIERS = ("passportNumber", "imoNumber", "idNumber")


def cross_list_scores(workspace: Workspace) -> dict[str, float | int]:
    """Resolution across watch lists, judged on the pairs of records of *different* datasets
    that share a passport, IMO or national id number (the labelled positives).

    Recall: the share of those pairs resolved into one entity. Precision (on the labelled
    subset): of the cross-dataset pairs resolved together whose records both carry a strong
    identifier, the share that share one. Identifiers are normalised as resolution does.
    """
    props = " || ".join(
        f"coalesce(json_extract_string(x.properties, '$.{p}[*]'), [])" for p in STRONG_IDENTIFIERS
    )
    workspace.con.execute(
        f"""CREATE OR REPLACE TEMP TABLE strong_ids AS
        SELECT e.record_id, e.dataset, e.cluster_id,
            list_distinct(list_transform({props},
                lambda v: regexp_replace(upper(v), '[^0-9A-Z]|^IMO', '', 'g'))) AS ids
        FROM entity_records e JOIN entities x ON x.dataset = e.dataset AND x.id = e.entity_id
        WHERE e.source = 'entity'"""
    )
    row = workspace.con.execute(
        """WITH flat AS (SELECT * FROM (SELECT record_id, dataset, cluster_id, unnest(ids) AS v
                         FROM strong_ids WHERE len(ids) > 0) WHERE v <> ''),
        positives AS (
            SELECT DISTINCT a.record_id AS a, b.record_id AS b, a.cluster_id = b.cluster_id AS hit
            FROM flat a JOIN flat b ON a.v = b.v AND a.dataset < b.dataset
        ),
        together AS (
            SELECT a.record_id AS a, b.record_id AS b,
                len(list_intersect(a.ids, b.ids)) > 0 AS shared
            FROM strong_ids a JOIN strong_ids b ON a.cluster_id = b.cluster_id
                AND a.dataset < b.dataset
            WHERE len(a.ids) > 0 AND len(b.ids) > 0
        )
        SELECT (SELECT count(*) FROM positives), (SELECT count(*) FILTER (WHERE hit) FROM positives),
            (SELECT count(*) FROM together), (SELECT count(*) FILTER (WHERE shared) FROM together),
            (SELECT count(*) FROM (SELECT DISTINCT e1.cluster_id FROM entity_records e1
                JOIN entity_records e2 ON e1.cluster_id = e2.cluster_id AND e1.dataset < e2.dataset
                WHERE e1.source = 'entity' AND e2.source = 'entity'))"""
    ).fetchone()
    assert row is not None
    positives, found, together, shared, multi = (int(x) for x in row)
    return {
        "labelled_pairs": positives,
        "recall": found / positives if positives else 1.0,
        "labelled_resolved_pairs": together,
        "precision": shared / together if together else 1.0,
        "entities_on_several_lists": multi,
    }
