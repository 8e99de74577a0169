"""``greymap target train|score|update|evaluate`` as a user runs them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult
from tests.targeting.conftest import SAMPLE

Cli = Callable[..., CliResult]
FAST = ("--rounds", "40", "--threads", "1", "--leaf-features", "off")


def test_train_score_update_evaluate(cli: Cli, tmp_path: Path) -> None:
    model = str(tmp_path / "model")
    trained = cli("target", "train", str(SAMPLE), "--model", model, *FAST, "--format", "json")
    assert trained.code == 0, trained.stderr
    [summary] = trained.json()
    assert (summary["rows_read"], summary["rows_used"], summary["rows_rejected"]) == (5000, 5000, 0)
    assert summary["layout"] == "kcs" and summary["training_rows"] == 5000
    assert summary["training_period"] == "2020-01-02/2021-03-31"
    assert summary["variant"] == "gbdt"

    scored = cli(
        "target", "score", str(SAMPLE), "--model", model, "--budget", "1%", "--format", "json"
    )
    assert scored.code == 0, scored.stderr
    rows = scored.json()
    assert len(rows) == 5000
    assert {"declaration_id", "risk", "expected_revenue", "selected", "top_reasons"} <= set(rows[0])
    assert sum(r["selected"] for r in rows) == 50
    assert all(r["selected"] for r in rows[:50]) and rows[0]["rank"] == 1
    assert isinstance(rows[0]["top_reasons"], str) and "(+" in rows[0]["top_reasons"]
    assert rows[0]["risk"] >= rows[-1]["risk"]

    as_csv = cli(
        "target", "score", str(SAMPLE), "--model", model, "--show", "selected", "--format", "csv"
    )
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(table) == 250 and list(table[0])[:5] == [
        "declaration_id",
        "risk",
        "expected_revenue",
        "selected",
        "top_reasons",
    ]

    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(
        "declaration_id,fraud,revenue\n"
        + "".join(f"{r['declaration_id']},1,100\n" for r in rows[:20])
    )
    updated = cli(
        "target",
        "update",
        str(SAMPLE),
        "--model",
        model,
        "--outcomes",
        str(outcomes),
        "--format",
        "json",
    )
    assert updated.code == 0, updated.stderr
    [change] = updated.json()
    assert (change["rows_added"], change["frauds_added"], change["version"]) == (20, 20, 2)
    assert change["training_rows"] == 5000  # the 20 were already there: their outcome is replaced

    graded = cli("target", "evaluate", str(SAMPLE), "--model", model, "--format", "json")
    assert graded.code == 0, graded.stderr
    assert [(g["ranked_by"], g["budget"]) for g in graded.json()][:4] == [
        ("risk", 0.01),
        ("risk", 0.02),
        ("risk", 0.05),
        ("risk", 0.1),
    ]


def test_user_errors_exit_2_with_one_message(cli: Cli, tmp_path: Path, fixtures: Path) -> None:
    missing_model = cli("target", "score", str(SAMPLE), "--model", str(tmp_path / "none"))
    assert missing_model.code == 2
    assert "not a greymap targeting model" in missing_model.stderr
    assert "Traceback" not in missing_model.stderr
    other = fixtures / "targeting" / "custom_extract.csv"
    unknown = cli("target", "train", str(other), "--model", str(tmp_path / "m"))
    assert unknown.code == 2 and "not a recognised declaration layout" in unknown.stderr
    budget = cli("target", "score", str(SAMPLE), "--model", str(tmp_path / "m"), "--budget", "lots")
    assert budget.code == 2 and "--budget 'lots'" in budget.stderr
