"""greymap: chart the global grey market.

The public surface is small: open a :class:`Workspace`, ingest files into it with
:func:`ingest_files`, and read the results. Everything else lives in the stage
subpackages named in DESIGN.md (``sources``, ``workspace``, ``reference`` ...).
"""

from greymap.errors import GreymapError, InputError, WorkspaceError
from greymap.workspace import IngestResult, Workspace, ingest_files

__version__ = "0.1.0"

__all__ = [
    "GreymapError",
    "IngestResult",
    "InputError",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "ingest_files",
]
