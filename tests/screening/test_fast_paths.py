"""The shortcuts that make screening fast change no result: the bound only drops names that
cannot reach the floor, the prefilter's precomputed strings give the token-sort ratio, and
a screener with every shortcut gives the same hits as one that aligns every candidate."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from greymap.screening import Screener, ScreeningIndex
from greymap.screening import screen as screen_module
from greymap.screening.names import NameMatch, compare_above, compare_names
from greymap.screening.normalise import NormName, normalise
from tests.screening.factory import PUTIN, ROMASHKA, SHAMI, STAR, company, person, query, vessel

FLOORS = (0.3, 0.5, 0.6, 0.74, 0.8, 0.9, 0.95)

PAIRS = [
    # (query, list name, kind)
    ("Vladimir Putin", "PUTIN, Vladimir Vladimirovich", "per"),
    ("V. Putin", "PUTIN, Vladimir", "per"),
    ("Vladimir Potanin", "PUTIN, Vladimir", "per"),
    ("Abdulrahman Al Shami", "Abdul Rahman al-Shami", "per"),
    ("Abdul Rahman Shami", "ABDULRAHMAN, Shami", "per"),
    ("فلاديمير بوتين", "Vladimir Putin", "per"),
    # Arabic: three tokens joined across scripts, and the bound must allow for it
    ("عبد الملك دروكدل", "DROUKDEL, Abdelmalek", "per"),
    ("همد عبد اللهي", "ABDOLLAHI, Hamed", "per"),
    ("عبد المليك الهوثي", "ABDULMALIK AL-HOUTHI", "per"),
    ("عبد الملك دروكدل", "DROUKDEL, Abd al Malik", "per"),
    ("DROUKDEL, Abdelmalek", "عبد الملك دروكدل", "per"),
    ("شركة عبد الله للتجارة", "Abdallah Trading Company", "org"),
    ("Abd Al Malik Droukdel", "DROUKDEL, Abdalmalik", "per"),
    ("Ali Hassan", "Karim Yusuf", "per"),
    ("Mohammed Ali Hassan", "Mohammed Yusuf Karim", "per"),
    ("PLA", "Peoples Liberation Army", "org"),
    ("Peoples Liberation Army", "PLA", "org"),
    ("Romashka Intl Trading", "Romashka International Trading LLC", "org"),
    ("Global Trading Company", "Romashka LLC", "org"),
    ("Ocean Star", "Ocean Spirit", "obj"),
    ("Ocean Star", "OCEANSTAR", "obj"),
]


@pytest.mark.parametrize(("q", "listed", "kind"), PAIRS)
def test_bound_only_drops_names_below_the_floor(q: str, listed: str, kind: str) -> None:
    qn, ln = normalise(q, kind), normalise(listed, kind)
    full = compare_names(qn, ln, kind)
    for floor in FLOORS:
        fast = compare_above(qn, ln, kind, floor)
        if fast is None:
            assert full.score < floor, (q, listed, floor, full.score)
        else:
            assert fast == full


def test_bound_drops_a_name_with_nothing_in_common() -> None:
    # ali, hassan, karim, yusuf pair with nothing (similarity < 0.6): the best case is
    # every token unmatched at the cheapest rate, far below any positive floor
    qn, ln = normalise("Ali Hassan", "per"), normalise("Karim Yusuf", "per")
    assert compare_names(qn, ln, "per").score < 0.1
    assert compare_above(qn, ln, "per", 0.74) is None


def test_bound_keeps_a_match_and_scores_it_in_full() -> None:
    qn, ln = normalise("Vladimir Putin", "per"), normalise("PUTIN, Vladimir", "per")
    match = compare_above(qn, ln, "per", 0.74)
    assert isinstance(match, NameMatch)
    assert match.score == 1.0


def test_no_floor_is_compare_names() -> None:
    qn, ln = normalise("Abdulrahman Shami", "per"), normalise("Abdul Rahman al-Shami", "per")
    assert compare_above(qn, ln, "per", None) == compare_names(qn, ln, "per")
    empty = NormName("", (), (), frozenset())
    assert compare_above(empty, ln, "per", 0.5) is None
    assert compare_above(empty, ln, "per", None) == NameMatch(0.0, (), (), ln.tokens)


def _index() -> ScreeningIndex:
    crowd = [company(f"c{i}", f"Global Trading Company {i} LLC") for i in range(60)]
    people = [
        person(f"p{i}", f"MOHAMMED, Ali {i}", f"Ali Hassan {i}", weak=(f"Abu {i}",))
        for i in range(60)
    ]
    more = [
        person("p-abd", "ABDULRAHMAN, Shami", "Abdul Rahman al-Shami"),
        person("p-hassan", "HASSAN, Ali Mohammed"),
        person("p-hussein", "HUSSEIN, Ali Mohamed", countries=["IRQ"]),
        company("c-pla", "Peoples Liberation Army"),
        company("c-intl", "Romashka International Trading LLC"),
        vessel("v-spirit", "Ocean Spirit", identifiers=["9999999"]),
    ]
    return ScreeningIndex([PUTIN, ROMASHKA, SHAMI, STAR, *crowd, *people, *more])


QUERIES = [
    query("Vladimir Putin", "Person"),
    query("Putin", None),
    query("Ali Hassan", "Person"),
    query("Ali Hassan 7", "Person"),
    query("Ali Karim Hassan Yusuf", "Person"),
    query("Mohammed Hassan Karimov", "Person"),
    query("Mohammed Ali", "Person", country="IRQ"),
    query("Ali Mohamed Hussein", "Person", birth_date="1960"),
    query("Abdulrahman Al Shami", "Person"),
    query("PLA", "Organization"),
    query("Romashka Intl Trading", "Company"),
    query("Global Trading Company 12", "Company"),
    query("Ocean Star", "Vessel"),
    query("Ocean", "Vessel", id="IMO 9999999"),
    query("Abu 3", None),
]


def _hits(screener: Screener) -> list[list[tuple[str, float, str, str]]]:
    out = []
    for q in QUERIES:
        out.append([(m.entity.id, m.score, m.name, m.explanation()) for m in screener.screen(q)])
    return out


@pytest.mark.parametrize("min_score", [None, 0.5])
def test_screener_hits_equal_aligning_every_candidate(
    monkeypatch: pytest.MonkeyPatch, min_score: float | None
) -> None:
    index = _index()
    results: list[NameMatch | None] = []

    def counting(q: NormName, ln: NormName, kind: str, floor: float | None) -> NameMatch | None:
        results.append(compare_above(q, ln, kind, floor))
        return results[-1]

    monkeypatch.setattr(screen_module, "compare_above", counting)
    fast = _hits(Screener(index, min_score=min_score))
    assert any(fast), "the queries must find something"
    if min_score is None:
        assert None in results, "the bound must have dropped some candidates"

    def align_all(q: NormName, ln: NormName, kind: str, floor: float | None) -> NameMatch:
        return compare_names(q, ln, kind)

    monkeypatch.setattr(screen_module, "compare_above", align_all)
    assert _hits(Screener(index, min_score=min_score)) == fast


def test_prefilter_strings_give_the_token_sort_ratio() -> None:
    index = _index()
    q = normalise("Shami Abdul Rahman", "per")
    q_plain = " ".join(q.tokens)
    for nid, key in enumerate(index.name_keys):
        plain = " ".join(t for t in key.split() if not t.startswith("#"))
        expected = fuzz.token_sort_ratio(q_plain, plain)
        assert fuzz.ratio(" ".join(sorted(q.tokens)), index.sorted_forms[nid]) == expected
    # legal forms are left out; a one-token name without them shares the key's string
    nid = index.name_keys.index("romashka #llc")
    assert index.sorted_forms[nid] == "romashka"
    assert index.normed[nid].tokens == ("romashka",) and index.normed[nid].legal == ("llc",)


def test_names_of_and_candidate_ids() -> None:
    index = _index()
    eid = next(i for i, e in enumerate(index.entities) if e.id == "p-abd")
    names = list(index.names_of(eid))
    assert [index.name_keys[n] for n in names] == ["abdulrahman shami", "abdul rahman al shami"]
    tokens = normalise("Putin Vladimir", "per").tokens
    ids, _ = index.candidates(" ".join(tokens), 5)
    assert index.candidate_ids(tokens, 5) == ids.tolist()
