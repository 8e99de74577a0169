"""The entity graph: who trades with, owns, directs, shares an address with whom.

Nodes are resolved entities (``resolved_entities.cluster_id``). Links, in the workspace
table ``entity_links(source, target, link, shipments, value_usd, suspicious_usd, weight)``:

| link | from -> to | from |
| --- | --- | --- |
| ``trade`` | shipper -> consignee | shipments, summed per pair |
| ``notify`` | shipper -> notify party, notify party -> consignee | shipments naming a third party to notify |
| ``ownership`` | owner -> asset | FtM ``Ownership`` (``weight`` = percentage) |
| ``directorship`` | director -> organisation | FtM ``Directorship`` |
| ``shared_address`` | firm -- firm | the same address fingerprint (both directions) |
| ``shared_officer`` | firm -- firm | the same director record (both directions) |

Every shipment carries a *suspicion* in [0, 1] (``entity_shipment_suspicion``) from the signals the
workspace has: route anomalies (``flows routes``), under-priced declarations (``flows
prices``) and seizures that name the shipment; ``suspicious_usd`` is its value times that.
Sanctioned entities (FtM ``sanction`` topic or a ``Sanction`` record) and entities named in
a seizure are the graph's *flagged* nodes (``entity_flags``).
"""

from __future__ import annotations

from dataclasses import dataclass

from greymap.workspace import Workspace

#: Route anomaly score giving a shipment full suspicion (scores are >= 0, most are 0).
ROUTE_FULL = 3.0
#: Under-pricing score at which suspicion starts, and the span to full suspicion.
PRICE_START, PRICE_SPAN = 1.0, 4.0
#: Firms sharing an address with more than this many others get no pairwise links
#: (the address still counts as a mass-registration address).
MAX_ADDRESS_LINKS = 60


@dataclass(frozen=True)
class GraphSummary:
    nodes: int
    links: int
    flagged: int


def _suspicion_sql(tables: set[str]) -> str:
    parts = ["SELECT shipment_id, 0.0 AS s, NULL AS why FROM shipments"]
    if "route_anomalies" in tables:
        parts.append(
            f"SELECT shipment_id, least(1.0, greatest(score, 0) / {ROUTE_FULL}), "
            "'route: ' || reasons FROM route_anomalies WHERE score > 0"
        )
    if "price_anomalies" in tables:
        parts.append(
            f"SELECT shipment_id, least(1.0, (score - {PRICE_START}) / {PRICE_SPAN}), "
            "'under-priced' FROM price_anomalies WHERE source = 'shipment' "
            f"AND direction = 'under-invoiced' AND score > {PRICE_START}"
        )
    if "incidents" in tables:
        parts.append(
            "SELECT shipment_id, 1.0, 'seized (' || string_agg(incident_id, ',') || ')' "
            "FROM incidents WHERE shipment_id IS NOT NULL GROUP BY shipment_id"
        )
    union = " UNION ALL ".join(parts)
    return f"""
        CREATE OR REPLACE TABLE entity_shipment_suspicion AS
        SELECT shipment_id, 1 - exp(sum(ln(1 - least(s, 0.999)))) AS suspicion,
            string_agg(why, '; ') AS why
        FROM ({union}) GROUP BY shipment_id"""


PARTY_SQL = """
CREATE OR REPLACE TEMP TABLE shipment_parties AS
WITH roles AS (
    SELECT split_part(source_key, ':', 1) AS shipment_id,
        max(cluster_id) FILTER (WHERE role = 'shipper') AS shipper,
        max(cluster_id) FILTER (WHERE role = 'consignee') AS consignee,
        max(cluster_id) FILTER (WHERE role = 'notify') AS notify
    FROM entity_records WHERE source = 'shipment' GROUP BY 1
)
SELECT DISTINCT ON (s.shipment_id) s.shipment_id, s.arrival_date, s.hs_code,
    coalesce(s.declared_value_usd, 0) AS value_usd, coalesce(q.suspicion, 0) AS suspicion,
    r.shipper, r.consignee, r.notify
FROM shipments s
LEFT JOIN entity_shipment_suspicion q USING (shipment_id)
LEFT JOIN roles r USING (shipment_id)
ORDER BY s.shipment_id, s.ingest_id DESC, s.source_row
"""


def _trade_links() -> str:
    return """
    SELECT shipper AS source, consignee AS target, 'trade' AS link, count(*) AS shipments,
        sum(value_usd) AS value_usd, sum(value_usd * suspicion) AS suspicious_usd,
        sum(suspicion) AS weight
    FROM shipment_parties WHERE shipper IS NOT NULL AND consignee IS NOT NULL
        AND shipper <> consignee GROUP BY ALL
    UNION ALL
    SELECT a, b, 'notify', count(*), sum(value_usd), sum(value_usd * suspicion), sum(suspicion)
    FROM (SELECT shipper AS a, notify AS b, * FROM shipment_parties
          UNION ALL SELECT notify, consignee, * FROM shipment_parties)
    WHERE notify IS NOT NULL AND notify NOT IN (shipper, consignee) AND a IS NOT NULL
        AND b IS NOT NULL
    GROUP BY ALL"""


def _ftm_links(role_a: str, role_b: str, link: str, weight: str) -> str:
    return f"""
    SELECT ea.cluster_id, eb.cluster_id, '{link}', 0, 0.0, 0.0, max({weight})
    FROM entities x
    JOIN entity_records ea ON ea.source = 'entity' AND ea.dataset = x.dataset
        AND ea.entity_id = json_extract_string(x.properties, '$.{role_a}[0]')
    JOIN entity_records eb ON eb.source = 'entity' AND eb.dataset = x.dataset
        AND eb.entity_id = json_extract_string(x.properties, '$.{role_b}[0]')
    WHERE x.schema = '{link.capitalize()}' AND ea.cluster_id <> eb.cluster_id
    GROUP BY ALL"""


SHARED_SQL = f"""
WITH addr AS (
    SELECT DISTINCT p.address_key, e.cluster_id
    FROM entity_records e JOIN resolution_profiles p USING (profile_id)
    WHERE e.kind = 'org' AND p.address_key IS NOT NULL
), crowded AS (
    SELECT address_key FROM addr GROUP BY 1 HAVING count(*) BETWEEN 2 AND {MAX_ADDRESS_LINKS}
), officers AS (
    SELECT DISTINCT json_extract_string(x.properties, '$.director[0]') AS director, x.dataset,
        eb.cluster_id
    FROM entities x
    JOIN entity_records eb ON eb.source = 'entity' AND eb.dataset = x.dataset
        AND eb.entity_id = json_extract_string(x.properties, '$.organization[0]')
    WHERE x.schema = 'Directorship'
)
SELECT a.cluster_id, b.cluster_id, 'shared_address', 0, 0.0, 0.0, 1.0
FROM addr a JOIN addr b USING (address_key)
WHERE a.cluster_id <> b.cluster_id AND address_key IN (SELECT address_key FROM crowded)
GROUP BY ALL
UNION ALL
SELECT a.cluster_id, b.cluster_id, 'shared_officer', 0, 0.0, 0.0, count(*)
FROM officers a JOIN officers b USING (director, dataset)
WHERE a.cluster_id <> b.cluster_id GROUP BY ALL
"""

FLAGS_SQL = """
CREATE OR REPLACE TABLE entity_flags AS
WITH sanctioned AS (
    SELECT DISTINCT e.cluster_id, 'sanctioned' AS flag,
        coalesce(e.dataset || ':' || e.entity_id, e.record_id) AS evidence
    FROM entity_records e WHERE e.sanctioned
    UNION
    SELECT DISTINCT e.cluster_id, 'sanctioned',
        x.dataset || ':' || x.id || ' ' || coalesce(json_extract_string(x.properties, '$.program[0]'), '')
    FROM entities x JOIN entity_records e ON e.source = 'entity' AND e.dataset = x.dataset
        AND e.entity_id = json_extract_string(x.properties, '$.entity[0]')
    WHERE x.schema = 'Sanction'
), seized AS (
    SELECT DISTINCT e.cluster_id, 'seizure', split_part(e.source_key, ':', 1)
    FROM entity_records e WHERE e.source = 'incident'
    UNION
    SELECT DISTINCT p.party, 'seizure', 'shipment ' || i.shipment_id
    FROM incidents i
    JOIN (SELECT shipment_id, unnest([shipper, consignee, notify]) AS party
          FROM shipment_parties) p USING (shipment_id)
    WHERE p.party IS NOT NULL
)
SELECT cluster_id, flag, list_sort(list_distinct(list(evidence)))[:10] AS evidence
FROM (SELECT * FROM sanctioned UNION ALL SELECT * FROM seized) GROUP BY ALL
"""


def build_graph(workspace: Workspace) -> GraphSummary:
    """Write ``entity_shipment_suspicion``, ``entity_links`` and ``entity_flags`` from the last
    resolution (``entity_records``) and whatever flows analyses the workspace holds."""
    con = workspace.con
    tables = set(workspace.table_names())
    con.execute(_suspicion_sql(tables))
    con.execute(PARTY_SQL)
    parts = [_trade_links()]
    if "entities" in tables:
        parts += [
            _ftm_links(
                "owner",
                "asset",
                "ownership",
                "coalesce(TRY_CAST(json_extract_string(x.properties, '$.percentage[0]') AS DOUBLE), 1.0)",
            ),
            _ftm_links("director", "organization", "directorship", "1.0"),
            SHARED_SQL,
        ]
    union = " UNION ALL ".join(f"SELECT * FROM ({p})" for p in parts)
    con.execute(
        "CREATE OR REPLACE TABLE entity_links AS SELECT * FROM ("
        f"{union}) AS t(source, target, link, shipments, value_usd, suspicious_usd, weight)"
    )
    if "incidents" not in tables:
        con.execute("CREATE TEMP TABLE IF NOT EXISTS incidents (shipment_id VARCHAR)")
    con.execute(FLAGS_SQL)
    links = int(workspace.scalar("SELECT count(*) FROM entity_links") or 0)
    nodes = int(workspace.scalar("SELECT count(*) FROM resolved_entities") or 0)
    flagged = int(workspace.scalar("SELECT count(DISTINCT cluster_id) FROM entity_flags") or 0)
    return GraphSummary(nodes, links, flagged)
