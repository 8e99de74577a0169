"""Grey-market flows: where trade does not add up (mirror gaps, prices, routes)."""

from greymap.flows.mirror import MirrorParams, mirror_plan
from greymap.flows.prices import PriceParams, price_plan
from greymap.flows.run import run_mirror, run_prices

__all__ = ["MirrorParams", "PriceParams", "mirror_plan", "price_plan", "run_mirror", "run_prices"]
