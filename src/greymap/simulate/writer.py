"""Writing a world to disk, byte for byte the same for the same seed.

CSV files use ``\\n`` line ends and minimal quoting, numbers are formatted with fixed
decimals, JSON keys keep a fixed order, and nothing depends on the clock or on hash
seeds, so two runs with one seed give identical files (the tests compare digests).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from greymap.errors import InputError


@dataclass(frozen=True, slots=True)
class WrittenFile:
    """One file of a world: its name, the ``greymap ingest`` format that reads it, rows."""

    file: str
    format: str | None
    rows: int
    path: Path

    def as_record(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format or "",
            "rows": self.rows,
            "path": str(self.path),
        }


def prepare(out: Path) -> Path:
    """Create ``out`` (and parents); refuse a path that is a file."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: is a file; expected a directory to write the world into")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out}: cannot create the directory ({exc.strerror})") from exc
    return out


def write_csv(
    out: Path, name: str, fmt: str | None, header: Sequence[str], rows: Iterable[Sequence[str]]
) -> WrittenFile:
    path = out / name
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return WrittenFile(name, fmt, count, path)


def write_jsonl(
    out: Path, name: str, fmt: str | None, records: Iterable[dict[str, Any]]
) -> WrittenFile:
    path = out / name
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True))
            handle.write("\n")
            count += 1
    return WrittenFile(name, fmt, count, path)


def write_json(out: Path, name: str, data: dict[str, Any], rows: int) -> WrittenFile:
    path = out / name
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return WrittenFile(name, None, rows, path)
