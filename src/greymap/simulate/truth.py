"""The ground truth: everything the simulation planted, with the ids the files use.

Later analyses are judged against this file, so it holds both what was planted (networks,
hubs, misinvoicing, sanctions, who is behind every name) and what a method could observe
of it (the values each side reported), plus the legitimate look-alikes that a good method
must not flag (busy clean hubs, legitimate asymmetries and price outliers, noise records).
"""

from __future__ import annotations

from typing import Any

from greymap.simulate.comtrade import Ledger
from greymap.simulate.entities import EntityFile
from greymap.simulate.firms import Population
from greymap.simulate.incidents import IncidentLog
from greymap.simulate.misinvoicing import Misinvoice
from greymap.simulate.networks import Underworld
from greymap.simulate.ownership import blocked_by_ownership
from greymap.simulate.shipments import Shipment, ShipmentBook
from greymap.simulate.trade import Flows
from greymap.simulate.world import World

TRUTH_VERSION = 1


def build_truth(
    world: World,
    pop: Population,
    flows: Flows,
    under: Underworld,
    misinvoiced: list[Misinvoice],
    ledger: Ledger,
    book: ShipmentBook,
    ents: EntityFile,
    incidents: IncidentLog,
) -> dict[str, Any]:
    iso = [c.iso3 for c in world.countries]
    by_network = _shipments_by_network(book)
    networks = [_network(world, pop, n, by_network.get(n.id, [])) for n in under.networks]
    return {
        "meta": {
            "generator": "greymap.simulate",
            "truth_version": TRUTH_VERSION,
            **world.params.as_dict(),
        },
        "summary": _summary(world, pop, flows, under, book, ents, incidents),
        "countries": [_country(world, under, c.index) for c in world.countries],
        "hubs": _hubs(world, under, book),
        "planted_hub_ports": sorted(h.locode for h in world.illicit_hubs),
        "transit_countries": sorted({iso[h.country] for h in world.illicit_hubs}),
        "clean_hub_ports": sorted(h.locode for h in world.clean_hubs),
        "networks": networks,
        "sectors": _sectors(networks),
        "misinvoiced_flows": _misinvoiced(world, flows, misinvoiced, ledger, book),
        "network_flows": [_observed(world, ledger, f) for f in ledger.network_flows],
        "legit_asymmetries": ledger.asymmetries,
        "shipments": _shipments(book),
        "parties": {s.id: [s.shipper, s.consignee, s.notify] for s in book.shipments},
        "firms": {f.id: _firm(world, ents, f) for f in pop.firms},
        "persons": _persons(world, ents, pop),
        "middlemen": _middlemen(under),
        "shells": sorted({s for n in under.networks for s in n.shells}),
        "fronts": sorted({f for n in under.networks for f in n.shippers + n.consignees}),
        "nominee_directors": sorted({p for n in under.networks for p in n.nominees}),
        "sanctions": _sanctions(pop, under, ents),
        "entity_truth": ents.truth,
        "seizures": incidents.seizures,
        "noise_incidents": incidents.noise,
        "indicators": {
            "latent_governance": {c.iso3: round(c.governance, 4) for c in world.countries}
        },
    }


def _shipments_by_network(book: ShipmentBook) -> dict[str, list[Shipment]]:
    out: dict[str, list[Shipment]] = {}
    for s in book.shipments:
        if s.network:
            out.setdefault(s.network, []).append(s)
    return out


def _network(world: World, pop: Population, net: Any, shipments: list[Shipment]) -> dict[str, Any]:
    iso = [c.iso3 for c in world.countries]
    vessel = next((v.imo for v in pop.vessels if v.id == net.vessel), None)
    return {
        "id": net.id,
        "sector": net.sector,
        "hs_codes": [world.products[k].hs for k in net.products],
        "cover_hs_code": world.products[net.cover].hs,
        "misdeclares": net.misdeclares,
        "origins": [iso[o] for o in net.origins],
        "hub_ports": [h.locode for h in net.hubs],
        "transit_countries": [iso[c] for c in net.transit_countries],
        "destinations": [iso[d] for d in net.destinations],
        "ftz_used": sorted({h.ftz_zone for h in net.hubs if h.ftz_zone}),
        "years": net.years,
        "annual_value_usd": round(net.annual_value, 2),
        "ftz_recorded_share": round(net.ftz_recorded, 4),
        "destination_recorded_share": round(net.destination_recorded, 4),
        "reports_reexports": net.reports_reexports,
        "firms": {
            "shippers": net.shippers,
            "middlemen": net.middlemen,
            "shells": net.shells,
            "consignees": net.consignees,
        },
        "beneficial_owners": net.owners,
        "nominee_directors": net.nominees,
        "sanctioned_owners": net.sanctioned_owners,
        "vessel_imo": vessel,
        "shipment_ids": [s.id for s in shipments],
    }


def _sectors(networks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for n in networks:
        entry = out.setdefault(
            n["sector"], {"networks": [], "hs_codes": [], "hub_ports": [], "transit_countries": []}
        )
        entry["networks"].append(n["id"])
        for key, values in (
            ("hs_codes", n["hs_codes"]),
            ("hub_ports", n["hub_ports"]),
            ("transit_countries", n["transit_countries"]),
        ):
            entry[key] = sorted({*entry[key], *values})
    return out


def _country(world: World, under: Underworld, index: int) -> dict[str, Any]:
    c = world.countries[index]
    roles = []
    if index in {h.country for h in world.illicit_hubs}:
        roles.append("illicit-hub-host")
    if index in {h.country for h in world.clean_hubs}:
        roles.append("clean-hub-host")
    if any(index in n.origins for n in under.networks):
        roles.append("network-origin")
    if any(index in n.destinations for n in under.networks):
        roles.append("network-destination")
    return {
        "iso3": c.iso3,
        "reporter": c.reporter,
        "fob_imports": c.fob_imports,
        "confidential_share": round(c.confidential_share, 4),
        "governance": round(c.governance, 4),
        "mass": round(c.mass, 6),
        "roles": roles,
    }


def _hubs(world: World, under: Underworld, book: ShipmentBook) -> list[dict[str, Any]]:
    """Each hub's role and traffic: calls (lading, transshipment or unlading) and
    transshipments, legitimate and illicit."""
    counts: dict[tuple[str, str], int] = {}
    for s in book.shipments:
        side = "legit" if s.kind == "legit" else "illicit"
        for port in {*s.transshipment, s.lading, s.unlading}:
            counts[(side + "_calls", port)] = counts.get((side + "_calls", port), 0) + 1
        for port in set(s.transshipment):
            counts[(side + "_transshipments", port)] = (
                counts.get((side + "_transshipments", port), 0) + 1
            )
    out = []
    for h in world.hubs:
        nets = [n for n in under.networks if h in n.hubs]
        record: dict[str, Any] = {
            "locode": h.locode,
            "country": world.countries[h.country].iso3,
            "role": h.role,
            "ftz_zone": h.ftz_zone,
            "networks": [n.id for n in nets],
            "sectors": sorted({n.sector for n in nets}),
        }
        for key in (
            "legit_calls",
            "legit_transshipments",
            "illicit_calls",
            "illicit_transshipments",
        ):
            record[key] = counts.get((key, h.locode), 0)
        out.append(record)
    return out


def _misinvoiced(
    world: World, flows: Flows, planted: list[Misinvoice], ledger: Ledger, book: ShipmentBook
) -> list[dict[str, Any]]:
    by_key: dict[tuple[str, str, str, int], list[str]] = {}
    for s in book.shipments:
        if s.kind == "misinvoiced":
            key = (
                world.countries[s.origin].iso3,
                world.countries[s.destination].iso3,
                s.hs_true,
                s.date.year,
            )
            by_key.setdefault(key, []).append(s.id)
    out = []
    for m in planted:
        e, i = int(flows.exporter[m.flow]), int(flows.importer[m.flow])
        hs = world.products[int(flows.product[m.flow])].hs
        for year in m.years:
            record: dict[str, Any] = {
                "exporter": world.countries[e].iso3,
                "importer": world.countries[i].iso3,
                "hs_code": hs,
                "year": year,
                "kind": m.kind,
                "gap_factor": m.factor,
            }
            record = _observed(world, ledger, record)
            record["shipment_ids"] = by_key.get(
                (record["exporter"], record["importer"], hs, year), []
            )
            out.append(record)
    return out


def _observed(world: World, ledger: Ledger, record: dict[str, Any]) -> dict[str, Any]:
    """Add what each side reported for the flow (None where a side did not report)."""
    idx = world.by_iso3
    e, i = idx[record["exporter"]].index, idx[record["importer"]].index
    hs, year = record["hs_code"], record["year"]
    exported = ledger.reported(e, "X", i, hs, year)
    imported = ledger.reported(i, "M", e, hs, year)
    ratio = round(imported / exported, 4) if exported and imported else None
    return {
        **record,
        "exports_reported_usd": exported,
        "imports_reported_usd": imported,
        "observed_ratio": ratio,
        "observable": exported is not None or imported is not None,
    }


def _shipments(book: ShipmentBook) -> dict[str, Any]:
    network = [s for s in book.shipments if s.kind == "network"]
    misinvoiced = [s for s in book.shipments if s.kind == "misinvoiced"]
    legs: dict[int, list[str]] = {}
    for s in network:
        if s.consignment is not None:
            legs.setdefault(s.consignment, []).append(s.id)
    return {
        "illicit_ids": [s.id for s in book.shipments if s.kind != "legit"],
        "network_ids": [s.id for s in network],
        "misinvoiced_ids": [s.id for s in misinvoiced],
        "underpriced_ids": [
            s.id
            for s in book.shipments
            if s.kind != "legit" and s.value_declared < 0.75 * s.value_true
        ],
        "overpriced_ids": [s.id for s in misinvoiced if s.value_declared > 1.4 * s.value_true],
        "legit_price_outlier_ids": [s.id for s in book.shipments if s.tag == "legit-outlier"],
        "misdeclared": [
            {"shipment_id": s.id, "declared_hs": s.hs_declared, "true_hs": s.hs_true}
            for s in network
            if s.hs_declared != s.hs_true
        ],
        "origin_laundered_ids": [s.id for s in network if "origin-laundered" in (s.tag or "")],
        "two_leg_consignments": [legs[k] for k in sorted(legs)],
        "detail": {
            s.id: {
                "kind": s.kind,
                "network": s.network,
                "true_hs": s.hs_true,
                "true_value_usd": round(s.value_true, 2),
                "declared_value_usd": round(s.value_declared, 2),
                "route": [s.lading, *s.transshipment, s.unlading],
            }
            for s in book.shipments
            if s.kind != "legit"
        },
    }


def _firm(world: World, ents: EntityFile, f: Any) -> dict[str, Any]:
    return {
        "name": f.name.canonical,
        "latin_name": f.name.latin(0),
        "country": world.countries[f.country].iso3,
        "kind": f.kind,
        "sector": f.sector,
        "registry_entity_id": ents.registry.get(f.id),
    }


def _persons(world: World, ents: EntityFile, pop: Population) -> dict[str, Any]:
    return {
        p.id: {
            "name": p.name.canonical,
            "country": world.countries[p.country].iso3,
            "role": p.role,
            "registry_entity_id": ents.registry.get(p.id),
        }
        for p in pop.persons
    }


def _middlemen(under: Underworld) -> list[dict[str, Any]]:
    served: dict[str, list[str]] = {}
    for n in under.networks:
        for m in n.middlemen:
            served.setdefault(m, [])
            if n.id not in served[m]:
                served[m].append(n.id)
    return [{"firm_id": m, "networks": nets} for m, nets in sorted(served.items())]


def _sanctions(pop: Population, under: Underworld, ents: EntityFile) -> dict[str, Any]:
    listed = [*under.sanctioned_persons, *under.sanctioned_firms]
    stakes = [(s.owner, s.asset, s.percentage) for s in pop.stakes]
    stakes += [(v.owner, v.id, 100.0) for v in pop.vessels if v.owner]
    blocked = blocked_by_ownership(stakes, listed)
    records: dict[str, list[str]] = {}
    for eid, true_id in ents.truth.items():
        records.setdefault(true_id, []).append(eid)
    return {
        "listings": ents.listings,
        "listed_party_ids": listed,
        "blocked": [
            {
                "id": k,
                "registry_entity_id": ents.registry.get(k),
                "entity_ids": records.get(k, []),
                **v,
            }
            for k, v in sorted(blocked.items())
        ],
        "near_misses": under.near_misses,
    }


def _summary(
    world: World,
    pop: Population,
    flows: Flows,
    under: Underworld,
    book: ShipmentBook,
    ents: EntityFile,
    incidents: IncidentLog,
) -> dict[str, Any]:
    legit = float(flows.value.sum())
    network = sum(n.annual_value * len(n.years) for n in under.networks)
    shipped = sum(s.value_true for s in book.shipments)
    kinds = [s.kind for s in book.shipments]
    return {
        "countries": len(world.countries),
        "products": len(world.products),
        "trade_flows": len(flows),
        "trade_value_usd": round(legit, 2),
        "network_trade_value_usd": round(network, 2),
        "illicit_trade_share": round(network / (legit + network), 5),
        "shipments": len(kinds),
        "illicit_shipments": sum(k != "legit" for k in kinds),
        "network_shipments": kinds.count("network"),
        "misinvoiced_shipments": kinds.count("misinvoiced"),
        "illicit_shipment_value_share": round(
            sum(s.value_true for s in book.shipments if s.kind != "legit") / shipped, 5
        ),
        "network_shipment_value_share": round(
            sum(s.value_true for s in book.shipments if s.kind == "network") / shipped, 5
        ),
        "networks": len(under.networks),
        "firms": len(pop.firms),
        "persons": len(pop.persons),
        "entities": len(ents.entities),
        "incidents": len(incidents.rows),
        "seizures": len(incidents.seizures),
        "seizure_rate": incidents.rate,
    }
