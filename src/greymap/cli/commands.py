"""Importing this module registers every command on ``app``; one module per command."""

from greymap.cli import ingest, status  # noqa: F401
