"""Free trade zones: countries in ISO3 and the ports in or next to each zone."""

from __future__ import annotations

from collections import Counter

import duckdb
import pytest

from greymap.reference.countries import iso3_codes
from greymap.reference.free_trade_zones import (
    FreeTradeZone,
    _names,
    _port_alternates,
    free_trade_zones,
    zones_for_port,
)
from greymap.reference.ports import ports
from greymap.reference.register import register


def _zone(name: str) -> FreeTradeZone:
    (found,) = [z for z in free_trade_zones() if z.name == name]
    return found


def test_zone_counts() -> None:
    zones = free_trade_zones()
    sources = Counter("wikipedia" if "wikipedia" in z.source else "curated" for z in zones)
    assert sources == {"wikipedia": 237, "curated": 21}
    assert sum(1 for z in zones if z.locode) == 122


def test_countries_are_iso3() -> None:
    assert {z.iso3 for z in free_trade_zones()} <= iso3_codes()
    assert _zone("Rason Special Economic Zone").iso3 == "PRK"
    assert _zone("Benjamin William Mkapa Special Economic Zone").iso3 == "TZA"
    assert _zone("Kish Island (Hormozgan)").iso3 == "IRN"


@pytest.mark.parametrize(
    ("locode", "zone"),
    [
        ("AEJEA", "Jebel Ali Free Zone (Dubai)"),
        ("PAONX", "Colon Free Trade Zone"),
        ("PACFZ", "Colon Free Trade Zone"),  # UN/LOCODE has the zone itself
        ("MYPKG", "Port Klang Free Zone (Selangor)"),
        ("MYWSP", "Port Klang Free Zone (Selangor)"),  # "Westport/Port Klang"
        ("IDBTM", "Batam Free Trade Zone"),
        ("INMAA", "Madras Export Processing Zone"),  # "Chennai (ex Madras)"
        ("AEAUH", "Khalifa Port Free Trade Zone (Abu Dhabi)"),  # the city in brackets
        ("MATNG", "Tanger Free Zone"),  # pinned: UN/LOCODE spells it Tangier
        ("MAPTM", "Free Zones at Tanger Med Ksar el Majaz Mellousa 1 and 2"),
        ("UYCYR", "Zona Franca de Colonia"),  # not "Zona Franca Colonia Suiza"
        ("HKHKG", "Hong Kong free port"),  # curated
        ("LVRIX", "Freeport of Riga"),
        ("USLAX", "Foreign-Trade Zone No. 202 (Los Angeles)"),
        ("DEHAM", None),  # Hamburg's free port closed in 2013
        ("NLRTM", None),
    ],
)
def test_ports_are_marked(locode: str, zone: str | None) -> None:
    assert ports()[locode].free_trade_zone == zone


def test_count_of_marked_ports() -> None:
    marked = [p for p in ports().values() if p.free_trade_zone]
    assert len(marked) == 130


def test_no_port_is_marked_across_a_border() -> None:
    by_name = {z.name: z for z in free_trade_zones()}
    for port in ports().values():
        if port.free_trade_zone:
            assert by_name[port.free_trade_zone].iso3 == port.country, port
    for zone in free_trade_zones():
        assert {ports()[code].country for code in zone.port_locodes} <= {zone.iso3}, zone


def test_zone_record_has_its_port_and_coordinates() -> None:
    colon = _zone("Colon Free Trade Zone")
    assert (colon.locode, colon.port_locodes) == ("PACFZ", ("PACFZ", "PAONX"))
    jebel_ali = _zone("Jebel Ali Free Zone (Dubai)")
    assert jebel_ali.port_locodes == ("AEJEA", "AEDXB")  # Dubai through the qualifier
    assert (jebel_ali.latitude, jebel_ali.longitude) == (24.9857145, 55.0272904)
    record = jebel_ali.as_record()
    assert record["zone"] == "Jebel Ali Free Zone (Dubai)" and record["iso3"] == "ARE"


def test_zone_without_a_port_of_its_name() -> None:
    for name in ("Hulu Klang Free Trade Zone", "Zona Franca Colonia Suiza", "Shannon Free Zone"):
        zone = _zone(name)
        assert (zone.locode, zone.port_locodes, zone.latitude) == (None, (), None)


def test_a_pin_decides_a_zones_port_not_a_ports_zone() -> None:
    assert _zone("Karnaphuli Export Processing Zone").locode == "BDCGP"
    assert ports()["BDCGP"].free_trade_zone == "Chittagong Export Processing Zone"
    assert [z.name for z in zones_for_port("BD CGP")] == [
        "Chittagong Export Processing Zone",
        "Karnaphuli Export Processing Zone",
    ]
    assert zones_for_port("nonsense") == []


def _words(text: str) -> list[str]:
    return text.split()


def test_name_matching_rules() -> None:
    assert not _names(_words("hulu klang free trade zone"), ["klang"])  # Hulu is another place
    assert _names(_words("port klang free zone"), ["klang"])
    assert _names(
        _words("zona franca de las palmas de gran canaria"), _words("las palmas gran canaria")
    )
    assert list(_port_alternates("Port Klang (Pelabuhan Klang)")) == [
        "Port Klang",
        "Pelabuhan Klang",
    ]
    assert list(_port_alternates("Bitung, Sulawesi")) == ["Bitung"]
    assert list(_port_alternates("Keppel - (East Singapore)")) == ["Keppel", "East Singapore"]


def test_sql_tables() -> None:
    con = duckdb.connect()
    register(con)
    marked = con.execute("SELECT count(free_trade_zone) FROM ref_port").fetchone()
    assert marked == (130,)
    row = con.execute(
        "SELECT iso3, locode FROM ref_free_trade_zone WHERE zone = 'Colon Free Trade Zone'"
    ).fetchone()
    assert row == ("PAN", "PACFZ")
    assert con.execute("SELECT count(*) FROM ref_free_trade_zone").fetchone() == (258,)
