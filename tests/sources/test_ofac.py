"""OFAC reader: the legacy CSV set and the XML list into FtM entities, with list deltas.

Small hand-made fixtures (tests/fixtures/ofac, rebuilt by its build.py) pin every rule
with exact values; the real 2022-01 and 2024-05-03 lists check counts and known entries.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from greymap import InputError, Workspace, ingest_files
from greymap.sources.ofac import OfacReader
from greymap.sources.remarks import Fact, parse_dates, parse_remarks
from greymap.sources.sanctions import org_schema
from tests.conftest import SHARED_DATA, CliResult

OFAC = SHARED_DATA / "ofac-sdn"
TARGETS = "schema NOT IN ('Sanction', 'UnknownLink')"


def props(ws: Workspace, entity_id: str) -> dict[str, Any]:
    row = ws.con.execute("SELECT properties FROM entities WHERE id = ?", [entity_id]).fetchone()
    assert row is not None, f"no entity {entity_id}"
    return dict(json.loads(row[0]))


def schemas(ws: Workspace, dataset: str = "us_ofac_sdn") -> dict[str, int]:
    rows = ws.con.execute(
        "SELECT schema, count(*) FROM entities WHERE dataset = ? GROUP BY 1", [dataset]
    ).fetchall()
    return dict(rows)


def changes(ws: Workspace) -> set[tuple[str, str]]:
    return set(ws.con.execute("SELECT change, entity_id FROM entity_changes").fetchall())


def csv_set(fixtures: Path, version: str) -> list[Path]:
    return [fixtures / "ofac" / f"{kind}_{version}.csv" for kind in ("sdn", "alt", "add")]


# -- Remarks grammar -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("remarks", "expected"),
    [
        (
            "DOB 10 Jan 1960; alt. DOB 1961; POB Baghdad, Iraq.",
            [
                ("birthDate", "1960-01-10"),
                ("birthDate", "1961"),
                ("birthPlace", "Baghdad, Iraq"),
                ("birthCountry", "Iraq"),
            ],
        ),
        (
            "Passport L 183017 issued 14 Feb 1996 expires 13 Feb 2001; Italian Fiscal Code X1.",
            [("passportNumber", "L 183017"), ("taxNumber", "X1")],
        ),
        (
            "National ID No. 4901005570000R (Nicaragua); Gender Female.",
            [("idNumber", "4901005570000R"), ("gender", "Female")],
        ),
        ("a.k.a. 'BNC'; f.k.a. 'ANA I'.", [("alias", "BNC"), ("previousName", "ANA I")]),
        ("Linked To: KPD S.A.", [("@link", "KPD S.A")]),
        ("Vessel Registration Identification IMO 7406784.", [("imoNumber", "IMO 7406784")]),
        ("Nationality of Registration Korea, North.", [("flag", "Korea, North")]),
        (
            "DOB 01 Jan 1961 to 31 Dec 1962.",
            [("birthDate", "1961-01-01"), ("birthDate", "1962-12-31")],
        ),
        ("DOB circa 1979-1982.", [("birthDate", "1979"), ("birthDate", "1982")]),
        (
            "Email:a@b.example; alt. Website www.b.example.",
            [("email", "a@b.example"), ("website", "www.b.example")],
        ),
        ("all offices worldwide.", [("@note", "all offices worldwide")]),
        (
            "(Linked To: NATIONAL IRANIAN TANKER COMPANY)",
            [("@link", "NATIONAL IRANIAN TANKER COMPANY")],
        ),
        (
            "Additional Sanctions Information - Subject to Secondary Sanctions.",
            [("@provision", "Additional Sanctions Information - Subject to Secondary Sanctions")],
        ),
        ("", []),
    ],
)
def test_parse_remarks(remarks: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.prop, f.value) for f in parse_remarks(remarks)] == expected


def test_clauses_split_outside_brackets_only() -> None:
    facts = parse_remarks("(data derived from a passport: DOB 1969; Passport 1) ; Gender Male.")
    assert [f.prop for f in facts] == ["@note", "gender"]
    assert facts[0] == Fact("@note", facts[0].text, facts[0].text)


@pytest.mark.parametrize(
    ("text", "dates"),
    [("10 Dec 1948", ["1948-12-10"]), ("Sep 1938", ["1938-09"]), ("1946", ["1946"]), ("soon", [])],
)
def test_parse_dates(text: str, dates: list[str]) -> None:
    assert parse_dates(text) == dates


@pytest.mark.parametrize(
    ("name", "facts", "schema"),
    [
        ("ANGLO-CARIBBEAN CO., LTD.", [], "Company"),
        ("CECOEX, S.A.", [], "Company"),
        ("SEPASAD ENGINEERING COMPANY", [], "Company"),
        ("HIZBALLAH", [], "Organization"),
        ("MINISTRY OF STATE SECURITY", [], "Organization"),
        ("MARTYRS FOUNDATION", [Fact("registrationNumber", "1", "")], "Company"),
    ],
)
def test_company_or_organization(name: str, facts: list[Fact], schema: str) -> None:
    assert org_schema(name, facts) == schema


# -- the CSV set, small fixtures -------------------------------------------------------
def test_csv_set_counts_and_quarantine(workspace: Workspace, fixtures: Path) -> None:
    results = ingest_files(workspace, "ofac", csv_set(fixtures, "v1"))
    counts = [(r.rows_read, r.rows_loaded, r.rows_quarantined) for r in results]
    assert counts == [(10, 6, 4), (7, 5, 2), (5, 3, 2)]
    assert "dataset us_ofac_sdn: 6 entries, 2 links" in results[0].notes
    reasons = workspace.con.execute(
        "SELECT regexp_extract(path, '[a-z]+_v1') AS f, source_row, reason FROM quarantine "
        "ORDER BY f DESC, source_row"
    ).fetchall()
    assert reasons == [
        (
            "sdn_v1",
            6,
            "expected 12 columns (ent_num, SDN_Name, SDN_Type, Program, Title, "
            "Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks), found 4",
        ),
        ("sdn_v1", 7, "bad ent_num 'X106'; expected a whole number"),
        ("sdn_v1", 8, "duplicate ent_num 101; first listed at row 2"),
        ("sdn_v1", 10, "missing SDN_Name"),
        (
            "alt_v1",
            5,
            "ent_num 999 is not an entry of sdn_v1.csv; an alt row must belong to a listed entry",
        ),
        ("alt_v1", 6, "bad alt_type 'xyz'; expected aka, fka or nka"),
        (
            "add_v1",
            4,
            "ent_num 998 is not an entry of sdn_v1.csv; an add row must belong to a listed entry",
        ),
        (
            "add_v1",
            5,
            "expected 6 columns (ent_num, add_num, address, city/state/postal, country, add_remarks), found 4",
        ),
    ]
    assert schemas(workspace) == {
        "Person": 2, "Company": 1, "Organization": 1, "Vessel": 1, "Airplane": 1,
        "Sanction": 6, "UnknownLink": 2,
    }  # fmt: skip


def test_person_from_sdn_alt_and_add(workspace: Workspace, fixtures: Path) -> None:
    ingest_files(workspace, "ofac", csv_set(fixtures, "v1"))
    assert props(workspace, "ofac-100") == {
        "name": ["DOE, John"],
        "lastName": ["DOE"],
        "firstName": ["John"],
        "alias": ["DOE, Johnny"],
        "previousName": ["SMITH, John"],
        "birthDate": ["1960-01-10", "1961"],
        "birthPlace": ["Baghdad, Iraq"],
        "birthCountry": ["iq"],
        "nationality": ["iq"],
        "citizenship": ["jo"],
        "passportNumber": ["A123456"],
        "idNumber": ["987654"],
        "gender": ["male"],
        "position": ["Minister of Things"],
        "address": ["12 Main Street, Baghdad, Iraq"],
        "country": ["iq"],
        "program": ["SDGT", "IRAN"],
        "topics": ["sanction"],
    }


def test_company_vessel_aircraft_and_links(workspace: Workspace, fixtures: Path) -> None:
    ingest_files(workspace, "ofac", csv_set(fixtures, "v1"))
    acme = props(workspace, "ofac-101")
    assert acme["alias"] == ["ACME", "ACME GLOBAL TRADING LTD."]
    assert acme["registrationNumber"] == ["12345"]
    assert acme["swiftBic"] == ["ACMEAEAD"]
    assert acme["email"] == ["info@acme.example"]
    assert acme["country"] == ["ae", "ir"]
    assert props(workspace, "ofac-101-sanction") == {
        "entity": ["ofac-101"],
        "authority": ["Office of Foreign Assets Control"],
        "authorityId": ["101"],
        "country": ["us"],
        "program": ["SDGT"],
        "provisions": ["Additional Sanctions Information - Subject to Secondary Sanctions"],
    }
    vessel = props(workspace, "ofac-103")
    assert {k: vessel[k] for k in ("imoNumber", "mmsi", "flag", "pastFlags", "owner")} == {
        "imoNumber": ["IMO9187629"],
        "mmsi": ["248123000"],
        "flag": ["mt"],
        "pastFlags": ["pa"],
        "owner": ["ofac-101"],
    }
    assert (vessel["callSign"], vessel["type"], vessel["tonnage"]) == (
        ["9HXX1"], ["Crude Oil Tanker"], ["150000"],
    )  # fmt: skip
    plane = props(workspace, "ofac-104")
    assert plane["serialNumber"] == ["8401"]
    assert (plane["buildDate"], plane["model"], plane["operator"]) == (
        ["1978-12-01"], ["IL76-TD"], ["ofac-101"],
    )  # fmt: skip
    links = workspace.con.execute(
        "SELECT id, properties->>'$.subject[0]', properties->>'$.object[0]' FROM entities "
        "WHERE schema = 'UnknownLink' ORDER BY id"
    ).fetchall()
    assert links == [
        ("ofac-link-100-101", "ofac-100", "ofac-101"),
        ("ofac-link-101-103", "ofac-101", "ofac-103"),
    ]


def test_fixture_delta_is_exact(workspace: Workspace, fixtures: Path) -> None:
    ingest_files(workspace, "ofac", csv_set(fixtures, "v1"))
    assert workspace.count("entity_changes") == 0  # a first version changes nothing
    [sdn, _, _] = ingest_files(workspace, "ofac", csv_set(fixtures, "v2"))
    assert changes(workspace) == {
        ("added", "ofac-109"),
        ("added", "ofac-109-sanction"),
        ("changed", "ofac-101"),
        ("changed", "ofac-101-sanction"),
        ("removed", "ofac-107"),
        ("removed", "ofac-107-sanction"),
    }
    assert "2 entities added, 2 changed, 2 removed" in sdn.notes[0]
    previous = workspace.con.execute(
        "SELECT previous->>'$.program' FROM entity_changes WHERE entity_id = 'ofac-101'"
    ).fetchone()
    assert previous == ('["SDGT"]',)
    ids = {
        r[0] for r in workspace.con.execute(f"SELECT id FROM entities WHERE {TARGETS}").fetchall()
    }
    assert ids == {"ofac-100", "ofac-101", "ofac-102", "ofac-103", "ofac-104", "ofac-109"}


def test_sdn_alone_loads_without_aliases_with_a_note(workspace: Workspace, fixtures: Path) -> None:
    [result] = ingest_files(workspace, "ofac", [fixtures / "ofac" / "sdn_v2.csv"])
    assert (result.rows_read, result.rows_loaded) == (6, 6)
    assert "without its add and alt file: its addresses and aliases" in result.notes[0]
    assert "alias" not in props(workspace, "ofac-100")


@pytest.mark.parametrize("kind", ["alt", "add"])
def test_alt_or_add_without_sdn_is_an_error(
    workspace: Workspace, fixtures: Path, kind: str
) -> None:
    with pytest.raises(InputError, match=rf"{kind}_v1\.csv: an OFAC {kind} file .* sdn_v1\.csv"):
        ingest_files(workspace, "ofac", [fixtures / "ofac" / f"{kind}_v1.csv"])
    assert workspace.count("ingests") == 0


def test_group_pairs_files_of_one_publication(fixtures: Path, tmp_path: Path) -> None:
    d = fixtures / "ofac"
    v1, v2 = csv_set(fixtures, "v1"), csv_set(fixtures, "v2")
    given = [v2[1], v1[0], v1[2], v2[0], v1[1], d / "sdn_small.xml"]
    assert OfacReader().group(given) == [
        [v2[0], v2[1]],
        [v1[0], v1[2], v1[1]],
        [d / "sdn_small.xml"],
    ]
    # Names that say nothing: the column count tells sdn (12) from alt (5).
    sdn, alt = tmp_path / "list.csv", tmp_path / "names.csv"
    shutil.copy(v1[0], sdn)
    shutil.copy(v1[1], alt)
    assert OfacReader().group([sdn, alt]) == [[sdn, alt]]


def test_windows_1252_and_header_row(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    text = (
        "ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,"
        "Vess_owner,Remarks\r\n"
        '7,"SOCIÉTÉ D’ÉTUDES",-0- ,SDGT,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    )
    path.write_bytes(text.encode("cp1252"))
    [result] = ingest_files(workspace, "ofac", [path])
    assert (result.rows_read, result.rows_loaded) == (1, 1)
    assert any("Windows-1252" in n for n in result.notes)
    assert any("header row" in n for n in result.notes)
    assert props(workspace, "ofac-7")["name"] == ["SOCIÉTÉ D’ÉTUDES"]


def test_not_an_ofac_file(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(InputError, match=r"sdn\.csv: no row has the 12 columns"):
        ingest_files(workspace, "ofac", [path])
    assert workspace.count("ingests") == 0


def test_same_files_twice_add_nothing(workspace: Workspace, fixtures: Path) -> None:
    ingest_files(workspace, "ofac", csv_set(fixtures, "v1"))
    again = ingest_files(workspace, "ofac", csv_set(fixtures, "v1"))
    assert [r.status for r in again] == ["unchanged"] * 3
    assert workspace.count("entity_changes") == 0


def test_dataset_option_names_the_dataset(workspace: Workspace, fixtures: Path) -> None:
    ingest_files(workspace, "ofac", csv_set(fixtures, "v1"), dataset="my_sdn")
    assert schemas(workspace, "my_sdn")["Person"] == 2


def test_cli_reports_counts_and_errors(cli: Callable[..., CliResult], fixtures: Path) -> None:
    result = cli("ingest", "ofac", *map(str, csv_set(fixtures, "v1")), "--format", "json")
    assert result.code == 0
    assert [(r["rows_read"], r["rows_loaded"], r["rows_quarantined"]) for r in result.json()] == [
        (10, 6, 4), (7, 5, 2), (5, 3, 2),
    ]  # fmt: skip
    bad = cli("ingest", "ofac", str(fixtures / "ofac" / "add_v1.csv"))
    assert bad.code == 2
    assert bad.stderr.startswith("greymap: error: ") and "Traceback" not in bad.stderr


# -- the XML list ----------------------------------------------------------------------
def test_xml_entries(workspace: Workspace, fixtures: Path) -> None:
    [result] = ingest_files(workspace, "ofac", [fixtures / "ofac" / "sdn_small.xml"])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 3, 1)
    q = workspace.con.execute("SELECT source_row, reason, raw FROM quarantine").fetchone()
    assert q is not None and q[:2] == (77, "bad uid None; expected a whole number")
    assert "<lastName>NO UID</lastName>" in q[2]
    doe = props(workspace, "ofac-200")
    assert doe["name"] == ["DOE, John"]  # the CSV's form, so both formats compare
    assert (doe["alias"], doe["weakAlias"], doe["previousName"]) == (
        ["DOE, Johnny"], ["JD"], ["SMITH, John"],
    )  # fmt: skip
    assert doe["birthDate"] == ["1960-01-10", "1961"]
    assert (doe["passportNumber"], doe["nationality"], doe["citizenship"]) == (
        ["A123456"], ["iq"], ["jo"],
    )  # fmt: skip
    assert props(workspace, "ofac-200-sanction")["provisions"] == [
        "Additional Sanctions Information - Subject to Secondary Sanctions"
    ]
    vessel = props(workspace, "ofac-202")
    assert (vessel["imoNumber"], vessel["flag"], vessel["pastFlags"], vessel["owner"]) == (
        ["IMO9187629"], ["mt"], ["pa"], ["ofac-201"],
    )  # fmt: skip
    assert schemas(workspace)["UnknownLink"] == 1  # "(Linked To: DOE, John)" on ACME


def test_xml_consolidated_list_is_its_own_dataset(
    workspace: Workspace, fixtures: Path, tmp_path: Path
) -> None:
    path = tmp_path / "consolidated.xml"
    shutil.copy(fixtures / "ofac" / "sdn_small.xml", path)
    ingest_files(workspace, "ofac", [path])
    assert schemas(workspace, "us_ofac_cons")["Person"] == 1
    assert schemas(workspace, "us_ofac_sdn") == {}


def test_xml_of_the_wrong_kind(workspace: Workspace, fixtures: Path) -> None:
    with pytest.raises(
        InputError, match=r"root element is <CONSOLIDATED_LIST>; expected <sdnList>.*un-sc"
    ):
        ingest_files(workspace, "ofac", [fixtures / "un_sc" / "un_v1.xml"])
    assert workspace.count("ingests") == 0


# -- the real lists --------------------------------------------------------------------
@pytest.fixture(scope="module")
def ofac_2022(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A workspace holding the real 2022-01 publication, loaded once for this module."""
    if not OFAC.exists():
        pytest.skip("../shared/data is not available")
    path = tmp_path_factory.mktemp("ofac") / "ws"
    with Workspace(path) as ws:
        results = ingest_files(
            ws, "ofac", [OFAC / f"{k}_2022-01.csv" for k in ("sdn", "alt", "add")]
        )
        assert [(r.rows_read, r.rows_loaded, r.rows_quarantined) for r in results] == [
            (9044, 9043, 1), (12409, 12409, 0), (13625, 13624, 1),
        ]  # fmt: skip
    yield path


def test_real_2022_counts_by_schema(ofac_2022: Path) -> None:
    # Independent count: SDN_Type per distinct ent_num (row 9044 repeats ent_num 2677).
    kinds: Counter[str] = Counter()
    seen: set[str] = set()
    with (OFAC / "sdn_2022-01.csv").open(newline="") as handle:
        for row in csv.reader(handle):
            if row[0] not in seen:
                seen.add(row[0])
                kinds[row[2].strip()] += 1
    assert kinds == {"individual": 4643, "-0-": 3700, "vessel": 420, "aircraft": 280}
    with Workspace(ofac_2022) as ws:
        got = schemas(ws)
        assert (got["Person"], got["Vessel"], got["Airplane"]) == (4643, 420, 280)
        assert got["Company"] + got["Organization"] == 3700
        assert got["Sanction"] == 9043
        reasons = ws.con.execute("SELECT source_row, reason FROM quarantine ORDER BY 1").fetchall()
    assert reasons == [
        (9044, "duplicate ent_num 2677; first listed at row 57"),
        (
            13625,
            "ent_num 34489 is not an entry of sdn_2022-01.csv; an add row must belong to a listed entry",
        ),
    ]


def test_real_2022_known_entries(ofac_2022: Path) -> None:
    with Workspace(ofac_2022) as ws:
        zomor = props(ws, "ofac-2677")
        samaha = props(ws, "ofac-15640")
        haddad = props(ws, "ofac-8207")
        ebano = props(ws, "ofac-4243")
        diab = props(ws, "ofac-34479")
        link = props(ws, "ofac-link-10411-27787")
        bank = ws.con.execute("SELECT schema FROM entities WHERE id = 'ofac-173'").fetchone()
    assert sorted(zomor["alias"]) == [
        "AL-ZAMUR, Abboud Abdul Latif Hassan",
        "AL-ZUMAR, Abbud",
        "AL-ZUMUR, Abood Abdul Latif Hassan",
        "EL-ZOMOR, Aboud Abdul Latif Hasan",
        "ZUMAR, Abbud",
    ]
    assert (zomor["birthDate"], zomor["birthPlace"], zomor["nationality"]) == (
        ["1947-04-19"], ["Nahia, Giza, Egypt"], ["eg"],
    )  # fmt: skip
    assert (samaha["passportNumber"], samaha["nationality"]) == (
        ["7012003", "PE385243"], ["lb", "ca"],
    )  # fmt: skip
    assert (haddad["passportNumber"], haddad["taxNumber"]) == (["L 183017"], ["HDDFTH63H28Z352V"])
    assert (ebano["imoNumber"], ebano["previousName"], ebano["flag"]) == (
        ["IMO7406784"], ["ANA I", "SAND SWAN"], ["pa"],
    )  # fmt: skip
    # The entry DIAB is linked to is row 9044, quarantined: the link stays a note.
    assert "Linked To: HAMER AND NAIL CONSTRUCTION LIMITED" in diab["notes"]
    assert (link["subject"], link["object"]) == (["ofac-10411"], ["ofac-27787"])
    assert bank == ("Company",)  # ANGLO-CARIBBEAN CO., LTD.


def test_real_delta_2022_to_2024(ofac_2022: Path, tmp_path: Path) -> None:
    path = tmp_path / "ws"
    shutil.copytree(ofac_2022, path)
    with Workspace(path) as ws:
        [result] = ingest_files(ws, "ofac", [OFAC / "sdn_2024-05-03.csv"])
        assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (14965, 14965, 0)
        by_kind = dict(
            ws.con.execute(
                f"SELECT change, count(*) FROM entity_changes WHERE {TARGETS} GROUP BY 1"
            ).fetchall()
        )
        sanctions = dict(
            ws.con.execute(
                "SELECT change, count(*) FROM entity_changes WHERE schema = 'Sanction' GROUP BY 1"
            ).fetchall()
        )
        current = ws.con.execute(
            f"SELECT count(*), count(DISTINCT ingest_id) FROM entities WHERE {TARGETS}"
        ).fetchone()
        gone = ws.con.execute("SELECT count(*) FROM entities WHERE id = 'ofac-2831'").fetchone()
    # SOURCES.md: 6,414 entries added and 492 removed between these versions.
    assert (by_kind["added"], by_kind["removed"]) == (6414, 492)
    assert (sanctions["added"], sanctions["removed"]) == (6414, 492)
    # Of the 8,551 kept entries, those whose aliases or addresses were in alt/add change.
    assert 0 < by_kind["changed"] <= 8551
    assert current == (14965, 1)  # the entities table holds the new version only
    assert gone == (0,)
