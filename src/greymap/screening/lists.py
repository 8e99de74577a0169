"""The screening list from the workspace: listed entities plus those the 50% rule flags.

An entity is *listed* when a list put it there: a ``Sanction`` entity points at it
(``entity`` property; the OFAC and UN readers write these), it has a ``program``, or its
``topics`` name a list topic (``sanction``, ``debarment``, ``crime``, ``poi``, ...), as
OpenSanctions writes them. Programmes come from the entity's own ``program`` and from its
Sanction entities. Entities a sanctioned party owns 50% or more (:mod:`.ownership`) join
the list with the programme ``OWNERSHIP-50`` and the ownership path in their note.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from greymap.errors import WorkspaceError
from greymap.screening.ownership import Flag, apply_rule, stakes_from_ftm
from greymap.screening.records import SCREEN_SCHEMAS, ListEntity
from greymap.workspace import Workspace

#: FtM topics that put an entity on a screening list.
LIST_TOPICS = frozenset(
    {
        "sanction",
        "sanction.linked",
        "sanction.counter",
        "debarment",
        "export.control",
        "crime",
        "crime.terror",
        "crime.fin",
        "crime.traffick",
        "crime.war",
        "poi",
        "wanted",
        "role.pep",
        "reg.warn",
        "reg.action",
        "corp.disqual",
        "asset.frozen",
    }
)
#: Topics that make an owner "sanctioned" for the 50% rule.
SANCTION_TOPICS = frozenset({"sanction"})
OWNERSHIP_PROGRAM = "OWNERSHIP-50"

Row = dict[str, Any]


def load_list(
    ws: Workspace, datasets: Sequence[str] | None = None, *, ownership: str = "ofac"
) -> list[ListEntity]:
    """Screenable entities of ``datasets`` (all if ``None``) in the workspace."""
    rows = _rows(ws, datasets)
    if not rows:
        where = f" in dataset(s) {', '.join(datasets)}" if datasets else ""
        raise WorkspaceError(
            f"no entities to screen against{where} in workspace {ws.path}; ingest a list "
            "first (greymap ingest ofac|un-sc|ftm FILE)"
        )
    return build_list(rows, ownership=ownership)


def build_list(rows: Iterable[Row], *, ownership: str = "ofac") -> list[ListEntity]:
    """Listed entities plus those the 50% rule flags, from FtM entity dicts."""
    by_schema: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_schema[row["schema"]].append(row)
    programs = _sanction_programs(by_schema.get("Sanction", ()))
    parties = [r for s in SCREEN_SCHEMAS for r in by_schema.get(s, ())]
    listed = [r for r in parties if _is_listed(r, programs)]
    sanctioned = {r["id"] for r in listed if _is_sanctioned(r, programs)}
    flags = apply_rule(stakes_from_ftm(by_schema.get("Ownership", ())), sanctioned, ownership)
    labels = {r["id"]: r.get("caption") or r["id"] for r in parties}
    out = [_entity(r, programs.get(r["id"], ())) for r in listed]
    listed_ids = {r["id"] for r in listed}
    out += [
        _flagged(r, flags[r["id"]], labels)
        for r in parties
        if r["id"] in flags and r["id"] not in listed_ids
    ]
    return out


def _rows(ws: Workspace, datasets: Sequence[str] | None) -> list[Row]:
    schemas = (*SCREEN_SCHEMAS, "Sanction", "Ownership")
    sql = (
        "SELECT id, schema, caption, dataset, properties, countries, datasets FROM entities "
        f"WHERE schema IN ({', '.join('?' * len(schemas))})"
    )
    params: list[Any] = list(schemas)
    if datasets:
        sql += f" AND dataset IN ({', '.join('?' * len(datasets))})"
        params += list(datasets)
    cur = ws.con.execute(sql + " ORDER BY dataset, id", params)
    names = [d[0] for d in cur.description]
    out = []
    for values in cur.fetchall():
        row = dict(zip(names, values, strict=True))
        row["properties"] = json.loads(row["properties"]) if row["properties"] else {}
        out.append(row)
    return out


def _sanction_programs(sanctions: Iterable[Row]) -> dict[str, tuple[str, ...]]:
    out: dict[str, dict[str, None]] = defaultdict(dict)
    for row in sanctions:
        props = row["properties"]
        values = props.get("program") or props.get("authority") or [row.get("dataset", "")]
        for target in props.get("entity", ()):
            out[target].update(dict.fromkeys(v for v in values if v))
    return {k: tuple(v) for k, v in out.items()}


def _is_listed(row: Row, programs: Mapping[str, tuple[str, ...]]) -> bool:
    props = row["properties"]
    return (
        row["id"] in programs
        or bool(props.get("program"))
        or bool(LIST_TOPICS.intersection(props.get("topics", ())))
    )


def _is_sanctioned(row: Row, programs: Mapping[str, tuple[str, ...]]) -> bool:
    topics = set(row["properties"].get("topics", ()))
    return row["id"] in programs or bool(SANCTION_TOPICS & topics)


def _entity(row: Row, programs: Sequence[str], note: str = "") -> ListEntity:
    return ListEntity.from_ftm(
        row, programs=programs, countries=row.get("countries") or (), note=note
    )


def _flagged(row: Row, flag: Flag, labels: Mapping[str, str]) -> ListEntity:
    return _entity(row, (OWNERSHIP_PROGRAM,), note=flag.explain(labels))
