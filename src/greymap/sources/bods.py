"""Beneficial Ownership Data Standard (BODS) statements into FollowTheMoney entities.

Reads BODS 0.4 (``recordId``/``recordType``/``recordDetails``, the version of every
example Open Ownership publishes) and BODS 0.2/0.3 (``statementID``/``statementType``,
``describedBy...Statement`` references), as a JSON array (or JSON lines, or gzip).
Each statement is one row; ``rows_read`` is the number of statements.

What each statement becomes (ids are ``bods-`` + the record id, stable from one 0.4
publication to the next; before 0.4, ``bods-`` + the statement id, the only id there):

- entity -> ``Company`` (registeredEntity), ``Organization`` (legalEntity),
  ``PublicBody`` (state, stateBody), ``LegalEntity`` (arrangement such as a trust or a
  nomination, with the subtype as ``legalForm``; anonymousEntity, unknownEntity).
- person -> ``Person``; a PEP gets the topic ``role.pep`` and its role as ``position``.
- relationship -> one link per interest, owner/director/subject being the interested
  party: ``Ownership`` for shareholding, voting rights and other economic rights
  (``ownershipType`` = interest type, ``percentage`` = exact share or a range such as
  ``25-50``), ``Directorship`` for board and senior-management interests, and
  ``UnknownLink`` for every other kind of control (trust roles, nominee, nominator,
  other influence or control, no stated type) with the interest type as ``role``. The
  first link has the record's id, further ones ``-2``, ``-3``... Every link says
  ``direct``, ``indirect`` or ``unknown`` in ``summary``, carries ``beneficial owner``
  in ``role`` when BODS marks the interest as beneficial ownership or control, and
  describes the share and the chain (``through bods-...``) in ``description``.

History: a record published several times (0.4 ``recordStatus`` new/updated/closed, or
0.2/0.3 ``replacesStatements``) is loaded from its latest statement; the earlier ones
count as loaded into it and the ingest notes how many. A closed record keeps ``status``
``closed``, and its links end (``endDate``) at the closing statement's date.

Unknown parties: an interested party that BODS leaves unspecified (exempt from
disclosure, no beneficial owners, unknown) becomes a placeholder ``LegalEntity``
``bods-<id>-unspecified`` with no name (so no screening or matching can hit it), the
reason in ``description`` and :data:`UNKNOWN_PARTY` in ``status``; the link carries the
same status. BODS's own anonymous or unknown persons and entities carry it too.
Downstream code finds every unknown party with ``status = 'unknown-party'``.

Broken input: a statement that is not an object, has no id or no known type, or a
relationship without subject or interested party is quarantined. A relationship whose
subject or party is not in the file is kept, pointing at that record's ``bods-`` id
(a register may publish in several files), and the ingest notes it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from greymap.errors import InputError
from greymap.sources.base import Reader
from greymap.sources.bods_entities import (
    PARTIES,
    UNKNOWN_PARTY,
    Statement,
    StatementError,
    convert,
    endpoints,
    string_values,
)
from greymap.sources.context import IngestContext, Rejection
from greymap.sources.entities import EntityBatch
from greymap.sources.ftm import iter_json_records, read_datasets

__all__ = ["UNKNOWN_PARTY", "BodsReader", "read_statements"]

EXPECTED = (
    "BODS statements (a JSON array of entity, person and relationship statements, BODS 0.2-0.4)"
)
ID_PREFIX = "bods-"

_KINDS = {
    "entity": "entity",
    "person": "person",
    "relationship": "relationship",
    "entityStatement": "entity",
    "personStatement": "person",
    "ownershipOrControlStatement": "relationship",
}


class BodsReader(Reader):
    """BODS statements into ``entities``, one dataset version per file."""

    NAME = "bods"
    TABLES = ("entities",)
    DESCRIPTION = "Beneficial Ownership Data Standard statements (BODS 0.2-0.4 JSON)"

    def group(self, paths: list[Path]) -> list[list[Path]]:
        """One transaction, so one ``--dataset`` over several files is one version."""
        return [paths]

    def read(self, ctx: IngestContext, paths: list[Path]) -> None:
        read_datasets(ctx, paths, read_statements)


def read_statements(ctx: IngestContext, batch: EntityBatch, path: Path) -> None:
    """Every statement of ``path`` into ``batch`` or quarantine.

    Statements of one record (0.4 updates, or 0.2/0.3 statements that replace others)
    describe it at successive dates: the record is loaded from its latest statement
    that can be loaded, and the earlier ones count as loaded into it.
    """
    statements, rejected = _parse(ctx, path)
    ids = _id_map(statements)
    kinds = {ids(s.key): s.kind for s in statements}
    dangling: set[str] = set()
    earlier = 0
    for versions in _versions(statements, ids):
        for i, st in enumerate(versions):
            try:
                items = convert(st, ids, kinds)
            except StatementError as exc:
                rejected.append(Rejection(st.row, str(exc), st.raw))
                continue
            if batch.add_group(path, st.row, items, st.raw):
                if st.kind == "relationship":
                    dangling.update(r for r in endpoints(st, ids) if kinds.get(r) not in PARTIES)
                earlier += len(versions) - i - 1
                break
    ctx.counts[path].rows_loaded += earlier
    ctx.quarantine(path, rejected)
    _notes(ctx, path, earlier, dangling)


def _versions(statements: list[Statement], ids: Callable[[str], str]) -> list[list[Statement]]:
    """Statements grouped by record, newest first (a replaced statement is older)."""
    replaced = {
        old for st in statements for old in string_values(st.data.get("replacesStatements"))
    }
    groups: dict[str, list[Statement]] = {}
    for st in statements:
        groups.setdefault(ids(st.key), []).append(st)

    def age(st: Statement) -> tuple[bool, str, int]:
        return (st.key not in replaced, str(st.data.get("statementDate") or ""), st.row)

    return [sorted(group, key=age, reverse=True) for group in groups.values()]


def _parse(ctx: IngestContext, path: Path) -> tuple[list[Statement], list[Rejection]]:
    counts = ctx.counts[path]
    statements: list[Statement] = []
    rejected: list[Rejection] = []
    typed = 0
    for record in iter_json_records(path, EXPECTED):
        counts.rows_read += 1
        value = record.value
        typed += isinstance(value, dict) and ("recordType" in value or "statementType" in value)
        try:
            if record.error is not None:
                raise StatementError(record.error)
            statements.append(_statement(record.row, record.raw, value))
        except StatementError as exc:
            rejected.append(Rejection(record.row, str(exc), record.raw))
    if counts.rows_read and not typed:
        raise InputError(
            f"{path}: no statement has a recordType or statementType; expected {EXPECTED}"
        )
    return statements, rejected


def _statement(row: int, raw: str, value: Any) -> Statement:
    if not isinstance(value, dict):
        raise StatementError(f"statement is not a JSON object (a {type(value).__name__})")
    if "recordType" in value:  # BODS 0.4
        kind, key, details = value["recordType"], value.get("recordId"), value.get("recordDetails")
        id_name = "recordId"
    else:
        kind, details = value.get("statementType"), value
        key = value.get("statementID") or value.get("statementId")
        id_name = "statementID"
    if kind not in _KINDS:
        raise StatementError(
            f"unknown statement type {kind!r}; expected entity, person or relationship"
        )
    if not isinstance(key, str | int) or not str(key).strip():
        raise StatementError(f"statement has no {id_name}")
    if not isinstance(details, dict):
        raise StatementError("recordDetails is missing or not an object")
    return Statement(row, raw, _KINDS[kind], str(key).strip(), details, value)


def _id_map(statements: list[Statement]) -> Callable[[str], str]:
    """Statement or record id -> entity id; a replaced 0.2/0.3 statement maps to the
    statement that replaced it, so both describe one entity."""
    replaced: dict[str, str] = {}
    for st in statements:
        for old in string_values(st.data.get("replacesStatements")):
            replaced.setdefault(old, st.key)

    def entity_id(key: str) -> str:
        seen = {key}
        while key in replaced and replaced[key] not in seen:
            key = replaced[key]
            seen.add(key)
        return ID_PREFIX + key

    return entity_id


def _notes(ctx: IngestContext, path: Path, earlier: int, dangling: set[str]) -> None:
    if dangling:
        shown = ", ".join(sorted(dangling)[:5]) + (" ..." if len(dangling) > 5 else "")
        ctx.note(
            path,
            f"{len(dangling)} record(s) that relationships refer to are not in the file "
            f"({shown}): the links were kept and point to ids with no entity",
        )
    if earlier:
        ctx.note(
            path,
            f"{earlier} statement(s) are earlier versions of a record; "
            "each record was loaded from its latest statement",
        )
