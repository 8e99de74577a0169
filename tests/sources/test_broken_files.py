"""Broken input through a tabular reader: clear errors, nothing lost, workspace unchanged.

The staging layer is shared by every CSV reader, so these cases are run once here on
the shipments reader; each format's own tests add its format-specific cases.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from greymap import InputError, Workspace, ingest_files
from tests.conftest import CliResult
from tests.sources.test_shipments import HEADER

GOOD = "S1,2023-01-05,Acme,,DE,Globex,,FR,,DE,DEHAM,,FRLEH,FR,870323,cars,1000,900,1,PCS,,"


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def assert_unchanged(ws: Workspace) -> None:
    assert ws.count("shipments") == 0
    assert ws.count("quarantine") == 0
    assert ws.count("ingests") == 0


def test_empty_file_is_a_clear_error(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "empty.csv", b"")
    with pytest.raises(InputError, match=r"empty\.csv: the file is empty"):
        ingest_files(workspace, "shipments", [path])
    assert_unchanged(workspace)


def test_header_only_loads_nothing(workspace: Workspace, tmp_path: Path) -> None:
    [r] = ingest_files(workspace, "shipments", [write(tmp_path, "h.csv", HEADER + "\n")])
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (0, 0, 0)


def test_semicolon_delimiter_is_detected(workspace: Workspace, tmp_path: Path) -> None:
    text = HEADER.replace(",", ";") + "\n" + GOOD.replace(",", ";") + "\n"
    [r] = ingest_files(workspace, "shipments", [write(tmp_path, "semi.csv", text)])
    assert r.rows_loaded == 1


def test_unknown_delimiter_names_missing_columns(workspace: Workspace, tmp_path: Path) -> None:
    text = HEADER.replace(",", "#") + "\n" + GOOD.replace(",", "#") + "\n"
    with pytest.raises(InputError) as err:
        ingest_files(workspace, "shipments", [write(tmp_path, "hash.csv", text)])
    message = str(err.value)
    assert "missing required column(s) shipment_id" in message
    assert "hash.csv" in message
    assert_unchanged(workspace)


def test_latin1_file_is_read(workspace: Workspace, tmp_path: Path) -> None:
    row = GOOD.replace("Acme", "Société Générale")
    path = write(tmp_path, "latin1.csv", (HEADER + "\n" + row + "\n").encode("latin-1"))
    [r] = ingest_files(workspace, "shipments", [path])
    assert r.rows_loaded == 1
    assert "Latin-1" in r.notes[0]
    name = workspace.con.execute("SELECT shipper_name FROM shipments").fetchone()
    assert name == ("Société Générale",)


def test_utf8_bom_is_ignored(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + (HEADER + "\n" + GOOD + "\n").encode())
    [r] = ingest_files(workspace, "shipments", [path])
    assert r.rows_loaded == 1
    assert workspace.con.execute("SELECT shipment_id FROM shipments").fetchone() == ("S1",)


def test_missing_required_column(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "noid.csv", "shipper_name,hs_code\nAcme,870323\n")
    with pytest.raises(InputError, match=r"missing required column.*shipment_id"):
        ingest_files(workspace, "shipments", [path])
    assert_unchanged(workspace)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("shipper_country", "Narnia", "bad shipper_country 'Narnia'"),
        ("hs_code", "12AB", "bad hs_code '12AB'"),
        ("declared_value_usd", "-10", "bad declared_value_usd '-10'"),
        ("weight_kg", "heavy", "bad weight_kg 'heavy'"),
    ],
)
def test_bad_values_are_quarantined(
    workspace: Workspace, tmp_path: Path, field: str, value: str, reason: str
) -> None:
    cols = HEADER.split(",")
    bad = GOOD.split(",")
    bad[cols.index(field)] = value
    path = write(tmp_path, "bad.csv", "\n".join([HEADER, GOOD, ",".join(bad)]) + "\n")
    [r] = ingest_files(workspace, "shipments", [path])
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (2, 1, 1)
    row = workspace.con.execute("SELECT source_row, reason, raw FROM quarantine").fetchone()
    assert row is not None
    assert row[0] == 2 and reason in row[1] and value in row[2]


def test_ten_megabyte_field_is_quarantined_whole(workspace: Workspace, tmp_path: Path) -> None:
    huge = "x" * (10 << 20)
    cols = HEADER.split(",")
    bad = GOOD.split(",")
    bad[cols.index("goods_description")] = huge
    path = write(tmp_path, "huge.csv", "\n".join([HEADER, ",".join(bad), GOOD]) + "\n")
    [r] = ingest_files(workspace, "shipments", [path])
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (2, 1, 1)
    reason, raw_len = workspace.con.execute(
        "SELECT reason, strlen(raw) FROM quarantine"
    ).fetchone() or ("", 0)
    assert "field goods_description is 10485760 bytes" in reason
    assert raw_len > 10 << 20


def test_malformed_lines_are_quarantined_and_rows_keep_their_numbers(
    workspace: Workspace, tmp_path: Path
) -> None:
    short = "S2,2023-01-05,Acme"
    text = "\n".join([HEADER, short, GOOD.replace("S1", "S3"), short, GOOD.replace("S1", "S5")])
    [r] = ingest_files(workspace, "shipments", [write(tmp_path, "short.csv", text + "\n")])
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (4, 2, 2)
    loaded = workspace.con.execute(
        "SELECT shipment_id, source_row FROM shipments ORDER BY source_row"
    ).fetchall()
    assert loaded == [("S3", 2), ("S5", 4)]
    rejected = workspace.con.execute("SELECT source_row, raw FROM quarantine ORDER BY 1").fetchall()
    assert rejected == [(1, short), (3, short)]


def test_binary_and_xml_files_are_refused(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="binary content"):
        ingest_files(workspace, "shipments", [write(tmp_path, "x.csv", b"PK\x03\x04\x00\x00")])
    with pytest.raises(InputError, match="looks like XML"):
        ingest_files(
            workspace, "shipments", [write(tmp_path, "x.xml", "<?xml version='1.0'?><a/>")]
        )
    assert_unchanged(workspace)


def test_cli_reports_error_without_traceback(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    path = write(tmp_path, "noid.csv", "shipper_name\nAcme\n")
    result = cli("ingest", "shipments", str(path))
    assert result.code == 2
    assert result.stderr.startswith("greymap: error: ")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
