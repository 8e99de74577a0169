"""A trained model on disk: a directory of plain files, nothing executable.

::

    MODEL/
      metadata.json     features, settings, training period, validation figures, history
      encoder.json      category vocabularies, fraud rates, counts, HS median unit values
      classifier.txt    LightGBM text model (fraud probability)
      leaf_model.json   logistic regression over tree leaves, if validation kept it
      revenue.txt       LightGBM text model (revenue at stake if fraud), if trained
      training.parquet  the labelled rows it was fitted on, so feedback can retrain

Text models and JSON rather than pickle: a model file passed between offices can be
read and checked, and loading it cannot run code.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import pandas as pd

from greymap.errors import InputError
from greymap.targeting.features import Encoder
from greymap.targeting.model import LeafModel, ModelParams, lightgbm
from greymap.targeting.pipeline import TargetingModel

FORMAT = "greymap-targeting/1"
FILES = ("metadata.json", "encoder.json", "classifier.txt")


def save_model(model: TargetingModel, path: str | Path) -> Path:
    """Write ``model`` into directory ``path`` (created if needed, our files replaced)."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError(f"--model {path}: is a file; expected a directory for the model")
    path.mkdir(parents=True, exist_ok=True)
    meta = {"format": FORMAT, **model.metadata}
    _write_json(path / "metadata.json", meta)
    _write_json(path / "encoder.json", model.encoder.to_dict())
    (path / "classifier.txt").write_text(_text(model.classifier), encoding="utf-8")
    _replace(path / "leaf_model.json", model.leaf.to_dict() if model.leaf else None)
    revenue = _text(model.regressor) if model.regressor is not None else None
    _replace(path / "revenue.txt", revenue)
    model.training.to_parquet(path / "training.parquet", index=False)
    return path


def load_model(path: str | Path) -> TargetingModel:
    """Read a model directory written by :func:`save_model`."""
    path = Path(path)
    missing = [name for name in FILES if not (path / name).is_file()]
    if missing:
        raise InputError(
            f"--model {path}: not a greymap targeting model (missing {', '.join(missing)}); "
            "train one with: greymap target train FILE --model PATH"
        )
    meta = _read_json(path / "metadata.json")
    if meta.get("format") != FORMAT:
        raise InputError(f"--model {path}: model format {meta.get('format')!r}; expected {FORMAT}")
    lgb = lightgbm()
    known = {f.name for f in fields(ModelParams)}
    settings = {k: v for k, v in meta.get("model_params", {}).items() if k in known}
    if "leaf_c" in settings:
        settings["leaf_c"] = tuple(settings["leaf_c"])
    model = TargetingModel(
        encoder=Encoder.from_dict(_read_json(path / "encoder.json")),
        classifier=lgb.Booster(model_str=(path / "classifier.txt").read_text(encoding="utf-8")),
        params=ModelParams(**settings),
        metadata={k: v for k, v in meta.items() if k != "format"},
    )
    if (path / "leaf_model.json").is_file():
        model.leaf = LeafModel.from_dict(_read_json(path / "leaf_model.json"))
    if (path / "revenue.txt").is_file():
        text = (path / "revenue.txt").read_text(encoding="utf-8")
        model.regressor = lgb.Booster(model_str=text)
    if (path / "training.parquet").is_file():
        model.training = pd.read_parquet(path / "training.parquet")
    return model


def _text(booster: Any) -> str:
    best = int(booster.best_iteration or 0)
    return str(booster.model_to_string(num_iteration=best if best > 0 else None))


def _replace(path: Path, content: str | dict[str, Any] | None) -> None:
    if content is None:
        path.unlink(missing_ok=True)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        _write_json(path, content)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=1, default=str, allow_nan=True), encoding="utf-8")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read model file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"model file {path}: expected a JSON object")
    return data
