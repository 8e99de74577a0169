"""Grey-market flows: where trade does not add up (mirror gaps, prices, routes)."""

from greymap.flows.mirror import MirrorParams, mirror_plan
from greymap.flows.prices import PriceParams, price_plan
from greymap.flows.routes import RouteParams, route_plan
from greymap.flows.run import run_mirror, run_prices, run_routes, run_threats
from greymap.flows.threats import ThreatParams, threat_plan

__all__ = [
    "MirrorParams",
    "PriceParams",
    "RouteParams",
    "ThreatParams",
    "mirror_plan",
    "price_plan",
    "route_plan",
    "run_mirror",
    "run_prices",
    "run_routes",
    "run_threats",
    "threat_plan",
]
