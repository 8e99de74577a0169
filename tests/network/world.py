"""A hand-made workspace whose every shipment weight is worked out by hand in the tests."""

from __future__ import annotations

import json

from greymap import Workspace

# shipment_id, date, shipper, shipper country, consignee, consignee country, origin,
# lading, transshipment ports, unlading, destination, hs_code, value, weight, vessel IMO
SHIPMENTS = [
    (
        "S1",
        "2020-01-10",
        "Alpha Foods Ltd",
        "LKA",
        "Beta GmbH",
        "DEU",
        "LKA",
        "LKCMB",
        [],
        "DEHAM",
        "DEU",
        "090111",
        1000.0,
        10.0,
        None,
    ),
    (
        "S2",
        "2020-02-10",
        "Gamma SA",
        "ESP",
        "Delta Ltd",
        "GBR",
        "ESP",
        "ESALG",
        ["GRPIR"],
        "GBFXT",
        "GBR",
        "220830",
        2000.0,
        20.0,
        None,
    ),
    (
        "S3",
        "2020-03-10",
        "ACME TRADING LLC",
        "OMN",
        "Epsilon BV",
        "NLD",
        "OMN",
        "OMSLL",
        ["AEJEA"],
        "NLRTM",
        "NLD",
        "240220",
        3000.0,
        30.0,
        None,
    ),
    (
        "S4",
        "2020-04-10",
        "Acme Trading L.L.C.",
        "OMN",
        "Zeta Srl",
        "ITA",
        "OMN",
        "OMSLL",
        ["AEJEA"],
        "ITGOA",
        "ITA",
        "240220",
        4000.0,
        40.0,
        "9074729",
    ),
    (
        "S5",
        "2020-05-10",
        "Eta Oy",
        "FIN",
        "Theta AB",
        "SWE",
        "FIN",
        "FIHEL",
        [],
        "SESTO",
        "SWE",
        "847130",
        5000.0,
        50.0,
        None,
    ),
    (
        "S6",
        "2020-06-01",
        "Iota Ltd",
        "KEN",
        "Gulf Star FZE",
        "ARE",
        "KEN",
        "KEMBA",
        [],
        "AEJEA",
        "ARE",
        "050710",
        6000.0,
        60.5,
        None,
    ),
    (
        "S7",
        "2020-06-11",
        "GULF STAR F.Z.E.",
        "ARE",
        "Kappa Co",
        "CHN",
        "ARE",
        "AEJEA",
        [],
        "CNSHA",
        "CHN",
        "050710",
        6000.0,
        60.5,
        None,
    ),
]


def load(ws: Workspace, *, evidence: bool = True) -> None:
    ws.con.executemany(
        "INSERT INTO shipments (shipment_id, arrival_date, shipper_name, shipper_country, "
        "consignee_name, consignee_country, origin_country, port_of_lading, transshipment_ports, "
        "port_of_unlading, destination_country, hs_code, declared_value_usd, weight_kg, "
        "vessel_imo, ingest_id, source_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
        [(*row, i) for i, row in enumerate(SHIPMENTS, start=1)],
    )
    ws.con.execute(
        "INSERT INTO incidents (incident_id, date, country, sector, shipment_id, shipper_name, "
        "origin_country, transit_countries, destination_country, ingest_id, source_row) VALUES "
        "('INC-1', '2020-03-20', 'NLD', 'tobacco', 'S3', 'ACME TRADING LLC', 'OMN', ['ARE'], "
        "'NLD', 2, 1)"
    )
    vessel = {"name": ["SEA WOLF"], "imoNumber": ["IMO9074729"], "topics": ["sanction"]}
    ws.con.execute(
        "INSERT INTO entities (id, schema, caption, dataset, properties, ingest_id, source_row) "
        "VALUES ('v1', 'Vessel', 'SEA WOLF', 'test', ?, 3, 1)",
        [json.dumps(vessel)],
    )
    if not evidence:
        return
    ws.con.execute(
        "CREATE TABLE price_anomalies AS SELECT 'shipment' AS source, 'S1' AS shipment_id, "
        "-6.0 AS robust_z, 'under-invoiced' AS direction"
    )
    ws.con.execute(
        "CREATE TABLE route_anomalies AS SELECT 'S2' AS shipment_id, 'detour via GRPIR' AS reasons, "
        "1.5 AS detour_score, 0.0 AS laundering_score, 0.0 AS corridor_score"
    )
    ws.con.execute(
        "CREATE TABLE mirror_gaps AS SELECT 'LKA' AS exporter, 'DEU' AS importer, "
        "'090111' AS hs_code, 2020 AS year, 16.5 AS score"
    )
