"""Readers, one per outside format (DESIGN.md ``sources/``).

A reader knows its format and nothing else: it yields canonical rows or rejections with
a reason, through the :class:`IngestContext` the ingest engine gives it.
"""

from greymap.sources.base import Reader
from greymap.sources.context import FileCounts, IngestContext, Rejection
from greymap.sources.mapping import ColumnMapping
from greymap.sources.registry import READERS, get_reader
from greymap.sources.tabular import ColumnSpec, Staged, stage_csv

__all__ = [
    "READERS",
    "ColumnMapping",
    "ColumnSpec",
    "FileCounts",
    "IngestContext",
    "Reader",
    "Rejection",
    "Staged",
    "get_reader",
    "stage_csv",
]
