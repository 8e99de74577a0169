"""Counterparty screening: names in any script against sanctions and watch lists.

``normalise`` makes names comparable, ``index`` finds candidates without scanning the
list, ``matcher`` scores them with a table of weighted features, ``ownership`` applies the
50% rule, ``screen`` is the API the CLI and the REST API call. See docs/screening.md.
"""

from greymap.screening.index import ScreeningIndex
from greymap.screening.lists import build_list, load_list
from greymap.screening.matcher import FEATURES, THRESHOLD, Match, score_entity
from greymap.screening.normalise import NormName, normalise
from greymap.screening.ownership import Flag, Stake, apply_rule, parse_share, stakes_from_ftm
from greymap.screening.records import ListEntity, Query
from greymap.screening.screen import (
    RESULT_KEYS,
    Screener,
    read_batch,
    result_records,
    screen_batch,
    screen_one,
)

__all__ = [
    "FEATURES",
    "RESULT_KEYS",
    "THRESHOLD",
    "Flag",
    "ListEntity",
    "Match",
    "NormName",
    "Query",
    "Screener",
    "ScreeningIndex",
    "Stake",
    "apply_rule",
    "build_list",
    "load_list",
    "normalise",
    "parse_share",
    "read_batch",
    "result_records",
    "score_entity",
    "screen_batch",
    "screen_one",
    "stakes_from_ftm",
]
