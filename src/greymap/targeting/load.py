"""Read a declaration extract into canonical columns, rejecting bad rows with reasons.

Targeting reads files directly (an administration scores this week's declarations, it
does not ingest them), so the bookkeeping of an ingest is kept here in small:
``rows_read = rows_used + len(rejected)``, and each rejection names its row (the
1-based record number after the header) and what was wrong. A record with the wrong
number of fields (the DATE sample ends in one, cut inside a quoted text field), no
declaration id, a date that cannot be read, a number that is not a number, a label that
is not 0/1, or an id seen before, is rejected; an empty value is simply missing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from greymap.errors import InputError
from greymap.reference.countries import to_iso3_many
from greymap.reference.hs import normalise_hs
from greymap.sources.mapping import ColumnMapping
from greymap.targeting import columns as C

DATE_FORMATS = ("ISO8601", "%d-%b-%y", "%d/%m/%Y", "%m/%d/%Y", "%y-%m-%d", "%Y%m%d")
TRUE = frozenset({"1", "1.0", "true", "yes", "y", "t"})
FALSE = frozenset({"0", "0.0", "false", "no", "n", "f"})


@dataclass
class Declarations:
    """Canonical declaration rows plus how they were read."""

    frame: pd.DataFrame
    path: str
    layout: str
    rows_read: int
    rejected: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rows_used(self) -> int:
        return len(self.frame)

    @property
    def labelled(self) -> pd.Series:
        """True for rows whose fraud outcome is known."""
        return self.frame["fraud"].notna()

    def as_record(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "layout": self.layout,
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_rejected": len(self.rejected),
        }


def load_declarations(
    path: str | Path, mapping: str | Path | ColumnMapping | None = None
) -> Declarations:
    """Read ``path`` with a recognised layout, or with ``mapping`` (a file or a mapping)."""
    path = Path(path)
    header, records = _read_csv(path)
    if mapping is None:
        column_set = C.detect(header, str(path))
    else:
        loaded = mapping if isinstance(mapping, ColumnMapping) else ColumnMapping.load(mapping)
        origin = "mapping" if isinstance(mapping, ColumnMapping) else str(mapping)
        column_set = C.from_mapping(loaded, origin)
    chosen = C.resolve(column_set, header, str(path))
    raw, rejected = _frame(header, records, chosen)
    frame, more = _parse(raw, column_set.mapping, str(path))
    rejected = sorted(rejected + more)
    return Declarations(frame, str(path), column_set.name, len(records), rejected)


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read declarations file {path}: {exc.strerror}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV file: {exc}") from exc
    rows = [row for row in rows if row]
    if not rows:
        raise InputError(f"{path}: empty file; expected a CSV header and declaration rows")
    return [h.strip() for h in rows[0]], rows[1:]


def _frame(
    header: list[str], records: list[list[str]], chosen: dict[str, str]
) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """The chosen columns as strings; records with a wrong field count are rejected."""
    width = len(header)
    good = [i for i, rec in enumerate(records) if len(rec) == width]
    rejected = [
        (i + 1, f"{len(rec)} fields where the header has {width} (truncated or broken record)")
        for i, rec in enumerate(records)
        if len(rec) != width
    ]
    index = {name: header.index(name) for name in set(chosen.values())}
    data = {
        canonical: [records[i][index[source]].strip() for i in good]
        for canonical, source in chosen.items()
    }
    frame = pd.DataFrame(data, index=pd.Index([i + 1 for i in good], name="row"), dtype=object)
    return frame.replace("", None), rejected


def _parse(
    raw: pd.DataFrame, mapping: ColumnMapping, path: str
) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    raw = _apply_mapping(raw, mapping)
    reasons = pd.Series("", index=raw.index, dtype=object)
    out = pd.DataFrame(index=raw.index)
    out[C.ID] = raw[C.ID]
    reasons[raw[C.ID].isna()] = "missing declaration id"
    out[C.DATE] = _dates(raw[C.DATE], mapping.options.get("date_format"))
    reasons[(reasons == "") & raw[C.DATE].isna()] = "missing date"
    _note(reasons, out[C.DATE].isna(), "date {} not understood", raw[C.DATE])
    for name in C.CATEGORICAL:
        out[name] = _categorical(name, raw.get(name), raw.index)
    for name in (*C.NUMERIC, "critical", "revenue"):
        out[name], bad = _number(raw.get(name), raw.index)
        _note(reasons, bad, f"{name} {{}} is not a number", raw.get(name))
    out["fraud"], bad = _label(raw.get("fraud"), raw.index)
    _note(reasons, bad, "fraud label {} is not 0/1", raw.get("fraud"))
    _derive(out, mapping.options)
    dup = out[C.ID].notna() & out[C.ID].duplicated()
    reasons[dup & (reasons == "")] = "duplicate declaration id"
    keep = reasons == ""
    rejected = [(int(str(row)), str(reason)) for row, reason in reasons[~keep].items()]
    return out[keep].reset_index(drop=False), rejected


def _apply_mapping(raw: pd.DataFrame, mapping: ColumnMapping) -> pd.DataFrame:
    raw = raw.copy()
    for name, value in mapping.constants.items():
        if name not in raw or raw[name].isna().all():
            raw[name] = value
    for name, table in mapping.values.items():
        if name in raw:
            raw[name] = raw[name].map(lambda v, t=table: t.get(v, v) if v is not None else v)
    return raw


def _note(reasons: pd.Series, bad: pd.Series, template: str, raw: pd.Series | None) -> None:
    mask = bad & (reasons == "")
    if raw is None or not mask.any():
        return
    reasons[mask] = [template.format(repr(v)) for v in raw[mask]]


def _dates(raw: pd.Series, fmt: Any) -> pd.Series:
    """Parse each distinct value once, with the given format or the one that reads most."""
    distinct = pd.Series(raw.dropna().unique())
    formats = [str(fmt)] if fmt else list(DATE_FORMATS)
    best: pd.Series = pd.Series(pd.NaT, index=distinct.index)
    for candidate in formats:
        parsed = _to_datetime(distinct, candidate)
        if parsed.notna().sum() > best.notna().sum():
            best = parsed
        if best.notna().all():
            break
    lookup = dict(zip(distinct, best, strict=True))
    return pd.to_datetime(raw.map(lookup))


def _to_datetime(values: pd.Series, fmt: str) -> pd.Series:
    parsed = pd.to_datetime(values, format=fmt, errors="coerce", utc=True)
    return parsed.dt.tz_localize(None).dt.normalize()


def _categorical(name: str, raw: pd.Series | None, index: pd.Index) -> pd.Series:
    if raw is None:
        return pd.Series(None, index=index, dtype=object)
    if name == "hs_code":
        table: dict[Any, Any] = {v: normalise_hs(str(v)) or str(v) for v in raw.dropna().unique()}
        return raw.map(table)
    if name in ("origin", "departure"):
        iso3 = to_iso3_many(str(v) for v in raw.dropna().unique())
        return raw.map(lambda v: (iso3.get(v) or v) if v is not None else None)
    return raw


def _number(raw: pd.Series | None, index: pd.Index) -> tuple[pd.Series, pd.Series]:
    if raw is None:
        return pd.Series(np.nan, index=index), pd.Series(False, index=index)
    cleaned = raw.map(lambda v: v.replace(",", "") if isinstance(v, str) else v)
    values = pd.to_numeric(cleaned, errors="coerce").astype(float)
    return values, raw.notna() & values.isna()


def _label(raw: pd.Series | None, index: pd.Index) -> tuple[pd.Series, pd.Series]:
    if raw is None:
        return pd.Series(np.nan, index=index), pd.Series(False, index=index)
    lowered = raw.map(lambda v: v.lower() if isinstance(v, str) else v)
    values = lowered.map(lambda v: 1.0 if v in TRUE else 0.0 if v in FALSE else np.nan)
    return values.astype(float), raw.notna() & values.isna()


def _derive(out: pd.DataFrame, options: dict[str, Any]) -> None:
    """Tax amount from rate (or rate from amount), and revenue at stake when asked to."""
    rate = out["tax_rate"] / (1.0 if options.get("tax_rate_unit") == "fraction" else 100.0)
    if out["tax_amount"].isna().all():
        out["tax_amount"] = out["value"] * rate
    if out["tax_rate"].isna().all():
        value = out["value"].where(out["value"] > 0)
        out["tax_rate"] = 100.0 * out["tax_amount"] / value
    if options.get("revenue") == "tax":
        out["revenue"] = out["fraud"] * out["tax_amount"].fillna(0.0)


def describe_rejections(rejected: Sequence[tuple[int, str]], limit: int = 5) -> str:
    """A short human summary: the count and the first few rows with their reasons."""
    if not rejected:
        return "no rows rejected"
    shown = "; ".join(f"row {row}: {reason}" for row, reason in rejected[:limit])
    more = f" (and {len(rejected) - limit} more)" if len(rejected) > limit else ""
    return f"{len(rejected)} row(s) rejected: {shown}{more}"
