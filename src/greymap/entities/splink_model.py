"""The Splink model: blocking rules, comparisons, unsupervised training, prediction.

Profiles (see :mod:`greymap.entities.profiles`) are compared only with profiles of the same
kind (org, person, vessel, aircraft) that share at least one blocking key:

* the name's core, its sorted tokens, its squashed form or any alias key (exploded array);
* its phonetic key within a country; its first and last four letters within a country
  (catches a typo in the middle of a name);
* an identifier (exploded array: registration, passport, IMO numbers...).

Comparisons: the name (exact normalised name, then exact core/sorted/squashed/alias key,
then Jaro-Winkler on the squashed and sorted forms), the legal form, countries,
the address fingerprint (Jaro-Winkler), identifiers (exact) and the birth date. Training
has no labels: ``u`` by random sampling, ``m`` by expectation maximisation on two blocks
(same name core; same identifier or address), the prior from the name blocks.

The backend is Splink's DuckDB API (default, an in-memory database beside the workspace)
or its Spark API (``engine="spark"``). SQL written here is DuckDB's; Splink translates it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from greymap.errors import MissingDependencyError

#: Columns Splink sees (``unique_id`` is the profile id).
INPUT_COLUMNS = (
    "unique_id",
    "kind",
    "name",
    "name_norm",
    "name_core",
    "name_sorted",
    "name_squash",
    "name_phonetic",
    "name_form",
    "name_ends",
    "name_keys",
    "address_key",
    "address_block",
    "address_blocks",
    "countries",
    "country",
    "identifiers",
    "birth_date",
)


@dataclass(frozen=True)
class ModelParams:
    """Training and prediction settings (published in ``analysis_runs``)."""

    #: Pairs scored below this probability are not kept at all.
    edge_floor: float = 0.05
    #: random pairs sampled to estimate u
    max_pairs_u: float = 5e5
    seed: int = 42
    #: DuckDB settings for Splink's own database
    threads: int = 2
    memory_limit: str = "3GB"


def _splink() -> Any:
    try:
        import splink
    except ImportError as exc:  # pragma: no cover - exercised without the extra
        raise MissingDependencyError("splink", "resolve") from exc
    return splink


#: Starting m probabilities of the name levels (exact ... else): what a kind of party too
#: small to train keeps (a few dozen vessels); EM replaces them wherever it can.
NAME_PRIOR_M = (0.5, 0.2, 0.1, 0.08, 0.06, 0.04, 0.02)


def _custom(sql: str, label: str) -> Any:
    import splink.comparison_level_library as cll

    return cll.CustomLevel(sql, label, base_dialect_str="duckdb")


def name_comparison() -> Any:
    """Exact normalised name, then the same core/token set/squashed form, an alias in
    common, then decreasing Jaro-Winkler similarity (or the same sound). Built from
    Splink's levels only, so every backend has the functions it needs."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name_core"),
            cll.ExactMatchLevel("name_norm").configure(label_for_charts="same name and form"),
            cll.Or(
                cll.ExactMatchLevel("name_core"),
                cll.ExactMatchLevel("name_sorted"),
                cll.ExactMatchLevel("name_squash"),
            ).configure(label_for_charts="same core, token set or squashed name"),
            cll.ArrayIntersectLevel("name_keys", 1).configure(
                label_for_charts="an alias in common"
            ),
            cll.JaroWinklerLevel("name_squash", 0.95),
            cll.Or(
                cll.JaroWinklerLevel("name_sorted", 0.92),
                cll.JaroWinklerLevel("name_squash", 0.9),
            ).configure(label_for_charts="jw >= 0.9"),
            cll.Or(
                cll.JaroWinklerLevel("name_squash", 0.8),
                cll.ExactMatchLevel("name_phonetic"),
            ).configure(label_for_charts="jw >= 0.8 or same sound"),
            cll.ElseLevel(),
        ],
    ).configure(m_probabilities=list(NAME_PRIOR_M))


def address_comparison() -> Any:
    """Exact fingerprint, near-identical, then the same street number and word anywhere in
    both (``no 146 port blvd`` and ``146 port blvd hamburg 77570``: bills of lading cut and
    reorder addresses), then a looser string similarity."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.NullLevel("address_key"),
            cll.ExactMatchLevel("address_key"),
            cll.JaroWinklerLevel("address_key", 0.95),
            cll.ArrayIntersectLevel("address_blocks", 1).configure(
                label_for_charts="same street number and word"
            ),
            cll.JaroWinklerLevel("address_key", 0.85),
            cll.ElseLevel(),
        ],
    ).configure(m_probabilities=[0.3, 0.35, 0.25, 0.05, 0.05])


def birth_date_comparison() -> Any:
    """Birth dates are not trained: namesakes abound, and EM on a name block takes two
    people with one name for one person whatever their birth dates. The m probabilities
    say what a register knows: a person keeps one birth date, sometimes written as a year."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date").configure(m_probability=0.85),
            _custom(
                "(length(birth_date_l) = 4 OR length(birth_date_r) = 4) "
                "AND substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4)",
                "same year, one side gives only the year",
            ).configure(m_probability=0.12),
            cll.ElseLevel().configure(m_probability=0.03),
        ],
    )


def comparisons(kind: str) -> list[Any]:
    """What each kind of party is compared on."""
    import splink.comparison_library as cl

    countries = cl.ArrayIntersectAtSizes("countries", [1]).configure(m_probabilities=[0.95, 0.05])
    identifiers = cl.ArrayIntersectAtSizes("identifiers", [1]).configure(m_probabilities=[0.7, 0.3])
    address = address_comparison()
    if kind == "person":
        return [name_comparison(), countries, address, identifiers, birth_date_comparison()]
    if kind == "org":
        return [name_comparison(), cl.ExactMatch("name_form"), countries, address, identifiers]
    return [name_comparison(), countries, identifiers]


def blocking_rules() -> list[Any]:
    from splink import block_on

    return [
        block_on("name_core"),
        block_on("name_sorted"),
        block_on("name_squash"),
        block_on("name_phonetic", "country"),
        block_on("name_ends", "country"),
        block_on("address_block", "country"),
        block_on("name_keys", arrays_to_explode=["name_keys"]),
        block_on("identifiers", arrays_to_explode=["identifiers"]),
    ]


def settings(kind: str) -> Any:
    splink = _splink()
    return splink.SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(kind),
        blocking_rules_to_generate_predictions=blocking_rules(),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def db_api(engine: str, params: ModelParams) -> Any:
    """Splink's database for ``engine``: an in-memory DuckDB, or the greymap Spark session."""
    splink = _splink()
    if engine == "spark":
        import os
        import sys
        import tempfile

        from greymap.engine.spark_engine import spark_session

        # Python UDF workers must run this interpreter (the one with rapidfuzz and pandas)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        spark = spark_session()
        if not spark.sparkContext.getCheckpointDir():
            # Splink breaks long lineages by checkpointing; local mode needs a directory
            spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="greymap-splink-"))
        api = splink.SparkAPI(spark_session=spark, break_lineage_method="persist")
        _register_spark_similarity(spark)
        return api
    import duckdb

    con = duckdb.connect(
        ":memory:", config={"threads": params.threads, "memory_limit": params.memory_limit}
    )
    con.execute("SET enable_progress_bar = false")
    return splink.DuckDBAPI(connection=con)


#: EM blocks per kind, each training the comparisons it does not block on; Splink averages
#: the estimates of the sessions. Identifiers (registry against second-hand copies) teach
#: what a true match's address and name look like without the name deciding the block.
EM_BLOCKS: dict[str, tuple[tuple[str, ...], ...]] = {
    "org": (("identifiers",), ("address_key",), ("name_core", "country")),
    "person": (("birth_date",),),
    "vessel": (("name_core",), ("identifiers",)),
    "aircraft": (("name_core",), ("identifiers",)),
}


def _register_spark_similarity(spark: Any) -> None:
    """Splink's Spark similarity functions come in a JAR built for Spark 3; where they did
    not register (Spark 4), ``jaro_winkler`` is a vectorised Python UDF (rapidfuzz)."""
    if spark.catalog.functionExists("jaro_winkler"):
        return
    import pandas as pd
    from pyspark.sql import functions
    from rapidfuzz.distance import JaroWinkler

    def similarity(a: pd.Series[str], b: pd.Series[str]) -> pd.Series[float]:
        return pd.Series(
            [
                None if x is None or y is None else JaroWinkler.similarity(x, y)
                for x, y in zip(a, b, strict=True)
            ],
            dtype="float64",
        )

    # Spark reads the hints at run time; this module's annotations are strings
    similarity.__annotations__ = {"a": pd.Series, "b": pd.Series, "return": pd.Series}
    udf = getattr(functions, "pandas_udf")  # noqa: B009 (missing from pyspark's stubs)
    spark.udf.register("jaro_winkler", udf(similarity, "double"))


def train(linker: Any, kind: str, n_profiles: int, params: ModelParams) -> list[str]:
    """Unsupervised: prior from the name blocks, u by random sampling, m by EM. Returns
    the EM blocks that could not be trained (too few pairs), which keep default m."""
    from splink import block_on
    from splink.internals.exceptions import SplinkException

    linker.training.estimate_probability_two_random_records_match(
        [block_on("name_core", "country"), block_on("identifiers")], recall=0.7
    )
    settings_obj = linker._settings_obj
    if not 0 < settings_obj._probability_two_random_records_match < 1:
        # no deterministic match at all (a handful of vessels): one match per record
        settings_obj._probability_two_random_records_match = 1 / max(2, n_profiles)
    # the probe that stops sampling early pays off only on large inputs
    chunks = 10 if n_profiles > 50_000 else 1
    linker.training.estimate_u_using_random_sampling(
        max_pairs=params.max_pairs_u, seed=params.seed, num_chunks=chunks
    )
    skipped = []
    for cols in EM_BLOCKS[kind]:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*cols), estimate_without_term_frequencies=True
            )
        except (SplinkException, ValueError, ZeroDivisionError):
            skipped.append("+".join(cols))
    return skipped


#: No comparison level is impossible among true matches: EM can drive an m probability to
#: zero (a weight of minus infinity that nothing can outweigh); it is floored here.
M_FLOOR = 1e-3


def floor_m(model: dict[str, Any], floor: float = M_FLOOR) -> dict[str, Any]:
    """``model`` (Splink's JSON) with every m probability at least ``floor``, renormalised."""
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if "m_probability" in lv]
        if not levels:
            continue
        for level in levels:
            level["m_probability"] = max(float(level["m_probability"] or 0.0), floor)
        total = sum(lv["m_probability"] for lv in levels)
        for level in levels:
            level["m_probability"] /= total
    return model


def make_linker(
    data: pa.Table, kind: str, engine: str, params: ModelParams, model: str | None = None
) -> Any:
    """A linker over ``data`` (the profiles of one kind); ``model`` is a saved model's JSON."""
    import json

    splink = _splink()
    logging.getLogger("splink").setLevel(logging.ERROR)
    api = db_api(engine, params)
    frame = api.register(data)
    spec: Any = json.loads(model) if model else settings(kind)
    return splink.Linker(frame, spec, log_level=None)


def trained_linker(linker: Any) -> Any:
    """The same linker with its trained model's m probabilities floored (:func:`floor_m`)."""
    splink = _splink()
    model = floor_m(linker.misc.save_model_to_json())
    frames = list(linker._input_tables_dict.values())
    return splink.Linker(
        frames[0] if len(frames) == 1 else frames, model, log_level=None, validate_settings=False
    )
