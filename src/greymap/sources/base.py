"""What every reader is: a class that knows one outside format and nothing else.

A reader turns one file (or a set of files that form one publication, such as OFAC's
sdn/alt/add CSVs) into canonical rows and rejections, through an
:class:`~greymap.sources.context.IngestContext`. It never opens the workspace, never
commits and never prints: the ingest engine does that around it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from greymap.sources.context import IngestContext


class Reader(ABC):
    """Base class of every reader; subclasses register under ``NAME``."""

    NAME: ClassVar[str]
    #: Canonical tables this reader writes to.
    TABLES: ClassVar[tuple[str, ...]]
    #: One line for ``greymap ingest --help``.
    DESCRIPTION: ClassVar[str] = ""

    def group(self, paths: list[Path]) -> list[list[Path]]:
        """Files that must be read together land in one transaction; by default each
        file is its own ingest."""
        return [[p] for p in paths]

    @abstractmethod
    def read(self, ctx: IngestContext, paths: list[Path]) -> None:
        """Load ``paths`` through ``ctx``: every data row read must end up either in a
        canonical table or in quarantine, and be counted in ``ctx.counts``."""
