"""BODS reader: Open Ownership's examples, BODS 0.2/0.3 fixtures and broken statements."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from greymap import InputError, Workspace, ingest_files
from greymap.sources.bods import UNKNOWN_PARTY
from greymap.sources.bods_entities import interest_type, share_text

# file -> (rows read, FtM schema counts). Every example statement loads.
EXAMPLES: dict[str, tuple[int, dict[str, int]]] = {
    "bods-package-entity-owning-entity": (3, {"Company": 2, "Ownership": 1}),
    "fermcat": (23, {"Company": 1, "Person": 3, "Ownership": 3, "Directorship": 2}),
    "full-pep-declaration": (3, {"Company": 1, "Person": 1, "Ownership": 2}),
    "indirect-ownership": (6, {"Company": 2, "Person": 1, "Ownership": 2, "UnknownLink": 1}),
    "joint-ownership": (7, {"Company": 1, "LegalEntity": 1, "Person": 2, "Ownership": 3}),
    "listed-company-exempt-from-disclosure": (
        2,
        {"Company": 1, "LegalEntity": 1, "UnknownLink": 1},
    ),
    "mixed-direct-and-indirect-ownership": (
        6,
        {"Company": 2, "Person": 1, "Ownership": 3, "UnknownLink": 1},
    ),
    "multiple-indirect-ownership": (
        9,
        {"Company": 3, "Person": 1, "Ownership": 3, "UnknownLink": 2},
    ),
    "mutilple-indirect-ownership-2": (
        9,
        {"Company": 3, "Person": 1, "Ownership": 3, "UnknownLink": 2},
    ),
    "nomination": (
        8,
        {
            "Person": 2,
            "LegalEntity": 1,
            "Organization": 1,
            "Directorship": 1,
            "UnknownLink": 3,
        },
    ),
    "tecido": (11, {"Company": 2, "Person": 1, "Ownership": 4, "Directorship": 1}),
}


def load(ws: Workspace, path: Path) -> tuple[int, int, int]:
    [r] = ingest_files(ws, "bods", [path])
    return r.rows_read, r.rows_loaded, r.rows_quarantined


def entity(ws: Workspace, entity_id: str) -> tuple[str, dict[str, list[str]]]:
    row = ws.con.execute(
        "SELECT schema, properties FROM entities WHERE id = ?", [entity_id]
    ).fetchone()
    assert row is not None, entity_id
    return row[0], json.loads(row[1])


def schema_counts(ws: Workspace) -> dict[str, int]:
    return dict(ws.con.execute("SELECT schema, count(*) FROM entities GROUP BY 1").fetchall())


@pytest.fixture
def examples(shared_data: Path) -> Path:
    return shared_data / "bods-examples"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_files_load_whole(workspace: Workspace, examples: Path, name: str) -> None:
    rows, schemas = EXAMPLES[name]
    assert load(workspace, examples / f"{name}.json") == (rows, rows, 0)
    assert schema_counts(workspace) == schemas
    datasets = workspace.con.execute("SELECT DISTINCT dataset FROM entities").fetchall()
    assert datasets == [(name,)]


def test_indirect_ownership_chain(workspace: Workspace, examples: Path) -> None:
    load(workspace, examples / "indirect-ownership.json")
    # Company B owns 60% of Company A directly ...
    schema, b_owns_a = entity(workspace, "bods-4cf2837bd01f")
    assert schema == "Ownership"
    assert (b_owns_a["owner"], b_owns_a["asset"]) == (["bods-d4ab89ea169a"], ["bods-ad3f6c2fcc9e"])
    assert (b_owns_a["percentage"], b_owns_a["summary"]) == (["60"], ["direct"])
    # ... and Person 1 holds 30% of Company A indirectly, through Company B.
    schema, person_owns_a = entity(workspace, "bods-d8d75ccf40e4")
    assert schema == "Ownership"
    assert person_owns_a["owner"] == ["bods-c25d4d612c2c"]
    assert person_owns_a["asset"] == ["bods-ad3f6c2fcc9e"]
    assert (person_owns_a["percentage"], person_owns_a["summary"]) == (["30"], ["indirect"])
    assert person_owns_a["role"] == ["beneficial owner"]
    assert person_owns_a["description"] == [
        "indirect shareholding; share 30%; beneficial ownership or control; "
        "through bods-d4ab89ea169a"
    ]
    # Person 1's link to Company B states no interest type: a generic link, not a guess.
    schema, person_b = entity(workspace, "bods-05e81af035e4")
    assert schema == "UnknownLink"
    assert (person_b["subject"], person_b["object"]) == (
        ["bods-c25d4d612c2c"],
        ["bods-d4ab89ea169a"],
    )
    assert person_b["role"] == ["unspecified interest"]


def test_mixed_direct_and_indirect_interests_are_separate_edges(
    workspace: Workspace, examples: Path
) -> None:
    load(workspace, examples / "mixed-direct-and-indirect-ownership.json")
    edges = workspace.con.execute(
        "SELECT id, properties->>'$.summary[0]', properties->>'$.percentage[0]', "
        "properties->>'$.startDate[0]' FROM entities WHERE schema = 'Ownership' "
        "AND properties->>'$.owner[0]' = 'bods-53508b65253f' ORDER BY id"
    ).fetchall()
    assert edges == [
        ("bods-f5a45a6daf31", "indirect", "50", "2017-11-01"),
        ("bods-f5a45a6daf31-2", "direct", "50", "2019-05-01"),
    ]


def test_joint_ownership_goes_through_the_arrangement(workspace: Workspace, examples: Path) -> None:
    load(workspace, examples / "joint-ownership.json")
    schema, joint = entity(workspace, "bods-91b4236a7d89")
    assert (schema, joint["name"], joint["legalForm"]) == (
        "LegalEntity",
        ["Joint shareholding"],
        ["arrangement"],
    )
    holdings = workspace.con.execute(
        "SELECT properties->>'$.owner[0]', properties->>'$.asset[0]', "
        "properties->>'$.percentage[0]' FROM entities WHERE schema = 'Ownership' ORDER BY 1"
    ).fetchall()
    assert holdings == [
        ("bods-1accb8b18b99", "bods-91b4236a7d89", "50"),
        ("bods-91b4236a7d89", "bods-31c55e425764", "100"),
        ("bods-f040df24d9ec", "bods-91b4236a7d89", "50"),
    ]
    _, company = entity(workspace, "bods-31c55e425764")
    assert company["country"] == ["gb"]
    assert company["registrationNumber"] == ["07444723"]
    assert company["address"] == ["Aston House, Cornwall Avenue, London, N3 1LF, United Kingdom"]


def test_nomination_keeps_nominee_and_nominator(workspace: Workspace, examples: Path) -> None:
    load(workspace, examples / "nomination.json")
    _, arrangement = entity(workspace, "bods-103AB1984D")
    assert arrangement["legalForm"] == ["nomination"]
    roles = workspace.con.execute(
        "SELECT properties->>'$.subject[0]', properties->>'$.object[0]', "
        "properties->'$.role' FROM entities WHERE schema = 'UnknownLink' ORDER BY id"
    ).fetchall()
    assert [(s, o, json.loads(r)) for s, o, r in roles] == [
        ("bods-101AB1984F", "bods-103AB1984D", ["nominator"]),
        ("bods-102AB1984E", "bods-103AB1984D", ["nominee"]),
        ("bods-101AB1984F", "bods-104AB1984C", ["other influence or control", "beneficial owner"]),
    ]
    schema, board = entity(workspace, "bods-107AC1984F")
    assert schema == "Directorship"
    assert (board["director"], board["organization"]) == (["bods-103AB1984D"], ["bods-104AB1984C"])
    _, control = entity(workspace, "bods-108AC1984E")
    assert control["summary"] == ["indirect"]
    assert control["description"][0].endswith("through bods-103AB1984D")


def test_pep_and_share_range(workspace: Workspace, examples: Path) -> None:
    load(workspace, examples / "full-pep-declaration.json")
    _, pep = entity(workspace, "bods-9bcdcc85e803")
    assert pep["topics"] == ["role.pep"]
    assert pep["position"] == ["Member of Parliament"]
    _, shares = entity(workspace, "bods-91e4b9055ca0")
    _, votes = entity(workspace, "bods-91e4b9055ca0-2")
    assert (shares["ownershipType"], shares["percentage"]) == (["shareholding"], ["25-50"])
    assert (votes["ownershipType"], votes["percentage"]) == (["votingRights"], ["25-50"])
    assert "share at least 25% and less than 50%" in shares["description"][0]


def test_unspecified_owner_becomes_flagged_placeholder(
    workspace: Workspace, examples: Path
) -> None:
    load(workspace, examples / "listed-company-exempt-from-disclosure.json")
    schema, placeholder = entity(workspace, "bods-fa402c4818f9-unspecified")
    assert schema == "LegalEntity"
    assert placeholder["status"] == [UNKNOWN_PARTY]
    assert "name" not in placeholder  # nothing for screening or matching to hit
    assert placeholder["description"][0].startswith(
        "unspecified interested party: subjectExemptFromDisclosure"
    )
    _, link = entity(workspace, "bods-fa402c4818f9")
    assert (link["subject"], link["object"]) == (
        ["bods-fa402c4818f9-unspecified"],
        ["bods-4c7ea3bfbe6c"],
    )
    assert link["status"] == [UNKNOWN_PARTY]


def test_record_history_loads_the_latest_statement(workspace: Workspace, examples: Path) -> None:
    [r] = ingest_files(workspace, "bods", [examples / "tecido.json"])
    assert r.notes == [
        "6 statement(s) are earlier versions of a record; "
        "each record was loaded from its latest statement"
    ]
    _, trust = entity(workspace, "bods-02089A4E68")
    assert (trust["percentage"], trust["startDate"]) == (["80"], ["2023-03-01"])
    # Maria's record was closed on 2023-03-03: her links end then and say so.
    _, maria = entity(workspace, "bods-022EBEB66B-2")
    assert (maria["percentage"], maria["status"], maria["endDate"]) == (
        ["30"],
        ["closed"],
        ["2023-03-03"],
    )


def test_bods_02_statements(workspace: Workspace, fixtures: Path) -> None:
    assert load(workspace, fixtures / "bods" / "v02.json") == (6, 6, 0)
    assert schema_counts(workspace) == {
        "Company": 2,
        "Person": 1,
        "Ownership": 1,
        "UnknownLink": 1,
        "LegalEntity": 1,
    }
    # e-1b replaces e-1: one company, and the ownership points at it.
    _, acme = entity(workspace, "bods-e-1b")
    assert (acme["name"], acme["leiCode"], acme["jurisdiction"]) == (
        ["Acme Holdings Limited"],
        ["529900T8BM49AURSDO55"],
        ["cy"],
    )
    _, votes = entity(workspace, "bods-r-1")
    assert (votes["asset"], votes["owner"]) == (["bods-e-1b"], ["bods-p-1"])
    assert (votes["ownershipType"], votes["percentage"], votes["summary"]) == (
        ["votingRights"],
        ["25-50"],
        ["direct"],
    )
    assert "share more than 25% and at most 50%" in votes["description"][0]
    _, oleg = entity(workspace, "bods-p-1")
    assert (oleg["alias"], oleg["topics"], oleg["birthDate"]) == (
        ["Олег Иванов"],
        ["role.pep"],
        ["1961-03"],
    )
    _, nobody = entity(workspace, "bods-r-2-unspecified")
    assert nobody["status"] == [UNKNOWN_PARTY]
    assert "noBeneficialOwners" in nobody["description"][0]


def test_bods_03_statements(workspace: Workspace, fixtures: Path) -> None:
    assert load(workspace, fixtures / "bods" / "v03.json") == (9, 9, 0)
    assert schema_counts(workspace) == {
        "Company": 1,
        "LegalEntity": 1,
        "PublicBody": 1,
        "Person": 2,
        "UnknownLink": 1,
        "Ownership": 2,
        "Directorship": 1,
    }
    _, gamma = entity(workspace, "bods-ent-gamma")
    assert (gamma["ticker"], gamma["isinCode"], gamma["keywords"]) == (
        ["GAMMA"],
        ["ZM0000000201"],
        ["publicly listed"],
    )
    _, settlor = entity(workspace, "bods-ooc-settlor")
    assert settlor["role"] == ["settlor", "beneficial owner"]
    _, board = entity(workspace, "bods-ooc-board")
    assert (board["director"], board["role"]) == (["bods-ent-ministry"], ["appointment of board"])
    _, held = entity(workspace, "bods-ooc-trust-shares")
    assert held["percentage"] == ["12.5"]
    schema, anonymous = entity(workspace, "bods-per-anon")
    assert (schema, anonymous["status"]) == ("Person", [UNKNOWN_PARTY])
    _, beneficiary = entity(workspace, "bods-ooc-beneficiary")
    assert beneficiary["ownershipType"] == ["beneficiaryOfLegalArrangement"]


def test_broken_statements_are_quarantined(workspace: Workspace, fixtures: Path) -> None:
    [r] = ingest_files(workspace, "bods", [fixtures / "bods" / "broken.json"])
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (8, 2, 6)
    reasons = dict(workspace.con.execute("SELECT source_row, reason FROM quarantine").fetchall())
    assert reasons == {
        2: "statement is not a JSON object (a int)",
        3: "statement is not a JSON object (a str)",
        4: "statement has no recordId",
        5: "unknown statement type 'vessel'; expected entity, person or relationship",
        7: "relationship has no interested party",
        8: "relationship has no subject (the entity owned or controlled)",
    }
    # An ownership of a record not in the file is kept, and the ingest says so.
    _, kept = entity(workspace, "bods-R1")
    assert (kept["owner"], kept["asset"]) == (["bods-E1"], ["bods-NOPE"])
    assert r.notes == [
        "1 record(s) that relationships refer to are not in the file (bods-NOPE): "
        "the links were kept and point to ids with no entity"
    ]


def test_truncated_array_keeps_the_statements_before_the_cut(
    workspace: Workspace, fixtures: Path
) -> None:
    assert load(workspace, fixtures / "bods" / "truncated.json") == (3, 2, 1)
    reason = workspace.con.execute("SELECT source_row, reason FROM quarantine").fetchone()
    assert reason is not None and reason[0] == 3
    assert reason[1].startswith("invalid JSON: Unterminated string")
    assert reason[1].endswith("(the file ends before the array is closed: truncated?)")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("recordId,name\nE1,Acme\n", r"not\.json: is not JSON \(it starts with 'recordId,name'\)"),
        ('[{"id": "x", "schema": "Person"}]', r"no statement has a recordType or statementType"),
        ("[] trailing", r"unexpected text after the closing '\]'"),
    ],
)
def test_files_that_are_not_bods_are_refused(
    workspace: Workspace, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "not.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        ingest_files(workspace, "bods", [path])
    assert workspace.count("ingests") == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("voting-rights", "votingRights"),
        ("settlor-of-trust", "settlor"),
        ("beneficiary-of-trust", "beneficiaryOfLegalArrangement"),
        ("boardMember", "boardMember"),
        ("", None),
        (None, None),
    ],
)
def test_interest_type_spellings(value: Any, expected: str | None) -> None:
    assert interest_type(value) == expected


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        ({"exact": 60}, "60"),
        ({"exact": 33.3}, "33.3"),
        ({"minimum": 25, "exclusiveMaximum": 50}, "25-50"),
        ({"exclusiveMinimum": 75}, "75-100"),
        ({"maximum": 25}, "0-25"),
        ({"minimum": 25, "exclusiveMinimum": True}, "25-100"),
        ({}, None),
        (None, None),
    ],
)
def test_share_text(share: Any, expected: str | None) -> None:
    assert share_text(share) == expected


def test_json_lines_and_gzip_statements(
    workspace: Workspace, examples: Path, tmp_path: Path
) -> None:
    statements = json.loads((examples / "joint-ownership.json").read_text(encoding="utf-8"))
    lines = tmp_path / "joint.jsonl"
    lines.write_text("\n".join(json.dumps(s) for s in statements) + "\n", encoding="utf-8")
    packed = tmp_path / "joint-packed.json.gz"
    packed.write_bytes(gzip.compress((examples / "joint-ownership.json").read_bytes()))
    results = ingest_files(workspace, "bods", [lines, packed])
    assert [(r.rows_read, r.rows_loaded) for r in results] == [(7, 7), (7, 7)]
    per_dataset = workspace.con.execute(
        "SELECT dataset, count(*) FROM entities GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert per_dataset == [("joint", 7), ("joint-packed", 7)]
