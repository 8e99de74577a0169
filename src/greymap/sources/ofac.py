"""The ``ofac`` format: OFAC's SDN list as the legacy CSV set or as XML.

``greymap ingest ofac sdn.csv alt.csv add.csv`` loads one publication in one
transaction (see :mod:`greymap.sources.ofac_csv`); ``greymap ingest ofac sdn.xml`` or
``consolidated.xml`` loads the XML list (see :mod:`greymap.sources.ofac_xml`). Either
way the entries become FollowTheMoney entities of the dataset ``us_ofac_sdn`` (or
``us_ofac_cons``), and loading a newer list records what it added, changed and removed.
"""

from __future__ import annotations

from pathlib import Path

from greymap.sources.base import Reader
from greymap.sources.context import IngestContext
from greymap.sources.ofac_csv import group_csv, read_csv_set
from greymap.sources.ofac_xml import read_xml
from greymap.sources.xmlrecords import is_xml


class OfacReader(Reader):
    NAME = "ofac"
    TABLES = ("entities",)
    DESCRIPTION = "OFAC SDN list: legacy CSV set (sdn, alt, add) or sdn.xml"

    def group(self, paths: list[Path]) -> list[list[Path]]:
        """XML files alone; each sdn CSV with its alt and add files; in the order given."""
        xml = [p for p in paths if is_xml(p)]
        csvs = [p for p in paths if p not in xml]
        groups = [[p] for p in xml] + (group_csv(csvs) if csvs else [])
        return sorted(groups, key=lambda g: min(paths.index(p) for p in g))

    def read(self, ctx: IngestContext, paths: list[Path]) -> None:
        if len(paths) == 1 and is_xml(paths[0]):
            read_xml(ctx, paths[0])
        else:
            read_csv_set(ctx, paths)
