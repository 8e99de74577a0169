"""Names and their variants: transliteration, legal forms, typos; all deterministic."""

from __future__ import annotations

import numpy as np

from greymap.simulate.names import (
    FirmName,
    cyrillic_to_latin,
    firm_variant,
    make_firm_name,
    pinyin,
    typo,
)


def test_transliteration_schemes() -> None:
    assert cyrillic_to_latin("Северный Альянс", 0) == "Severnyy Alyans"
    assert cyrillic_to_latin("Северный Альянс", 1) == "Severnyi Alians"
    assert pinyin("华兴") == "Huaxing" and pinyin("华兴", joined=False) == "Hua Xing"


def test_canonical_and_latin_spellings() -> None:
    russian = FirmName(("Северный", "Транзит"), "", "OOO", "slavic", "cyrillic")
    assert russian.canonical == "ООО «Северный Транзит»"
    assert russian.latin(0) == 'OOO "Severnyy Tranzit"'
    assert russian.latin(1) == "Severnyi Tranzit LLC"
    chinese = FirmName(("华兴",), "Trading", "Co., Ltd.", "chinese", "hanzi")
    assert chinese.canonical == "华兴贸易有限公司"
    assert chinese.latin(0) == "Huaxing Trading Co., Ltd."
    emirati = FirmName(("Al Noor",), "General Trading", "LLC", "arabic", "latin")
    assert emirati.canonical == emirati.latin(0) == "Al Noor General Trading LLC"
    indonesian = FirmName(("Sinar", "Jaya"), "Foods", "PT", "se_asian", "latin")
    assert indonesian.canonical == "PT Sinar Jaya Foods"


def test_variants_differ_but_keep_the_core() -> None:
    rng = np.random.default_rng(5)
    name = FirmName(("Meridian",), "Logistics", "LLC", "anglo", "latin")
    variants = [firm_variant(name, rng) for _ in range(60)]
    assert len(set(variants)) > 15
    assert sum("MERIDIAN" in v.upper() for v in variants) > 40
    assert any("L.L.C." in v.upper() or "LIMITED LIABILITY" in v.upper() for v in variants)


def test_typo_changes_one_letter_and_is_seeded() -> None:
    first = typo("Meridian", np.random.default_rng(1))
    assert first != "Meridian" and abs(len(first) - len("Meridian")) <= 1
    assert typo("Meridian", np.random.default_rng(1)) == first


def test_make_firm_name_uses_country_forms() -> None:
    rng = np.random.default_rng(2)
    name = make_firm_name(rng, "slavic", "RUS", "Trading", ("OOO", "AO"))
    assert name.script == "cyrillic" and name.form in ("OOO", "AO")
    assert name.canonical.startswith(("ООО «", "АО «"))
