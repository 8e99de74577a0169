"""Same seed and scale: byte-identical files; another seed: another world."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from greymap.simulate import SimulationResult, simulate
from tests.simulate.conftest import SCALE, SEED


def _digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def test_same_seed_same_bytes(world: SimulationResult, tmp_path: Path) -> None:
    again = simulate(tmp_path / "again", seed=SEED, scale=SCALE)
    assert _digests(again.out) == _digests(world.out)
    assert [f.rows for f in again.files] == [f.rows for f in world.files]


def test_other_seed_other_world(world: SimulationResult, tmp_path: Path) -> None:
    other = simulate(tmp_path / "other", seed=SEED + 1, scale=SCALE)
    before, after = _digests(world.out), _digests(other.out)
    assert set(before) == set(after)
    assert all(before[name] != after[name] for name in before)


def test_rewrite_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "w"
    target.mkdir()
    (target / "shipments.csv").write_text("stale\n", encoding="utf-8")
    result = simulate(target, seed=3, scale=0.05)
    assert (target / "shipments.csv").read_text(encoding="utf-8").startswith("shipment_id,")
    assert [f.file for f in result.files] == [
        "comtrade.csv",
        "shipments.csv",
        "entities.ftm.jsonl",
        "incidents.csv",
        "indicators.csv",
        "ground_truth.json",
    ]


def test_same_bytes_under_another_hash_seed(tmp_path: Path) -> None:
    """String hashing is salted per process; no output may depend on it."""
    here = simulate(tmp_path / "here", seed=9, scale=0.05)
    code = "from greymap.simulate import simulate; import sys; simulate(sys.argv[1], seed=9, scale=0.05)"
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "there")], check=True, env=env)
    assert _digests(tmp_path / "there") == _digests(here.out)
