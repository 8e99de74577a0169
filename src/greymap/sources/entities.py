"""Writing FollowTheMoney entities, with list versions and their changes.

Entity formats (FtM JSON lines, OFAC, the UN list, BODS) all end here. Entities are
validated by ``followthemoney`` (unknown schema or property -> rejection) and written to
``entities`` under a *dataset* name. Loading a dataset that is already in the workspace
is a new version of it: the previous entities are replaced, and ``entity_changes``
records what was added, changed and removed, so an analyst can see what a list update
did.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from followthemoney import EntityProxy, model
from followthemoney.exc import InvalidData

from greymap.sources.context import IngestContext, Rejection


def make_proxy(data: Mapping[str, Any]) -> EntityProxy:
    """An entity from its FtM dict; raises ``InvalidData`` naming what is wrong."""
    if not data.get("id"):
        raise InvalidData("entity has no id")
    schema = data.get("schema")
    if not schema or model.get(str(schema)) is None:
        raise InvalidData(f"unknown FollowTheMoney schema {schema!r}")
    return model.get_proxy(dict(data), cleaned=False)


@dataclass
class EntityBatch:
    """Collects one dataset's entities for one ingest group, then writes them at once."""

    ctx: IngestContext
    dataset: str
    entities: dict[str, tuple[Path, int, EntityProxy]] = field(default_factory=dict)

    def add(self, path: Path, source_row: int, proxy: EntityProxy) -> None:
        """Add an entity; an id seen before in this batch is merged into the first."""
        assert proxy.id is not None
        self.ctx.counts[path].rows_loaded += 1
        previous = self.entities.get(proxy.id)
        if previous is None:
            self.entities[proxy.id] = (path, source_row, proxy)
        else:
            previous[2].merge(proxy)

    def add_dict(
        self, path: Path, source_row: int, data: Mapping[str, Any], raw: str | None = None
    ) -> bool:
        """Validate and add an FtM dict, or quarantine it with the reason; True if added."""
        try:
            proxy = make_proxy(data)
        except (InvalidData, TypeError, ValueError) as exc:
            self.ctx.quarantine(path, [Rejection(source_row, f"invalid entity: {exc}", raw)])
            return False
        self.add(path, source_row, proxy)
        return True

    def commit(self) -> dict[str, int]:
        """Replace the dataset's entities and record the changes; returns change counts."""
        con = self.ctx.con
        old = {
            eid: (schema, caption, props)
            for eid, schema, caption, props in con.execute(
                "SELECT id, schema, caption, properties FROM entities WHERE dataset = ?",
                [self.dataset],
            ).fetchall()
        }
        rows = [self._row(path, row, proxy) for path, row, proxy in self.entities.values()]
        changes = self._changes(old, rows) if old else []
        con.execute("DELETE FROM entities WHERE dataset = ?", [self.dataset])
        if rows:
            self._insert("entities", rows)
        if changes:
            self._insert("entity_changes", changes)
        summary = {"added": 0, "changed": 0, "removed": 0}
        for change in changes:
            summary[change["change"]] += 1
        return summary

    def _row(self, path: Path, source_row: int, proxy: EntityProxy) -> dict[str, Any]:
        data = proxy.to_dict()
        return {
            "id": proxy.id,
            "schema": proxy.schema.name,
            "caption": proxy.caption,
            "dataset": self.dataset,
            "properties": json.dumps(
                data.get("properties", {}), sort_keys=True, ensure_ascii=False
            ),
            "first_seen": data.get("first_seen"),
            "last_seen": data.get("last_seen"),
            "ingest_id": self.ctx.ingest_ids[path],
            "source_row": source_row,
        }

    def _changes(
        self, old: dict[str, tuple[str, str, str]], rows: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        ingest_id = next(iter(self.ctx.ingest_ids.values()))
        new_ids = {r["id"] for r in rows}
        out = []
        for r in rows:
            before = old.get(r["id"])
            if before is None:
                change, previous = "added", None
            elif before[0] != r["schema"] or json.loads(before[2]) != json.loads(r["properties"]):
                change, previous = "changed", before[2]
            else:
                continue
            out.append(
                _change(
                    ingest_id, self.dataset, r["id"], change, r["schema"], r["caption"], previous
                )
            )
        for eid, (schema, caption, props) in old.items():
            if eid not in new_ids:
                out.append(_change(ingest_id, self.dataset, eid, "removed", schema, caption, props))
        return out

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        name = self.ctx.temp_name("ent")
        arrow = pa.Table.from_pylist(rows)
        cols = ", ".join(f'"{c}"' for c in arrow.column_names)
        self.ctx.con.register(name, arrow)
        try:
            self.ctx.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
        finally:
            self.ctx.con.unregister(name)


def _change(
    ingest_id: int,
    dataset: str,
    eid: str,
    change: str,
    schema: str,
    caption: str,
    previous: str | None,
) -> dict[str, Any]:
    return {
        "ingest_id": ingest_id,
        "dataset": dataset,
        "entity_id": eid,
        "change": change,
        "schema": schema,
        "caption": caption,
        "previous": previous,
    }
