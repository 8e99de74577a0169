"""Importing this module registers every command on ``app``; one module per command."""

from greymap.cli import (  # noqa: F401
    entities,
    flows,
    index,
    ingest,
    network,
    screen,
    sectors,
    simulate,
    status,
    target,
    threats,
)
