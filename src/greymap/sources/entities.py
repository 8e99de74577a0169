"""Writing FollowTheMoney entities, with list versions and their changes.

Entity formats (FtM JSON lines, OFAC, the UN list, BODS) all end here. Entities are
validated by ``followthemoney`` (no id, unknown or abstract schema -> rejection; unknown
properties and unreadable values are dropped, counted and noted) and written to
``entities`` under a *dataset* name. Loading a dataset that is already in the workspace
is a new version of it: the previous entities are replaced, and ``entity_changes``
records what was added, changed and removed, so an analyst can see what a list update
did.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from followthemoney import EntityProxy, model
from followthemoney.exc import InvalidData
from followthemoney.value import string_list

from greymap.reference.countries import iso2_to_iso3
from greymap.sources.context import IngestContext, Rejection

#: Suffixes stripped from a file name to name its dataset ("x.ftm.json.gz" -> "x").
_DATASET_SUFFIXES = (".gz", ".json", ".jsonl", ".ndjson", ".ftm", ".bods")


def dataset_name(path: Path) -> str:
    """The dataset a file loads into when ``--dataset`` is not given: its bare name."""
    name = path.name
    while True:
        suffix = next((s for s in _DATASET_SUFFIXES if name.lower().endswith(s)), None)
        if suffix is None or len(name) == len(suffix):
            return name
        name = name[: -len(suffix)]


def make_proxy(data: Mapping[str, Any]) -> EntityProxy:
    """An entity from its FtM dict; raises ``InvalidData`` naming what is wrong."""
    if not data.get("id"):
        raise InvalidData("entity has no id")
    schema = data.get("schema")
    found = model.get(str(schema)) if schema else None
    if found is None:
        raise InvalidData(f"unknown FollowTheMoney schema {schema!r}")
    if found.abstract:
        raise InvalidData(f"FollowTheMoney schema {found.name} is abstract; use a concrete one")
    if not isinstance(data.get("properties", {}), Mapping):
        raise InvalidData("'properties' is not an object")
    return model.get_proxy(dict(data), cleaned=False)


def dropped_values(data: Mapping[str, Any], proxy: EntityProxy) -> list[str]:
    """What ``get_proxy`` silently left out of ``data``, as ``Schema.property`` labels.

    FtM drops unknown properties and values its type cleaner cannot read (a phone
    field holding three numbers, a date such as "sometime in 2019"). We keep the entity
    and count the losses, so the ingest can say what was dropped instead of hiding it.
    """
    out: list[str] = []
    schema = proxy.schema
    for name, values in (data.get("properties") or {}).items():
        prop = schema.properties.get(name)
        if prop is None or prop.stub:
            out.append(f"{schema.name}.{name} (unknown property)")
            continue
        kept = proxy.get(prop)
        if len(kept) >= (len(values) if isinstance(values, list) else 1):
            continue  # the common case, decided without cleaning anything twice
        given = set(string_list(values, sanitize=True))
        if len(kept) >= len(given):
            continue
        for value in given:
            cleaned = prop.type.clean(value, format=prop.format, proxy=proxy)
            if cleaned is None or cleaned not in kept:
                out.append(f"{schema.name}.{name}")
    return out


@dataclass
class EntityBatch:
    """Collects one dataset's entities for one ingest group, then writes them at once."""

    ctx: IngestContext
    dataset: str
    entities: dict[str, tuple[Path, int, EntityProxy]] = field(default_factory=dict)
    #: Per file, the property values FtM dropped (see :func:`dropped_values`).
    dropped: dict[Path, Counter[str]] = field(default_factory=dict)

    def add(self, path: Path, source_row: int, proxy: EntityProxy, *, count: bool = True) -> None:
        """Add an entity; an id seen before in this batch is merged into the first.

        ``count=False`` for the further entities one source row yields (a list entry
        gives its target and a Sanction), so the row is counted as loaded once.
        """
        assert proxy.id is not None
        if count:
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
        return self.add_group(path, source_row, [data], raw)

    def add_group(
        self,
        path: Path,
        source_row: int,
        items: Sequence[Mapping[str, Any]],
        raw: str | None = None,
    ) -> bool:
        """Add the entities one source row yields, all or none; the row counts once.

        A BODS relationship with two interests gives two links, a list entry gives its
        target and a Sanction: if any of them is invalid the whole row is quarantined.
        """
        assert items, "a source row must yield at least one entity"
        try:
            proxies = [make_proxy(d) for d in items]
            for proxy in proxies:
                self._check_merge(proxy)
        except (InvalidData, TypeError, ValueError) as exc:
            self.ctx.quarantine(path, [Rejection(source_row, f"invalid entity: {exc}", raw)])
            return False
        counter = self.dropped.setdefault(path, Counter())
        for i, (data, proxy) in enumerate(zip(items, proxies, strict=True)):
            counter.update(dropped_values(data, proxy))
            self.add(path, source_row, proxy, count=i == 0)
        return True

    def _check_merge(self, proxy: EntityProxy) -> None:
        """An id used before in the batch must be of a compatible schema to merge."""
        previous = self.entities.get(str(proxy.id))
        if previous is not None:
            try:
                model.common_schema(previous[2].schema, proxy.schema)
            except InvalidData:
                raise InvalidData(
                    f"id {proxy.id!r} is already a {previous[2].schema.name} "
                    f"(row {previous[1]}); cannot merge a {proxy.schema.name} into it"
                ) from None

    def note_dropped(self) -> None:
        """Tell the user, per file, which property values FtM could not keep."""
        for path, counter in self.dropped.items():
            if not counter:
                continue
            shown = ", ".join(f"{label}: {n}" for label, n in counter.most_common(10))
            more = " ..." if len(counter) > 10 else ""
            self.ctx.note(
                path,
                f"dropped {counter.total()} property value(s) FollowTheMoney does not accept "
                f"({shown}{more})",
            )

    def commit(self) -> dict[str, int]:
        """Replace the dataset's entities and record the changes; returns change counts."""
        self.note_dropped()
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
            **_context_columns(proxy),
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


def _context_columns(proxy: EntityProxy) -> dict[str, Any]:
    """The entity's own context (merged duplicates hold lists) as ``entities`` columns.

    ``countries`` is every country the entity is linked to, in ISO3 as the workspace
    writes countries; ``properties`` keeps FtM's own ISO2 codes for round trips.
    """
    ctx = proxy.context

    def values(key: str) -> list[Any]:
        found = ctx.get(key)
        items = found if isinstance(found, list) else [found]
        return [v for v in items if v not in (None, "")]

    codes = {iso2_to_iso3(c) for c in proxy.countries}
    return {
        "first_seen": min(map(str, values("first_seen")), default=None),
        "last_seen": max(map(str, values("last_seen")), default=None),
        "last_change": max(map(str, values("last_change")), default=None),
        "target": any(v is True for v in values("target")) if values("target") else None,
        "datasets": sorted({str(v) for v in values("datasets")}) or None,
        "referents": sorted({str(v) for v in values("referents")}) or None,
        "countries": sorted(c for c in codes if c) or None,
    }
