"""Shipments as a trade-data vendor sells them: one CSV row per bill of lading.

Parties are written as documents write them: each firm has a usual spelling and a few
rarer ones, and one mention in twenty-five is a fresh misspelling. Addresses, countries,
ports and HS codes vary the same way. The ground truth keeps the firm behind every name.
"""

from __future__ import annotations

import numpy as np

from greymap.reference.hs import describe
from greymap.simulate import routing
from greymap.simulate.firms import Firm, Population
from greymap.simulate.names import address_variant, firm_variant
from greymap.simulate.params import pick_weighted, rng_for
from greymap.simulate.shipments import Shipment, ShipmentBook
from greymap.simulate.world import World
from greymap.sources.shipments import OUTPUT as SHIPMENT_COLUMNS

# The published shipments columns, as the reader defines them.
COLUMNS = SHIPMENT_COLUMNS
_SPELLING_WEIGHTS = (0.6, 0.25, 0.1, 0.05)


def mention(rng: np.random.Generator, firm: Firm) -> str:
    """How one document names a firm."""
    if rng.random() < 0.04:
        return firm_variant(firm.name, rng)
    return firm.spellings[pick_weighted(rng, _SPELLING_WEIGHTS[: len(firm.spellings)])]


def shipment_rows(world: World, pop: Population, book: ShipmentBook) -> list[list[str]]:
    rng = rng_for(world.params.seed, "bills")
    return [_row(rng, world, pop, s) for s in book.shipments]


def _row(rng: np.random.Generator, world: World, pop: Population, s: Shipment) -> list[str]:
    shipper, consignee = pop.by_id[s.shipper], pop.by_id[s.consignee]
    notify = pop.by_id[s.notify] if s.notify else None
    quantity, unit = _quantity(rng, s.kg)
    description = describe(s.hs_declared) or ""
    if rng.random() < 0.5:
        description = description.upper()
    return [
        s.id,
        s.date.isoformat(),
        mention(rng, shipper),
        _address(rng, shipper),
        routing.render_country(rng, world.countries[shipper.country]),
        mention(rng, consignee),
        _address(rng, consignee),
        routing.render_country(rng, world.countries[consignee.country]),
        mention(rng, notify) if notify else "",
        routing.render_country(rng, world.countries[s.origin]),
        routing.render_port(rng, s.lading),
        ";".join(s.transshipment),
        routing.render_port(rng, s.unlading),
        routing.render_country(rng, world.countries[s.destination]),
        routing.render_hs(rng, s.hs_declared),
        description[:80],
        f"{s.value_declared:.2f}",
        f"{s.kg:.1f}",
        quantity,
        unit,
        _imo(rng, s),
        s.vessel.carrier if s.vessel else "",
    ]


def _address(rng: np.random.Generator, firm: Firm) -> str:
    if rng.random() < 0.1:
        return ""
    return firm.address.full if rng.random() < 0.4 else address_variant(firm.address, rng)


def _quantity(rng: np.random.Generator, kg: float) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.75:
        return f"{kg:.1f}", "KG"
    if roll < 0.9:
        return str(max(1, int(kg / float(rng.uniform(0.5, 5.0))))), "PCS"
    return str(max(1, int(kg / float(rng.uniform(8.0, 25.0))))), "CTN"


def _imo(rng: np.random.Generator, s: Shipment) -> str:
    if s.vessel is None:
        return ""
    return f"IMO {s.vessel.imo}" if rng.random() < 0.1 else s.vessel.imo
