"""Entity resolution and middlemen: who is who among shipment parties, registries and lists,
and which firms broker illicit flows (docs/entity-resolution.md, docs/middlemen.md).

Splink is imported only when a resolution runs (the ``resolve`` extra).
"""

from greymap.entities.decisions import decide
from greymap.entities.explain import explain
from greymap.entities.middlemen import MiddlemenParams, run_middlemen
from greymap.entities.resolve import ResolveParams, ResolveResult, resolve, resolve_records

__all__ = [
    "MiddlemenParams",
    "ResolveParams",
    "ResolveResult",
    "decide",
    "explain",
    "resolve",
    "resolve_records",
    "run_middlemen",
]
