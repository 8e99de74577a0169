"""Command-line interface. ``run`` turns every greymap error into one message and exit 2."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from greymap.cli import commands as _commands  # noqa: F401  (registers the commands)
from greymap.cli.app import app
from greymap.errors import GreymapError


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI on ``argv`` and return its exit status instead of exiting."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="greymap")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except GreymapError as exc:
        sys.stderr.write(f"greymap: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("greymap: interrupted; the current ingest was rolled back\n")
        return 130
    return 0


def main() -> None:
    sys.exit(run())


__all__ = ["app", "main", "run"]
