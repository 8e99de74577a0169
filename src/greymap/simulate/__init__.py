"""A synthetic world with ground truth: ``simulate(out, seed, scale)``.

It writes trade statistics (``comtrade.csv``), bills of lading (``shipments.csv``),
FollowTheMoney entities with ownership and sanctions (``entities.ftm.jsonl``), seizure
records (``incidents.csv``) and country indicators (``indicators.csv``) in the formats
``greymap ingest`` reads, plus ``ground_truth.json`` saying what was planted. The model
is described in ``docs/simulation.md``.

>>> result = simulate(tmp_path / "world", seed=1, scale=0.1)  # doctest: +SKIP
>>> [f.file for f in result.files]  # doctest: +SKIP
['comtrade.csv', 'shipments.csv', 'entities.ftm.jsonl', 'incidents.csv', 'indicators.csv', 'ground_truth.json']
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from greymap.simulate import bills, comtrade, incidents, indicators
from greymap.simulate.comtrade import build_ledger, comtrade_rows
from greymap.simulate.entities import build_entities
from greymap.simulate.firms import build_population
from greymap.simulate.incidents import build_incidents
from greymap.simulate.indicators import indicator_rows
from greymap.simulate.misinvoicing import plant_misinvoicing
from greymap.simulate.networks import build_networks
from greymap.simulate.ownership import blocked_by_ownership
from greymap.simulate.params import Params, params_for
from greymap.simulate.shipments import build_shipments
from greymap.simulate.trade import legit_flows
from greymap.simulate.truth import build_truth
from greymap.simulate.world import build_world
from greymap.simulate.writer import WrittenFile, prepare, write_csv, write_json, write_jsonl

if TYPE_CHECKING:
    from greymap.workspace import IngestResult, Workspace

__all__ = [
    "Params",
    "SimulationResult",
    "WrittenFile",
    "blocked_by_ownership",
    "params_for",
    "simulate",
]

TRUTH_FILE = "ground_truth.json"


@dataclass(frozen=True, slots=True)
class SimulationResult:
    out: Path
    seed: int
    scale: float
    files: tuple[WrittenFile, ...]
    summary: dict[str, Any]

    @property
    def truth_path(self) -> Path:
        return self.out / TRUTH_FILE

    def ingest_into(
        self, workspace: Workspace, formats: Collection[str] | None = None
    ) -> list[IngestResult]:
        """Ingest each file of the world (those of ``formats`` only, if given) in the
        order written, so callers need not repeat which file each reader takes."""
        from greymap.workspace import ingest_files

        return [
            result
            for f in self.files
            if f.format and (formats is None or f.format in formats)
            for result in ingest_files(workspace, f.format, [f.path])
        ]

    def path(self, format: str) -> Path:
        """The file written for an ingest format (``comtrade``, ``shipments``, ...)."""
        return next(f.path for f in self.files if f.format == format)

    def records(self) -> list[dict[str, Any]]:
        return [f.as_record() for f in self.files]


def simulate(out: str | Path, seed: int, scale: float = 1.0) -> SimulationResult:
    """Generate a world from ``seed`` at ``scale`` and write it into ``out``.

    The same seed and scale give byte-identical files. Raises
    :class:`~greymap.errors.InputError` for a bad seed, scale or output directory.
    """
    params = params_for(seed, scale)
    directory = prepare(Path(out))
    world = build_world(params)
    pop = build_population(world)
    flows = legit_flows(world)
    under = build_networks(world, pop, flows)
    misinvoiced = plant_misinvoicing(world, flows)
    ledger = build_ledger(world, flows, misinvoiced, under)
    book = build_shipments(world, pop, flows, misinvoiced, under)
    ents = build_entities(pop, under)
    log = build_incidents(world, pop, under, book)
    truth = build_truth(world, pop, flows, under, misinvoiced, ledger, book, ents, log)
    files = [
        write_csv(directory, "comtrade.csv", "comtrade", comtrade.HEADER, comtrade_rows(ledger)),
        write_csv(
            directory,
            "shipments.csv",
            "shipments",
            bills.COLUMNS,
            bills.shipment_rows(world, pop, book),
        ),
        write_jsonl(directory, "entities.ftm.jsonl", "ftm", ents.entities),
        write_csv(directory, "incidents.csv", "incidents", incidents.COLUMNS, log.rows),
        write_csv(
            directory,
            "indicators.csv",
            "indicators",
            indicators.COLUMNS,
            indicator_rows(world, under),
        ),
    ]
    truth["meta"]["files"] = {f.file: {"format": f.format, "rows": f.rows} for f in files}
    files.append(write_json(directory, TRUTH_FILE, truth, len(truth["networks"])))
    return SimulationResult(directory, seed, scale, tuple(files), truth["summary"])
