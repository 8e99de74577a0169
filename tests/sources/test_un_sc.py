"""UN Security Council consolidated list: records into FtM entities, alias quality, deltas.

Small fixtures (tests/fixtures/un_sc: v1 and v2 with a known delta) pin each rule; the
real 2018-10-29 list checks counts, alias quality and regimes against a direct read of
the XML.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from greymap import InputError, Workspace, ingest_files
from tests.conftest import SHARED_DATA

UN_FILE = SHARED_DATA / "un-consolidated" / "un_sc_consolidated_2018-10-29.xml"
OFAC_XML = SHARED_DATA / "ofac-sdn" / "ofac_non_sdn_consolidated_2018-04-06.xml"


def props(ws: Workspace, entity_id: str) -> dict[str, Any]:
    row = ws.con.execute("SELECT properties FROM entities WHERE id = ?", [entity_id]).fetchone()
    assert row is not None, f"no entity {entity_id}"
    return dict(json.loads(row[0]))


def assert_empty(ws: Workspace) -> None:
    for table in ("entities", "entity_changes", "quarantine", "ingests"):
        assert ws.count(table) == 0, table


# -- small fixtures ----------------------------------------------------------------------
def test_records_become_entities(workspace: Workspace, fixtures: Path) -> None:
    [result] = ingest_files(workspace, "un-sc", [fixtures / "un_sc" / "un_v1.xml"])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 4, 1)
    assert props(workspace, "unsc-1001") == {
        "name": ["ABDUL RAHMAN AL-TEST"],
        "alias": ["Abdul Rahman Test"],
        "weakAlias": ["Abu Test"],  # QUALITY Low
        "title": ["Haji"],
        "position": ["Financier"],
        "gender": ["male"],
        "nationality": ["af", "pk"],
        "birthDate": ["1965-03-01", "1966", "1968"],  # EXACT, then BETWEEN 1966 and 1968
        "birthPlace": ["Kandahar, Afghanistan"],
        "birthCountry": ["af"],
        "passportNumber": ["OA123456", "P998877"],  # "Número de pasaporte" is a passport
        "idNumber": ["57341"],
        "address": ["House 5, Kabul, Afghanistan"],
        "country": ["af"],
        "notes": ["Believed to be in the border area."],
        "program": ["Al-Qaida"],
        "topics": ["sanction"],
    }
    assert props(workspace, "unsc-1001-sanction") == {
        "entity": ["unsc-1001"],
        "authority": ["United Nations Security Council"],
        "program": ["Al-Qaida"],
        "unscId": ["QDi.999"],
        "listingDate": ["2001-10-06"],
    }
    company = props(workspace, "unsc-2001")
    assert (company["alias"], company["previousName"], company["country"]) == (
        ["TTC"],
        ["OLD TEST TRADING"],
        ["kp"],
    )
    schemas = dict(workspace.con.execute("SELECT id, schema FROM entities").fetchall())
    assert (schemas["unsc-2001"], schemas["unsc-2002"]) == ("Company", "Organization")
    assert props(workspace, "unsc-2002-sanction")["listingDate"] == ["2002-03-11"]
    assert props(workspace, "unsc-1002")["birthDate"] == ["1970"]
    reason = workspace.con.execute("SELECT source_row, reason FROM quarantine").fetchone()
    assert reason == (6, "bad DATAID None; expected a whole number")


def test_fixture_delta_is_exact(workspace: Workspace, fixtures: Path) -> None:
    ingest_files(workspace, "un-sc", [fixtures / "un_sc" / "un_v1.xml"])
    [result] = ingest_files(workspace, "un-sc", [fixtures / "un_sc" / "un_v2.xml"])
    got = set(workspace.con.execute("SELECT change, entity_id FROM entity_changes").fetchall())
    assert got == {
        ("added", "unsc-2003"),
        ("added", "unsc-2003-sanction"),
        ("changed", "unsc-1001"),  # a new alias; its Sanction did not change
        ("removed", "unsc-1002"),
        ("removed", "unsc-1002-sanction"),
    }
    assert "2 entities added, 1 changed, 2 removed" in result.notes[0]
    assert props(workspace, "unsc-1001")["alias"] == ["Abdul Rahman Test", "Abdulrahman Al Test"]
    assert workspace.con.execute("SELECT count(*) FROM entities").fetchone() == (8,)


def test_dataset_option(workspace: Workspace, fixtures: Path) -> None:
    ingest_files(workspace, "un-sc", [fixtures / "un_sc" / "un_v1.xml"], dataset="un_test")
    rows = workspace.con.execute("SELECT DISTINCT dataset FROM entities").fetchall()
    assert rows == [("un_test",)]


def test_wrong_kinds_of_file(workspace: Workspace, fixtures: Path) -> None:
    with pytest.raises(
        InputError, match=r"root element is <sdnList>; expected <CONSOLIDATED_LIST>"
    ):
        ingest_files(workspace, "un-sc", [fixtures / "ofac" / "sdn_small.xml"])
    with pytest.raises(InputError, match=r"sdn_v1\.csv: not an XML file; expected the UN"):
        ingest_files(workspace, "un-sc", [fixtures / "ofac" / "sdn_v1.csv"])
    assert_empty(workspace)


def test_cut_off_fixture_keeps_the_previous_version(
    workspace: Workspace, fixtures: Path, tmp_path: Path
) -> None:
    ingest_files(workspace, "un-sc", [fixtures / "un_sc" / "un_v1.xml"])
    cut = tmp_path / "cut.xml"
    cut.write_text((fixtures / "un_sc" / "un_v2.xml").read_text()[:-200])
    with pytest.raises(InputError, match=r"cut\.xml: the XML is cut off or malformed at line \d+"):
        ingest_files(workspace, "un-sc", [cut])
    assert workspace.count("entity_changes") == 0
    assert "weakAlias" in props(workspace, "unsc-1001")
    assert workspace.count("ingests") == 1


# -- the real list -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def un_real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not UN_FILE.exists():
        pytest.skip("../shared/data is not available")
    path = tmp_path_factory.mktemp("un") / "ws"
    with Workspace(path) as ws:
        [result] = ingest_files(ws, "un-sc", [UN_FILE])
        assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (1093, 1093, 0)
    return path


def squash(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip().strip('"')


def test_real_counts_and_programmes(un_real: Path) -> None:
    root = etree.parse(str(UN_FILE)).getroot()
    regimes = Counter(squash(e.text) for e in root.iter("UN_LIST_TYPE"))
    with Workspace(un_real) as ws:
        schemas = dict(
            ws.con.execute("SELECT schema, count(*) FROM entities GROUP BY 1").fetchall()
        )
        programs = Counter(
            dict(
                ws.con.execute(
                    "SELECT properties->>'$.program[0]', count(*) FROM entities "
                    "WHERE schema = 'Sanction' GROUP BY 1"
                ).fetchall()
            )
        )
    assert schemas["Person"] == 703
    assert schemas["Company"] + schemas["Organization"] == 390
    assert schemas["Sanction"] == 1093
    assert programs == regimes
    assert (programs["Al-Qaida"], programs["Iraq"], programs["DPRK"]) == (347, 238, 155)


def test_real_alias_quality(un_real: Path) -> None:
    """Every (record, alias) pair lands in the property its QUALITY calls for."""
    root = etree.parse(str(UN_FILE)).getroot()
    expected: dict[str, set[tuple[str, str]]] = {
        "alias": set(),
        "weakAlias": set(),
        "previousName": set(),
    }
    for record in root.iter("INDIVIDUAL", "ENTITY"):
        dataid = f"unsc-{record.findtext('DATAID')}"
        for alias in record.iter("INDIVIDUAL_ALIAS", "ENTITY_ALIAS"):
            name = squash(alias.findtext("ALIAS_NAME"))
            quality = (alias.findtext("QUALITY") or "").lower()
            prop = {"low": "weakAlias", "f.k.a.": "previousName"}.get(quality, "alias")
            if name:
                expected[prop].add((dataid, name))
        if original := squash(record.findtext("NAME_ORIGINAL_SCRIPT")):
            expected["alias"].add((dataid, original))
    got: dict[str, set[tuple[str, str]]] = {k: set() for k in expected}
    with Workspace(un_real) as ws:
        for eid, raw in ws.con.execute(
            "SELECT id, properties FROM entities WHERE schema <> 'Sanction'"
        ).fetchall():
            data = json.loads(raw)
            for prop in got:
                got[prop].update((eid, v) for v in data.get(prop, []))
    assert got == expected
    assert (len(got["weakAlias"]), len(got["previousName"])) == (595, 15)


def test_real_known_record(un_real: Path) -> None:
    with Workspace(un_real) as ws:
        ri = props(ws, "unsc-6908555")
        sanction = props(ws, "unsc-6908555-sanction")
    assert ri["name"] == ["RI WON HO"]
    assert (ri["passportNumber"], ri["birthDate"], ri["nationality"]) == (
        ["381310014"],
        ["1964-07-17"],
        ["kp"],
    )
    assert ri["position"] == ["DPRK Ministry of State Security Official"]
    assert (sanction["unscId"], sanction["listingDate"], sanction["program"]) == (
        ["KPi.033"],
        ["2016-11-30"],
        ["DPRK"],
    )


@pytest.mark.parametrize(
    ("source", "fmt", "keep"),
    [(UN_FILE, "un-sc", 800_000), (OFAC_XML, "ofac", 500_000)],
    ids=["un-sc", "ofac"],
)
def test_real_list_cut_off_midway_is_refused(
    workspace: Workspace, tmp_path: Path, source: Path, fmt: str, keep: int
) -> None:
    if not source.exists():
        pytest.skip("../shared/data is not available")
    cut = tmp_path / source.name
    cut.write_bytes(source.read_bytes()[:keep])
    with pytest.raises(InputError) as err:
        ingest_files(workspace, fmt, [cut])
    message = str(err.value)
    assert message.startswith(f"{cut}: the XML is cut off or malformed at line ")
    assert "nothing was loaded" in message
    assert_empty(workspace)


def test_real_ofac_consolidated_xml(workspace: Workspace, tmp_path: Path) -> None:
    if not OFAC_XML.exists():
        pytest.skip("../shared/data is not available")
    [result] = ingest_files(workspace, "ofac", [OFAC_XML])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (639, 639, 0)
    schemas = dict(
        workspace.con.execute(
            "SELECT schema, count(*) FROM entities WHERE dataset = 'us_ofac_cons' GROUP BY 1"
        ).fetchall()
    )
    assert (schemas["Person"], schemas["Vessel"], schemas["Sanction"]) == (94, 74, 639)
    assert schemas["Company"] + schemas["Organization"] == 471
    shona = workspace.con.execute(
        "SELECT properties FROM entities WHERE caption = 'SHONA'"
    ).fetchone()
    assert shona is not None
    data = json.loads(shona[0])
    assert (data["imoNumber"], data["flag"], data["pastFlags"], data["mmsi"]) == (
        ["IMO9187629"],
        ["tz"],
        ["mt", "tv"],
        ["572469210"],
    )
    bim = workspace.con.execute(
        "SELECT properties->>'$.weakAlias' FROM entities "
        "WHERE caption = 'BANK OF INDUSTRY AND MINE (OF IRAN)'"
    ).fetchone()
    assert bim == ('["BIM"]',)


def test_un_file_given_to_ofac_names_the_expected_root(workspace: Workspace) -> None:
    if not UN_FILE.exists():
        pytest.skip("../shared/data is not available")
    with pytest.raises(InputError, match=r"expected <sdnList>.*greymap ingest un-sc"):
        ingest_files(workspace, "ofac", [UN_FILE])
    assert_empty(workspace)
