"""FollowTheMoney entities as OpenSanctions and Aleph write them: one JSON object a line.

Each line is ``{"id", "schema", "properties": {...}, "datasets", "referents",
"first_seen", "last_seen", "last_change", "target", ...}`` with any FtM schema;
countries and topics are FtM's own codes inside ``properties`` and are kept as they are,
so the entities go back out to FtM tools unchanged (``entities.countries`` adds ISO3).
A JSON array of entities, a single pretty-printed entity, and gzip-compressed files
(``.gz``, found by content) are read too.

Rows are the non-empty lines (or array elements). A line that is not JSON (a file cut
off in the middle of its last line, say), not an object, or not a valid entity goes to
quarantine with its text. A file that is not JSON at all is refused with an
:class:`~greymap.errors.InputError`. The dataset is ``--dataset`` or the file's bare name
(``zala_aero_cluster.ftm.jsonl`` -> ``zala_aero_cluster``); loading it again replaces
the previous version and records the changes (see :mod:`greymap.sources.entities`).
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from greymap.errors import InputError
from greymap.sources.base import Reader
from greymap.sources.context import IngestContext, Rejection
from greymap.sources.entities import EntityBatch, dataset_name

EXPECTED = (
    "FollowTheMoney entities as JSON lines (one object with id, schema and properties a line)"
)
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class JsonRecord:
    """One row of a JSON file: the parsed value, or the error that stopped parsing it."""

    row: int
    raw: str
    value: Any = None
    error: str | None = None


def iter_json_records(path: Path, expected: str) -> Iterator[JsonRecord]:
    """Rows of a JSON-lines file or the elements of a JSON array, gzip or not.

    ``row`` is the line number in a JSON-lines file and the element number (from 1) in
    an array. Raises :class:`InputError` naming ``expected`` when the file is empty,
    not JSON at all, or a damaged gzip stream.
    """
    try:
        with _open(path) as handle:
            lines = iter(handle)
            head = _skip_blank(lines)
            if head is None:
                raise InputError(f"{path}: the file is empty; expected {expected}")
            first_no, first = head
            start = first.lstrip()[:1]
            if start == b"[":
                yield from _array(path, first + b"".join(lines), expected)
            elif start == b"{":
                yield from _lines(path, first_no, first, lines)
            else:
                raise InputError(
                    f"{path}: is not JSON (it starts with {_snippet(first)!r}); expected {expected}"
                )
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path}: damaged compressed file ({exc}); expected {expected}") from exc


@contextmanager
def _open(path: Path) -> Iterator[IO[bytes] | gzip.GzipFile]:
    with path.open("rb") as probe:
        compressed = probe.read(2) == _GZIP_MAGIC
    if compressed:
        with gzip.open(path, "rb") as unpacked:
            yield unpacked
    else:
        with path.open("rb") as plain:
            yield plain


def _skip_blank(lines: Iterator[bytes]) -> tuple[int, bytes] | None:
    for number, line in enumerate(lines, 1):
        if number == 1 and line.startswith(_BOM):
            line = line[len(_BOM) :]
        if line.strip():
            return number, line
    return None


def _lines(path: Path, first_no: int, first: bytes, rest: Iterator[bytes]) -> Iterator[JsonRecord]:
    head = _parse_line(first_no, first)
    if head.error is not None:
        # Not one object a line: perhaps one pretty-printed object, or an array of them.
        body = first + b"".join(rest)
        whole = _parse_whole(body)
        if whole is not None:
            yield from whole
            return
        rest = iter(body.splitlines(keepends=True)[1:])
    yield head
    for number, line in enumerate(rest, first_no + 1):
        if line.strip():
            yield _parse_line(number, line)


def _parse_line(number: int, line: bytes) -> JsonRecord:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raw = line.decode("utf-8", errors="replace").rstrip("\r\n")
        return JsonRecord(number, raw, error=f"not UTF-8 text (byte {exc.start})")
    raw = text.rstrip("\r\n")
    try:
        return JsonRecord(number, raw, value=json.loads(raw))
    except json.JSONDecodeError as exc:
        cut = "; the file ends inside this line (truncated?)" if not line.endswith(b"\n") else ""
        return JsonRecord(number, raw, error=f"invalid JSON: {exc.msg} (column {exc.colno}){cut}")


def _parse_whole(body: bytes) -> list[JsonRecord] | None:
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    items = value if isinstance(value, list) else [value]
    return [JsonRecord(i, json.dumps(v, ensure_ascii=False), v) for i, v in enumerate(items, 1)]


def _array(path: Path, body: bytes, expected: str) -> Iterator[JsonRecord]:
    """Elements one by one, so a file cut off mid-array keeps the elements before the cut."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: is not UTF-8 text (byte {exc.start}); expected {expected}"
        ) from exc
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, text.index("[") + 1)
    number = 0
    if text.startswith("]", pos):
        return _tail(path, text, pos + 1, expected)
    while True:
        number += 1
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield _broken(number, text, pos, exc)
            return
        yield JsonRecord(number, text[pos:end], value)
        pos = _skip_ws(text, end)
        if text.startswith("]", pos):
            return _tail(path, text, pos + 1, expected)
        if not text.startswith(",", pos):
            yield _broken(number + 1, text, pos, None)
            return
        pos = _skip_ws(text, pos + 1)


def _broken(number: int, text: str, pos: int, exc: json.JSONDecodeError | None) -> JsonRecord:
    """Everything from a syntax error on: one quarantined row, since it cannot be split."""
    line = text.count("\n", 0, pos) + 1
    what = (
        f"{exc.msg} (line {exc.lineno}, column {exc.colno})"
        if exc
        else f"expected ',' or ']' at line {line}"
    )
    cut = (
        " (the file ends before the array is closed: truncated?)"
        if not text.rstrip().endswith("]")
        else ""
    )
    return JsonRecord(
        number, text[pos:], error=f"invalid JSON: {what}; the rest of the file is unread{cut}"
    )


def _tail(path: Path, text: str, pos: int, expected: str) -> None:
    if text[pos:].strip():
        raise InputError(
            f"{path}: unexpected text after the closing ']' ({_snippet(text[pos:].strip().encode())!r}); "
            f"expected {expected}"
        )


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _snippet(line: bytes) -> str:
    return line.strip()[:40].decode("utf-8", errors="replace")


class FtmReader(Reader):
    """FollowTheMoney JSON lines into ``entities``, one dataset version per file."""

    NAME = "ftm"
    TABLES = ("entities",)
    DESCRIPTION = (
        "FollowTheMoney entities, JSON lines or array, plain or .gz (OpenSanctions, Aleph)"
    )

    def group(self, paths: list[Path]) -> list[list[Path]]:
        """One transaction, so files given together under one ``--dataset`` form one
        version of it instead of each replacing the one before."""
        return [paths]

    def read(self, ctx: IngestContext, paths: list[Path]) -> None:
        read_datasets(ctx, paths, read_entities)


def read_entities(ctx: IngestContext, batch: EntityBatch, path: Path) -> None:
    """Every row of ``path`` into ``batch`` or quarantine."""
    counts = ctx.counts[path]
    rejected: list[Rejection] = []
    entities = 0
    for record in iter_json_records(path, EXPECTED):
        counts.rows_read += 1
        if record.error is not None:
            rejected.append(Rejection(record.row, record.error, record.raw))
        elif not isinstance(record.value, dict):
            kind = type(record.value).__name__
            rejected.append(Rejection(record.row, f"not a JSON object (a {kind})", record.raw))
        else:
            entities += "schema" in record.value
            batch.add_dict(path, record.row, record.value, record.raw)
    ctx.quarantine(path, rejected)
    if counts.rows_read and not entities:
        raise InputError(f"{path}: no object in the file has a 'schema'; expected {EXPECTED}")


def read_datasets(
    ctx: IngestContext,
    paths: list[Path],
    read_file: Callable[[IngestContext, EntityBatch, Path], None],
) -> None:
    """Each file into its dataset (``--dataset`` or the file's bare name), then write
    each dataset once, as one new version of it."""
    batches: dict[str, tuple[EntityBatch, list[Path]]] = {}
    for path in paths:
        name = ctx.dataset or dataset_name(path)
        batch, files = batches.setdefault(name, (EntityBatch(ctx, name), []))
        files.append(path)
        read_file(ctx, batch, path)
    for batch, files in batches.values():
        _commit(ctx, batch, files)


def _commit(ctx: IngestContext, batch: EntityBatch, files: list[Path]) -> None:
    """Write a dataset and say what the new version changed, on each of its files.

    A dataset of which no entity could be loaded is not written: an update that is all
    rejects must not wipe the version already in the workspace.
    """
    if not batch.entities:
        for path in files:
            ctx.note(
                path, f"no entity could be loaded: dataset {batch.dataset!r} was left as it was"
            )
        return
    summary = batch.commit()
    if any(summary.values()):
        text = (
            f"dataset {batch.dataset!r} replaced its previous version: "
            f"{summary['added']} added, {summary['changed']} changed, "
            f"{summary['removed']} removed"
        )
        for path in files:
            ctx.note(path, text)
