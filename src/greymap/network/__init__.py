"""Choke points of the grey market: the network in layers, where suspicious flow passes,
what to control to stop most of it (see docs/chokepoints.md).

``run_chokepoints`` ranks the nodes of a layer (country, port, firm), ``run_interdiction``
plans which nodes to control within a budget, before and after traffickers reroute.
"""

from greymap.network.common import CommonParams, common_scores
from greymap.network.interdict import InterdictParams
from greymap.network.layers import LAYERS, build_layer, load_journeys
from greymap.network.reroute import RerouteParams
from greymap.network.run import (
    ChokepointParams,
    prepare_layer,
    run_chokepoints,
    run_interdiction,
    run_suspicion,
)
from greymap.network.suspicion import SuspicionWeights

__all__ = [
    "LAYERS",
    "ChokepointParams",
    "CommonParams",
    "InterdictParams",
    "RerouteParams",
    "SuspicionWeights",
    "build_layer",
    "common_scores",
    "load_journeys",
    "prepare_layer",
    "run_chokepoints",
    "run_interdiction",
    "run_suspicion",
]
