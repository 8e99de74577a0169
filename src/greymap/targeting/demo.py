"""The targeting step of ``make demo``: train on 2020, pick 5 % of 2021 Q1, say why.

Uses the bundled sample of the KCS synthetic declarations (``examples/data/
kcs-customs-synthetic``, MIT). The sample's labels are known, so the step also says how
many of the picks were fraud, against the share of fraud in the quarter.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from greymap.cli.render import OutputFormat, render
from greymap.targeting.artefact import save_model
from greymap.targeting.load import load_declarations
from greymap.targeting.pipeline import train_model
from greymap.targeting.score import records, score_declarations

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "examples" / "data" / "kcs-customs-synthetic" / "declarations_sample.csv"
COLUMNS = ("rank", "declaration_id", "date", "risk", "expected_revenue", "selection", "top_reasons")


def train_and_select(out: Path, console: Console, budget: float = 0.05) -> None:
    """Train on the sample's 2020 rows, score its 2021 rows, print the selection."""
    frame = load_declarations(SAMPLE).frame
    train, later = frame[frame["date"] < "2021-01-01"], frame[frame["date"] >= "2021-01-01"]
    model = train_model(train)
    path = save_model(model, out / "targeting-model")
    meta = model.metadata
    console.print(
        f"trained on {meta['training_rows']:,} declarations of 2020 "
        f"({meta['training_frauds']:,} frauds), variant {meta['variant']}, "
        f"{meta['rounds']} rounds; model in {path}"
    )
    unlabelled = later.assign(fraud=float("nan"), revenue=float("nan"))
    scored = score_declarations(model, unlabelled, budget, explore=0.1, seed=0)
    picked = scored[scored["selected"]]
    title = f"{len(picked)} of {len(scored)} declarations of 2021 Q1 selected ({budget:.0%} budget)"
    render(records(picked), OutputFormat.table, title=title, columns=COLUMNS)
    truth = later.set_index("declaration_id")["fraud"]
    hits = int(truth.loc[picked["declaration_id"]].sum())
    console.print(
        f"of the {len(picked)} picks, {hits} were fraud ({hits / len(picked):.0%}); "
        f"fraud in the quarter: {truth.mean():.0%}. Score files yourself with: greymap target "
        f"score FILE --model {path} --budget 5%"
    )
