"""Aggregation: combine weighted, normalised values into one score per country.

``arithmetic``  ``sum(w * x) / sum(w)``: fully compensatory, a strength offsets a weakness
``geometric``   ``prod(x ** (w / sum(w)))``: partly compensatory, rewards balance; needs
                positive values (columns are shifted by :func:`positive_shift` first)

Both take weights of shape ``(p,)`` for one scheme or ``(p, draws)`` for a batch of
Monte Carlo draws at once, so the uncertainty analysis is one matrix product per method
choice instead of a Python loop per draw. Missing values (imputation ``none``) drop out
and the weights of the values present are re-scaled to sum to 1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from greymap.errors import InputError
from greymap.index.normalise import positive_shift

Array = NDArray[np.float64]

METHODS = ("arithmetic", "geometric")


def aggregate(x: Array, weights: Array, method: str) -> Array:
    """Scores of the rows of ``x`` (countries x indicators): ``(n,)`` or ``(n, draws)``."""
    if method == "arithmetic":
        return arithmetic(x, weights)
    if method == "geometric":
        return geometric(x, weights)
    raise InputError(f"unknown aggregation {method!r}; expected one of {', '.join(METHODS)}")


def arithmetic(x: Array, weights: Array) -> Array:
    present = (~np.isnan(x)).astype(np.float64)
    total = present @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        result: Array = (np.nan_to_num(x) @ weights) / total
    return np.where(total > 0, result, np.nan)


def geometric(x: Array, weights: Array) -> Array:
    if np.nanmin(x) <= 0:
        raise InputError("geometric aggregation needs positive values; shift the data first")
    return np.exp(arithmetic(np.log(x), weights))


def make_positive(x: Array) -> Array:
    """Shift each column that has values <= 0 (see :func:`positive_shift`)."""
    out = x.copy()
    for j in range(x.shape[1]):
        out[:, j] = positive_shift(x[:, j])
    return out
