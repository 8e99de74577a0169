"""Bill-of-lading style shipment records (CSV), as customs and trade-data vendors sell them.

Columns (canonical names; a ``--mapping`` file maps a vendor's own names onto them):
shipment_id, arrival_date, shipper_name, shipper_address, shipper_country,
consignee_name, consignee_address, consignee_country, notify_party_name, origin_country,
port_of_lading, transshipment_ports (";"-separated UN/LOCODEs), port_of_unlading,
destination_country, hs_code, goods_description, declared_value_usd, weight_kg,
quantity, quantity_unit, vessel_imo, carrier.
"""

from __future__ import annotations

from pathlib import Path

from greymap.reference.countries import to_iso3
from greymap.reference.hs import hs_exists, normalise_hs
from greymap.reference.ports import normalise_locode, ports
from greymap.sources import checks as c
from greymap.sources.base import Reader
from greymap.sources.context import IngestContext
from greymap.sources.tabular import ColumnSpec, stage_csv

COUNTRY_COLUMNS = ("shipper_country", "consignee_country", "origin_country", "destination_country")
PORT_COLUMNS = ("port_of_lading", "port_of_unlading")

SPEC = ColumnSpec(
    required=("shipment_id",),
    optional=(
        "arrival_date",
        "shipper_name",
        "shipper_address",
        "shipper_country",
        "consignee_name",
        "consignee_address",
        "consignee_country",
        "notify_party_name",
        "origin_country",
        "port_of_lading",
        "transshipment_ports",
        "port_of_unlading",
        "destination_country",
        "hs_code",
        "goods_description",
        "declared_value_usd",
        "weight_kg",
        "quantity",
        "quantity_unit",
        "vessel_imo",
        "carrier",
    ),
    aliases={
        "shipment_id": ("bill_of_lading", "bol_number", "bl_number"),
        "declared_value_usd": ("value_usd", "declared_value"),
        "weight_kg": ("gross_weight_kg", "weight"),
        "transshipment_ports": ("transhipment_ports",),
    },
)

OUTPUT = (
    "shipment_id",
    "arrival_date",
    "shipper_name",
    "shipper_address",
    "shipper_country",
    "consignee_name",
    "consignee_address",
    "consignee_country",
    "notify_party_name",
    "origin_country",
    "port_of_lading",
    "transshipment_ports",
    "port_of_unlading",
    "destination_country",
    "hs_code",
    "goods_description",
    "declared_value_usd",
    "weight_kg",
    "quantity",
    "quantity_unit",
    "vessel_imo",
    "carrier",
)


def valid_imo(raw: str) -> str | None:
    """IMO ship numbers carry a check digit: 7 digits, weights 7..2 on the first six."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) != 7:
        return None
    check = sum(int(d) * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True)) % 10
    return digits if check == int(digits[6]) else None


def _locode(raw: str) -> str | None:
    code = normalise_locode(raw)
    return code if code is not None and code in ports() else None


def _hs(raw: str) -> str | None:
    code = normalise_hs(raw)
    return code if hs_exists(code) else None


class ShipmentsReader(Reader):
    NAME = "shipments"
    TABLES = ("shipments",)
    DESCRIPTION = "bill-of-lading shipment records (CSV)"

    def read(self, ctx: IngestContext, paths: list[Path]) -> None:
        for path in paths:
            self._read_one(ctx, path)

    def _read_one(self, ctx: IngestContext, path: Path) -> None:
        staged = stage_csv(ctx, path, SPEC)
        v = staged.view
        iso3 = ctx.lookup(v, COUNTRY_COLUMNS, to_iso3)
        port = ctx.lookup(v, PORT_COLUMNS, _locode)
        hs = ctx.lookup(v, ("hs_code",), _hs)
        imo = ctx.lookup(v, ("vessel_imo",), valid_imo)
        tports = ctx.temp_name("tports")
        # Transshipment ports: split, normalise each, and keep the bad ones for the reason.
        ctx.con.execute(
            f"""CREATE TEMP TABLE {tports} AS
            SELECT _row,
                   list(coalesce(p.locode, t.code) ORDER BY t.pos) FILTER (WHERE t.code <> '') AS ports,
                   list(t.code) FILTER (WHERE t.code <> '' AND p.locode IS NULL) AS bad
            FROM (SELECT _row, upper(regexp_replace(trim(u.code), '[^A-Za-z0-9]', '', 'g')) AS code, u.pos
                  FROM (SELECT _row, unnest(string_split(transshipment_ports, ';')) AS code,
                               generate_subscripts(string_split(transshipment_ports, ';'), 1) AS pos
                        FROM {v} WHERE transshipment_ports IS NOT NULL) u) t
            LEFT JOIN ref_port p ON p.locode = t.code
            GROUP BY _row"""
        )
        checks = [
            ("shipment_id IS NULL", c.text("missing shipment_id")),
            *[
                (
                    f"{col} IS NOT NULL AND {iso3}({col}) IS NULL",
                    c.bad_value(f"bad {col}", col, "a country name or ISO code"),
                )
                for col in COUNTRY_COLUMNS
            ],
            *[
                (
                    f"{col} IS NOT NULL AND {port}({col}) IS NULL",
                    c.bad_value(f"bad {col}", col, "a UN/LOCODE such as NLRTM"),
                )
                for col in PORT_COLUMNS
            ],
            (
                "len(tp.bad) > 0",
                "'bad transshipment_ports ' || array_to_string(tp.bad, ';') || '; expected UN/LOCODEs'",
            ),
            (
                f"hs_code IS NOT NULL AND {hs}(hs_code) IS NULL",
                c.bad_value("bad hs_code", "hs_code", "an HS code in the nomenclature"),
            ),
            (
                f"vessel_imo IS NOT NULL AND {imo}(vessel_imo) IS NULL",
                c.bad_value(
                    "bad vessel_imo", "vessel_imo", "a 7-digit IMO number with a valid check digit"
                ),
            ),
            (
                f"arrival_date IS NOT NULL AND {c.date('arrival_date')} IS NULL",
                c.bad_value("bad arrival_date", "arrival_date", "an ISO 8601 date"),
            ),
            *[
                (
                    f"{c.not_a_number(col)} OR {c.negative(col)}",
                    c.bad_value(f"bad {col}", col, "a non-negative number"),
                )
                for col in ("declared_value_usd", "weight_kg", "quantity")
            ],
        ]
        query = f"""
            SELECT v._row, {c.reasons(*checks)} AS _reason,
                   shipment_id, {c.date("arrival_date")} AS arrival_date,
                   shipper_name, shipper_address, {iso3}(shipper_country) AS shipper_country,
                   consignee_name, consignee_address, {iso3}(consignee_country) AS consignee_country,
                   notify_party_name, {iso3}(origin_country) AS origin_country,
                   {port}(port_of_lading) AS port_of_lading,
                   coalesce(tp.ports, []::VARCHAR[]) AS transshipment_ports,
                   {port}(port_of_unlading) AS port_of_unlading,
                   {iso3}(destination_country) AS destination_country,
                   {hs}(hs_code) AS hs_code, goods_description,
                   {c.number("declared_value_usd")} AS declared_value_usd,
                   {c.number("weight_kg")} AS weight_kg, {c.number("quantity")} AS quantity,
                   quantity_unit, {imo}(vessel_imo) AS vessel_imo, carrier
            FROM {v} v LEFT JOIN {tports} tp ON tp._row = v._row
        """
        ctx.load_checked(path, "shipments", query, OUTPUT, staged.raw_query)
