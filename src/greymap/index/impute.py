"""Imputation of missing indicator values, with a flag on every value filled in.

The Handbook (OECD/JRC 2008, section 3) lists case deletion, single imputation and
multiple imputation. greymap offers the transparent single-imputation methods and the
"no imputation" choice, under which aggregation averages the indicators a country does
have (re-weighting them), which is itself an implicit imputation by the country's own
category mean. Coverage thresholds (see ``build``) keep countries with too little data out
before any of this runs, so no score rests mostly on filled-in values.

=========  ===============================================================
``none``   leave gaps; aggregation re-weights over the values present
``mean``   fill with the indicator's mean over the countries that report it
``median`` fill with the indicator's median (robust to skewed indicators)
=========  ===============================================================
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import NDArray

from greymap.errors import InputError

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]

METHODS = ("none", "mean", "median")


def impute(x: Array, method: str) -> tuple[Array, Mask]:
    """Return the filled array and a mask of the cells that were filled in.

    Under ``none`` the mask is all False: nothing was invented, gaps stay NaN.
    """
    if method not in METHODS:
        raise InputError(f"unknown imputation {method!r}; expected one of {', '.join(METHODS)}")
    missing = np.isnan(x)
    if method == "none" or not missing.any():
        return x.copy(), np.zeros_like(missing)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column stays NaN
        fill = np.nanmean(x, axis=0) if method == "mean" else np.nanmedian(x, axis=0)
    out = np.where(missing, fill[np.newaxis, :], x)
    return out, missing & ~np.isnan(out)
