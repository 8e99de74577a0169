"""``greymap resolve``: party records into canonical entities, in full or incrementally.

Full run: gather every party record (:mod:`~greymap.entities.records`), reduce them to
profiles with comparison keys (:mod:`~greymap.entities.profiles`), train one Splink model
per kind of party without labels, score every blocked pair of profiles, store profiles,
pairs and models, then cluster (:mod:`~greymap.entities.assign`).

Incremental run: records whose profile is already known only join its cluster; new
profiles are scored with the stored models against all known profiles
(``predict_between``) and among themselves (``predict_within``); nothing already scored
is scored again, no model is retrained, and clustering reruns over the stored pairs. The
clusters match a full run's up to the tolerance documented in docs/entity-resolution.md
(the models of a full run see all records; an incremental run keeps the first batch's).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from greymap.entities import splink_model
from greymap.entities.assign import assign
from greymap.entities.profiles import build_profiles
from greymap.entities.records import collect_records
from greymap.errors import InputError
from greymap.workspace import Workspace
from greymap.workspace.store import _now

#: Match probability at or above which two profiles are the same party, per kind. Tuned on
#: simulated worlds of seeds 1 and 2 (docs/entity-resolution.md); people need more,
#: because namesakes abound and a name and a country are weak evidence.
THRESHOLDS: dict[str, float] = {"org": 0.25, "person": 0.7, "vessel": 0.5, "aircraft": 0.5}

PROFILE_COLUMNS = (
    "profile_id, kind, name, name_norm, name_core, name_sorted, name_squash, name_phonetic, "
    "name_form, name_ends, name_keys, address_key, address_block, address_blocks, countries, "
    "country, "
    "identifiers, birth_date"
)


@dataclass(frozen=True)
class ResolveParams:
    thresholds: Mapping[str, float] = field(default_factory=lambda: dict(THRESHOLDS))
    engine: str = "duckdb"
    model: splink_model.ModelParams = field(default_factory=splink_model.ModelParams)
    #: compare identifiers (passport, IMO, registration numbers); off to evaluate against them
    use_identifiers: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "thresholds": dict(self.thresholds),
            "engine": self.engine,
            "use_identifiers": self.use_identifiers,
            **asdict(self.model),
        }


@dataclass(frozen=True)
class ResolveResult:
    mode: str
    records: int
    profiles: int
    new_profiles: int
    pairs_scored: int
    entities: int
    seconds: float
    skipped_training: dict[str, list[str]]
    #: seconds spent per stage: profiles, scoring (training and prediction), clustering
    stages: dict[str, float] = field(default_factory=dict)

    def as_record(self) -> dict[str, Any]:
        out = asdict(self)
        out["skipped_training"] = json.dumps(self.skipped_training) if self.skipped_training else ""
        out["stages"] = json.dumps(self.stages)
        return out


def resolve(
    workspace: Workspace, params: ResolveParams | None = None, *, incremental: bool = False
) -> ResolveResult:
    """Resolve the workspace's party records into entities (see the module docstring)."""
    params = params or ResolveParams()
    if params.engine not in ("duckdb", "spark"):
        raise InputError(f"--engine must be duckdb or spark, not {params.engine!r}")
    started = time.perf_counter()
    if collect_records(workspace) == 0:
        raise InputError(
            "the workspace has no party records: ingest shipments, entities (ftm, ofac, "
            "un-sc, bods) or incidents first"
        )
    return resolve_records(workspace, params, incremental=incremental, started=started)


def resolve_records(
    workspace: Workspace,
    params: ResolveParams,
    *,
    incremental: bool = False,
    started: float | None = None,
) -> ResolveResult:
    """Resolve the records of the temporary table ``party_records`` (columns as
    :data:`greymap.entities.records.RECORD_COLUMNS`): what :func:`resolve` does once it has
    gathered them, and what a benchmark or another loader calls directly."""
    started = started if started is not None else time.perf_counter()
    records = int(workspace.scalar("SELECT count(*) FROM party_records") or 0)
    stages: dict[str, float] = {}
    clock = time.perf_counter()
    profiles = build_profiles(workspace, identifiers=params.use_identifiers)
    stages["profiles"] = round(time.perf_counter() - clock, 2)
    known = int(workspace.scalar("SELECT count(*) FROM resolution_profiles") or 0)
    clock = time.perf_counter()
    if incremental and known:
        mode, (new, pairs, skipped) = "incremental", _incremental(workspace, params)
    else:
        mode, (new, pairs, skipped) = "full", _full(workspace, params)
    stages["scoring"] = round(time.perf_counter() - clock, 2)
    clock = time.perf_counter()
    result = assign(workspace, params.thresholds)
    stages["clustering"] = round(time.perf_counter() - clock, 2)
    seconds = time.perf_counter() - started
    out = ResolveResult(
        mode, records, profiles, new, pairs, result.entities, seconds, skipped, stages
    )
    _record_run(workspace, params, out)
    return out


def _profile_data(workspace: Workspace, where: str = "TRUE") -> pa.Table:
    table: pa.Table = workspace.con.sql(
        f"SELECT profile_id AS unique_id, * EXCLUDE (profile_id) FROM profile_input WHERE {where}"
    ).to_arrow_table()
    return table


def _full(workspace: Workspace, params: ResolveParams) -> tuple[int, int, dict[str, list[str]]]:
    data = _profile_data(workspace)
    con = workspace.con
    for table in ("resolution_profiles", "resolution_edges", "resolution_models"):
        con.execute(f"DELETE FROM {table}")
    _store_profiles(workspace, "TRUE", batch=1)
    pairs, skipped = 0, {}
    for kind, sub in _by_kind(data):
        linker = splink_model.make_linker(sub, kind, params.engine, params.model)
        missed = splink_model.train(linker, kind, len(sub), params.model)
        if missed:
            skipped[kind] = missed
        linker = splink_model.trained_linker(linker)
        scored = _predict(linker.inference.predict(threshold_match_probability=_floor(kind)))
        pairs += _store_edges(workspace, scored, kind, sub, batch=1)
        con.execute(
            "INSERT INTO resolution_models VALUES (?, ?, ?, ?, ?)",
            [
                kind,
                json.dumps(linker.misc.save_model_to_json()),
                params.thresholds.get(kind, 0.5),
                len(sub),
                _now(),
            ],
        )
    return len(data), pairs, skipped


def _incremental(
    workspace: Workspace, params: ResolveParams
) -> tuple[int, int, dict[str, list[str]]]:
    """Score only new profiles: against every known one, and among themselves."""
    con = workspace.con
    batch = int(workspace.scalar("SELECT coalesce(max(batch), 0) + 1 FROM resolution_profiles"))
    new_where = "profile_id NOT IN (SELECT profile_id FROM resolution_profiles)"
    new_data = _profile_data(workspace, new_where)
    if len(new_data) == 0:
        return 0, 0, {}
    models = dict(con.execute("SELECT kind, model FROM resolution_models").fetchall())
    old_data: pa.Table = con.sql(
        f"SELECT {PROFILE_COLUMNS.replace('profile_id', 'profile_id AS unique_id', 1)} "
        "FROM resolution_profiles"
    ).to_arrow_table()
    _store_profiles(workspace, new_where, batch)
    pairs, skipped = 0, {}
    for kind, new in _by_kind(new_data):
        old = old_data.filter(pc.equal(old_data["kind"], kind))
        if kind not in models:
            skipped[kind] = ["no stored model for this kind: run a full `greymap resolve`"]
            continue
        linker = splink_model.make_linker(new, kind, params.engine, params.model, models[kind])
        api = linker._db_api
        new_frame = api.register(new, table_name="__greymap_new")
        floor = _floor(kind)
        within = linker.inference.predict_within(
            new_frame, threshold_match_probability=floor, warning_mode="never"
        )
        pairs += _store_edges(workspace, _predict(within), kind, new, batch)
        if len(old):
            old_frame = api.register(old, table_name="__greymap_old")
            between = linker.inference.predict_between(
                old_frame, new_frame, threshold_match_probability=floor, warning_mode="never"
            )
            pairs += _store_edges(
                workspace, _predict(between), kind, pa.concat_tables([old, new]), batch
            )
    return len(new_data), pairs, skipped


def _by_kind(data: pa.Table) -> list[tuple[str, pa.Table]]:
    kinds = sorted(set(data["kind"].to_pylist()))
    out = []
    for kind in kinds:
        sub = data.filter(pc.equal(data["kind"], kind))
        if len(sub) >= 2:
            out.append((kind, sub))
    return out


def _floor(kind: str) -> float | None:
    """Pairs below this are not stored; people keep every scored pair (they forbid merges)."""
    return None if kind == "person" else splink_model.ModelParams.edge_floor


PAIR_COLUMNS = "unique_id_l, unique_id_r, match_probability, match_weight"


def _predict(frame: Any) -> pa.Table:
    """The scored pairs as Arrow: straight from Splink's DuckDB, through pandas on Spark."""
    api = frame.db_api
    if hasattr(api, "duckdb_con") and api.sql_dialect.sql_dialect_str == "duckdb":
        table: pa.Table = api.duckdb_con.sql(
            f"SELECT {PAIR_COLUMNS} FROM {frame.physical_name}"
        ).to_arrow_table()
        frame.drop_table_from_database_and_remove_from_cache()
        return table
    pairs = frame.as_pandas_dataframe()
    return pa.Table.from_pandas(pairs[PAIR_COLUMNS.split(", ")], preserve_index=False)


def _store_profiles(workspace: Workspace, where: str, batch: int) -> None:
    workspace.con.execute(
        f"INSERT INTO resolution_profiles SELECT {PROFILE_COLUMNS}, {batch}, NULL "
        f"FROM profile_input WHERE {where}"
    )


def _store_edges(
    workspace: Workspace, scored: pa.Table, kind: str, profiles: pa.Table, batch: int
) -> int:
    """Store scored pairs, marking those whose profiles share an identifier."""
    con = workspace.con
    con.register("scored_arrow", scored)
    con.register("ids_arrow", profiles.select(["unique_id", "identifiers"]))
    try:
        con.execute(
            f"""INSERT INTO resolution_edges
            SELECT s.unique_id_l, s.unique_id_r, '{kind}', s.match_probability, s.match_weight,
                coalesce(len(list_intersect(l.identifiers, r.identifiers)) > 0, FALSE), {batch}
            FROM scored_arrow s
            JOIN ids_arrow l ON l.unique_id = s.unique_id_l
            JOIN ids_arrow r ON r.unique_id = s.unique_id_r"""
        )
    finally:
        con.unregister("scored_arrow")
        con.unregister("ids_arrow")
    return len(scored)


def _record_run(workspace: Workspace, params: ResolveParams, result: ResolveResult) -> None:
    from greymap import __version__

    con = workspace.con
    run_id = workspace.scalar("SELECT nextval('analysis_run_id_seq')")
    con.execute(
        "INSERT INTO analysis_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            f"resolve {result.mode}",
            "resolved_entities",
            params.engine,
            json.dumps(params.as_dict() | {"mode": result.mode}, default=str),
            result.entities,
            result.seconds,
            _now(),
            __version__,
        ],
    )
