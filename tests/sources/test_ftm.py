"""FtM reader: real OpenSanctions clusters load whole; bad lines go to quarantine."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from followthemoney import model

from greymap import InputError, Workspace, ingest_files
from greymap.sources.entities import dataset_name
from tests.conftest import CliResult

ZALA_SCHEMAS = {
    "Sanction": 41,
    "Ownership": 14,
    "Company": 11,
    "Address": 11,
    "Person": 6,
    "Family": 4,
    "Directorship": 3,
    "Passport": 1,
}


def schema_counts(ws: Workspace, dataset: str) -> dict[str, int]:
    rows = ws.con.execute(
        "SELECT schema, count(*) FROM entities WHERE dataset = ? GROUP BY schema", [dataset]
    ).fetchall()
    return dict(rows)


def props(ws: Workspace, entity_id: str) -> dict[str, list[str]]:
    row = ws.con.execute("SELECT properties FROM entities WHERE id = ?", [entity_id]).fetchone()
    assert row is not None, entity_id
    return dict(json.loads(row[0]))


def test_zala_cluster_loads_every_entity(workspace: Workspace, shared_data: Path) -> None:
    path = shared_data / "opensanctions-ftm" / "zala_aero_cluster.ftm.jsonl"
    [r] = ingest_files(workspace, "ftm", [path])
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (91, 91, 0)
    assert schema_counts(workspace, "zala_aero_cluster") == ZALA_SCHEMAS
    # One Company's phone field holds three numbers in one string: FtM cannot read it,
    # and the ingest says so instead of dropping it silently.
    assert r.notes == [
        "dropped 1 property value(s) FollowTheMoney does not accept (Company.phone: 1)"
    ]
    person = workspace.con.execute(
        "SELECT caption, target, countries, first_seen, list_contains(datasets, 'us_ofac_sdn') "
        "FROM entities WHERE id = 'NK-2Tbri3s6GgNtAwsSXh4qpL'"
    ).fetchone()
    assert person == ("Maria Aleksandrovna Osetrova", True, ["RUS"], "2023-11-02T16:38:16", True)
    assert "Мария Александровна Осетрова" in props(workspace, "NK-2Tbri3s6GgNtAwsSXh4qpL")["name"]
    # Every Ownership edge is stored with both ends, as FtM entity ids.
    ends = workspace.con.execute(
        "SELECT count(*) FROM entities WHERE schema = 'Ownership' "
        "AND json_array_length(properties->'$.owner') = 1 "
        "AND json_array_length(properties->'$.asset') = 1"
    ).fetchone()
    assert ends == (14,)


def test_t1_multiscript_names_survive_a_round_trip(workspace: Workspace, shared_data: Path) -> None:
    path = shared_data / "opensanctions-ftm" / "t1_sample.ftm.jsonl"
    [r] = ingest_files(workspace, "ftm", [path])
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (7, 7, 0)
    assert schema_counts(workspace, "t1_sample") == {"Person": 4, "Organization": 2, "Address": 1}
    names = props(workspace, "NK-2GdmHtZTeNXjNVrBGEXZNj")["name"]
    assert "Εταιρία περιορισμένης ευθύνης “Inter Tobacco”" in names
    assert "Общество с ограниченной ответственностью “Интер Тобако”" in names
    # Out again: every stored entity equals the FtM entity read from the source line.
    stored = {
        eid: (schema, json.loads(p))
        for eid, schema, p in workspace.con.execute(
            "SELECT id, schema, properties FROM entities"
        ).fetchall()
    }
    for line in path.read_text(encoding="utf-8").splitlines():
        original = model.get_proxy(json.loads(line), cleaned=False)
        assert stored[str(original.id)] == (original.schema.name, original.properties)
    referents = workspace.con.execute(
        "SELECT len(referents), datasets FROM entities WHERE id = 'NK-2GdmHtZTeNXjNVrBGEXZNj'"
    ).fetchone()
    assert referents == (9, ["eu_fsf"])


def test_bad_lines_are_quarantined_with_reason_and_text(
    workspace: Workspace, fixtures: Path
) -> None:
    [r] = ingest_files(workspace, "ftm", [fixtures / "ftm" / "small.ftm.jsonl"])
    # 11 lines, one empty: 10 rows; p1 twice (merged), c1 and o1 load.
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (10, 4, 6)
    assert schema_counts(workspace, "small") == {"Person": 1, "Company": 1, "Ownership": 1}
    rejected = dict(workspace.con.execute("SELECT source_row, reason FROM quarantine").fetchall())
    assert rejected[5].startswith("invalid JSON: Unterminated string")
    assert rejected[6] == "not a JSON object (a list)"
    assert rejected[7] == "invalid entity: entity has no id"
    assert rejected[8] == "invalid entity: unknown FollowTheMoney schema 'Spaceship'"
    assert "'c1' is already a Company (row 2); cannot merge a Vessel" in rejected[10]
    assert rejected[11].endswith("the file ends inside this line (truncated?)")
    raw = workspace.con.execute("SELECT raw FROM quarantine WHERE source_row = 11").fetchone()
    assert raw == ('{"id": "t1", "schema": "Company", "properties": {"name": ["Trunc',)
    assert r.notes == [
        "dropped 2 property value(s) FollowTheMoney does not accept "
        "(Company.bogus (unknown property): 1, Company.incorporationDate: 1)"
    ]


def test_duplicate_ids_merge_with_their_context(workspace: Workspace, fixtures: Path) -> None:
    ingest_files(workspace, "ftm", [fixtures / "ftm" / "small.ftm.jsonl"])
    row = workspace.con.execute(
        "SELECT caption, first_seen, last_seen, target, datasets, referents, countries, "
        "source_row FROM entities WHERE id = 'p1'"
    ).fetchone()
    assert row == (
        "Ivan Petrov",
        "2022-06-01T00:00:00",
        "2024-01-01T00:00:00",
        True,
        ["demo_list", "other_list"],
        ["old-p1"],
        ["RUS"],
        1,
    )
    assert sorted(props(workspace, "p1")["name"]) == ["I. Petrov", "Ivan Petrov", "Иван Петров"]


def test_array_pretty_and_gzip_files(workspace: Workspace, fixtures: Path, tmp_path: Path) -> None:
    packed = tmp_path / "packed.ftm.jsonl.gz"
    packed.write_bytes(gzip.compress((fixtures / "ftm" / "small.ftm.jsonl").read_bytes()))
    paths = [fixtures / "ftm" / "array.json", fixtures / "ftm" / "pretty.json", packed]
    results = ingest_files(workspace, "ftm", paths)
    counts = [(r.rows_read, r.rows_loaded, r.rows_quarantined) for r in results]
    assert counts == [(2, 2, 0), (1, 1, 0), (10, 4, 6)]
    assert schema_counts(workspace, "array") == {"Person": 1, "Ownership": 1}
    assert schema_counts(workspace, "pretty") == {"Company": 1}
    assert schema_counts(workspace, "packed") == {"Person": 1, "Company": 1, "Ownership": 1}


def test_csv_is_refused_naming_file_and_format(workspace: Workspace, fixtures: Path) -> None:
    with pytest.raises(InputError) as err:
        ingest_files(workspace, "ftm", [fixtures / "ftm" / "entities.csv"])
    message = str(err.value)
    assert "entities.csv: is not JSON (it starts with 'id,schema,name')" in message
    assert "expected FollowTheMoney entities as JSON lines" in message
    assert workspace.count("entities") == 0
    assert workspace.count("ingests") == 0


def test_empty_and_non_entity_json_are_refused(workspace: Workspace, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n \n", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.jsonl: the file is empty"):
        ingest_files(workspace, "ftm", [empty])
    other = tmp_path / "other.jsonl"
    other.write_text('{"a": 1}\n{"b": 2}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"other\.jsonl: no object in the file has a 'schema'"):
        ingest_files(workspace, "ftm", [other])
    assert workspace.count("ingests") == 0


def test_new_version_of_a_dataset_records_changes(workspace: Workspace, tmp_path: Path) -> None:
    def write(name: str, entities: list[dict[str, object]]) -> Path:
        path = tmp_path / name
        path.write_text("\n".join(json.dumps(e) for e in entities) + "\n", encoding="utf-8")
        return path

    a = {"id": "a", "schema": "Person", "properties": {"name": ["Anna"]}}
    b = {"id": "b", "schema": "Company", "properties": {"name": ["Bravo"]}}
    b2 = {"id": "b", "schema": "Company", "properties": {"name": ["Bravo Ltd"]}}
    c = {"id": "c", "schema": "Company", "properties": {"name": ["Charlie"]}}
    ingest_files(workspace, "ftm", [write("v1.jsonl", [a, b])], dataset="watch")
    [r] = ingest_files(workspace, "ftm", [write("v2.jsonl", [b2, c])], dataset="watch")
    assert r.notes == [
        "dataset 'watch' replaced its previous version: 1 added, 1 changed, 1 removed"
    ]
    changes = workspace.con.execute(
        "SELECT entity_id, change FROM entity_changes ORDER BY entity_id"
    ).fetchall()
    assert changes == [("a", "removed"), ("b", "changed"), ("c", "added")]
    assert schema_counts(workspace, "watch") == {"Company": 2}


def test_two_files_under_one_dataset_form_one_version(workspace: Workspace, fixtures: Path) -> None:
    paths = [fixtures / "ftm" / "array.json", fixtures / "ftm" / "pretty.json"]
    ingest_files(workspace, "ftm", paths, dataset="combined")
    assert schema_counts(workspace, "combined") == {"Person": 1, "Company": 1, "Ownership": 1}


def test_dataset_name_strips_format_suffixes() -> None:
    assert dataset_name(Path("zala_aero_cluster.ftm.jsonl")) == "zala_aero_cluster"
    assert dataset_name(Path("x.ftm.json.gz")) == "x"
    assert dataset_name(Path("sdn.csv")) == "sdn.csv"
    assert dataset_name(Path(".json")) == ".json"


def test_cli_ingest_ftm_json(cli: Callable[..., CliResult], fixtures: Path) -> None:
    result = cli("ingest", "ftm", str(fixtures / "ftm" / "array.json"), "--format", "json")
    assert result.code == 0, result.stderr
    [record] = result.json()
    assert (record["format"], record["rows_read"], record["rows_loaded"]) == ("ftm", 2, 2)
    assert record["rows_quarantined"] == 0
    bad = cli("ingest", "ftm", str(fixtures / "ftm" / "entities.csv"))
    assert bad.code == 2
    assert bad.stderr.startswith("greymap: error: ")
    assert "Traceback" not in bad.stderr


def test_update_that_is_all_rejects_keeps_the_previous_version(
    workspace: Workspace, fixtures: Path, tmp_path: Path
) -> None:
    ingest_files(workspace, "ftm", [fixtures / "ftm" / "array.json"], dataset="watch")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "z", "schema": "Spaceship"}\n', encoding="utf-8")
    [r] = ingest_files(workspace, "ftm", [bad], dataset="watch")
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (1, 0, 1)
    assert r.notes == ["no entity could be loaded: dataset 'watch' was left as it was"]
    assert schema_counts(workspace, "watch") == {"Person": 1, "Ownership": 1}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"id": "x", "schema": "Thing"}, "FollowTheMoney schema Thing is abstract"),
        ({"id": "x", "schema": "Person", "properties": ["a"]}, "'properties' is not an object"),
        ({"id": "", "schema": "Person"}, "entity has no id"),
    ],
)
def test_make_proxy_rejects(data: dict[str, object], reason: str) -> None:
    from followthemoney.exc import InvalidData

    from greymap.sources.entities import make_proxy

    with pytest.raises(InvalidData, match=reason):
        make_proxy(data)
