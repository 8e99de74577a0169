"""``greymap simulate``: the files it wrote, as table or JSON; bad options exit 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult


def test_json_lists_files_with_formats_and_rows(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    out = tmp_path / "deep" / "world"
    result = cli(
        "simulate", "--out", str(out), "--seed", "4", "--scale", "0.05", "--format", "json"
    )
    assert result.code == 0, result.stderr
    records = result.json()
    assert [r["file"] for r in records][:5] == [
        "comtrade.csv",
        "shipments.csv",
        "entities.ftm.jsonl",
        "incidents.csv",
        "indicators.csv",
    ]
    for record in records:
        assert {"file", "format", "rows"} <= set(record)
        lines = (out / record["file"]).read_text(encoding="utf-8").count("\n")
        if record["file"].endswith(".csv"):
            assert lines == record["rows"] + 1
        elif record["file"].endswith(".jsonl"):
            assert lines == record["rows"]
    assert records[0]["format"] == "comtrade" and records[2]["format"] == "ftm"


def test_bad_scale_and_bad_out_exit_2(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = cli("simulate", "--out", str(tmp_path / "w"), "--scale", "0")
    assert result.code == 2 and "scale" in result.stderr
    result = cli("simulate", "--out", str(tmp_path / "w"), "--seed", "-1")
    assert result.code == 2 and "seed" in result.stderr
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = cli("simulate", "--out", str(blocker), "--scale", "0.05")
    assert result.code == 2 and "is a file" in result.stderr
