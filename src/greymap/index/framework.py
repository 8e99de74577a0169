"""The framework file of a composite index: what is measured, from which data, and how.

A framework is declared in YAML (like followthemoney's schema files) rather than in code,
so a researcher can defend and change an index without touching Python. It names the
categories, each indicator with its direction, weight, workspace source and a citation,
the nominal methodological choices, the coverage rules and the Monte Carlo design.

Validation reports every problem at once (STYLE.md "validate all, then report all"):
pydantic's field errors first, then the cross-field checks (unique ids, choices that
exist), each with its location in the file.
"""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from greymap.errors import InputError

Direction = Literal["positive", "negative"]
Imputation = Literal["none", "mean", "median"]
Outliers = Literal["auto", "winsorise", "log", "none"]
Normalisation = Literal["minmax", "zscore", "rank", "distance_to_frontier"]
Weighting = Literal["equal", "expert", "pca", "factor"]
Aggregation = Literal["arithmetic", "geometric"]

SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
DEFAULT_FRAMEWORK = "default_framework.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Indicator(_Model):
    """One measured variable, read from the workspace ``indicators`` table.

    ``direction`` says whether a higher raw value means *more* capability to guard
    against illicit trade (``positive``) or less (``negative``, e.g. a risk score).
    """

    id: str
    name: str
    source: str = Field(description="`indicators.source` in the workspace (dataset name)")
    indicator: str = Field(description="`indicators.indicator` in the workspace")
    year: int | None = Field(default=None, description="None: latest year per country")
    direction: Direction
    weight: float = Field(default=1.0, gt=0)
    citation: str = Field(min_length=1)
    description: str = ""


class Category(_Model):
    id: str
    name: str
    weight: float = Field(default=1.0, gt=0)
    description: str = ""
    indicators: list[Indicator] = Field(min_length=1)


class Method(_Model):
    """The nominal choice at each step of the OECD/JRC pipeline."""

    imputation: Imputation = "mean"
    outliers: Outliers = "auto"
    normalisation: Normalisation = "minmax"
    weighting: Weighting = "equal"
    aggregation: Aggregation = "arithmetic"


class Coverage(_Model):
    """Who and what is scored: thresholds below which a country or indicator is left out."""

    min_country_coverage: float = Field(default=0.6, ge=0, le=1)
    min_category_indicators: int = Field(default=1, ge=1)
    min_indicator_coverage: float = Field(default=0.5, ge=0, le=1)


class OutlierRule(_Model):
    """Handbook rule of thumb: treat when |skewness| > 2 and kurtosis > 3.5."""

    max_skew: float = Field(default=2.0, gt=0)
    max_kurtosis: float = Field(default=3.5, gt=0)
    max_winsorised: int = Field(default=5, ge=0)


_IMPUTATION: tuple[Imputation, ...] = ("mean", "median", "none")
_OUTLIERS: tuple[Outliers, ...] = ("auto", "none")
_NORMALISATION: tuple[Normalisation, ...] = ("minmax", "zscore", "rank", "distance_to_frontier")
_WEIGHTING: tuple[Weighting, ...] = ("equal", "pca", "factor")
_AGGREGATION: tuple[Aggregation, ...] = ("arithmetic", "geometric")


class Uncertainty(_Model):
    """The Monte Carlo design: which alternatives each draw may pick, and weight noise."""

    draws: int = Field(default=1000, ge=10, le=100_000)
    seed: int = 20180606
    interval: float = Field(default=0.9, gt=0, lt=1)
    weight_noise: float = Field(default=0.25, ge=0, lt=1)
    imputation: list[Imputation] = Field(default_factory=lambda: list(_IMPUTATION))
    outliers: list[Outliers] = Field(default_factory=lambda: list(_OUTLIERS))
    normalisation: list[Normalisation] = Field(default_factory=lambda: list(_NORMALISATION))
    weighting: list[Weighting] = Field(default_factory=lambda: list(_WEIGHTING))
    aggregation: list[Aggregation] = Field(default_factory=lambda: list(_AGGREGATION))


class CorrelationRule(_Model):
    """Thresholds for flagging redundant (collinear) or contrary indicators."""

    redundant_above: float = Field(default=0.92, gt=0, le=1)
    contrary_below: float = Field(default=-0.3, ge=-1, lt=0)
    weak_below: float = Field(default=0.3, ge=0, lt=1)


class ProfileRule(_Model):
    peers: int = Field(default=10, ge=1)
    top: int = Field(default=3, ge=1)


class Benchmark(_Model):
    """A published ranking to compare the index with (rank correlation)."""

    id: str
    name: str
    source: str
    indicator: str
    year: int | None = None
    direction: Direction
    citation: str = Field(min_length=1)


class Framework(_Model):
    name: str
    title: str = ""
    version: str = "1"
    description: str = ""
    categories: list[Category] = Field(min_length=1)
    method: Method = Method()
    coverage: Coverage = Coverage()
    outliers: OutlierRule = OutlierRule()
    uncertainty: Uncertainty = Uncertainty()
    correlation: CorrelationRule = CorrelationRule()
    profile: ProfileRule = ProfileRule()
    benchmarks: list[Benchmark] = Field(default_factory=list)

    @property
    def indicators(self) -> list[Indicator]:
        return [i for c in self.categories for i in c.indicators]

    def category_of(self) -> dict[str, str]:
        """Indicator id -> category id."""
        return {i.id: c.id for c in self.categories for i in c.indicators}

    def digest(self) -> str:
        """A stable fingerprint of the framework, stored with every run."""
        text = self.model_dump_json(exclude_none=False)
        return hashlib.sha256(text.encode()).hexdigest()


def load_framework(path: str | Path | None = None) -> Framework:
    """Read and validate a framework file; ``None`` loads the bundled default."""
    if path is None:
        text = resources.files("greymap.index.data").joinpath(DEFAULT_FRAMEWORK).read_text()
        label = f"default framework ({DEFAULT_FRAMEWORK})"
    else:
        file = Path(path)
        if not file.is_file():
            raise InputError(f"{file}: no such framework file; expected a YAML file")
        text = file.read_text(encoding="utf-8")
        label = str(file)
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"{label}: not valid YAML: {exc}") from exc
    return parse_framework(raw, label)


def parse_framework(raw: Any, label: str = "framework") -> Framework:
    """Validate a parsed YAML document; every problem is listed in one InputError."""
    if not isinstance(raw, dict):
        raise InputError(f"{label}: expected a mapping with 'name' and 'categories'")
    try:
        framework = Framework.model_validate(raw)
    except ValidationError as exc:
        raise InputError(_report(label, [_pydantic_issue(e) for e in exc.errors()])) from None
    issues = check_framework(framework)
    if issues:
        raise InputError(_report(label, issues))
    return framework


def check_framework(framework: Framework) -> list[str]:
    """Cross-field rules pydantic cannot express per field."""
    issues: list[str] = []
    seen: dict[str, str] = {}
    for ci, category in enumerate(framework.categories):
        issues += _check_id(category.id, f"categories.{ci}.id", seen)
        for ii, indicator in enumerate(category.indicators):
            issues += _check_id(indicator.id, f"categories.{ci}.indicators.{ii}.id", seen)
    keys: dict[tuple[str, str, int | None], str] = {}
    for indicator in framework.indicators:
        key = (indicator.source, indicator.indicator, indicator.year)
        if key in keys:
            issues.append(f"indicator {indicator.id}: same data ({key[0]}/{key[1]}) as {keys[key]}")
        keys[key] = indicator.id
    for bi, bench in enumerate(framework.benchmarks):
        issues += _check_id(bench.id, f"benchmarks.{bi}.id", {})
    for name in ("imputation", "outliers", "normalisation", "weighting", "aggregation"):
        if not getattr(framework.uncertainty, name):
            issues.append(f"uncertainty.{name}: expected at least one alternative")
    return issues


def _check_id(value: str, where: str, seen: dict[str, str]) -> list[str]:
    issues = []
    if not SLUG.match(value):
        issues.append(f"{where}: {value!r} is not a slug (expected lower_case_with_underscores)")
    if value in seen:
        issues.append(f"{where}: id {value!r} is already used at {seen[value]}")
    seen[value] = where
    return issues


def _pydantic_issue(error: Any) -> str:
    where = ".".join(str(p) for p in error["loc"]) or "(top level)"
    return f"{where}: {error['msg']}"


def _report(label: str, issues: list[str]) -> str:
    lines = "\n  - ".join(issues)
    return f"{label}: {len(issues)} problem(s) in the framework:\n  - {lines}"
