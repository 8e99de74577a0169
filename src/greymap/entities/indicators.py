"""Shell-company indicators of each firm, from registry records, addresses and trade.

| indicator | what it is | why |
| --- | --- | --- |
| ``mass_address`` | firms registered at the firm's address (>= 3 flags it) | formation agents register hundreds of shells at one office |
| ``busy_officer`` | firms directed by its busiest director (>= 3 flags it) | nominee directors sign for many shells |
| ``recent`` | incorporated within 10 years of the data's last year | shells and fronts are made for the job |
| ``jurisdiction_risk`` | 0-1 rank of its country's AML risk and free-zone oversight | secrecy and weak oversight attract shells |
| ``shell_likeness`` | 0.3 shared address + 0.3 shared director + 0.2 recent + 0.2 no trade of its own | a paper company |
| ``owner_shell_likeness`` | the largest shell likeness of its owners (``owner_shell`` from 0.5) | the middleman is the shell's operating arm |
| ``sectors`` | sectors of its flagged shipments (2 or more flags it) | goods that do not fit one firm's trade |

Jurisdiction risk uses the workspace's ``indicators`` table: ``aml_risk`` (higher is
riskier) and ``ftz_oversight`` (lower is riskier), the latest year of each, ranked across
countries; a workspace without them gives every country 0.
"""

from __future__ import annotations

from greymap.workspace import Workspace

MASS_ADDRESS = 3
BUSY_OFFICER = 3
RECENT_YEARS = 10
FLAGGED = 0.3
#: An owner whose shell likeness reaches this makes its firm "owned by a shell".
OWNER_SHELL = 0.5

#: Country indicators that make a jurisdiction attractive for shells, and their direction.
JURISDICTION_INDICATORS: dict[str, int] = {"aml_risk": 1, "ftz_oversight": -1}


def _jurisdiction_sql(tables: set[str]) -> str:
    if "indicators" not in tables:
        return "SELECT NULL::VARCHAR AS country, 0.0 AS risk WHERE FALSE"
    parts = []
    for indicator, sign in JURISDICTION_INDICATORS.items():
        rank = (
            "percent_rank() OVER (ORDER BY v)"
            if sign > 0
            else "1 - percent_rank() OVER (ORDER BY v)"
        )
        parts.append(
            f"""SELECT country, {rank} AS r FROM (
                SELECT country, arg_max(value, coalesce(year, 0)) AS v FROM indicators
                WHERE indicator = '{indicator}' GROUP BY country)"""
        )
    return f"SELECT country, avg(r) AS risk FROM ({' UNION ALL '.join(parts)}) GROUP BY country"


def shell_indicators(workspace: Workspace) -> int:
    """Write ``shell_indicators`` (one row per organisation entity); returns its rows."""
    tables = set(workspace.table_names())
    has_entities = "entities" in tables
    officers = OFFICERS_SQL if has_entities else "SELECT NULL AS cluster_id, 0 AS n WHERE FALSE"
    incorporated = (
        INCORPORATED_SQL if has_entities else "SELECT NULL AS cluster_id, NULL AS y WHERE FALSE"
    )
    sql = SHELL_SQL.format(
        officers=officers,
        incorporated=incorporated,
        jurisdiction=_jurisdiction_sql(tables),
        mass=MASS_ADDRESS,
        busy=BUSY_OFFICER,
        recent=RECENT_YEARS,
        flagged=FLAGGED,
        owner_shell=OWNER_SHELL,
    )
    workspace.con.execute(sql)
    return int(workspace.scalar("SELECT count(*) FROM shell_indicators") or 0)


OFFICERS_SQL = """
    WITH directed AS (
        SELECT DISTINCT x.dataset, json_extract_string(x.properties, '$.director[0]') AS director,
            e.cluster_id
        FROM entities x JOIN entity_records e ON e.source = 'entity' AND e.dataset = x.dataset
            AND e.entity_id = json_extract_string(x.properties, '$.organization[0]')
        WHERE x.schema = 'Directorship'
    ), load AS (
        SELECT dataset, director, count(DISTINCT cluster_id) AS n FROM directed GROUP BY ALL
    )
    SELECT d.cluster_id, max(l.n) AS n FROM directed d JOIN load l USING (dataset, director)
    GROUP BY d.cluster_id"""

INCORPORATED_SQL = """
    SELECT e.cluster_id,
        min(TRY_CAST(json_extract_string(x.properties, '$.incorporationDate[0]')[:4] AS INTEGER)) AS y
    FROM entities x JOIN entity_records e ON e.source = 'entity' AND e.dataset = x.dataset
        AND e.entity_id = x.id
    GROUP BY e.cluster_id"""

SHELL_SQL = """
CREATE OR REPLACE TABLE shell_indicators AS
WITH addr AS (
    SELECT DISTINCT p.address_key, e.cluster_id
    FROM entity_records e JOIN resolution_profiles p USING (profile_id)
    WHERE e.kind = 'org' AND p.address_key IS NOT NULL
), crowd AS (
    SELECT a.cluster_id, max(n.n) AS n FROM addr a
    JOIN (SELECT address_key, count(*) AS n FROM addr GROUP BY 1) n USING (address_key)
    GROUP BY a.cluster_id
), officers AS ({officers}
), incorporated AS ({incorporated}
), jurisdiction AS ({jurisdiction}
), last_year AS (
    SELECT coalesce(max(year(arrival_date)), year(current_date)) AS y FROM shipment_parties
), flagged_sectors AS (
    SELECT party AS cluster_id, count(DISTINCT coalesce(sector, 'HS' || hs_code[:2])) AS n,
        list_sort(list_distinct(list(coalesce(sector, 'HS' || hs_code[:2])))) AS sectors
    FROM (SELECT unnest([shipper, consignee, notify]) AS party, hs_code, suspicion
          FROM shipment_parties) s
    LEFT JOIN (SELECT DISTINCT ON (hs) hs, sector FROM (
        SELECT DISTINCT sp.hs_code AS hs, r.sector, length(r.hs_prefix) AS len
        FROM shipment_parties sp JOIN ref_sector_hs r ON starts_with(sp.hs_code, r.hs_prefix))
        ORDER BY hs, len DESC) sh ON sh.hs = s.hs_code
    WHERE party IS NOT NULL AND suspicion >= {flagged}
    GROUP BY party
), traded AS (
    SELECT party AS cluster_id, count(*) AS trades
    FROM (SELECT unnest([shipper, consignee]) AS party FROM shipment_parties)
    WHERE party IS NOT NULL GROUP BY 1
), base AS (
    SELECT r.cluster_id, r.country, coalesce(t.trades, 0) AS trades,
        coalesce(c.n, 1) AS mass_address, coalesce(o.n, 0) AS busy_officer,
        i.y AS incorporated, (i.y >= (SELECT y FROM last_year) - {recent}) AS recent,
        coalesce(j.risk, 0.0) AS jurisdiction_risk,
        coalesce(f.n, 0) AS flagged_sectors, coalesce(f.sectors, []) AS sectors
    FROM resolved_entities r
    LEFT JOIN crowd c USING (cluster_id)
    LEFT JOIN officers o USING (cluster_id)
    LEFT JOIN incorporated i USING (cluster_id)
    LEFT JOIN jurisdiction j ON j.country = r.country
    LEFT JOIN flagged_sectors f USING (cluster_id)
    LEFT JOIN traded t USING (cluster_id)
    WHERE r.kind = 'org'
), likeness AS (
    SELECT *, 0.3 * (mass_address >= 2)::INT + 0.3 * (busy_officer >= 2)::INT
        + 0.2 * coalesce(recent, FALSE)::INT + 0.2 * (trades = 0)::INT AS shell_likeness
    FROM base
), owners AS (
    SELECT l.target AS cluster_id, max(o.shell_likeness) AS owner_shell_likeness,
        list(l.source ORDER BY l.source) FILTER (WHERE o.shell_likeness >= {owner_shell})
            AS shell_owners
    FROM entity_links l JOIN likeness o ON o.cluster_id = l.source
    WHERE l.link = 'ownership' GROUP BY 1
)
SELECT b.*, coalesce(o.owner_shell_likeness, 0.0) AS owner_shell_likeness,
    coalesce(o.owner_shell_likeness, 0.0) >= {owner_shell} AS owner_shell, o.shell_owners
FROM likeness b LEFT JOIN owners o USING (cluster_id)
"""
