"""The screening score, case by case: each row says what a compliance officer expects."""

from __future__ import annotations

import pytest

from greymap.screening import THRESHOLD, ListEntity, score_entity
from greymap.screening.names import compare_names
from greymap.screening.normalise import normalise
from tests.screening.factory import PUTIN, ROMASHKA, SHAMI, STAR, company, person, query

MATCH, NO_MATCH = True, False


@pytest.mark.parametrize(
    ("name", "schema", "entity", "expected"),
    [
        # transliteration
        ("Путин Владимир", "Person", PUTIN, MATCH),
        ("Vladimir Poutine", "Person", PUTIN, MATCH),
        ("Βλαντιμίρ Πούτιν", "Person", PUTIN, MATCH),
        ("فلاديمير بوتين", "Person", PUTIN, MATCH),
        # token order, initials, dropped middle names, case and punctuation
        ("Putin Vladimir", "Person", PUTIN, MATCH),
        ("V. Putin", "Person", PUTIN, MATCH),
        ("VLADIMIR PUTIN", None, PUTIN, MATCH),
        ("Vladimir Potanin", "Person", PUTIN, NO_MATCH),
        ("Vladislav Putilin", "Person", PUTIN, NO_MATCH),
        # legal forms
        ("Romashka Limited Liability Company", "Company", ROMASHKA, MATCH),
        ("ООО Ромашка", "Company", ROMASHKA, MATCH),
        ("Romashka, L.L.C.", "Company", ROMASHKA, MATCH),
        ("Romashka Trading LLC", "Company", ROMASHKA, MATCH),
        ("Lomashka Holdings LLC", "Company", ROMASHKA, NO_MATCH),
        # schemas that cannot be the same thing
        ("Romashka LLC", "Person", ROMASHKA, NO_MATCH),
        # vessels
        ("Ocean Star", "Vessel", STAR, MATCH),
        ("Ocean Spirit", "Vessel", STAR, NO_MATCH),
    ],
)
def test_names(name: str, schema: str | None, entity: ListEntity, expected: bool) -> None:
    match = score_entity(query(name, schema), entity) if _compatible(schema, entity) else None
    assert (match is not None and match.score >= THRESHOLD) is expected, (
        match.explanation() if match else "incompatible schema"
    )


def _compatible(schema: str | None, entity: ListEntity) -> bool:
    from greymap.screening.matcher import compatible

    return compatible(schema, entity.schema)


def test_exact_scores_by_hand() -> None:
    # vladimir=vladimir, putin=putin (weights 1 each side), list-only 'vladimirovich'
    # costs 0.45 x 1: 4 / 4.45
    m = compare_names(
        normalise("Vladimir Putin", "per"), normalise("PUTIN, Vladimir Vladimirovich", "per"), "per"
    )
    assert m.score == pytest.approx(4 / 4.45)
    assert m.unmatched_list == ("vladimirovich",)
    # the initial 'v' (weight 0.5) pairs with 'vladimir' (weight 1) at 0.85
    m = compare_names(normalise("V. Putin", "per"), normalise("Vladimir Putin", "per"), "per")
    assert m.score == pytest.approx((2 + 0.85 * 1.5) / 3.5)


def test_weak_alias_counts_less() -> None:
    weak = score_entity(query("Abu Yusuf al-Shami", "Person"), SHAMI)
    strong = score_entity(query("Khalid Yusuf al-Hassan", "Person"), SHAMI)
    assert weak.name_kind == "weakAlias"
    assert weak.score == pytest.approx(0.92)
    assert ("weak_alias", -0.08) in weak.components
    assert strong.score == 1.0


@pytest.mark.parametrize(
    ("birth_date", "feature", "matched"),
    [
        ("1952-10-07", "birth_date_match", MATCH),
        ("1952", None, MATCH),
        ("1953-01-01", None, MATCH),
        ("1980-10-07", "birth_date_mismatch", NO_MATCH),
    ],
)
def test_birth_date(birth_date: str, feature: str | None, matched: bool) -> None:
    m = score_entity(query("Vladimir Putin", "Person", birth_date=birth_date), PUTIN)
    features = {f for f, _ in m.components} - {"name"}
    assert features == ({feature} if feature else set())
    assert (m.score >= THRESHOLD) is matched


def test_birth_date_mismatch_costs_point_three() -> None:
    m = score_entity(query("Vladimir Putin", "Person", birth_date="1980"), PUTIN)
    assert m.score == pytest.approx(0.7)


@pytest.mark.parametrize(
    ("country", "score", "matched"),
    [("RU", 1.0, MATCH), ("Russia", 1.0, MATCH), ("NOR", 0.8, NO_MATCH), (None, 1.0, MATCH)],
)
def test_country(country: str | None, score: float, matched: bool) -> None:
    kw = {"country": country} if country else {}
    m = score_entity(query("Romashka LLC", "Company", **kw), ROMASHKA)
    assert m.score == pytest.approx(score)
    assert (m.score >= THRESHOLD) is matched


@pytest.mark.parametrize("ident", ["IMO 9074729", "IMO9074729", "9074729", "imo-9074729"])
def test_identifier_makes_match_near_certain(ident: str) -> None:
    m = score_entity(query("Completely Renamed", "Vessel", id=ident), STAR)
    assert ("identifier_match", 1.0) in m.components
    assert m.score == 1.0
    assert "identifier match +1.00" in m.explanation()


def test_explanation_lists_components() -> None:
    m = score_entity(query("Putin Vladimir", "Person", birth_date="1980"), PUTIN)
    text = m.explanation()
    assert text.startswith("name 1.00 (putin=putin, vladimir=vladimir) via alias 'Vladimir Putin'")
    assert text.endswith("birth date mismatch -0.30 = 0.70")


def test_different_firm_same_words_not_matched() -> None:
    bank = company("c-bank", "Bank of America Corporation")
    assert score_entity(query("Bank of Armenia", "Company"), bank).score < THRESHOLD


def test_family_member_not_matched() -> None:
    brother = person("p-b", "AL-HASSAN, Ahmad Yusuf")
    assert score_entity(query("Khalid Yusuf al-Hassan", "Person"), brother).score < THRESHOLD


@pytest.mark.parametrize(
    ("arabic", "latin", "score"),
    [
        # the article split off the Arabic word, written joined in English: equal skeletons
        ("البتيري", "albutairi", 0.9),
        ("الجارحي", "elgarhi", 0.9),
        # the article alone left over costs nothing across scripts: ayady~ayadi 0.86
        ("العيادي", "ayadi", 0.86),
    ],
)
def test_arabic_article(arabic: str, latin: str, score: float) -> None:
    m = compare_names(normalise(arabic, "per"), normalise(latin, "per"), "per")
    assert m.score == pytest.approx(score, abs=0.005), m.describe()


def test_latin_article_left_over_still_costs() -> None:
    # same script: 'al' unmatched costs 0.6 x 0.25 on the query side: 2 / 2.15
    m = compare_names(normalise("Al Ayadi", "per"), normalise("Ayadi", "per"), "per")
    assert m.score == pytest.approx(2 / 2.15)


@pytest.mark.parametrize(
    ("arabic", "latin", "joined"),
    [
        # 'abd al mlk' is one English word: three tokens joined, skeletons equal (ptlmlk)
        ("عبد الملك دروكدل", "DROUKDEL, Abdelmalek", ("abd al mlk", "abdelmalek", 0.9)),
        ("همد عبد اللهي", "ABDOLLAHI, Hamed", ("abd al lhy", "abdollahi", 0.9)),
    ],
)
def test_arabic_three_token_join(arabic: str, latin: str, joined: tuple[str, str, float]) -> None:
    # both pairs phonetic (0.9), every token matched: the score is 0.9 (0.31 and 0.29 before)
    m = compare_names(normalise(arabic, "per"), normalise(latin, "per"), "per")
    assert joined in m.pairs, m.describe()
    assert m.score == pytest.approx(0.9)
    assert not m.unmatched_query and not m.unmatched_list


def test_latin_names_join_two_tokens_only() -> None:
    # within Latin script 'abd al malik' is not joined: three tokens stay unmatched
    m = compare_names(
        normalise("Abd Al Malik Droukdel", "per"), normalise("DROUKDEL, Abdalmalik", "per"), "per"
    )
    assert m.pairs == (("droukdel", "droukdel", 1.0),)
    assert m.unmatched_query == ("abd", "al", "malik")
