"""Tiny index data sets for the tests (STYLE.md: tiny factories)."""

from __future__ import annotations

import numpy as np

from greymap.index.composite import IndexData

NAN = np.nan


def small_data() -> IndexData:
    """The hand-computed set of tests/fixtures/index (NOR lacks x2 and x4)."""
    raw = np.array(
        [
            [10, 1, 5, 100],  # FIN
            [8, 2, 4, 80],  # SWE
            [6, 3, 3, 100],  # DEU
            [4, 4, 2, 40],  # ITA
            [2, 5, 1, 20],  # LBY
            [9, NAN, 4.5, NAN],  # NOR
        ],
        dtype=float,
    )
    return IndexData(
        countries=["FIN", "SWE", "DEU", "ITA", "LBY", "NOR"],
        indicators=["x1", "x2", "x3", "x4"],
        categories=["policy", "customs"],
        groups=[[0, 1], [2, 3]],
        raw=raw,
        positive=np.array([True, False, True, True]),
        indicator_expert=np.ones(4),
        category_expert=np.ones(2),
    )


def random_data(n: int = 150, p: int = 24, seed: int = 1) -> IndexData:
    """A larger set with a common factor, noise and 5% gaps, for speed and MC tests."""
    rng = np.random.default_rng(seed)
    common = rng.normal(size=(n, 1))
    raw = common + rng.normal(scale=0.8, size=(n, p))
    raw[rng.random((n, p)) < 0.05] = NAN
    groups = [list(range(k, p, 4)) for k in range(4)]
    return IndexData(
        countries=[f"C{i:03d}" for i in range(n)],
        indicators=[f"i{j}" for j in range(p)],
        categories=["a", "b", "c", "d"],
        groups=groups,
        raw=raw,
        positive=np.ones(p, dtype=bool),
        indicator_expert=np.ones(p),
        category_expert=np.ones(4),
    )
