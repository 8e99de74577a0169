"""Candidate index: the right names come back without a scan, common words only boost."""

from __future__ import annotations

import numpy as np

from greymap.screening import ScreeningIndex
from greymap.screening.index import KeyIndex
from greymap.screening.normalise import normalise
from tests.screening.factory import PUTIN, ROMASHKA, STAR, company, person


def _entities() -> list:  # type: ignore[type-arg]
    crowd = [company(f"c{i}", f"Global Trading Company {i} LLC") for i in range(300)]
    people = [person(f"p{i}", f"MOHAMMED, Ali {i}") for i in range(300)]
    return [PUTIN, ROMASHKA, STAR, *crowd, *people]


def test_candidates_find_the_entry() -> None:
    index = ScreeningIndex(_entities())
    for query, expected in [
        ("Putin Vladimir", "p-putin"),
        ("Путин", "p-putin"),
        ("Vladimir Poutine", "p-putin"),
        ("Romashka Trading", "c-romashka"),
        ("ООО Ромашка", "c-romashka"),
        ("Ocean Star", "v-star"),
    ]:
        names, scores = index.candidates(normalise(query, "per").key, 5)
        found = [index.entities[int(index.name_entity[n])].id for n in names.tolist()]
        assert found[0] == expected, (query, found)
        assert list(scores) == sorted(scores, reverse=True)


def test_common_words_only_boost() -> None:
    index = ScreeningIndex(_entities(), budget=50)
    # 'global', 'trading', 'company' each name 300 firms: over the budget, they only boost
    names, _ = index.candidates(normalise("Romashka Global Trading").key, 10)
    ids = [index.entities[int(index.name_entity[n])].id for n in names.tolist()]
    assert ids[0] == "c-romashka"


def test_unknown_names_find_nothing() -> None:
    index = ScreeningIndex(_entities())
    names, _ = index.candidates(normalise("Xqzwv Plorf").key, 10)
    assert len(names) == 0


def test_key_index_postings_are_sorted_and_unique() -> None:
    keys = KeyIndex.build([["w:a", "w:b"], ["w:b"], ["w:a", "w:a"], []])
    assert keys.lookup("w:a").tolist() == [0, 2]
    assert keys.lookup("w:b").tolist() == [0, 1]
    assert keys.n_names == 4
    assert np.all(np.diff(keys.offsets) >= 0)


def test_identifier_index_and_stats() -> None:
    index = ScreeningIndex(_entities())
    assert [index.entities[i].id for i in index.by_identifier("IMO 9074729")] == ["v-star"]
    stats = index.stats()
    assert (stats["entities"], stats["names"]) == (603, 604)
