"""Reading declaration files: the recognised layouts, mapping files, bad rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from greymap.errors import InputError
from greymap.targeting import load_declarations
from greymap.targeting.columns import detect


def test_kcs_layout_is_detected_and_read(shared_data: Path) -> None:
    found = load_declarations(shared_data / "kcs-customs-synthetic" / "df_syn_valid_eng.csv")
    assert found.layout == "kcs"
    assert (found.rows_read, found.rows_used, found.rejected) == (8134, 8134, [])
    frame = found.frame
    assert int(frame["fraud"].sum()) == 1704
    assert frame["date"].min() == pd.Timestamp("2021-01-01")
    assert frame["date"].max() == pd.Timestamp("2021-03-31")
    # revenue at stake = Item Price x Tax Rate (%) for the frauds, zero otherwise
    row = frame.iloc[0]
    assert row["tax_amount"] == pytest.approx(row["value"] * row["tax_rate"] / 100)
    assert row["revenue"] == pytest.approx(row["fraud"] * row["tax_amount"])


def test_kcs_small_fixture_rejects_bad_rows_with_reasons(fixtures: Path) -> None:
    found = load_declarations(fixtures / "targeting" / "kcs_small.csv")
    assert found.rows_read == 9
    assert found.rows_used + len(found.rejected) == found.rows_read
    assert found.rejected == [
        (3, "missing declaration id"),
        (4, "date '2020-13-45' not understood"),
        (5, "weight 'heavy' is not a number"),
        (6, "fraud label 'maybe' is not 0/1"),
        (7, "duplicate declaration id"),
        (8, "3 fields where the header has 22 (truncated or broken record)"),
    ]
    frame = found.frame.set_index("declaration_id")
    assert list(frame.index) == ["1001", "1002", "1009"]
    # a lost leading zero is restored, ISO2 countries become ISO3
    assert frame.loc["1002", "hs_code"] == "071080"
    assert (frame.loc["1002", "origin"], frame.loc["1002", "departure"]) == ("CHN", "VNM")
    assert frame.loc["1002", "seller"] is None
    assert frame.loc["1009", "critical"] == 2.0
    assert frame.loc["1009", "tax_amount"] == pytest.approx(78900.0 * 0.12)
    assert frame.loc["1009", "revenue"] == pytest.approx(9468.0)


def test_date_training_layout_keeps_the_complete_records(shared_data: Path) -> None:
    found = load_declarations(shared_data / "date-customs" / "nigeria_format_train_sample.csv")
    assert found.layout == "date"
    assert (found.rows_read, found.rows_used) == (8, 7)
    assert found.rejected == [(8, "21 fields where the header has 26 (truncated or broken record)")]
    first = found.frame.iloc[0]
    assert first["declaration_id"] == "SGD826036"
    assert first["date"] == pd.Timestamp("2014-08-14")
    assert (first["importer"], first["declarant"], first["office"]) == (
        "IMP294555",
        "DEC2017",
        "OFFICE40",
    )
    assert first["hs_code"] == "7321119014"
    assert (first["value"], first["fob_value"], first["tax_amount"]) == (
        58311767.0,
        55601528.0,
        7081208.0,
    )
    assert first["tax_rate"] == pytest.approx(100 * 7081208 / 58311767)
    assert (first["fraud"], first["revenue"]) == (0.0, 0.0)


def test_date_weekly_layout_is_unlabelled(shared_data: Path) -> None:
    found = load_declarations(shared_data / "date-customs" / "week1_ano.csv")
    assert found.layout == "date-weekly"
    assert (found.rows_read, found.rows_used) == (50, 50)
    first = found.frame.iloc[0]
    assert first["declaration_id"] == "C12861_2020-04-18_OFFICE92_43831_2621900000"
    assert first["date"] == pd.Timestamp("2020-04-18")
    assert (first["quantity"], first["weight"], first["value"]) == (91.0, 182273.0, 8776321.0)
    assert found.frame["fraud"].isna().all()


def test_unknown_layout_names_the_expected_columns(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("id,when,who\n1,2020-01-01,x\n")
    with pytest.raises(InputError) as err:
        load_declarations(path)
    message = str(err.value)
    assert str(path) in message
    assert "Declaration ID" in message and "SGD.NUMBER" in message and "--mapping" in message
    with pytest.raises(InputError, match="not a recognised declaration layout"):
        detect(["Declaration ID", "Date"], "x.csv")


@pytest.mark.parametrize("name", ["custom_mapping.yaml", "custom_mapping.toml"])
def test_mapping_file_reads_an_administrations_own_extract(fixtures: Path, name: str) -> None:
    folder = fixtures / "targeting"
    found = load_declarations(folder / "custom_extract.csv", folder / name)
    assert found.layout == f"mapping:{folder / name}"
    frame = found.frame.set_index("declaration_id")
    assert list(frame.index) == ["E-1", "E-2", "E-3"]
    e1, e2, e3 = frame.loc["E-1"], frame.loc["E-2"], frame.loc["E-3"]
    assert e1["date"] == pd.Timestamp("2021-01-03")
    assert (e1["origin"], e1["departure"], e2["origin"]) == ("VNM", "THA", "JPN")
    assert (e1["hs_code"], e3["hs_code"]) == ("030231", "030231")
    assert e1["office"] == "PORT-1"
    assert e2["value"] == 20000.0
    assert e1["tax_amount"] == pytest.approx(60.0)
    assert (e1["fraud"], e1["revenue"]) == (1.0, pytest.approx(60.0))
    assert (e2["fraud"], e2["revenue"]) == (0.0, 0.0)
    assert pd.isna(e3["fraud"]) and pd.isna(e3["revenue"])


def test_mapping_with_an_unknown_field_is_refused(fixtures: Path) -> None:
    folder = fixtures / "targeting"
    with pytest.raises(InputError, match=r"unknown canonical field.*importer_name"):
        load_declarations(folder / "custom_extract.csv", folder / "bad_mapping.yaml")


def test_date_weekly_without_item_key_falls_back_to_the_declaration_number(
    shared_data: Path, tmp_path: Path
) -> None:
    weekly = pd.read_csv(shared_data / "date-customs" / "week1_ano.csv", dtype=str)
    path = tmp_path / "week1_no_key.csv"
    weekly.drop(columns=["key_identifier"]).to_csv(path, index=False)
    found = load_declarations(path)
    assert found.layout == "date-weekly"
    # 50 items of 30 declarations: the later items of a declaration are duplicates
    assert (found.rows_used, len(found.rejected)) == (30, 20)
    assert {reason for _, reason in found.rejected} == {"duplicate declaration id"}
