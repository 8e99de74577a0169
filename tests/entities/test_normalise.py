"""Name, address and identifier keys: the variants registries and bills of lading write."""

from __future__ import annotations

import pytest

from greymap.entities.normalise import address_key, identifier_key, name_keys


@pytest.mark.parametrize(
    "variant",
    [
        "Al Nakheel International LLC",
        "AL NAKHEEL INTERNATIONAL L.L.C.",
        "Al Nakheel International Limited Liability Company",
        "al nakheel intl llc",
        "AL NAKHEEL INTL, L.L.C.",
    ],
)
def test_legal_form_spellings_share_one_normalised_name(variant: str) -> None:
    keys = name_keys(variant)
    assert keys.norm == "al nakheel international llc"
    assert keys.core == "al nakheel international"
    assert keys.form == "llc"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Stern Pharma GmbH", "STERN PHARMA GESELLSCHAFT MIT BESCHRÄNKTER HAFTUNG"),
        ("Mediterránea International S.A.", "MEDITERRANEA INTERNATIONAL S A"),
        ("Kaiyo Livestock Co., Ltd.", "KAIYO LIVESTOCK CO.,LTD"),
        ("Vogel Agrochem B.V.", "Vogel Agrochem Besloten Vennootschap"),
        ("Bin Khalid Trading FZE", "Bin Khalid Trdg F.Z.E."),
        ("Fuji Chemicals K.K.", "Fuji Chemicals Kabushiki Kaisha"),
    ],
)
def test_variants_share_a_core(a: str, b: str) -> None:
    assert name_keys(a).core == name_keys(b).core


def test_forms_are_stripped_only_at_the_ends() -> None:
    # "yu" and "co" are words inside a name, forms only at its ends
    assert name_keys("Xin Yu Imp & Exp Co.,Ltd").core == "xin yu import export"
    assert name_keys("ООО Северная Звезда").core == "severnaya zvezda"
    assert name_keys("PT Sinar Distribution").core == "sinar distribution"


def test_generic_forms_tell_firms_apart() -> None:
    assert name_keys("Crest Holdings PLC").form == "jsc"
    assert name_keys("Crest Holdings Ltd").form == "llc"
    assert name_keys("Acme Trading").form is None


def test_transliteration() -> None:
    cyrillic = name_keys("ООО Северная Звезда")
    assert cyrillic.norm == "llc severnaya zvezda"
    assert cyrillic.form == "llc"
    assert name_keys("Северная Звезда Ltd").squash == "severnayazvezda"
    assert name_keys("上海星辰贸易有限公司").core == "shang hai xing chen mao yi"


def test_token_order_and_merged_words() -> None:
    assert name_keys("Smith John", "person").sorted == name_keys("John Smith", "person").sorted
    assert name_keys("A lNakheel International").squash == name_keys("Al Nakheel Intl").squash
    assert name_keys("NORDICSCHUSTER HOLDINGS AG").squash == "nordicschusterholdings"


def test_phonetic_key_joins_transliterations() -> None:
    assert name_keys("Noor Trading").phonetic == name_keys("Nour Trading").phonetic
    assert name_keys("Al Noor Trading").phonetic == name_keys("El Nur Trading").phonetic


def test_person_names_keep_their_words() -> None:
    keys = name_keys("AL-ZAWAHIRI, Dr. Ayman", "person")
    assert keys.norm == "al zawahiri dr ayman"
    assert keys.form is None


def test_identifier_keys() -> None:
    assert identifier_key("IMO 9956135") == identifier_key("9956135") == "9956135"
    assert identifier_key("imo9956135") == "9956135"
    assert identifier_key("RC 12-345") == "RC12345"
    assert identifier_key("A1") is None


def test_address_keys() -> None:
    assert address_key("292 Palm Street, Busan") == address_key("292 PALM ST, BUSAN")
    assert address_key("12 Trade Road, Jebel Ali") == "12 trade rd jebel ali"
