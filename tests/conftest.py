"""Shared fixtures: a fresh workspace, the real data in ../shared/data, the CLI in-process."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from greymap import Workspace
from greymap.cli import run

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Test data is tiny: a couple of Spark partitions instead of the default eight.
os.environ.setdefault("GREYMAP_SPARK_PARTITIONS", "2")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    ws = Workspace(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture
def shared_data() -> Path:
    """The real public files; CI has them beside the project."""
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data is not available")
    return SHARED_DATA


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``greymap --workspace <tmp> ARGS`` in-process, as a user would."""

    def invoke(*args: str, workspace: Path | None = None) -> CliResult:
        capsys.readouterr()
        code = run(["--workspace", str(workspace or tmp_path / "ws"), *args])
        out = capsys.readouterr()
        return CliResult(code, out.out, out.err)

    return invoke
