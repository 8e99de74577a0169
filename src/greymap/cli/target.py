"""``greymap target train|score|update|evaluate``: which declarations to inspect.

Thin: read the file, call :mod:`greymap.targeting`, render. Models live in the directory
given by ``--model``, not in the workspace: a model is trained once and used on many
weekly extracts.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from greymap.cli.app import app
from greymap.cli.render import OutputFormat, render

target_app = typer.Typer(
    name="target",
    help="Declaration targeting: rank import declarations for inspection under a budget.",
    no_args_is_help=True,
)
app.add_typer(target_app, name="target")

File = Annotated[Path, typer.Argument(help="Declarations CSV (KCS or DATE layout, or --mapping).")]
Model = Annotated[Path, typer.Option("--model", help="Model directory.")]
Mapping = Annotated[
    Path | None, typer.Option("--mapping", help="Column mapping (YAML/TOML) for other layouts.")
]
Format = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
Seed = Annotated[int, typer.Option("--seed", help="Seed for folds, boosting and exploration.")]

TRAIN_COLUMNS = (
    "model",
    "layout",
    "rows_read",
    "rows_used",
    "rows_rejected",
    "training_rows",
    "training_frauds",
    "training_period",
    "validation_period",
    "variant",
    "rounds",
    "validation_auc",
    "validation_precision_at_5pct",
    "revenue_model",
)
SCORE_TABLE = (
    "rank",
    "declaration_id",
    "date",
    "risk",
    "expected_revenue",
    "selection",
    "top_reasons",
)


def _load(path: Path, mapping: Path | None) -> Any:
    from greymap.targeting import load_declarations
    from greymap.targeting.load import describe_rejections

    declarations = load_declarations(path, mapping)
    if declarations.rejected:
        sys.stderr.write(f"greymap: {path}: {describe_rejections(declarations.rejected)}\n")
    return declarations


@contextmanager
def _working(message: str, output: OutputFormat) -> Iterator[None]:
    """A spinner on a terminal for table output; silent for json/csv and in pipes."""
    show = output is OutputFormat.table and sys.stderr.isatty()
    with Console(stderr=True).status(message) if show else nullcontext():
        yield


@target_app.command(help="Train a model on inspected (labelled) declarations.")
def train(
    file: File,
    model: Model,
    valid: Annotated[
        Path | None,
        typer.Option(
            "--valid", help="Later labelled declarations to tune on (default: the latest 20%)."
        ),
    ] = None,
    mapping: Mapping = None,
    rounds: Annotated[int, typer.Option("--rounds", help="Most boosting rounds.")] = 1000,
    leaf_features: Annotated[
        str, typer.Option("--leaf-features", help="auto (keep if validation says so), on, off.")
    ] = "auto",
    refit: Annotated[
        bool, typer.Option("--refit/--no-refit", help="Refit on training + validation rows.")
    ] = True,
    threads: Annotated[int, typer.Option("--threads", help="LightGBM threads.")] = 2,
    seed: Seed = 0,
    output: Format = OutputFormat.table,
) -> None:
    from greymap.errors import InputError
    from greymap.targeting import ModelParams, save_model, train_model

    if leaf_features not in ("auto", "on", "off"):
        raise InputError(f"--leaf-features {leaf_features!r}: expected auto, on or off")
    data = _load(file, mapping)
    held = _load(valid, mapping).frame if valid is not None else None
    params = ModelParams(rounds=rounds, leaf_features=leaf_features, num_threads=threads, seed=seed)
    with _working("training the targeting model", output):
        fitted = train_model(data.frame, held, params, refit=refit)
    save_model(fitted, model)
    render([_train_record(model, data.as_record(), fitted.metadata)], output, columns=TRAIN_COLUMNS)


def _train_record(path: Path, read: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    figures = meta.get("validation", {}).get(meta["variant"], {})
    at5 = [b for b in figures.get("budgets", []) if abs(b["budget"] - 0.05) < 1e-9]
    period = meta.get("validation_period")
    return {
        "model": str(path),
        **{k: v for k, v in read.items() if k != "path"},
        **{k: meta.get(k) for k in ("training_rows", "training_frauds", "variant", "rounds")},
        "training_period": "/".join(meta["training_period"] or []),
        "validation_period": "/".join(period) if period else None,
        "validation_auc": figures.get("auc"),
        "validation_precision_at_5pct": at5[0]["precision"] if at5 else None,
        "revenue_model": meta.get("revenue_model"),
    }


@target_app.command(help="Score declarations and select the inspections under a budget.")
def score(
    file: File,
    model: Model,
    budget: Annotated[
        str, typer.Option("--budget", help="Share (5% or 0.05) or number of declarations.")
    ] = "5%",
    by: Annotated[str, typer.Option("--by", help="Rank by risk or by expected revenue.")] = "risk",
    explore: Annotated[
        float, typer.Option("--explore", help="Share of the budget for exploration (0-1).")
    ] = 0.0,
    explore_by: Annotated[
        str, typer.Option("--explore-by", help="random, or uncertainty (risk nearest 0.5).")
    ] = "random",
    reasons: Annotated[int, typer.Option("--reasons", help="Reasons per selected row.")] = 3,
    show: Annotated[
        str | None,
        typer.Option(
            "--show", help="selected or all (default: selected in tables, all otherwise)."
        ),
    ] = None,
    mapping: Mapping = None,
    seed: Seed = 0,
    output: Format = OutputFormat.table,
) -> None:
    from greymap.errors import InputError
    from greymap.targeting import load_model, parse_budget, score_declarations
    from greymap.targeting.score import EXTRA, KEYS, records

    if show not in (None, "selected", "all"):
        raise InputError(f"--show {show!r}: expected selected or all")
    share = parse_budget(budget)
    fitted = load_model(model)
    data = _load(file, mapping)
    scored = score_declarations(
        fitted,
        data.frame,
        share,
        by=by,
        explore=explore,
        explore_by=explore_by,
        seed=seed,
        reasons=reasons,
    )
    only = (show or ("selected" if output is OutputFormat.table else "all")) == "selected"
    columns = SCORE_TABLE if output is OutputFormat.table else (*KEYS, *EXTRA)
    title = f"{int(scored['selected'].sum())} of {len(scored)} declarations selected"
    render(records(scored, only_selected=only), output, title=title, columns=columns)


@target_app.command(help="Feed inspection outcomes back and retrain the model.")
def update(
    file: Annotated[Path, typer.Argument(help="The declarations that were scored.")],
    model: Model,
    outcomes: Annotated[
        Path | None,
        typer.Option(
            "--outcomes", help="CSV: declaration_id, fraud[, revenue] (default: FILE's labels)."
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the new model here (default: --model).")
    ] = None,
    mapping: Mapping = None,
    output: Format = OutputFormat.table,
) -> None:
    from greymap.targeting import load_model, read_outcomes, save_model, update_model

    fitted = load_model(model)
    data = _load(file, mapping)
    found = read_outcomes(outcomes) if outcomes is not None else None
    with _working("retraining with the inspection outcomes", output):
        retrained, summary = update_model(fitted, data.frame, found)
    save_model(retrained, out or model)
    record = {"model": str(out or model), **summary.as_record(), "variant": retrained.variant}
    render([record], output, title="model updated")


@target_app.command(help="Precision, recall and revenue at 1, 2, 5, 10% on labelled declarations.")
def evaluate(
    file: File, model: Model, mapping: Mapping = None, output: Format = OutputFormat.table
) -> None:
    from greymap.targeting import evaluate_model, load_model

    fitted = load_model(model)
    data = _load(file, mapping)
    render(evaluate_model(fitted, data.frame), output, title=f"evaluation on {file}")
