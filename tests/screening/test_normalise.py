"""Names in any script to one comparable form: transliteration, legal forms, honorifics."""

from __future__ import annotations

import pytest

from greymap.screening.index import name_keys
from greymap.screening.normalise import normalise, skeleton


@pytest.mark.parametrize(
    ("name", "kind", "tokens", "legal"),
    [
        ("Путин Владимир", "per", ("putin", "vladimir"), ()),
        ("Πούτιν", "per", ("putin",), ()),
        ("Poutine, Vladimir", "per", ("poutine", "vladimir"), ()),
        ("普京", "per", ("pu", "jing"), ()),
        ("Mr. John SMITH", "per", ("john", "smith"), ()),
        ("Sheikh Mohammed bin Rashid", "per", ("mohammed", "bin", "rashid"), ()),
        ("ООО Ромашка", "org", ("romashka",), ("llc",)),
        ("Romashka LLC", "org", ("romashka",), ("llc",)),
        ("Romashka Limited Liability Company", "org", ("romashka",), ("llc",)),
        ("Акционерное общество Ромашка", "org", ("romashka",), ("jsc",)),
        ("Deutsche Bank AG", "org", ("deutsche", "bank"), ("jsc",)),
        ("Co., Ltd.", "org", ("co", "ltd"), ()),
        ("AL-QAIDA", "org", ("al", "qaida"), ()),
        ("Ντουμπάι", "org", ("dubai",), ()),
        ("عمر", "per", ("omar",), ()),
        ("البرزاني", "per", ("al", "brzany"), ()),
    ],
)
def test_normalise(name: str, kind: str, tokens: tuple[str, ...], legal: tuple[str, ...]) -> None:
    norm = normalise(name, kind)
    assert (norm.tokens, norm.legal) == (tokens, legal)


def test_scripts_are_recorded() -> None:
    assert normalise("Путин", "per").transliterated
    assert not normalise("Putin", "per").transliterated


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("vladimir", "fladymyr"),
        ("putin", "bwtyn"),
        ("mohammed", "muhammad"),
        ("eduardo", "edwardo"),
    ],
)
def test_skeletons_survive_transliteration(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


def test_index_keys() -> None:
    assert name_keys("vladimir putin") == [
        "w:vladimir",
        "p:fltmr",
        "f:vlad",
        "w:putin",
        "p:ptn",
        "f:puti",
        "w:vladimirputin",
    ]
    # particles give no key of their own; legal forms none at all
    assert name_keys("al qaida #llc") == ["w:qaida", "p:kt", "f:qaid", "w:alqaida"]
