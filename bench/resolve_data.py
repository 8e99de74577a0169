"""Party records for the entity-resolution benchmark, written by the simulator's name machinery.

Firms get a name of their country's naming culture (``greymap.simulate.names``), an address
and a country; each firm is named on a few records (more for a few busy firms), each
record spelling it as a bill of lading does: the registry's Latin spelling or a variant
(another legal form, case, punctuation, abbreviation, transliteration, a typo, merged
words), the address as registered or rewritten, the country sometimes missing. Name words
come from short lists, so different firms often share a name: that is what makes the
precision of a resolution meaningful.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from greymap.reference.ports import ports
from greymap.simulate import vocab
from greymap.simulate.names import address_variant, firm_variant, make_address, make_firm_name
from greymap.simulate.params import params_for, pick
from greymap.simulate.world import build_world

ACTIVITIES = tuple(sorted({a for acts in vocab.SECTION_ACTIVITY.values() for a in acts}))


def generate(path: Path, records: int, seed: int = 1) -> Path:
    """Write ``records`` party records (``record_id, true_id, name, address, country``) to
    ``path`` (Parquet) and return it; an existing file of the right size is reused."""
    if path.exists() and pq.read_metadata(path).num_rows == records:
        return path
    rng = np.random.default_rng(seed)
    world = build_world(params_for(seed, 10.0))
    countries = world.countries
    harbours = ports()
    out: dict[str, list[str | None]] = {
        k: [] for k in ("record_id", "true_id", "name", "address", "country")
    }
    firm = 0
    while len(out["record_id"]) < records:
        firm += 1
        country = countries[int(rng.integers(0, len(countries)))]
        activity = pick(rng, list(vocab.GENERIC_ACTIVITY + ACTIVITIES))
        name = make_firm_name(rng, country.culture, country.iso3, activity, country.forms)
        locode = country.ports[int(rng.integers(0, len(country.ports)))]
        city = harbours[locode].name.split(" (")[0] if locode in harbours else country.name
        address = make_address(rng, city, country.name)
        usual = firm_variant(name, rng)
        mentions = (
            1 + int(rng.geometric(0.3)) + (int(rng.pareto(1.5) * 5) if rng.random() < 0.05 else 0)
        )
        for _ in range(min(mentions, records - len(out["record_id"]))):
            roll = rng.random()
            spelled = (
                name.latin(0) if roll < 0.3 else usual if roll < 0.7 else firm_variant(name, rng)
            )
            place = rng.random()
            out["record_id"].append(f"r{len(out['record_id']):07d}")
            out["true_id"].append(f"F{firm:07d}")
            out["name"].append(spelled)
            out["address"].append(
                address.full
                if place < 0.5
                else address_variant(address, rng)
                if place < 0.9
                else None
            )
            out["country"].append(country.iso3 if rng.random() < 0.9 else None)
    pq.write_table(pa.table(out), path)
    return path
