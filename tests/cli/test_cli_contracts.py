"""The CLI contracts users' scripts rely on (CONTRACTS.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "shipments" / "small.csv"


def test_ingest_json_is_one_array_with_contract_keys(cli: Callable[..., CliResult]) -> None:
    result = cli("ingest", "shipments", str(SMALL), "--format", "json")
    assert result.code == 0, result.stderr
    records = result.json()
    assert isinstance(records, list) and len(records) == 1
    record = records[0]
    for key in ("path", "format", "rows_read", "rows_loaded", "rows_quarantined"):
        assert key in record
    assert record["rows_read"] == record["rows_loaded"] + record["rows_quarantined"] == 4


def test_status_lists_tables_counts_and_quarantine(cli: Callable[..., CliResult]) -> None:
    cli("ingest", "shipments", str(SMALL), "--format", "json")
    result = cli("status", "--format", "json")
    assert result.code == 0, result.stderr
    by_table = {r["table"]: r for r in result.json()}
    assert by_table["shipments"]["rows"] == 2
    assert by_table["shipments"]["sources"] == "shipments"
    assert by_table["shipments"]["rows_quarantined"] == 2
    assert by_table["quarantine"]["rows"] == 2


def test_csv_output(cli: Callable[..., CliResult]) -> None:
    result = cli("ingest", "shipments", str(SMALL), "--format", "csv")
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("path,format,rows_read,rows_loaded,rows_quarantined")
    assert len(lines) == 2


def test_unknown_format_and_missing_workspace_exit_2(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    result = cli("ingest", "nonsense", str(SMALL))
    assert result.code == 2 and "unknown format 'nonsense'" in result.stderr
    result = cli("status", workspace=tmp_path / "absent")
    assert result.code == 2 and "no greymap workspace" in result.stderr


def test_bad_option_value_exits_2(cli: Callable[..., CliResult]) -> None:
    result = cli("status", "--format", "xml")
    assert result.code == 2
