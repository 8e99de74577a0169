"""Country indicators in long form, noisy views of each country's latent governance.

Each indicator is a logistic transform of the country's latent governance plus its own
noise (so indicators agree only roughly, as real indices do), drifting a little from year
to year. Free-zone oversight is markedly worse, and AML risk higher, in countries hosting
an illicit hub; customs capability and corruption control are worse in networks' origin
countries. About 8% of values are missing, more for countries that do not report trade.
"""

from __future__ import annotations

import math

from greymap.simulate.networks import Underworld
from greymap.simulate.params import rng_for
from greymap.simulate.world import World

COLUMNS = ("country", "indicator", "year", "value", "source")

#: indicator -> (source, low, high, latent shift for hub hosts, for origins, higher is better)
INDICATORS: dict[str, tuple[str, float, float, float, float, bool]] = {
    "customs_capability": ("greymap-sim customs capability survey", 0.0, 100.0, 0.0, -0.8, True),
    "corruption_control": ("greymap-sim perception index", 0.0, 100.0, -0.2, -0.8, True),
    "ftz_oversight": ("greymap-sim free zone review", 0.0, 10.0, -1.6, 0.0, True),
    "rule_of_law": ("greymap-sim governance indicators", -2.5, 2.5, 0.0, -0.5, True),
    "logistics_performance": ("greymap-sim logistics survey", 1.0, 5.0, 0.3, 0.0, True),
    "aml_risk": ("greymap-sim AML index", 0.0, 10.0, -1.2, -0.4, False),
}


def indicator_rows(world: World, under: Underworld) -> list[list[str]]:
    rng = rng_for(world.params.seed, "indicators")
    hosts = {h.country for h in world.illicit_hubs}
    origins = {o for n in under.networks for o in n.origins}
    rows = []
    for c in world.countries:
        latent = math.log(c.governance / (1.0 - c.governance))
        for name, (source, low, high, hub_shift, origin_shift, better) in INDICATORS.items():
            shift = hub_shift * (c.index in hosts) + origin_shift * (c.index in origins)
            level = latent + shift + float(rng.normal(0.0, 0.5))
            for year in world.params.years:
                missing = 0.08 if c.reporter else 0.3
                if rng.random() < missing:
                    continue
                x = level + float(rng.normal(0.0, 0.08))
                value = _scale(x if better else -x, low, high)
                rows.append([c.iso3, name, str(year), f"{value:.3f}", source])
    return rows


def _scale(x: float, low: float, high: float) -> float:
    return low + (high - low) / (1.0 + math.exp(-x))
