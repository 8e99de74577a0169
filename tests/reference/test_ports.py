"""Ports by UN/LOCODE from the two bundled lists."""

from __future__ import annotations

import pytest

from greymap.reference.countries import iso3_codes
from greymap.reference.ports import Port, base_ports, normalise_locode, ports


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("US BAL", "USBAL"),  # World Port Index style
        ("USBAL", "USBAL"),
        ("us-bal", "USBAL"),
        (" usbal ", "USBAL"),
        ("US/BAL", "USBAL"),
        ("CNSH2", "CNSH2"),  # digits are allowed after the country
        ("US BALT", None),
        ("12BAL", None),
        ("USBA", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_locode(raw: str | None, expected: str | None) -> None:
    assert normalise_locode(raw) == expected


def test_both_lists_are_merged() -> None:
    found = ports()
    assert len(found) == 3965
    assert set(found) == set(base_ports())
    assert {p.country for p in found.values()} - {None} <= iso3_codes()
    assert all(code == port.locode for code, port in found.items())


def test_sea_ports_list_wins_for_coordinates() -> None:
    # World Port Index has Baltimore at 39.2667, -76.5833; sea-ports at 39.28, -76.62.
    baltimore = ports()["USBAL"]
    assert (baltimore.name, baltimore.country) == ("Baltimore", "USA")
    assert (baltimore.latitude, baltimore.longitude) == (39.28, -76.62)


def test_world_port_index_adds_ports() -> None:
    lawi = ports()["IDLLA"]
    assert lawi == Port("IDLLA", "Lawi Lawi Oil Terminal", "IDN", -1.45, 116.766667)


def test_port_keeps_its_five_field_constructor() -> None:
    port = Port("XXABC", "Nowhere", None, None, None)
    assert port.free_trade_zone is None
