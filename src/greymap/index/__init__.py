"""Country index: structural capability to guard against illicit trade.

A composite-indicator engine after the OECD/JRC Handbook on Constructing Composite
Indicators (2008): a declarative framework (:mod:`.framework`), imputation, outlier
treatment, normalisation, weighting and aggregation (one module each), Monte Carlo
uncertainty and first-order sensitivity of the ranks (:mod:`.uncertainty`), the correlation
structure (:mod:`.correlation`) and country profiles (:mod:`.profile`). :func:`build_index`
runs it all on the workspace and stores the result tables; :mod:`.views` reads them back.
"""

from greymap.index.build import BuildSummary, build_index
from greymap.index.composite import Choices, IndexData, IndexResult, compute
from greymap.index.framework import Framework, load_framework, parse_framework

__all__ = [
    "BuildSummary",
    "Choices",
    "Framework",
    "IndexData",
    "IndexResult",
    "build_index",
    "compute",
    "load_framework",
    "parse_framework",
]
