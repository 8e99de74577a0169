"""The 13 sectors: HS codes, overlaps, SDG links, the SQL table and ``greymap sectors``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from greymap.errors import InputError
from greymap.reference import SECTOR_SLUGS, register_sector_hs
from greymap.reference.hs import nomenclature
from greymap.reference.sectors import (
    get_sector,
    load_sectors,
    sector_hs_pairs,
    sector_hs_prefixes,
    sectors,
    sectors_for_hs,
)
from tests.conftest import CliResult

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reference"


def test_the_thirteen_sectors() -> None:
    assert [s.slug for s in sectors()] == list(SECTOR_SLUGS)
    assert len(SECTOR_SLUGS) == 13
    assert get_sector("wildlife").name == "Wildlife"


def test_every_hs_code_exists_in_the_nomenclature_at_its_level() -> None:
    table = nomenclature()
    for sector in sectors():
        assert sector.hs, sector.slug
        for link in sector.hs:
            assert link.code in table and table[link.code][0] == len(link.code), link
            assert link.note, link


def test_every_sector_cites_sources_and_links_to_sdgs() -> None:
    for sector in sectors():
        assert sector.sources and all(r.url.startswith("http") for r in sector.sources)
        assert all(";" not in r.citation for r in sector.sources)  # ';' joins lists
        assert 16 in sector.sdg_goals, sector.slug  # illicit flows: target 16.4
        assert all(1 <= goal <= 17 for goal in sector.sdg_goals)


@pytest.mark.parametrize(
    ("slug", "goal", "target"),
    [
        ("wildlife", 15, "15.7"),
        ("fisheries", 14, "14.4"),
        ("fisheries", 14, "14.6"),
        ("forced-labour", 8, "8.7"),
        ("tobacco", 3, "3.a"),
        ("forestry", 15, "15.2"),
        ("pesticides", 12, "12.4"),
        ("cultural-property", 11, "11.4"),
    ],
)
def test_sdg_targets(slug: str, goal: int, target: str) -> None:
    links = {link.goal: link for link in get_sector(slug).sdgs}
    assert target in links[goal].targets
    assert links[goal].sources


@pytest.mark.parametrize(
    "text",
    [
        "counterfeiting-and-piracy",
        "Counterfeiting and piracy",
        "counterfeiting_and_piracy",
        "  COUNTERFEITING AND PIRACY ",
        "Counterfeiting & Piracy",
        "counterfeits",
    ],
)
def test_get_sector_is_forgiving(text: str) -> None:
    assert get_sector(text).slug == "counterfeiting-and-piracy"


def test_get_sector_aliases() -> None:
    assert get_sector("Forced labor").slug == "forced-labour"
    assert get_sector("precious metals & gemstones").slug == "precious-metals-and-gemstones"
    assert get_sector("IUU fishing").slug == "fisheries"


def test_unknown_sector_lists_the_valid_slugs() -> None:
    with pytest.raises(InputError) as caught:
        get_sector("narcotics")
    message = str(caught.value)
    assert "unknown sector 'narcotics'" in message
    assert all(slug in message for slug in SECTOR_SLUGS)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("030617", ["fisheries", "forced-labour"]),  # shrimp
        ("0306.17", ["fisheries", "forced-labour"]),
        ("30617", ["fisheries", "forced-labour"]),  # lost its leading zero
        ("030292", ["fisheries", "forced-labour", "wildlife"]),  # shark fins
        ("03", ["fisheries", "forced-labour"]),
        ("220421", ["agri-food", "alcohol"]),  # wine
        ("300490", ["counterfeiting-and-piracy", "pharmaceuticals"]),
        ("710812", ["forced-labour", "precious-metals-and-gemstones"]),  # gold
        ("24022010", ["tobacco"]),  # a national line
        ("280461", ["forced-labour"]),  # polysilicon
        ("28", []),  # only part of chapter 28 is in a sector
        ("940360", ["forestry"]),
        ("940370", []),  # plastic furniture
        ("999999", []),
        ("TOTAL", []),
        ("abc", []),
        (None, []),
    ],
)
def test_sectors_for_hs(code: str | None, expected: list[str]) -> None:
    assert sectors_for_hs(code) == expected


def test_prefixes_do_not_overlap_within_a_sector() -> None:
    assert sector_hs_prefixes("tobacco") == ["24", "854340"]
    assert sector_hs_prefixes("Cultural property") == ["97"]
    for sector in sectors():
        prefixes = sector.hs_prefixes
        for code in prefixes:
            assert not any(o != code and code.startswith(o) for o in prefixes)
        assert all(any(c.startswith(p) for p in prefixes) for c in sector.hs_codes)


def test_ref_sector_hs_joins_each_flow_once_per_sector() -> None:
    con = duckdb.connect()
    register_sector_hs(con)
    register_sector_hs(con)  # idempotent
    assert con.execute("SELECT count(*) FROM ref_sector_hs").fetchone() == (len(sector_hs_pairs()),)
    con.execute(
        "CREATE TABLE flows AS SELECT * FROM (VALUES ('030617', 10.0), ('240220', 5.0), "
        "('220421', 2.0), ('847130', 99.0)) t(hs_code, value_usd)"
    )
    rows = con.execute(
        "SELECT s.sector, sum(f.value_usd) FROM flows f "
        "JOIN ref_sector_hs s ON starts_with(f.hs_code, s.hs_prefix) "
        "GROUP BY s.sector ORDER BY s.sector"
    ).fetchall()
    assert rows == [
        ("agri-food", 2.0),
        ("alcohol", 2.0),
        ("fisheries", 10.0),
        ("forced-labour", 10.0),
        ("tobacco", 5.0),
    ]


def test_load_reports_every_problem_at_once() -> None:
    with pytest.raises(InputError) as caught:
        load_sectors(FIXTURES / "sectors_bad.yaml", FIXTURES / "sector_sdg_bad.csv")
    message = str(caught.value)
    assert message.startswith(str(FIXTURES / "sectors_bad.yaml"))
    for expected in (
        "reference 'no-url' needs a citation",
        "sector_sdg_bad.csv row 2: goal '18' is not 1-17",
        "sector_sdg_bad.csv row 3: target '15.7' is not of goal 14",
        "HS code 3 must be a quoted string",
        "HS code '0100' is not a chapter, heading or subheading",
        "HS code 0302 listed twice",
        "unknown source 'missing-ref'",
        "sector Bad Slug: needs a kebab-case slug",
        "sector Bad Slug: lists no HS codes",
        "sector Bad Slug: cites no sources",
        "sector 'ghost' is not defined",
    ):
        assert expected in message


def test_load_a_small_sector_file() -> None:
    fish, shrimp = load_sectors(FIXTURES / "sectors_small.yaml", FIXTURES / "sector_sdg_small.csv")
    assert (fish.slug, fish.aliases, fish.description) == ("fish", ("seafood",), "Fish and shrimp.")
    assert fish.hs_codes == ("03", "0306") and fish.hs_prefixes == ("03",)
    assert fish.sdg_goals == (14, 16)  # sorted by goal
    assert fish.sdgs[0].targets == ("14.4", "14.6")
    assert shrimp.hs[0].approximate and shrimp.hs[0].level == 6
    assert shrimp.hs[0].description is not None and "shrimps" in shrimp.hs[0].description


def test_unreadable_sector_file(tmp_path: Path) -> None:
    bad = tmp_path / "sectors.yaml"
    bad.write_text("sectors: [unclosed", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read the sector file"):
        load_sectors(bad, FIXTURES / "sector_sdg_small.csv")
    bad.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected a mapping"):
        load_sectors(bad, FIXTURES / "sector_sdg_small.csv")


CONTRACT_KEYS = ("sector", "name", "hs_codes", "sdgs", "description", "sources")


def test_cli_json(cli: Callable[..., CliResult]) -> None:
    result = cli("sectors", "--format", "json")
    assert result.code == 0, result.stderr
    records = result.json()
    assert [r["sector"] for r in records] == list(SECTOR_SLUGS)
    for record in records:
        assert set(CONTRACT_KEYS) <= set(record)
        assert all(isinstance(v, str | int | float | type(None)) for v in record.values())
    tobacco = records[SECTOR_SLUGS.index("tobacco")]
    assert tobacco["hs_codes"] == "24;2401;2402;2403;2404;854340"
    assert tobacco["sdgs"] == "3;8;16;17"


def test_cli_csv_and_table(cli: Callable[..., CliResult]) -> None:
    result = cli("sectors", "--format", "csv")
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("sector,name,hs_codes,sdgs")
    assert len(lines) == 14
    table = cli("sectors")
    assert table.code == 0 and "precious-metals-and-gemstones" in table.stdout


def test_cli_views_and_filters(cli: Callable[..., CliResult]) -> None:
    sdg = cli("sectors", "--view", "sdg", "--sector", "Wildlife", "--format", "json").json()
    assert [r["sdg"] for r in sdg] == [3, 8, 14, 15, 16]
    hs = cli("sectors", "--view", "hs", "--hs", "0306.17", "--format", "json").json()
    assert {r["sector"] for r in hs} == {"fisheries", "forced-labour"}
    only = cli("sectors", "--hs", "220421", "--format", "json").json()
    assert [r["sector"] for r in only] == ["agri-food", "alcohol"]
    zones = cli("sectors", "--view", "zones", "--format", "json").json()
    assert len(zones) == 258
    assert {"zone": "Jebel Ali Free Zone (Dubai)", "locode": "AEJEA"}.items() <= zones[
        [z["zone"] for z in zones].index("Jebel Ali Free Zone (Dubai)")
    ].items()


def test_cli_errors_exit_2(cli: Callable[..., CliResult]) -> None:
    result = cli("sectors", "--sector", "narcotics")
    assert result.code == 2 and "unknown sector 'narcotics'" in result.stderr
    assert result.stdout == ""
    assert cli("sectors", "--view", "everything").code == 2
