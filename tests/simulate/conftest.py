"""One small world per test session: simulating is deterministic, so tests share it."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from greymap.simulate import SimulationResult, simulate

SEED = 11
SCALE = 0.1


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    return simulate(tmp_path_factory.mktemp("sim") / "world", seed=SEED, scale=SCALE)


@pytest.fixture(scope="session")
def truth(world: SimulationResult) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(world.truth_path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def shipments(world: SimulationResult) -> dict[str, dict[str, str]]:
    return {row["shipment_id"]: row for row in read_csv(world.path("shipments"))}


@pytest.fixture(scope="session")
def entities(world: SimulationResult) -> dict[str, dict[str, Any]]:
    out = {}
    with world.path("ftm").open(encoding="utf-8") as handle:
        for line in handle:
            entity = json.loads(line)
            out[entity["id"]] = entity
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
