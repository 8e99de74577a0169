"""One root exception, subclasses named for what went wrong.

::

    GreymapError                 anything greymap raises on purpose
    ├── InputError (ValueError)  the user's input is wrong: a file, an option, a mapping
    │   └── MissingColumnsError  a tabular file lacks required columns
    ├── WorkspaceError           the workspace is missing, locked, or of a newer schema
    └── MissingDependencyError   an optional extra is not installed

Library code raises these and never prints or exits; the CLI turns each into one
message and exit status 2.
"""

from __future__ import annotations

from collections.abc import Sequence


class GreymapError(Exception):
    """Root of every error greymap raises on purpose."""


class InputError(GreymapError, ValueError):
    """Something the user gave us (file, option, mapping) is not what was expected."""


class MissingColumnsError(InputError):
    """A tabular file lacks required columns; the message names them and what was found."""

    def __init__(
        self, path: str, missing: Sequence[str], expected: Sequence[str], found: Sequence[str]
    ) -> None:
        self.path = path
        self.missing = list(missing)
        self.expected = list(expected)
        self.found = list(found)
        shown = ", ".join(found[:25]) + (" ..." if len(found) > 25 else "")
        super().__init__(
            f"{path}: missing required column(s) {', '.join(missing)}; "
            f"expected at least {', '.join(expected)}; found {shown or 'no columns'}"
        )


class WorkspaceError(GreymapError):
    """The workspace cannot be opened or is in a state we cannot work with."""


class MissingDependencyError(GreymapError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"this feature needs the '{package}' package: pip install 'greymap[{extra}]'"
        )
