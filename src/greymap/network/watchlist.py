"""The watch list the suspicion weight matches parties and vessels against.

Listed parties are the workspace's FollowTheMoney entities carrying the topic
``sanction`` (OpenSanctions' convention; the OFAC and UN readers write it too). Their
names and aliases go into ``net_watchlist_names(name, entity_id, schema, caption)``; the
IMO numbers of listed vessels into ``net_watch_vessels(imo, entity_id, caption)``. Both
are temporary tables made with DuckDB's JSON functions once, before the suspicion plan
runs, so the plan itself stays portable SQL (Spark reads them as plain inputs).
"""

from __future__ import annotations

from greymap.workspace import Workspace

_LISTED = """
    SELECT id, schema, caption, properties FROM entities
    WHERE list_contains(CAST(json_extract_string(properties, '$.topics[*]') AS VARCHAR[]),
                        'sanction')
"""


def register_watchlist(workspace: Workspace) -> int:
    """Create the two watch-list tables; returns the number of listed entities."""
    con = workspace.con
    has_entities = "entities" in workspace.table_names()
    listed = (
        _LISTED
        if has_entities
        else (
            "SELECT NULL::VARCHAR AS id, NULL::VARCHAR AS schema, NULL::VARCHAR AS caption, "
            "NULL::JSON AS properties WHERE FALSE"
        )
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE net_listed AS {listed}")
    con.execute(
        """CREATE OR REPLACE TEMP TABLE net_watchlist_names AS
           SELECT DISTINCT name, id AS entity_id, schema, caption FROM (
               SELECT id, schema, caption,
                      unnest(CAST(json_extract_string(properties, '$.name[*]') AS VARCHAR[])
                             || coalesce(CAST(json_extract_string(properties, '$.alias[*]')
                                              AS VARCHAR[]), [])) AS name
               FROM net_listed WHERE schema <> 'Vessel') n
           WHERE name IS NOT NULL"""
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE net_watch_vessels AS
           SELECT DISTINCT regexp_replace(imo, '[^0-9]', '', 'g') AS imo, id AS entity_id, caption
           FROM (SELECT id, caption,
                        unnest(CAST(json_extract_string(properties, '$.imoNumber[*]')
                                    AS VARCHAR[])) AS imo
                 FROM net_listed WHERE schema = 'Vessel') v
           WHERE imo IS NOT NULL"""
    )
    row = con.execute("SELECT count(*) FROM net_listed").fetchone()
    return int(row[0]) if row else 0
