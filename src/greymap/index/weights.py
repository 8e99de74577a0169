"""Weights of the indicators inside a category, and of the categories in the index.

Schemes (OECD/JRC Handbook 2008, section 6):

==========  ===================================================================
``equal``   every indicator in a category alike; every category alike
``expert``  the weights written in the framework file, scaled to sum to 1
``pca``     squared loadings of the first principal component of the category's
            correlation matrix (they sum to 1): indicators that share the
            category's main common variation count more
``factor``  the Handbook's factor-analysis weights: keep the components with
            eigenvalue > 1, varimax-rotate their loadings, scale squared loadings
            to unit sum per factor, give each indicator the scaled loading of the
            factor it loads on most, times that factor's share of explained variance
==========  ===================================================================

Data-driven schemes (``pca``, ``factor``) set the weights *within* categories; the
categories keep their framework weights, because how much government policy should count
against the customs environment is a value judgement, not a statistical property.
Weights always sum to 1 within their level.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import NDArray

from greymap.errors import InputError

Array = NDArray[np.float64]

SCHEMES = ("equal", "expert", "pca", "factor")


def indicator_weights(x: Array, scheme: str, expert: Array) -> Array:
    """Weights for the columns of one category's normalised data ``x``."""
    p = x.shape[1]
    if scheme == "equal":
        return np.full(p, 1.0 / p)
    if scheme == "expert":
        return expert_weights(expert)
    if scheme in ("pca", "factor"):
        if p == 1:
            return np.ones(1)
        corr = correlation_matrix(x)
        return pca_weights(corr) if scheme == "pca" else factor_weights(corr)
    raise InputError(f"unknown weighting {scheme!r}; expected one of {', '.join(SCHEMES)}")


def category_weights(scheme: str, expert: Array) -> Array:
    """Equal under ``equal``; the framework's category weights under every other scheme."""
    if scheme == "equal":
        return np.full(expert.size, 1.0 / expert.size)
    return expert_weights(expert)


def expert_weights(weights: Array) -> Array:
    total = float(np.sum(weights))
    if total <= 0:
        raise InputError("expert weights must be positive")
    return np.asarray(weights, dtype=np.float64) / total


def correlation_matrix(x: Array) -> Array:
    """Pearson correlations over pairwise-complete rows; a constant column correlates 0."""
    p = x.shape[1]
    if not np.isnan(x).any() and np.all(np.std(x, axis=0) > 0):
        return np.asarray(np.corrcoef(x, rowvar=False), dtype=np.float64)
    corr = np.eye(p)
    for a in range(p):
        for b in range(a + 1, p):
            corr[a, b] = corr[b, a] = pearson(x[:, a], x[:, b])
    return corr


def pearson(a: Array, b: Array) -> float:
    both = ~(np.isnan(a) | np.isnan(b))
    if both.sum() < 3:
        return 0.0
    u, v = a[both] - a[both].mean(), b[both] - b[both].mean()
    denom = float(np.sqrt(np.sum(u * u) * np.sum(v * v)))
    return float(np.sum(u * v) / denom) if denom > 0 else 0.0


def pca_weights(corr: Array) -> Array:
    """Squared components of the first eigenvector of ``corr`` (a unit vector, so they
    already sum to 1)."""
    values, vectors = np.linalg.eigh(corr)
    if _tied(values):
        return np.full(corr.shape[0], 1.0 / corr.shape[0])
    first = vectors[:, -1]
    return first**2 / float(np.sum(first**2))


def factor_weights(corr: Array, min_eigenvalue: float = 1.0) -> Array:
    """Handbook factor-analysis weights (see the module docstring)."""
    values, vectors = np.linalg.eigh(corr)
    if _tied(values):
        return np.full(corr.shape[0], 1.0 / corr.shape[0])
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    keep = max(1, int(np.sum(values > min_eigenvalue)))
    loadings = vectors[:, :keep] * np.sqrt(np.clip(values[:keep], 0, None))
    if keep > 1:
        loadings = varimax(loadings)
    squared = loadings**2
    explained = squared.sum(axis=0)
    scaled = squared / explained
    factor = np.argmax(squared, axis=1)
    rows = np.arange(squared.shape[0])
    weights = scaled[rows, factor] * explained[factor] / explained.sum()
    return np.asarray(weights / float(weights.sum()), dtype=np.float64)


def _tied(ascending: Array) -> bool:
    """The largest eigenvalue is not unique (e.g. uncorrelated indicators): the first
    component is then arbitrary, so both data-driven schemes fall back to equal weights."""
    return ascending.size > 1 and bool(np.isclose(ascending[-1], ascending[-2], atol=1e-9))


def varimax(loadings: Array, max_iter: int = 100, tol: float = 1e-10) -> Array:
    """Kaiser's varimax rotation (the classic SVD algorithm), without row normalisation."""
    p, k = loadings.shape
    rotation = np.eye(k)
    objective = 0.0
    for _ in range(max_iter):
        rotated = loadings @ rotation
        target = rotated**3 - rotated @ np.diag(np.sum(rotated**2, axis=0)) / p
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            u, s, vt = np.linalg.svd(loadings.T @ target)
        rotation = u @ vt
        previous, objective = objective, float(np.sum(s))
        if previous and objective < previous * (1 + tol):
            break
    return loadings @ rotation
