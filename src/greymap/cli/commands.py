"""Importing this module registers every command on ``app``; one module per command."""

from greymap.cli import flows, index, ingest, sectors, simulate, status  # noqa: F401
