"""Consonant-pair keys: Arabic and Chinese queries find list names whose tokens are each
common, or written joined, without changing what any other query finds."""

from __future__ import annotations

from greymap.screening import Query, Screener, ScreeningIndex
from greymap.screening.index import consonants, pair_keys, query_pair_keys
from greymap.screening.normalise import normalise
from greymap.screening.records import ListEntity
from tests.screening.factory import person


def test_consonants_keep_h_and_drop_guessed_vowels() -> None:
    assert [consonants(t) for t in ("ahmd", "ahmad", "ahmed", "hamid")] == ["hmt"] * 4
    assert consonants("mwhmd") == consonants("mohammed") == "mhmt"
    assert consonants("hwthy") == consonants("houthi") == "ht"
    assert consonants("abdalmlk") == consonants("abdulmalik") == "ptlmlk"


def test_pair_keys_of_list_names_ignore_order_and_particles() -> None:
    assert pair_keys("ali ahmad") == pair_keys("ahmad ali") == ["v:hmt|l"]
    assert pair_keys("abdulmalik al houthi") == ["v:ht|ptlmlk"]
    assert pair_keys("putin") == []
    assert pair_keys("bb cc dd ff gg kk ll") == []  # more than PAIR_TOKENS tokens


def test_query_pair_keys_join_adjacent_tokens() -> None:
    assert query_pair_keys(["ahmd", "aly"]) == ["v:hmt|l"]
    keys = query_pair_keys(normalise("عبد الملك الحوثي", "per").tokens)
    assert "v:ht|ptlmlk" in keys
    # Overlapping units (a token and a join containing it) never pair.
    assert "v:pt|ptlmlk" not in keys


def _crowded() -> list[ListEntity]:
    """Many names sharing one token with the targets, each alone as rare as the targets."""
    crowd = [person(f"a{i}", f"AHMAD, Karim{i}") for i in range(60)]
    crowd += [person(f"b{i}", f"ALI, Yusuf{i}") for i in range(60)]
    crowd += [person(f"m{i}", f"ABD AL MALIK, Drukdal{i}") for i in range(60)]
    crowd += [person(f"h{i}", f"AL HWTHY, Abd al Khaliq{i}") for i in range(60)]
    targets = [person("t-ali", "ALI, Ahmad"), person("t-houthi", "AL-HOUTHI, Abdulmalik")]
    return crowd + targets


def test_arabic_queries_find_the_pair_and_others_do_not_change() -> None:
    index = ScreeningIndex(_crowded())
    # Without pairs, the 60 'al hwthy' names crowd the joined 'abdulmalik' out.
    alone = index.candidate_ids(normalise("عبد الملك الحوثي", "per").tokens, 16)
    assert "t-houthi" not in {index.entities[index.owners[n]].id for n in alone}
    for query, expected in [("أحمد علي", "t-ali"), ("عبد الملك الحوثي", "t-houthi")]:
        qn = normalise(query, "per")
        assert qn.guessed_vowels
        with_pairs = index.candidate_ids(qn.tokens, 3, True)
        assert index.entities[index.owners[with_pairs[0]]].id == expected, query
    # A Latin query does not ask for pairs: the same candidates as the key index alone.
    latin = normalise("Ahmad Ali", "per").tokens
    assert index.candidate_ids(latin, 5) == index.candidate_ids(latin, 5, False)


def test_screening_an_arabic_query() -> None:
    hits = Screener(ScreeningIndex(_crowded())).screen(Query.make("أحمد علي", schema="Person"))
    assert [h.entity.id for h in hits] == ["t-ali"]


def test_pair_index_in_stats() -> None:
    stats = ScreeningIndex(_crowded()).stats()
    assert stats["pair_index_mb"] >= 0.0
