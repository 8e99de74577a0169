"""User column mappings (``--mapping FILE``), YAML or TOML, shared by tabular readers.

A mapping names, for each canonical column, the user's column that holds it, and may
give constant values and value replacements::

    columns:              # canonical name: the column in the user's file
      shipment_id: BL Number
      arrival_date: [Arrival Date, ETA]   # first one present wins
    constants:            # a value for a canonical column the file lacks
      source: EIA pangolin seizures
    values:               # replace raw values before validation
      country: {"Viet Nam": VNM}
    options:              # reader-specific settings
      date_format: "%d/%m/%Y"
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from greymap.errors import InputError


@dataclass(frozen=True)
class ColumnMapping:
    columns: dict[str, list[str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    digest: str = ""

    @classmethod
    def load(cls, path: str | Path) -> ColumnMapping:
        path = Path(path)
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read mapping file {path}: {exc.strerror}") from exc
        try:
            if path.suffix.lower() == ".toml":
                data = tomllib.loads(text.decode("utf-8"))
            else:
                data = yaml.safe_load(text) or {}
        except (yaml.YAMLError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"mapping file {path} is not valid YAML or TOML: {exc}") from exc
        return cls.from_dict(data, str(path), hashlib.sha256(text).hexdigest())

    @classmethod
    def from_dict(cls, data: Any, origin: str = "mapping", digest: str = "") -> ColumnMapping:
        if not isinstance(data, dict):
            raise InputError(
                f"{origin}: expected a mapping with 'columns', got {type(data).__name__}"
            )
        unknown = set(data) - {"columns", "constants", "values", "options"}
        if unknown:
            raise InputError(
                f"{origin}: unknown section(s) {', '.join(sorted(unknown))}; "
                "expected columns, constants, values, options"
            )
        columns: dict[str, list[str]] = {}
        for canonical, source in (data.get("columns") or {}).items():
            names = [source] if isinstance(source, str) else source
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise InputError(f"{origin}: columns.{canonical} must be a column name or a list")
            columns[str(canonical)] = names
        values = {
            str(k): {str(a): str(b) for a, b in (v or {}).items()}
            for k, v in (data.get("values") or {}).items()
        }
        constants = {str(k): str(v) for k, v in (data.get("constants") or {}).items()}
        options = dict(data.get("options") or {})
        digest = digest or hashlib.sha256(repr(sorted(data.items())).encode()).hexdigest()
        return cls(columns, constants, values, options, digest)
