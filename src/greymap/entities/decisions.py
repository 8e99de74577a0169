"""Analysts' decisions: these two are (or are not) the same party.

A decision names two records (``entity:us_ofac_sdn:ofac-306``, ``shipment:X:shipper``) or
two resolved entities (``ent-...``); an entity id is turned into its anchor record (the
record its id is made from) when the decision is taken, so the decision keeps meaning the
same thing when later runs renumber nothing but grow the clusters. Decisions live in
``resolution_decisions`` and every clustering, full or incremental, applies them: ``same``
merges first, ``different`` forbids any merge that would join the two (see
:mod:`greymap.entities.cluster`). The latest decision about a pair wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from greymap.errors import InputError
from greymap.workspace import Workspace
from greymap.workspace.store import _now

DECISIONS = ("same", "different")


@dataclass(frozen=True)
class Decision:
    a: str
    b: str
    decision: str


def _record_for(workspace: Workspace, ident: str) -> str:
    """The record an id names: itself if it is a record, the anchor record of an entity."""
    if workspace.scalar("SELECT count(*) FROM entity_records WHERE record_id = ?", [ident]):
        return ident
    anchor = workspace.scalar(
        "SELECT min(record_id) FROM entity_records WHERE cluster_id = ?", [ident]
    )
    if anchor is None:
        raise InputError(
            f"{ident!r} is neither a record id nor an entity id of the last resolution; "
            "run `greymap resolve` first and take ids from its output or `greymap explain`"
        )
    return str(anchor)


def decide(
    workspace: Workspace, a: str, b: str, decision: str, note: str | None = None
) -> Decision:
    """Store an analyst's decision between ``a`` and ``b`` (record or entity ids)."""
    if decision not in DECISIONS:
        raise InputError(f"a decision is 'same' or 'different', not {decision!r}")
    ra, rb = sorted((_record_for(workspace, a), _record_for(workspace, b)))
    if ra == rb:
        raise InputError(f"{a!r} and {b!r} are the same record; nothing to decide")
    given = f"given as {a} / {b}" if (a, b) not in ((ra, rb), (rb, ra)) else None
    text = "; ".join(x for x in (note, given) if x) or None
    workspace.con.execute(
        "INSERT INTO resolution_decisions VALUES (?, ?, ?, ?, ?)", [ra, rb, decision, _now(), text]
    )
    return Decision(ra, rb, decision)


def current_decisions(workspace: Workspace) -> list[Decision]:
    """The latest decision about each pair of records."""
    rows = workspace.con.execute(
        "SELECT a, b, arg_max(decision, decided_at) FROM resolution_decisions "
        "GROUP BY a, b ORDER BY a, b"
    ).fetchall()
    return [Decision(a, b, d) for a, b, d in rows]
