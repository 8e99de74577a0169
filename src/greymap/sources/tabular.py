"""Staging of delimited text files in DuckDB, shared by every tabular reader.

A file is read once by DuckDB's own CSV reader (all columns as text, malformed lines
captured instead of raised), into a temporary table that keeps the file's order. A view
over it renames the user's columns to canonical names (through built-in aliases and the
user's ``--mapping``), so a reader validates and converts in one SQL query.

Encoding is decided before DuckDB sees the file: a UTF-16 BOM means UTF-16, text that is
not valid UTF-8 is read as Latin-1 (and a note says so). Binary files and XML or JSON
handed to a CSV reader are refused with a message naming what was expected.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from greymap.errors import InputError, MissingColumnsError
from greymap.settings import MAX_FIELD_BYTES
from greymap.sources.context import IngestContext, Rejection

SAMPLE_BYTES = 8 << 20
MAX_LINE_BYTES = 64 << 20


@dataclass(frozen=True)
class ColumnSpec:
    """The canonical columns a reader needs, and the other spellings it accepts.

    Header names are compared case-, space- and punctuation-blind, so ``Reporter Code``,
    ``reporter_code`` and ``reporterCode`` are one column without any alias.
    """

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Values that mean "no value" in this format besides the empty string.
    null_values: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass(frozen=True)
class Staged:
    path: Path
    table: str
    view: str
    present: frozenset[str]
    header: tuple[str, ...]
    delimiter: str
    encoding: str
    rows: int
    #: canonical name -> the file's header it was read from (for the present columns)
    columns: Mapping[str, str] = field(default_factory=dict)

    @property
    def raw_query(self) -> str:
        """``_row, _raw`` for every staged row: the row's fields joined again."""
        cols = ", ".join(f"coalesce(\"{h}\", '')" for h in self.header)
        sep = self.delimiter.replace("'", "''")
        return f"SELECT _row, concat_ws('{sep}', {cols}) AS _raw FROM {self.table}"


def header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def detect_encoding(path: Path) -> str:
    """``utf-8``, ``utf-16`` or ``latin-1``; raises for binary or non-tabular files."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if not sample:
        raise InputError(
            f"{path}: the file is empty (0 bytes); expected a CSV file with a header row"
        )
    if sample[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    if b"\x00" in sample:
        raise InputError(
            f"{path}: binary content (NUL bytes); expected a delimited text (CSV) file"
        )
    start = sample.lstrip(codecs.BOM_UTF8).lstrip()
    if start[:1] in (b"<", b"{", b"["):
        kind = "XML" if start[:1] == b"<" else "JSON"
        raise InputError(f"{path}: looks like {kind}, not CSV; expected a delimited text file")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=len(sample) < SAMPLE_BYTES)
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def stage_csv(
    ctx: IngestContext,
    path: Path,
    spec: ColumnSpec,
    *,
    header: bool = True,
    names: Sequence[str] | None = None,
    delimiter: str | None = None,
) -> Staged:
    """Read ``path`` into a temporary table and a canonical view; quarantine lines the
    CSV parser itself rejects. ``names`` gives column names to a headerless file."""
    encoding = detect_encoding(path)
    if encoding == "latin-1":
        ctx.note(path, "not valid UTF-8: read as Latin-1")
    table = ctx.temp_name("stage")
    rejects = ctx.temp_name("rejects")
    options = [
        "all_varchar = true",
        f"header = {'true' if header else 'false'}",
        f"encoding = '{encoding}'",
        "store_rejects = true",
        f"rejects_table = '{rejects}'",
        f"rejects_scan = '{rejects}_scan'",
        f"max_line_size = {MAX_LINE_BYTES}",
        f"buffer_size = {2 * MAX_LINE_BYTES}",
        "sample_size = 20480",
    ]
    if delimiter:
        options.append(f"delim = '{delimiter}'")
    doubled_cr = _doubled_carriage_returns(path)
    if doubled_cr:
        # "\r\r\n" line ends (a file converted to CRLF twice) defeat DuckDB's dialect
        # sniffer unless the parser is lenient; it then leaves a "\n" before each row.
        options.append("strict_mode = false")
    if names:
        options.append("names = [" + ", ".join(_quote(n) for n in names) + "]")
    source = f"read_csv({_quote(str(path))}, {', '.join(options)})"
    try:
        ctx.con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM {source}")
    except Exception as exc:  # DuckDB raises one class per kind; all mean a bad file here
        raise InputError(f"{path}: cannot be read as CSV: {_first_line(exc)}") from exc
    found = tuple(r[0] for r in ctx.con.execute(f"DESCRIBE {table}").fetchall())
    if doubled_cr:
        ctx.con.execute(f'UPDATE {table} SET "{found[0]}" = ltrim("{found[0]}", chr(10))')
    sep = delimiter or _detected_delimiter(ctx, path, encoding, lenient=doubled_cr)
    columns = _match_columns(path, spec, found, ctx, sep)
    rejected = _quarantine_parse_errors(ctx, path, rejects, 1 if header else 0)
    _number_rows(ctx, table, rejected)
    view = ctx.temp_name("view")
    ctx.con.execute(
        f"CREATE TEMP VIEW {view} AS SELECT {_view_columns(ctx, spec, columns, found)} FROM {table}"
    )
    count = ctx.con.execute(f"SELECT count(*) FROM {table}").fetchone()
    rows = int(count[0]) if count else 0
    ctx.counts[path].rows_read += rows + len(rejected)
    return Staged(path, table, view, frozenset(columns), found, sep, encoding, rows, columns)


def _match_columns(
    path: Path, spec: ColumnSpec, found: Sequence[str], ctx: IngestContext, sep: str
) -> dict[str, str]:
    by_key = {header_key(h): h for h in reversed(found)}
    mapping = ctx.mapping
    matched: dict[str, str] = {}
    for canonical in spec.all:
        user = mapping.columns.get(canonical) if mapping else None
        candidates = user if user else [canonical, *spec.aliases.get(canonical, ())]
        for name in candidates:
            hit = name if name in found else by_key.get(header_key(name))
            if hit is not None:
                matched[canonical] = hit
                break
    constants = mapping.constants if mapping else {}
    missing = [c for c in spec.required if c not in matched and c not in constants]
    if missing:
        error = MissingColumnsError(str(path), missing, spec.required, list(found))
        if len(found) == 1 and any(d in found[0] for d in ",;\t|"):
            raise InputError(
                f"{error} (only one column was found with delimiter {sep!r}: "
                "the file may use a different delimiter or quoting)"
            ) from None
        raise error
    return matched


def _view_columns(
    ctx: IngestContext, spec: ColumnSpec, columns: Mapping[str, str], found: Sequence[str]
) -> str:
    mapping = ctx.mapping
    nulls = ("", *spec.null_values)
    parts = ["_row"]
    for canonical in spec.all:
        if canonical in columns:
            expr = f'trim("{columns[canonical]}")'
            expr = f"CASE WHEN {expr} IN ({', '.join(_quote(n) for n in nulls)}) THEN NULL ELSE {expr} END"
            replacements = mapping.values.get(canonical, {}) if mapping else {}
            if replacements:
                cases = " ".join(
                    f"WHEN {_quote(a)} THEN {_quote(b)}" for a, b in replacements.items()
                )
                expr = f"(CASE {expr} {cases} ELSE {expr} END)"
        elif mapping and canonical in mapping.constants:
            expr = _quote(mapping.constants[canonical])
        else:
            expr = "NULL::VARCHAR"
        parts.append(f'{expr} AS "{canonical}"')
    too_long = " ".join(
        f'WHEN strlen("{h}") > {MAX_FIELD_BYTES} THEN '
        f"'field {_sql_text(h)} is ' || strlen(\"{h}\") || ' bytes, over the {MAX_FIELD_BYTES}-byte limit'"
        for h in found
    )
    parts.append(f"CASE {too_long} END AS _field_error" if too_long else "NULL AS _field_error")
    return ", ".join(parts)


def _quarantine_parse_errors(
    ctx: IngestContext, path: Path, rejects: str, header_lines: int
) -> list[int]:
    rows = ctx.con.execute(
        f"SELECT line, string_agg(DISTINCT error_type || ': ' || error_message, '; '), "
        f"any_value(csv_line) FROM {rejects} GROUP BY line ORDER BY line"
    ).fetchall()
    ctx.con.execute(f"DROP TABLE IF EXISTS {rejects}")
    ctx.con.execute(f"DROP TABLE IF EXISTS {rejects}_scan")
    records = [int(line) - header_lines for line, _, _ in rows]
    ctx.quarantine(
        path,
        (
            Rejection(rec, f"malformed CSV line: {why}", raw)
            for rec, (_, why, raw) in zip(records, rows, strict=True)
        ),
    )
    return records


def _number_rows(ctx: IngestContext, table: str, rejected: list[int]) -> None:
    """``_row`` is the data row number (1 = first row after the header). Rows the parser
    rejected keep their numbers, so the loaded rows after them are shifted past them."""
    ctx.con.execute(f"ALTER TABLE {table} ADD COLUMN _row BIGINT")
    # Temporary tables number rows from an offset; subtract it to count from zero.
    k = f"(rowid - (SELECT min(rowid) FROM {table}))"
    if not rejected:
        ctx.con.execute(f"UPDATE {table} SET _row = {k} + 1")
        return
    # Row k (0-based, among parsed rows) is record k + 1 + j, where j counts the rejected
    # records before it: build the ranges of k over which j is constant.
    bounds = [rec - 1 - j for j, rec in enumerate(sorted(rejected))]
    cases = " ".join(f"WHEN {k} < {b} THEN {k} + 1 + {j}" for j, b in enumerate(bounds))
    ctx.con.execute(f"UPDATE {table} SET _row = CASE {cases} ELSE {k} + 1 + {len(bounds)} END")


def _doubled_carriage_returns(path: Path) -> bool:
    with path.open("rb") as handle:
        return b"\r\r\n" in handle.read(1 << 16)


def _detected_delimiter(
    ctx: IngestContext, path: Path, encoding: str, *, lenient: bool = False
) -> str:
    # A cursor of its own: a failed sniff must not abort the ingest's transaction.
    strict = ", strict_mode = false" if lenient else ""
    try:
        with ctx.con.cursor() as cursor:
            row = cursor.execute(
                f"SELECT delimiter FROM sniff_csv({_quote(str(path))}, encoding = '{encoding}', "
                f"max_line_size = {MAX_LINE_BYTES}, buffer_size = {2 * MAX_LINE_BYTES}{strict})"
            ).fetchone()
    except Exception:
        return ","
    return str(row[0]) if row and row[0] else ","


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
