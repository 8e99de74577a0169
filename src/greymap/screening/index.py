"""Candidate index: the few list names worth scoring, found without scanning the list.

Every list name gives a handful of keys: each token (``w:putin``), its phonetic skeleton
(``p:ptn``, which survives transliteration), its first four letters (``f:sech``, which
survives a typo further on), and each pair of adjacent tokens joined (``w:abdulrahman``,
for word joining and splitting). Keys are hashed into a fixed number of buckets and kept as
CSR arrays (``offsets``, ``postings``): a few bytes per key, no per-key Python object, and
workers forked from the building process share them.

A query's keys are weighted by inverse document frequency times the key kind (exact 1,
phonetic 0.7, prefix 0.5). Rare keys are read first and their postings added up; once the
candidates read pass ``budget`` postings, the remaining common keys (``mohammed``,
``company``) only add weight to names already found, through a binary search in their
sorted postings. So a query touches a bounded number of postings whatever the list size,
and a name sharing only one common word with the query never enters the candidates.

Queries from scripts whose Latin reading guesses the vowels (Arabic, Han...) also ask a
second index, of *consonant pairs*: every two tokens of a list name by their consonants
(``ali ahmad`` -> ``v:hmt|l``), in either order. ``ahmd aly`` shares only common keys with
``ali ahmad`` one by one, but the pair is rare; the query's side also joins two or three
adjacent tokens (``abd al mlyk`` ~ ``abdulmalik``). Kept apart so that the first index, its
buckets and its ties, and so every other query, stay exactly as they were.
"""

from __future__ import annotations

import gc
import itertools
import math
import re
import time
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from greymap.screening.normalise import (
    LEGAL_MARK,
    PARTICLES,
    NormName,
    apply_skeleton_subs,
    name_kind,
    normalise,
    skeleton,
)
from greymap.screening.records import ListEntity, normalise_identifier

#: Key kinds and their weight in candidate scoring.
KIND_WEIGHT = {"w": 1.0, "p": 0.7, "f": 0.5, "v": 2.0}
#: Names with more plain tokens than this get no consonant-pair keys (long firm names).
PAIR_TOKENS = 6
PREFIX_LEN = 4
#: Key-score handicap per key of a name: among equal scores the shorter name goes first.
TIE_BREAK = 0.01
#: Memoised keys and query tokens per index (cleared when full).
CACHE_SIZE = 200_000
#: Lists with this many names are followed by one garbage collection at build.
GC_AFTER_NAMES = 10_000
I32 = npt.NDArray[np.int32]
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
#: A key's postings (sorted name ids), its weight, and the weight once per posting.
Posting = tuple[I32, float, F32]


def name_keys(key: str) -> list[str]:
    """The index keys of a normalised name (``NormName.key``: legal forms are skipped).

    >>> name_keys("vladimir putin")[:4]
    ['w:vladimir', 'p:fltmr', 'f:vlad', 'w:putin']
    """
    tokens = [t for t in key.split() if not t.startswith(LEGAL_MARK)]
    keys: list[str] = []
    for tok in tokens:
        keys.extend(token_keys(tok))
    keys += ["w:" + a + b for a, b in itertools.pairwise(tokens)]
    return list(dict.fromkeys(keys))


@lru_cache(maxsize=500_000)
def consonants(tok: str) -> str:
    """The token's consonants in the skeleton's classes, but ``h`` kept: the Latin reading
    of an Arabic name guesses its vowels, not its consonants (``ahmd`` ~ ``ahmad`` -> ``hmt``,
    told apart from ``mwhmd`` ~ ``mohammed`` -> ``mhmt``, which the skeleton merges).

    >>> consonants("ahmd"), consonants("ahmed"), consonants("hwthy"), consonants("houthi")
    ('hmt', 'hmt', 'ht', 'ht')
    """
    return _REPEATS.sub(r"\1", apply_skeleton_subs(tok).translate(_CONSONANTS))


_CONSONANTS = str.maketrans(
    {"b": "p", "v": "f", "d": "t", "g": "k", "q": "k", "c": "k", "j": "k", "z": "s", "x": "ks"}
    | {ch: None for ch in "aeiouwy"}
)
_REPEATS = re.compile(r"(.)\1+")


def _pair(a: str, b: str) -> str:
    return "v:" + a + "|" + b if a <= b else "v:" + b + "|" + a


def pair_keys(key: str) -> list[str]:
    """Consonant-pair keys of a list name: every two of its plain tokens' :func:`consonants`,
    in either order. Only queries that guess vowels ask for them (:func:`query_pair_keys`):
    two tokens together are rare where each alone (``ahmad``, ``ali``) is common."""
    tokens = [t for t in key.split() if not t.startswith(LEGAL_MARK) and t not in PARTICLES]
    if len(tokens) > PAIR_TOKENS:
        return []
    cons = sorted({c for c in map(consonants, tokens) if c})
    return [_pair(a, b) for a, b in itertools.combinations(cons, 2)]


def query_pair_keys(tokens: Sequence[str]) -> list[str]:
    """The consonant-pair keys a query from a vowel-guessing script asks for: pairs of its
    plain tokens and of two or three adjacent tokens joined (``abd al mlyk`` ->
    ``abdalmlyk`` ~ ``abdulmalik``), units that do not overlap."""
    plain = [t for t in tokens if not t.startswith(LEGAL_MARK)]
    units: list[tuple[int, int, str]] = []
    for i, tok in enumerate(plain):
        if tok not in PARTICLES:
            units.append((i, i + 1, consonants(tok)))
        for n in (2, 3):
            if i + n <= len(plain) and plain[i + n - 1] not in PARTICLES:
                units.append((i, i + n, consonants("".join(plain[i : i + n]))))
    keys = [
        _pair(a, b)
        for (s1, e1, a), (s2, e2, b) in itertools.combinations(units, 2)
        if a and b and a != b and (e1 <= s2 or e2 <= s1)
    ]
    return list(dict.fromkeys(keys))


@lru_cache(maxsize=500_000)
def token_keys(tok: str) -> tuple[str, ...]:
    """Exact, phonetic and prefix keys of one token; particles give none."""
    if tok in PARTICLES:
        return ()
    keys = ["w:" + tok]
    sk = skeleton(tok)
    if len(sk) >= 2:
        keys.append("p:" + sk)
    if len(tok) > PREFIX_LEN:
        keys.append("f:" + tok[:PREFIX_LEN])
    return tuple(keys)


def stable_hash(key: str) -> int:
    """CRC-32 of the key: the same in every process (Python's ``hash`` of a string is
    salted per process), so results do not depend on ``PYTHONHASHSEED``."""
    return zlib.crc32(key.encode("utf-8"))


def _bits_for(n_postings: int) -> int:
    """Buckets: two to four per posting, so distinct keys rarely share one (a shared
    bucket only adds candidates, which scoring then rejects)."""
    return max(16, min(26, math.ceil(math.log2(max(n_postings, 1))) + 1))


@dataclass
class KeyIndex:
    """Hashed keys -> sorted name ids, as CSR arrays."""

    offsets: npt.NDArray[np.int64]
    postings: I32
    mask: int
    n_names: int
    lengths: npt.NDArray[np.float32]
    _acc: npt.NDArray[np.float32] | None = None
    _postings_cache: dict[str, Posting | None] = field(default_factory=dict)
    _token_cache: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        #: The tie-break handicap per name, computed once (float32, as the scores).
        self.handicap = TIE_BREAK * self.lengths

    @classmethod
    def build(cls, keys_per_name: Iterable[list[str]]) -> KeyIndex:
        """Hash every name's keys into buckets; postings sorted and unique per bucket."""
        buckets: list[int] = []
        names: list[int] = []
        lengths: list[int] = []
        n = 0
        for n, keys in enumerate(keys_per_name, 1):
            buckets.extend(stable_hash(k) for k in keys)
            names.extend([n - 1] * len(keys))
            lengths.append(len(keys))
        bits = _bits_for(len(buckets))
        mask = (1 << bits) - 1
        b = np.asarray(buckets, dtype=np.int64) & mask
        pairs = np.unique((b << 32) | np.asarray(names, dtype=np.int64))
        bucket_of = pairs >> 32
        counts = np.bincount(bucket_of, minlength=mask + 1)
        offsets: npt.NDArray[np.int64] = np.zeros(mask + 2, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        postings = (pairs & 0xFFFFFFFF).astype(np.int32)
        # int32 offsets halve the table when postings fit (they do below 2**31).
        small = offsets.astype(np.int32) if len(pairs) < 2**31 else offsets
        return cls(small, postings, mask, n, np.asarray(lengths, dtype=np.float32))  # type: ignore[arg-type]

    def lookup(self, key: str) -> I32:
        b = stable_hash(key) & self.mask
        return self.postings[self.offsets[b] : self.offsets[b + 1]]

    @property
    def nbytes(self) -> int:
        return int(self.offsets.nbytes + self.postings.nbytes)

    def query_lists(self, parts: Sequence[str]) -> list[Posting]:
        """Postings and weights of the keys of a query's ``parts`` (its normalised tokens;
        legal forms, marked ``#``, are skipped). A token the list knows exactly does not
        ask for its prefix key: that only helps a token the list never spells this way.

        Keys and tokens are memoised per index (:data:`CACHE_SIZE`): counterparties repeat
        the same given names, family names and firm words, and a key's postings and weight
        do not change once the index is built."""
        tokens = [t for t in parts if not t.startswith(LEGAL_MARK)]
        out: list[Posting] = []
        seen: set[str] = set()
        wanted = [
            *(k for t in tokens for k in self._token_query_keys(t)),
            *("w:" + a + b for a, b in itertools.pairwise(tokens)),
        ]
        for k in wanted:
            if k in seen:
                continue
            seen.add(k)
            hit = self._posting(k)
            if hit is not None:
                out.append(hit)
        return out

    def pair_lists(self, tokens: Sequence[str]) -> list[Posting]:
        """Postings and weights of a query's consonant-pair keys (:func:`query_pair_keys`)."""
        return [hit for k in query_pair_keys(tokens) if (hit := self._posting(k)) is not None]

    def _posting(self, key: str) -> Posting | None:
        """A key's postings, IDF weight and that weight per posting (``None``: no list name
        has the key)."""
        cache = self._postings_cache
        if key in cache:
            return cache[key]
        ids = self.lookup(key)
        hit = None
        if len(ids):
            weight = KIND_WEIGHT[key[0]] * math.log1p(self.n_names / len(ids))
            hit = (ids, weight, np.full(len(ids), weight, dtype=np.float32))
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        cache[key] = hit
        return hit

    def _token_query_keys(self, tok: str) -> tuple[str, ...]:
        cache = self._token_cache
        found = cache.get(tok)
        if found is None:
            found = keys = token_keys(tok)
            if keys and self._posting(keys[0]) is not None:
                found = tuple(k for k in keys if k[0] != "f")
            if len(cache) >= CACHE_SIZE:
                cache.clear()
            cache[tok] = found
        return found

    def candidates(
        self, lists: list[Posting], limit: int, budget: int, with_scores: bool = True
    ) -> tuple[list[int], list[float]]:
        """Name ids of the best ``limit`` candidates and their key scores (none unless
        ``with_scores``), best first.

        Rare keys' weights are added in one ``np.add.at`` call (a name appears once per
        posting list, so the sums equal adding list by list); the handful of numpy calls
        per query is what this costs, whatever the list size."""
        if not lists:
            return [], []
        lists = sorted(lists, key=lambda x: len(x[0]))
        head, tail = _split_budget(lists, budget)
        acc = self._scratch()
        if len(head) == 1:
            touched = head[0][0]
            acc[touched] = head[0][2]
        else:
            touched = np.concatenate([p[0] for p in head])
            np.add.at(acc, touched, np.concatenate([p[2] for p in head]))
        for common, w, _ in tail:
            # Common keys only boost names the rare keys found (postings are sorted).
            pos = common.searchsorted(touched)
            np.minimum(pos, len(common) - 1, out=pos)
            acc[touched[common[pos] == touched]] += w
        # Ties (names sharing one common word) go to the shorter name.
        values = acc[touched]
        values -= self.handicap[touched]
        acc[touched] = 0.0
        if len(touched) > limit * 3:
            keep = (-values).argpartition(limit * 3)[: limit * 3]
            touched, values = touched[keep], values[keep]
        order = (-values).argsort(kind="stable")
        ids = touched[order].tolist()
        if not with_scores:
            return list(dict.fromkeys(ids))[:limit], []
        best: dict[int, float] = {}
        for nid, value in zip(ids, values[order].tolist(), strict=True):
            if nid not in best:
                best[nid] = value
                if len(best) == limit:
                    break
        return list(best), list(best.values())

    def _scratch(self) -> npt.NDArray[np.float32]:
        """One accumulator per index, reused: zeroed again after each query."""
        if self._acc is None:
            self._acc = np.zeros(self.n_names, dtype=np.float32)
        return self._acc


def _split_budget(lists: list[Posting], budget: int) -> tuple[list[Posting], list[Posting]]:
    """Rare keys (read in full) and common ones (only boost names already found)."""
    total = 0
    for i, (ids, _, _) in enumerate(lists):
        total += len(ids)
        if total > budget and i > 0:
            return lists[:i], lists[i:]
    return lists, []


def iter_chunks(n: int, size: int) -> Iterator[range]:
    for start in range(0, n, size):
        yield range(start, min(n, start + size))


class ScreeningIndex:
    """List entities, their normalised names, the key index and an identifier index."""

    def __init__(self, entities: list[ListEntity], *, budget: int | None = None) -> None:
        started = time.perf_counter()
        self.entities = entities
        self.kinds = [name_kind(e.schema) for e in entities]
        keys: list[str] = []
        owner: list[int] = []
        position: list[int] = []
        for i, entity in enumerate(entities):
            for p, (raw, _) in enumerate(entity.names):
                # Uncached: list names would only crowd the queries out of the cache.
                keys.append(normalise.__wrapped__(raw, self.kinds[i]).key)
                owner.append(i)
                position.append(p)
        self.name_keys = keys
        self._forms(keys)
        self.name_entity = np.asarray(owner, dtype=np.int32)
        #: Each name's entity schema (shared strings), for the schema filter per candidate.
        self.name_schemas = [entities[i].schema for i in owner]
        # The same as compact Python arrays: indexing them is what screening does per name.
        self.owners = array("i", owner)
        self.positions = array("h", position)
        self.first_name = array(
            "q", itertools.accumulate((len(e.names) for e in entities), initial=0)
        )
        self.keys = KeyIndex.build(name_keys(k) for k in keys)
        #: Consonant-pair keys apart: the keys above, their buckets and ties stay as they were.
        self.pairs = KeyIndex.build(pair_keys(k) for k in keys)
        self.identifiers: dict[str, list[int]] = {}
        for i, entity in enumerate(entities):
            for ident in entity.identifiers:
                self.identifiers.setdefault(ident, []).append(i)
        self.budget = budget or max(2_000, len(keys) // 50)
        # A large build leaves a heap of new objects the garbage collector has not yet
        # looked at; collect them now rather than in a full collection (0.2 s at 20,000
        # entries) during the first queries.
        if len(keys) >= GC_AFTER_NAMES:
            gc.collect()
        self.build_seconds = time.perf_counter() - started

    def _forms(self, keys: list[str]) -> None:
        """What screening reads per candidate name, made once here rather than per query:
        the name as the matcher takes it, and its spelling and skeleton without legal forms,
        tokens sorted (the prefilter's token-sort strings). Tokens are shared between names."""
        tokens: dict[str, str] = {}
        skeletons: dict[str, str] = {}
        no_scripts: frozenset[str] = frozenset()
        self.normed: list[NormName] = []
        self.sorted_forms: list[str] = []
        self.sorted_skeletons: list[str] = []
        for key in keys:
            parts = [tokens.setdefault(t, t) for t in key.split()]
            plain = [t for t in parts if not t.startswith(LEGAL_MARK)]
            legal = tuple(t[1:] for t in parts if t.startswith(LEGAL_MARK))
            self.normed.append(NormName(key, tuple(plain), legal, no_scripts))
            form = " ".join(sorted(plain))
            self.sorted_forms.append(key if form == key else form)
            skel = [skeletons.get(t) or skeletons.setdefault(t, skeleton(t)) for t in plain]
            self.sorted_skeletons.append(" ".join(sorted(filter(None, skel))))

    def __len__(self) -> int:
        return len(self.entities)

    @property
    def n_names(self) -> int:
        return len(self.name_keys)

    def candidates(self, key: str, limit: int = 48) -> tuple[I32, F64]:
        """Name ids worth scoring for a normalised query name, best key score first."""
        lists = self.keys.query_lists(key.split())
        names, scores = self.keys.candidates(lists, limit, self.budget)
        return np.asarray(names, dtype=np.int32), np.asarray(scores, dtype=np.float64)

    def candidate_ids(
        self, tokens: Sequence[str], limit: int = 48, pairs: bool = False
    ) -> list[int]:
        """:meth:`candidates` for a name's tokens, ids only (what screening iterates over);
        ``pairs``: also ask for consonant-pair keys (queries that guess vowels)."""
        lists = self.keys.query_lists(tokens)
        if pairs:
            lists += self.pairs.pair_lists(tokens)
        return self.keys.candidates(lists, limit, self.budget, False)[0]

    def names_of(self, entity: int) -> range:
        """Name ids of one entity (an entity's names are numbered consecutively)."""
        return range(self.first_name[entity], self.first_name[entity + 1])

    def by_identifier(self, identifier: str) -> list[int]:
        return self.identifiers.get(normalise_identifier(identifier), [])

    def stats(self) -> dict[str, float]:
        """Size and build time, for docs/benchmarks.md."""
        return {
            "entities": len(self.entities),
            "names": self.n_names,
            "key_index_mb": round(self.keys.nbytes / 1e6, 1),
            "pair_index_mb": round(self.pairs.nbytes / 1e6, 1),
            "postings": len(self.keys.postings),
            "build_seconds": round(self.build_seconds, 2),
        }
