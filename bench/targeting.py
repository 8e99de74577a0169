"""Targeting benchmark: greymap against plain XGBoost and random selection, on KCS data.

Data: the Korea Customs Service synthetic declarations in ``../shared/data/
kcs-customs-synthetic`` (MIT; Jeong et al. 2022): train = 2020, validation = 2021 Q1,
test = 2021 Q2. Labels ``Fraud``; revenue at stake = ``Item Price`` x ``Tax Rate`` for the
frauds (zero otherwise).

Every model is trained on 2020 only and tuned on 2021 Q1 (a small grid, chosen by mean
precision at 1/2/5/10 %, early stopping on Q1); the test quarter is scored once, at the
end, for the final figures. In the same run:

* random: declarations drawn at random (mean of ``--draws`` seeded draws);
* xgboost-plain: XGBoost over the raw columns, label-encoded (codes from the 2020
  vocabulary, unseen = -1), date as a day number; max_depth tuned on Q1;
* greymap gbdt and greymap gbdt+leaf-lr: both variants, the one validation prefers is
  the greymap figure; ``greymap by revenue`` ranks by expected revenue at risk;
* greymap without repeat values: the same settings without the track records of exact
  declared values and weights (an ablation: on this synthetic set those features carry
  most of the signal, see docs/targeting.md);
* greymap refit: the tuned settings refitted on 2020 + 2021 Q1 (what ``target train
  --valid`` does by default), still scored on Q2 only.

Results go to ``bench/out/targeting.json`` and the ``## Targeting`` section of
``docs/benchmarks.md`` (only that section is rewritten). Run: ``python bench/targeting.py``.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import lightgbm
import numpy as np
import pandas as pd
import sklearn
import xgboost as xgb

from _machine import describe_machine
from greymap.targeting import FeatureParams, ModelParams, load_declarations, train_model
from greymap.targeting import evaluate as E
from greymap.targeting.model import predict

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "kcs-customs-synthetic"
OUT = ROOT / "bench" / "out"
DOCS = ROOT / "docs" / "benchmarks.md"
FILES = {
    "train": "df_syn_train_eng.csv",
    "valid": "df_syn_valid_eng.csv",
    "test": "df_syn_test_eng.csv",
}
RAW_DROP = ("Declaration ID", "Fraud", "Critical Fraud")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--no-docs", action="store_true", help="Do not touch docs/benchmarks.md.")
    parser.add_argument(
        "--report-only", action="store_true", help="Rewrite the report from the last JSON."
    )
    args = parser.parse_args()
    if args.report_only:
        results = json.loads((OUT / "targeting.json").read_text())
        return report(results, args.data, not args.no_docs)
    started = time.time()
    frames = {k: load_declarations(args.data / f).frame for k, f in FILES.items()}
    raw = {k: pd.read_csv(args.data / f, dtype=str) for k, f in FILES.items()}
    results: dict[str, Any] = {"machine": machine(), "data": _describe(frames), "models": {}}
    models = results["models"]
    models["random"] = _random(frames, args.draws)
    models["xgboost-plain"] = _xgboost(raw, frames, args.threads)
    models.update(_greymap(frames, args.threads))
    results["seconds"] = round(time.time() - started, 1)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "targeting.json").write_text(json.dumps(results, indent=1, default=str))
    report(results, args.data, not args.no_docs)


def report(results: dict[str, Any], data: Path, docs: bool) -> None:
    results["repeats"] = repeat_shares(data)
    section = markdown(results)
    print(section)
    if docs:
        write_section(DOCS, "Targeting", section)


def repeat_shares(data: Path) -> dict[str, float]:
    """Share of 2021 Q1 declarations whose exact figures already occurred in 2020."""
    train = pd.read_csv(data / FILES["train"], dtype=str).fillna("")
    valid = pd.read_csv(data / FILES["valid"], dtype=str).fillna("")

    def seen(*cols: str) -> float:
        keys = set(train[list(cols)].agg("|".join, axis=1))
        return float(valid[list(cols)].agg("|".join, axis=1).isin(keys).mean())

    return {
        "hs6_value": seen("HS6 Code", "Item Price"),
        "importer_value": seen("Importer ID", "Item Price"),
        "hs6_weight": seen("HS6 Code", "Net Mass"),
    }


# -- models ---------------------------------------------------------------------------
def _figures(scores: np.ndarray, frame: pd.DataFrame) -> dict[str, Any]:
    fraud, revenue = frame["fraud"].to_numpy(float), frame["revenue"].to_numpy(float)
    critical = (frame["critical"] == 2).to_numpy()
    results = E.at_budgets(scores, fraud, revenue, critical=critical)
    return {
        "auc": E.auc(scores, fraud),
        "mean_precision": E.mean_precision(results),
        "budgets": [r.as_record() for r in results],
    }


def _random(frames: dict[str, pd.DataFrame], draws: int) -> dict[str, Any]:
    """Mean over seeded random rankings of each period."""
    out: dict[str, Any] = {**_seconds((0.0, 0.0)), "note": f"mean of {draws} seeded draws"}
    for period in ("valid", "test"):
        frame = frames[period]
        runs = [
            _figures(np.random.default_rng(seed).random(len(frame)), frame) for seed in range(draws)
        ]
        out[period] = _mean(runs)
    return out


def _mean(runs: list[dict[str, Any]]) -> dict[str, Any]:
    budgets = []
    for i, first in enumerate(runs[0]["budgets"]):
        keys = (
            "precision",
            "recall",
            "revenue",
            "frauds_found",
            "revenue_found",
            "critical_recall",
        )
        mean = {k: float(np.mean([r["budgets"][i][k] for r in runs])) for k in keys}
        budgets.append({**first, **mean})
    return {
        "auc": float(np.mean([r["auc"] for r in runs])),
        "mean_precision": float(np.mean([r["mean_precision"] for r in runs])),
        "budgets": budgets,
    }


def _encode_raw(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Raw columns as numbers: floats stay, codes become 2020-vocabulary indices."""
    train = raw["train"].drop(columns=list(RAW_DROP))
    out = {k: pd.DataFrame(index=v.index) for k, v in raw.items()}
    for col in train.columns:
        numeric = pd.to_numeric(train[col], errors="coerce")
        if col == "Date":
            for k, v in raw.items():
                out[k][col] = (pd.to_datetime(v[col]) - pd.Timestamp("2020-01-01")).dt.days
        elif numeric.notna().all():
            for k, v in raw.items():
                out[k][col] = pd.to_numeric(v[col], errors="coerce")
        else:
            vocab = {v: i for i, v in enumerate(sorted(train[col].fillna("NA").unique()))}
            for k, v in raw.items():
                out[k][col] = v[col].fillna("NA").map(vocab).fillna(-1).astype(int)
    return out


def _xgboost(
    raw: dict[str, pd.DataFrame], frames: dict[str, pd.DataFrame], threads: int
) -> dict[str, Any]:
    data = _encode_raw(raw)
    y = {k: frames[k]["fraud"].to_numpy(int) for k in frames}
    best: tuple[float, Any, int, float] | None = None
    for depth in (4, 6, 8, 10, 12, 16, 20, 24, 32):
        clock = _timer()
        model = xgb.XGBClassifier(
            n_estimators=1000,
            max_depth=depth,
            learning_rate=0.1,
            tree_method="hist",
            n_jobs=threads,
            random_state=0,
            early_stopping_rounds=50,
            eval_metric="logloss",
        )
        model.fit(data["train"], y["train"], eval_set=[(data["valid"], y["valid"])], verbose=False)
        seconds = clock()
        found = _figures(model.predict_proba(data["valid"])[:, 1], frames["valid"])
        print(f"xgboost max_depth={depth}: validation mean precision {found['mean_precision']:.4f}")
        if best is None or found["mean_precision"] > best[0]:
            best = (found["mean_precision"], model, depth, seconds)
    assert best is not None
    _, model, depth, seconds = best
    return {
        "params": {
            "max_depth": depth,
            "learning_rate": 0.1,
            "rounds": int(model.best_iteration) + 1,
        },
        **_seconds(seconds),
        "valid": _figures(model.predict_proba(data["valid"])[:, 1], frames["valid"]),
        "test": _figures(model.predict_proba(data["test"])[:, 1], frames["test"]),
    }


def _greymap(frames: dict[str, pd.DataFrame], threads: int) -> dict[str, Any]:
    base = ModelParams(num_threads=threads)
    best: tuple[float, Any, ModelParams, float] | None = None
    for leaves in (15, 31, 63):
        params = replace(base, num_leaves=leaves)
        clock = _timer()
        model = train_model(frames["train"], frames["valid"], params, refit=False)
        seconds = clock()
        figures = model.metadata["validation"]
        score = max(v["mean_precision"] for v in figures.values())
        print(
            f"greymap num_leaves={leaves}: validation {_brief(figures)} ({seconds[0]:.0f} s, CPU {seconds[1]:.0f} s)"
        )
        if best is None or score > best[0]:
            best = (score, model, params, seconds)
    assert best is not None
    _, model, params, seconds = best
    out: dict[str, Any] = {}
    test_features = model.features(frames["test"])
    variants = {"gbdt": lambda x: predict(model.classifier, x)}
    leaf = model.leaf_candidate
    if leaf is not None:
        variants["gbdt+leaf-lr"] = lambda x: leaf.predict(model.classifier, x)
    chosen = model.metadata["variant"]
    for name, scorer in variants.items():
        key = f"greymap {name}" + (" (chosen)" if name == chosen else "")
        out[key] = {
            "params": {"num_leaves": params.num_leaves, "rounds": model.metadata["rounds"]},
            **_seconds(seconds),
            "valid": model.metadata["validation"][name],
            "test": _figures(scorer(test_features), frames["test"]),
        }
    scored = model.score(frames["test"])
    out["greymap by revenue"] = {
        **_seconds(seconds),
        "valid": _figures(
            model.score(frames["valid"])["expected_revenue"].to_numpy(), frames["valid"]
        ),
        "test": _figures(scored["expected_revenue"].to_numpy(), frames["test"]),
    }
    clock = _timer()
    plain = FeatureParams(repeat_values=False, seed=params.seed)
    ablation = train_model(frames["train"], frames["valid"], params, plain, refit=False)
    out["greymap without repeat values"] = {
        **_seconds(clock()),
        "valid": ablation.metadata["validation"][ablation.variant],
        "test": _figures(ablation.score(frames["test"])["risk"].to_numpy(), frames["test"]),
    }
    clock = _timer()
    refit = train_model(frames["train"], frames["valid"], params, refit=True)
    out["greymap refit 2020+Q1"] = {
        **_seconds(clock()),
        "test": _figures(refit.score(frames["test"])["risk"].to_numpy(), frames["test"]),
    }
    return out


def _timer() -> Callable[[], tuple[float, float]]:
    """Wall and CPU seconds since the call (CPU counts every thread of this process)."""
    wall, cpu = time.time(), time.process_time()
    return lambda: (round(time.time() - wall, 1), round(time.process_time() - cpu, 1))


def _seconds(seconds: tuple[float, float]) -> dict[str, float]:
    return {"train_seconds": seconds[0], "train_cpu_seconds": seconds[1]}


def _brief(figures: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v['mean_precision']:.4f}" for k, v in figures.items())


# -- report ---------------------------------------------------------------------------
def machine() -> dict[str, object]:
    return describe_machine(
        lightgbm=lightgbm.__version__, xgboost=xgb.__version__, scikit_learn=sklearn.__version__
    )


def _describe(frames: dict[str, pd.DataFrame]) -> dict[str, Any]:
    return {
        k: {
            "rows": len(v),
            "frauds": int(v["fraud"].sum()),
            "critical": int((v["critical"] == 2).sum()),
            "period": [str(v["date"].min().date()), str(v["date"].max().date())],
        }
        for k, v in frames.items()
    }


def markdown(results: dict[str, Any]) -> str:
    m, d = results["machine"], results["data"]
    lines = [
        "Declaration targeting on the Korea Customs Service synthetic declarations "
        "(`bench/targeting.py`). Trained on 2020 "
        f"({d['train']['rows']:,} declarations, {d['train']['frauds']:,} frauds), tuned on "
        f"2021 Q1 ({d['valid']['rows']:,}), scored once on 2021 Q2 ({d['test']['rows']:,}, "
        f"{d['test']['frauds']:,} frauds = {d['test']['frauds'] / d['test']['rows']:.1%}). "
        "Precision = frauds found / inspected; recall = frauds found / all frauds; revenue = "
        "revenue at stake (Item Price x Tax Rate of the frauds) caught / all. In percent.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores (load average {m['load_average_at_start'][0]} "
        f"at start: shared), Python {m['python']}, LightGBM {m['lightgbm']}, XGBoost "
        f"{m['xgboost']}, scikit-learn {m['scikit-learn']}. Whole run {results['seconds']} s.",
        "",
        "Test quarter (2021 Q2):",
        "",
        _table(results, "test"),
        "",
        f"Recall of the gravest frauds (`Critical Fraud` = 2: {d['test']['critical']} in the "
        "test quarter), in percent:",
        "",
        _critical(results),
        "",
        "Validation quarter (2021 Q1), where the choices were made:",
        "",
        _table(results, "valid"),
        "",
        *_notes(results),
    ]
    return "\n".join(lines)


def _notes(results: dict[str, Any]) -> list[str]:
    models, r = results["models"], results["repeats"]
    xgb_params = models["xgboost-plain"]["params"]
    chosen = next(k for k in models if k.endswith("(chosen)"))
    params = models[chosen]["params"]
    others = [k for k in models if k.startswith("greymap gbdt") and k != chosen]
    margin = 100 * (
        models[chosen]["valid"]["mean_precision"] - models[others[0]]["valid"]["mean_precision"]
    )
    return [
        "Choices, all on 2021 Q1 with early stopping there: greymap `num_leaves` in 15/31/63 "
        f"(chosen {params['num_leaves']}, {params['rounds']} rounds), and the leaf model "
        f"against the plain booster (`{chosen}` won by {margin:.2f} points of mean "
        "precision at 1/2/5/10 %: a tie); XGBoost `max_depth` in 4/6/8/10/12/16/20/24/32 (chosen "
        f"{xgb_params['max_depth']}, {xgb_params['rounds']} rounds). `train s (CPU s)`: wall "
        "and CPU seconds of the chosen configuration's training on the shared machine.",
        "",
        "**Caveat: repeat values.** "
        f"{r['hs6_value']:.1%} of the 2021 Q1 declarations have an HS6 code and an exact "
        f"`Item Price` pair that already occurred in 2020 ({r['hs6_weight']:.1%} for HS6 and "
        f"`Net Mass`), but only {r['importer_value']:.1%} an importer and price pair: the "
        "synthetic generator (CTGAN) reuses exact values across years and parties, and a "
        "repeated value tends to come back with the same label. greymap's repeat-value features (track records of exact declared "
        "values and weights) read this directly; XGBoost reaches part of it by splitting raw "
        "amounts with 24-level trees. Without those features (`greymap without repeat "
        "values`) greymap is on a par with the tuned plain XGBoost, a little below it at "
        "5-10 %. Expect the gap on real declarations to be far smaller than here.",
        "",
        "Ranking by expected revenue at risk instead of risk finds most of the revenue at "
        "stake with 1-2 % of inspections, at a much lower precision: the declarations with the "
        "most tax at stake are not the likeliest frauds. Random selection is the mean of "
        f"{models['random']['note'].split()[2]} seeded draws.",
    ]


def _table(results: dict[str, Any], period: str) -> str:
    head = "| model | AUC | " + " | ".join(
        f"{kind} @{n}%" for kind in ("precision", "recall", "revenue") for n in (1, 2, 5, 10)
    )
    rows = [head + " | train s (CPU s) |", "|" + " --- |" * 15]
    for name, model in results["models"].items():
        if period not in model:
            continue
        figures = model[period]
        cells = [f"{figures['auc']:.3f}"]
        for kind in ("precision", "recall", "revenue"):
            cells += [f"{100 * b[kind]:.1f}" for b in figures["budgets"]]
        timing = f"{model['train_seconds']} ({model.get('train_cpu_seconds', 0)})"
        rows.append(f"| {name} | " + " | ".join(cells) + f" | {timing} |")
    return "\n".join(rows)


def _critical(results: dict[str, Any]) -> str:
    rows = ["| model | @1% | @2% | @5% | @10% |", "| --- | --- | --- | --- | --- |"]
    for name, model in results["models"].items():
        cells = [f"{100 * (b['critical_recall'] or 0):.1f}" for b in model["test"]["budgets"]]
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def write_section(path: Path, title: str, body: str) -> None:
    """Replace (or append) the ``## title`` section of ``path``, leaving the rest alone."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: block + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + block
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
