"""Versioned schema of the workspace.

Each migration is applied once, in order, inside one transaction, and recorded in
``schema_migrations``. Later features add tables by appending a migration here; a
workspace written by a newer greymap (a version we do not know) is refused rather than
guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    sql: str


# Columns every canonical row carries: which ingest wrote it and where in the file it was.
PROVENANCE = "ingest_id INTEGER NOT NULL, source_row BIGINT NOT NULL"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "canonical tables, ingests and quarantine",
        f"""
        CREATE SEQUENCE ingest_id_seq START 1;
        CREATE TABLE ingests (
            ingest_id INTEGER PRIMARY KEY,
            format VARCHAR NOT NULL,
            path VARCHAR NOT NULL,
            file_sha256 VARCHAR NOT NULL,
            file_bytes BIGINT NOT NULL,
            options_sha256 VARCHAR NOT NULL,
            dataset VARCHAR,
            started_at TIMESTAMP NOT NULL,
            finished_at TIMESTAMP,
            rows_read BIGINT NOT NULL DEFAULT 0,
            rows_loaded BIGINT NOT NULL DEFAULT 0,
            rows_quarantined BIGINT NOT NULL DEFAULT 0,
            tables VARCHAR,
            greymap_version VARCHAR NOT NULL
        );
        CREATE TABLE quarantine (
            ingest_id INTEGER NOT NULL,
            path VARCHAR NOT NULL,
            format VARCHAR NOT NULL,
            source_row BIGINT,
            reason VARCHAR NOT NULL,
            raw VARCHAR
        );
        CREATE TABLE trade_flows (
            source VARCHAR NOT NULL,
            reporter VARCHAR,
            reporter_code VARCHAR,
            partner VARCHAR,
            partner_code VARCHAR,
            partner_special VARCHAR,
            flow VARCHAR NOT NULL,
            flow_detail VARCHAR,
            hs_code VARCHAR NOT NULL,
            classification VARCHAR,
            year INTEGER NOT NULL,
            month INTEGER,
            value_usd DOUBLE,
            cif_value_usd DOUBLE,
            fob_value_usd DOUBLE,
            quantity DOUBLE,
            quantity_unit VARCHAR,
            net_weight_kg DOUBLE,
            {PROVENANCE}
        );
        CREATE TABLE cites_trade (
            year INTEGER NOT NULL,
            appendix VARCHAR,
            taxon VARCHAR NOT NULL,
            taxon_class VARCHAR,
            taxon_order VARCHAR,
            family VARCHAR,
            genus VARCHAR,
            importer VARCHAR,
            exporter VARCHAR,
            origin VARCHAR,
            importer_reported_quantity DOUBLE,
            exporter_reported_quantity DOUBLE,
            term VARCHAR,
            unit VARCHAR,
            purpose VARCHAR,
            trade_source VARCHAR,
            reporter_type VARCHAR,
            record_id VARCHAR,
            -- the codes as CITES wrote them (XX unknown, ZZ high seas, historic SU...),
            -- and the tabulation a row came from (comparative, shipments, gross_exports...)
            importer_code VARCHAR,
            exporter_code VARCHAR,
            origin_code VARCHAR,
            tabulation VARCHAR,
            {PROVENANCE}
        );
        CREATE TABLE shipments (
            shipment_id VARCHAR NOT NULL,
            arrival_date DATE,
            shipper_name VARCHAR,
            shipper_address VARCHAR,
            shipper_country VARCHAR,
            consignee_name VARCHAR,
            consignee_address VARCHAR,
            consignee_country VARCHAR,
            notify_party_name VARCHAR,
            origin_country VARCHAR,
            port_of_lading VARCHAR,
            transshipment_ports VARCHAR[],
            port_of_unlading VARCHAR,
            destination_country VARCHAR,
            hs_code VARCHAR,
            goods_description VARCHAR,
            declared_value_usd DOUBLE,
            weight_kg DOUBLE,
            quantity DOUBLE,
            quantity_unit VARCHAR,
            vessel_imo VARCHAR,
            carrier VARCHAR,
            {PROVENANCE}
        );
        CREATE TABLE entities (
            id VARCHAR NOT NULL,
            schema VARCHAR NOT NULL,
            caption VARCHAR,
            dataset VARCHAR NOT NULL,
            properties JSON NOT NULL,
            first_seen VARCHAR,
            last_seen VARCHAR,
            last_change VARCHAR,
            target BOOLEAN,
            datasets VARCHAR[],
            referents VARCHAR[],
            countries VARCHAR[],
            {PROVENANCE},
            PRIMARY KEY (dataset, id)
        );
        CREATE TABLE entity_changes (
            ingest_id INTEGER NOT NULL,
            dataset VARCHAR NOT NULL,
            entity_id VARCHAR NOT NULL,
            change VARCHAR NOT NULL,
            schema VARCHAR,
            caption VARCHAR,
            previous JSON
        );
        CREATE TABLE incidents (
            incident_id VARCHAR NOT NULL,
            date DATE NOT NULL,
            country VARCHAR NOT NULL,
            sector VARCHAR,
            hs_code VARCHAR,
            commodity VARCHAR,
            quantity DOUBLE,
            unit VARCHAR,
            value_usd DOUBLE,
            origin_country VARCHAR,
            transit_countries VARCHAR[],
            destination_country VARCHAR,
            shipment_id VARCHAR,
            shipper_name VARCHAR,
            consignee_name VARCHAR,
            source VARCHAR,
            {PROVENANCE}
        );
        CREATE TABLE indicators (
            country VARCHAR NOT NULL,
            indicator VARCHAR NOT NULL,
            year INTEGER,
            value DOUBLE NOT NULL,
            source VARCHAR,
            {PROVENANCE}
        );
        """,
    ),
    Migration(
        2,
        "country index result tables",
        """
        CREATE SEQUENCE index_run_id_seq START 1;
        CREATE TABLE index_runs (
            run_id INTEGER PRIMARY KEY,
            framework VARCHAR NOT NULL,
            framework_version VARCHAR,
            framework_sha256 VARCHAR NOT NULL,
            config_path VARCHAR,
            categories VARCHAR[] NOT NULL,
            parameters JSON NOT NULL,
            countries_scored INTEGER NOT NULL,
            countries_excluded INTEGER NOT NULL,
            indicators_used INTEGER NOT NULL,
            warnings VARCHAR[],
            seconds DOUBLE,
            created_at TIMESTAMP NOT NULL,
            greymap_version VARCHAR NOT NULL
        );
        CREATE TABLE index_indicators (
            run_id INTEGER NOT NULL,
            indicator VARCHAR NOT NULL,
            category VARCHAR NOT NULL,
            name VARCHAR,
            source VARCHAR NOT NULL,
            source_indicator VARCHAR NOT NULL,
            year INTEGER,
            direction VARCHAR NOT NULL,
            weight DOUBLE,
            countries INTEGER,
            coverage DOUBLE,
            skew DOUBLE,
            kurtosis DOUBLE,
            treatment VARCHAR,
            winsorised INTEGER,
            status VARCHAR NOT NULL,
            reason VARCHAR,
            citation VARCHAR
        );
        CREATE TABLE index_coverage (
            run_id INTEGER NOT NULL,
            country VARCHAR NOT NULL,
            indicators_available INTEGER NOT NULL,
            indicators_total INTEGER NOT NULL,
            coverage DOUBLE NOT NULL,
            included BOOLEAN NOT NULL,
            reason VARCHAR
        );
        CREATE TABLE index_values (
            run_id INTEGER NOT NULL,
            country VARCHAR NOT NULL,
            indicator VARCHAR NOT NULL,
            year INTEGER,
            raw DOUBLE,
            value DOUBLE,
            normalised DOUBLE,
            imputed BOOLEAN NOT NULL
        );
        CREATE TABLE index_scores (
            run_id INTEGER NOT NULL,
            country VARCHAR NOT NULL,
            component VARCHAR NOT NULL,
            score DOUBLE,
            rank INTEGER,
            imputed_share DOUBLE
        );
        CREATE TABLE index_uncertainty (
            run_id INTEGER NOT NULL,
            country VARCHAR NOT NULL,
            rank INTEGER NOT NULL,
            rank_median DOUBLE NOT NULL,
            rank_mean DOUBLE NOT NULL,
            rank_low INTEGER NOT NULL,
            rank_high INTEGER NOT NULL
        );
        CREATE TABLE index_sensitivity (
            run_id INTEGER NOT NULL,
            factor VARCHAR NOT NULL,
            levels VARCHAR,
            first_order DOUBLE,
            first_order_mean DOUBLE
        );
        CREATE TABLE index_correlations (
            run_id INTEGER NOT NULL,
            level VARCHAR NOT NULL,
            a VARCHAR NOT NULL,
            b VARCHAR NOT NULL,
            same_category BOOLEAN,
            pearson DOUBLE,
            spearman DOUBLE,
            n INTEGER,
            flag VARCHAR
        );
        CREATE TABLE index_profiles (
            run_id INTEGER NOT NULL,
            country VARCHAR NOT NULL,
            level VARCHAR NOT NULL,
            component VARCHAR NOT NULL,
            category VARCHAR,
            value DOUBLE,
            peer_median DOUBLE,
            difference DOUBLE,
            percentile DOUBLE,
            imputed BOOLEAN,
            assessment VARCHAR
        );
        """,
    ),
    Migration(
        3,
        "analysis runs: the parameters every result table was made with",
        """
        CREATE SEQUENCE analysis_run_id_seq START 1;
        CREATE TABLE analysis_runs (
            run_id INTEGER PRIMARY KEY,
            analysis VARCHAR NOT NULL,
            result_table VARCHAR NOT NULL,
            engine VARCHAR NOT NULL,
            parameters JSON NOT NULL,
            rows BIGINT,
            seconds DOUBLE,
            created_at TIMESTAMP NOT NULL,
            greymap_version VARCHAR NOT NULL
        );
        """,
    ),
    Migration(
        4,
        "entity resolution: analysts' decisions, profiles, scored pairs, records and entities",
        """
        CREATE TABLE resolution_decisions (
            a VARCHAR NOT NULL,
            b VARCHAR NOT NULL,
            decision VARCHAR NOT NULL,
            decided_at TIMESTAMP NOT NULL,
            note VARCHAR
        );
        CREATE TABLE resolution_models (
            kind VARCHAR NOT NULL,
            model JSON NOT NULL,
            threshold DOUBLE NOT NULL,
            profiles BIGINT,
            trained_at TIMESTAMP NOT NULL
        );
        CREATE TABLE resolution_profiles (
            profile_id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            name VARCHAR,
            name_norm VARCHAR,
            name_core VARCHAR,
            name_sorted VARCHAR,
            name_squash VARCHAR,
            name_phonetic VARCHAR,
            name_form VARCHAR,
            name_ends VARCHAR,
            name_keys VARCHAR[],
            address_key VARCHAR,
            address_block VARCHAR,
            address_blocks VARCHAR[],
            countries VARCHAR[],
            country VARCHAR,
            identifiers VARCHAR[],
            birth_date VARCHAR,
            batch INTEGER NOT NULL,
            cluster_id VARCHAR
        );
        CREATE TABLE resolution_edges (
            profile_l VARCHAR NOT NULL,
            profile_r VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            match_probability DOUBLE NOT NULL,
            match_weight DOUBLE,
            identifier_match BOOLEAN,
            batch INTEGER NOT NULL
        );
        CREATE TABLE entity_records (
            record_id VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            source_key VARCHAR NOT NULL,
            role VARCHAR,
            kind VARCHAR NOT NULL,
            name VARCHAR,
            country VARCHAR,
            countries VARCHAR[],
            dataset VARCHAR,
            entity_id VARCHAR,
            sanctioned BOOLEAN,
            profile_id VARCHAR NOT NULL,
            cluster_id VARCHAR NOT NULL
        );
        CREATE TABLE resolved_entities (
            cluster_id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            name VARCHAR,
            country VARCHAR,
            countries VARCHAR[],
            records BIGINT NOT NULL,
            profiles BIGINT NOT NULL,
            sources VARCHAR[],
            datasets VARCHAR[],
            names VARCHAR[],
            sanctioned BOOLEAN
        );
        """,
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version

# Canonical tables a user loads data into, in the order `status` shows them.
CANONICAL_TABLES = (
    "trade_flows",
    "cites_trade",
    "shipments",
    "entities",
    "incidents",
    "indicators",
)
