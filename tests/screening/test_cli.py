"""``greymap screen``: JSON keys, batch CSV, the 50% rule in results, clear errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from greymap.screening import RESULT_KEYS
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


@pytest.fixture
def listed(cli: Cli, fixtures: Path) -> Cli:
    result = cli(
        "ingest", "ftm", str(fixtures / "screening" / "lists.ftm.jsonl"), "--format", "json"
    )
    assert result.code == 0, result.stderr
    return cli


def test_single_name_json_keys(listed: Cli) -> None:
    result = listed("screen", "Vladimir Putin", "--schema", "Person", "--format", "json")
    assert result.code == 0, result.stderr
    rows = result.json()
    assert set(RESULT_KEYS) <= set(rows[0])
    top = rows[0]
    assert (top["entity_id"], top["schema"], top["matched"], top["score"]) == (
        "p-putin",
        "Person",
        True,
        1.0,
    )
    assert top["programs"] == "RUSSIA-EO14024"
    assert (
        top["explanation"]
        == "name 1.00 (vladimir=vladimir, putin=putin) via alias 'Vladimir Putin' = 1.00"
    )


def test_qualifiers_on_the_command_line(listed: Cli) -> None:
    result = listed(
        "screen", "Vladimir Putin", "--schema", "Person", "--birth-date", "1980", "--format", "json"
    )
    (row,) = result.json()
    assert (row["entity_id"], row["matched"]) == (None, False)
    result = listed(
        "screen", "Vladimir Putin", "--birth-date", "1980", "--min-score", "0.5", "-f", "json"
    )
    (row,) = result.json()
    assert (row["entity_id"], row["score"], row["matched"]) == ("p-putin", 0.7, False)
    assert row["explanation"].endswith("birth date mismatch -0.30 = 0.70")


def test_identifier_option(listed: Cli) -> None:
    result = listed(
        "screen", "Unknown Tanker", "--schema", "Vessel", "--id", "IMO 9074729", "-f", "json"
    )
    (row,) = result.json()
    assert (row["entity_id"], row["matched"], row["programs"]) == ("v-star", True, "IRAN")


def test_ownership_rule_in_results(listed: Cli) -> None:
    rows = listed("screen", "Alpha Maritime Trading", "--format", "json").json()
    assert rows[0]["entity_id"] == "c-alpha"
    assert rows[0]["programs"] == "OWNERSHIP-50"
    assert rows[0]["explanation"].endswith(
        "owned 50.0% in aggregate by sanctioned parties; path: "
        "PUTIN, Vladimir Vladimirovich -30%-> Alpha Maritime Trading Ltd; "
        "Romashka LLC -20%-> Alpha Maritime Trading Ltd"
    )
    # 49.9% Romashka + 51% an unlisted firm: not flagged, so not on the list at all
    assert (
        listed("screen", "Beta Shipping Agency", "--format", "json").json()[0]["entity_id"] is None
    )
    # owned 50-75% (lower bound 50%) by a flagged firm: flagged through the chain
    gamma = listed("screen", "Gamma Bunkering Services", "--format", "json").json()[0]
    assert gamma["entity_id"] == "c-gamma"
    assert (
        "Romashka LLC -20%-> Alpha Maritime Trading Ltd -50%-> Gamma Bunkering"
        in gamma["explanation"]
    )
    # multiplying along the chain gives 25%: not flagged
    multiply = listed("screen", "Gamma Bunkering Services", "--ownership", "multiply", "-f", "json")
    assert multiply.json()[0]["entity_id"] is None


def test_batch_csv(listed: Cli, fixtures: Path) -> None:
    result = listed(
        "screen", "--batch", str(fixtures / "screening" / "batch.csv"), "--format", "csv"
    )
    assert result.code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert set(RESULT_KEYS) <= set(rows[0])
    found = [(r["query"], r["entity_id"], r["matched"]) for r in rows]
    assert found == [
        ("Vladimir Putin", "p-putin", "True"),
        ("Путин Владимир", "p-putin", "True"),
        ("ООО Ромашка", "c-romashka", "True"),
        ("Ocean Star", "v-star", "True"),
        ("Totally Different Name", "v-star", "True"),
        ("Second Time Around - Nesten Nytt DA", "", "False"),
    ]
    assert rows[0]["query_ref"] == "batch.csv:2"


def test_batch_json(listed: Cli, fixtures: Path) -> None:
    rows = listed(
        "screen", "--batch", str(fixtures / "screening" / "batch.csv"), "-f", "json"
    ).json()
    assert len(rows) == 6
    assert all(set(RESULT_KEYS) <= set(r) for r in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("screen",), "nothing to screen"),
        (("screen", "X", "--schema", "Ship"), "unknown schema 'Ship'"),
        (("screen", "X", "--country", "Narnia"), "unknown country 'Narnia'"),
        (("screen", "X", "--birth-date", "07/10/1952"), "is not ISO 8601"),
        (("screen", "--batch", "missing.csv"), "missing.csv: no such file"),
        (("screen", "X", "--ownership", "half"), "--ownership 'half'"),
    ],
)
def test_user_errors_exit_2(listed: Cli, args: tuple[str, ...], message: str) -> None:
    result = listed(*args)
    assert result.code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_batch_without_name_column(listed: Cli, fixtures: Path) -> None:
    result = listed("screen", "--batch", str(fixtures / "screening" / "bad_batch.csv"))
    assert result.code == 2
    assert (
        "no 'name' column; expected columns name, schema, country, birth_date, id" in result.stderr
    )


def test_empty_workspace(cli: Cli, tmp_path: Path) -> None:
    result = cli("screen", "Anyone", workspace=tmp_path / "none")
    assert result.code == 2
    assert "no greymap workspace" in result.stderr
