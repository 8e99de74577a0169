"""Settings read from ``GREYMAP_*`` environment variables, with defaults.

| variable                  | default               | meaning                               |
| ------------------------- | --------------------- | ------------------------------------- |
| ``GREYMAP_WORKSPACE``     | ``./greymap-workspace`` | workspace directory                 |
| ``GREYMAP_MAX_FIELD_BYTES`` | ``1048576``         | a CSV field longer than this is quarantined |
| ``GREYMAP_THREADS``       | DuckDB's default      | threads DuckDB may use                |

Settings stay at the edges (CLI, API); library functions take explicit arguments.
"""

from __future__ import annotations

import os
from pathlib import Path

WORKSPACE = Path(os.environ.get("GREYMAP_WORKSPACE", "greymap-workspace"))
MAX_FIELD_BYTES = int(os.environ.get("GREYMAP_MAX_FIELD_BYTES", str(1 << 20)))
THREADS: int | None = (
    int(os.environ["GREYMAP_THREADS"]) if os.environ.get("GREYMAP_THREADS") else None
)
