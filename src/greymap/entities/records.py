"""Party records: every mention of a firm, person or vessel, from every table, in one shape.

A *record* is one mention: the shipper of one bill of lading, the consignee named in one
seizure record, one FollowTheMoney entity of one dataset. Records are what entity
resolution groups; each keeps where it came from (``source``, ``source_key``) so a
resolved entity can always show the records it merged.

| source | record_id | source_key | what |
| --- | --- | --- | --- |
| shipment | ``shipment:{shipment_id}:{role}`` | ``{shipment_id}:{role}`` | role shipper, consignee or notify |
| entity | ``entity:{dataset}:{id}`` | ``{dataset}:{id}`` | Company, Organization, LegalEntity, PublicBody, Person, Vessel, Airplane |
| incident | ``incident:{incident_id}:{role}`` | ``{incident_id}:{role}`` | role shipper or consignee |

Records are gathered in SQL (no Python per row); :func:`collect_records` writes them to the
temporary table ``party_records``.
"""

from __future__ import annotations

from greymap.workspace import Workspace

#: FollowTheMoney schemata that name a party, and the kind of party each is.
SCHEMA_KINDS: dict[str, str] = {
    "Company": "org",
    "Organization": "org",
    "LegalEntity": "org",
    "PublicBody": "org",
    "Person": "person",
    "Vessel": "vessel",
    "Airplane": "aircraft",
}

#: FollowTheMoney properties holding identifiers worth an exact comparison. Callsigns and
#: KPP codes are left out: many entities share them.
IDENTIFIER_PROPS = (
    "registrationNumber",
    "idNumber",
    "passportNumber",
    "imoNumber",
    "mmsi",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "swiftBic",
    "vatCode",
    "dunsCode",
    "permId",
    "socialSecurityNumber",
    "uniqueEntityId",
)

RECORD_COLUMNS = (
    "record_id",
    "source",
    "source_key",
    "role",
    "kind",
    "name",
    "aliases",
    "address",
    "countries",
    "identifiers",
    "birth_date",
    "dataset",
    "entity_id",
    "sanctioned",
)


def _props(prop: str) -> str:
    return f"coalesce(json_extract_string(properties, '$.{prop}[*]'), [])"


def _shipment_sql() -> str:
    parts = []
    for role, name, address, country in (
        ("shipper", "shipper_name", "shipper_address", "shipper_country"),
        ("consignee", "consignee_name", "consignee_address", "consignee_country"),
        ("notify", "notify_party_name", "NULL", "NULL"),
    ):
        parts.append(
            f"""SELECT DISTINCT ON (shipment_id)
                'shipment:' || shipment_id || ':{role}' AS record_id, 'shipment' AS source,
                shipment_id || ':{role}' AS source_key, '{role}' AS role, 'org' AS kind,
                trim({name}) AS name, []::VARCHAR[] AS aliases,
                nullif(trim({address}), '') AS address,
                CASE WHEN {country} IS NULL THEN []::VARCHAR[] ELSE [{country}] END AS countries,
                []::VARCHAR[] AS identifiers, NULL::VARCHAR AS birth_date,
                NULL::VARCHAR AS dataset, NULL::VARCHAR AS entity_id, FALSE AS sanctioned
            FROM shipments WHERE nullif(trim({name}), '') IS NOT NULL
            ORDER BY shipment_id, ingest_id DESC, source_row"""
        )
    return " UNION ALL ".join(f"({p})" for p in parts)


def _incident_sql() -> str:
    parts = []
    for role in ("shipper", "consignee"):
        parts.append(
            f"""SELECT DISTINCT ON (incident_id)
                'incident:' || incident_id || ':{role}', 'incident',
                incident_id || ':{role}', '{role}', 'org', trim({role}_name), []::VARCHAR[],
                NULL, []::VARCHAR[], []::VARCHAR[], NULL, NULL, NULL, FALSE
            FROM incidents WHERE nullif(trim({role}_name), '') IS NOT NULL
            ORDER BY incident_id, ingest_id DESC, source_row"""
        )
    return " UNION ALL ".join(f"({p})" for p in parts)


def _entity_sql() -> str:
    kinds = " ".join(f"WHEN '{s}' THEN '{k}'" for s, k in SCHEMA_KINDS.items())
    schemata = ", ".join(f"'{s}'" for s in SCHEMA_KINDS)
    ids = " || ".join(_props(p) for p in IDENTIFIER_PROPS)
    return f"""
        SELECT 'entity:' || dataset || ':' || id, 'entity', dataset || ':' || id, schema,
            CASE schema {kinds} END,
            coalesce({_props("name")}[1], caption),
            list_distinct(list_filter(
                {_props("name")}[2:] || {_props("alias")} || {_props("previousName")},
                lambda x: x <> coalesce({_props("name")}[1], caption))),
            {_props("address")}[1],
            coalesce(countries, []::VARCHAR[]),
            list_distinct({ids}),
            {_props("birthDate")}[1],
            dataset, id,
            coalesce(target, FALSE) OR list_contains({_props("topics")}, 'sanction')
        FROM entities WHERE schema IN ({schemata})
          AND coalesce({_props("name")}[1], caption) IS NOT NULL"""


def records_sql(tables: set[str]) -> str:
    """One SELECT of every party record the workspace holds."""
    parts = []
    if "shipments" in tables:
        parts.append(_shipment_sql())
    if "entities" in tables:
        parts.append(_entity_sql())
    if "incidents" in tables:
        parts.append(_incident_sql())
    cols = ", ".join(RECORD_COLUMNS)
    return " UNION ALL ".join(f"SELECT * FROM ({p}) AS t({cols})" for p in parts)


def collect_records(workspace: Workspace, table: str = "party_records") -> int:
    """Gather every party record into the temporary table ``table``; returns its row count."""
    sql = records_sql(set(workspace.table_names()))
    con = workspace.con
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {sql}")
    return int(workspace.scalar(f"SELECT count(*) FROM {table}") or 0)
