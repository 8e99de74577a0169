"""Shipments reader: good rows load normalised, bad rows are quarantined with reasons."""

from __future__ import annotations

from pathlib import Path

from greymap import Workspace, ingest_files

HEADER = (
    "shipment_id,arrival_date,shipper_name,shipper_address,shipper_country,consignee_name,"
    "consignee_address,consignee_country,notify_party_name,origin_country,port_of_lading,"
    "transshipment_ports,port_of_unlading,destination_country,hs_code,goods_description,"
    "declared_value_usd,weight_kg,quantity,quantity_unit,vessel_imo,carrier"
)


def test_small_file_normalises_and_quarantines(workspace: Workspace, fixtures: Path) -> None:
    [result] = ingest_files(workspace, "shipments", [fixtures / "shipments" / "small.csv"])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 2, 2)
    rows = workspace.con.execute(
        "SELECT shipment_id, shipper_country, consignee_country, origin_country, "
        "transshipment_ports, hs_code, source_row FROM shipments ORDER BY shipment_id"
    ).fetchall()
    assert rows[0] == ("S1", "ARE", "NLD", "CHN", ["AEJEA", "SGSIN"], "160414", 1)
    # A spreadsheet dropped the leading zero of 030231; "Viet Nam" is Vietnam.
    assert rows[1] == ("S4", "VNM", "NLD", "VNM", [], "030231", 4)
    reasons = dict(workspace.con.execute("SELECT source_row, reason FROM quarantine").fetchall())
    assert "bad shipper_country 'Atlantis'" in reasons[2]
    assert "bad transshipment_ports XXXXX" in reasons[3]
    assert "bad declared_value_usd '-5'" in reasons[3]
    assert "bad hs_code '999998'" in reasons[3]


def test_mapping_renames_vendor_columns(workspace: Workspace, tmp_path: Path) -> None:
    data = tmp_path / "vendor.csv"
    data.write_text(
        "BL Number,Shipper,Shipper Country,Consignee,Consignee Country,HS,Value\n"
        "BL-1,Acme,Germany,Globex,France,8703,100\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "vendor.yaml"
    mapping.write_text(
        "columns:\n  shipment_id: BL Number\n  shipper_name: Shipper\n"
        "  consignee_name: Consignee\n  hs_code: HS\n  declared_value_usd: Value\n"
        "constants:\n  carrier: Unknown line\n",
        encoding="utf-8",
    )
    from greymap.sources import ColumnMapping

    [result] = ingest_files(workspace, "shipments", [data], mapping=ColumnMapping.load(mapping))
    assert result.rows_loaded == 1
    row = workspace.con.execute(
        "SELECT shipment_id, shipper_name, shipper_country, consignee_country, hs_code, "
        "declared_value_usd, carrier FROM shipments"
    ).fetchone()
    assert row == ("BL-1", "Acme", "DEU", "FRA", "8703", 100.0, "Unknown line")


def test_imo_check_digit(workspace: Workspace, tmp_path: Path) -> None:
    from greymap.sources.shipments import valid_imo

    assert valid_imo("IMO 9074729") == "9074729"
    assert valid_imo("9074728") is None
    assert valid_imo("123") is None
