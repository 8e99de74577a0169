"""Tiny hand-made layers: journeys written as paths, no workspace needed."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from greymap.network.layers import Layer


def layer(
    journeys: Sequence[tuple[Sequence[str], float, float, Sequence[str]]],
    name: str = "port",
    origin: str = "AAA",
    destination: str = "ZZZ",
) -> Layer:
    """``journeys``: (path, value_usd, weight, sectors); every journey runs from
    ``origin`` to ``destination`` unless its path names them (country layer)."""
    rows = []
    for i, (path, value, weight, sectors) in enumerate(journeys):
        o, d = (path[0], path[-1]) if name == "country" else (origin, destination)
        rows.append(
            {
                "journey_id": f"j{i}",
                "value_usd": float(value),
                "weight": float(weight),
                "suspicious_value_usd": float(value) * float(weight),
                "sectors": list(sectors),
                "origin": o,
                "destination": d,
                "hs_code": None,
                "year": 2020,
                "path": list(path),
            }
        )
    frame = pd.DataFrame(rows)
    labels = {n: n for p in frame["path"] for n in p}
    return Layer(name, frame, labels)
