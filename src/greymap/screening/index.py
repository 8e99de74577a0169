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
"""

from __future__ import annotations

import itertools
import math
import time
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from greymap.screening.normalise import LEGAL_MARK, PARTICLES, name_kind, normalise, skeleton
from greymap.screening.records import ListEntity, normalise_identifier

#: Key kinds and their weight in candidate scoring.
KIND_WEIGHT = {"w": 1.0, "p": 0.7, "f": 0.5}
PREFIX_LEN = 4
#: Key-score handicap per key of a name: among equal scores the shorter name goes first.
TIE_BREAK = 0.01
I32 = npt.NDArray[np.int32]
F64 = npt.NDArray[np.float64]


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

    def query_lists(self, key: str) -> list[tuple[I32, float]]:
        """Postings and weights of a query's keys. A token the list knows exactly does not
        ask for its prefix key: that only helps a token the list never spells this way."""
        tokens = [t for t in key.split() if not t.startswith(LEGAL_MARK)]
        out: list[tuple[I32, float]] = []
        seen: set[str] = set()
        wanted = [
            *(k for t in tokens for k in self._token_query_keys(t)),
            *("w:" + a + b for a, b in itertools.pairwise(tokens)),
        ]
        for k in wanted:
            if k in seen:
                continue
            seen.add(k)
            ids = self.lookup(k)
            if len(ids):
                out.append((ids, KIND_WEIGHT[k[0]] * math.log1p(self.n_names / len(ids))))
        return out

    def _token_query_keys(self, tok: str) -> tuple[str, ...]:
        keys = token_keys(tok)
        if keys and len(self.lookup(keys[0])):
            return tuple(k for k in keys if k[0] != "f")
        return keys

    def candidates(
        self, lists: list[tuple[I32, float]], limit: int, budget: int
    ) -> tuple[I32, F64]:
        """Name ids of the best ``limit`` candidates and their key scores."""
        if not lists:
            return np.empty(0, np.int32), np.empty(0)
        lists = sorted(lists, key=lambda x: len(x[0]))
        head, tail = _split_budget(lists, budget)
        acc = self._scratch()
        for ids, w in head:
            acc[ids] += w
        touched = np.concatenate([a for a, _ in head]) if len(head) > 1 else head[0][0]
        for common, w in tail:
            # Common keys only boost names the rare keys found (postings are sorted).
            pos = np.minimum(np.searchsorted(common, touched), len(common) - 1)
            acc[touched[common[pos] == touched]] += w
        # Ties (names sharing one common word) go to the shorter name.
        values = acc[touched] - TIE_BREAK * self.lengths[touched]
        acc[touched] = 0.0
        if len(touched) > limit * 3:
            keep = np.argpartition(-values, limit * 3)[: limit * 3]
            touched, values = touched[keep], values[keep]
        order = np.argsort(-values, kind="stable")
        best: dict[int, float] = {}
        for nid, value in zip(touched[order].tolist(), values[order].tolist(), strict=True):
            if nid not in best:
                best[nid] = value
                if len(best) == limit:
                    break
        return np.fromiter(best, np.int32, len(best)), np.fromiter(
            best.values(), np.float64, len(best)
        )

    def _scratch(self) -> npt.NDArray[np.float32]:
        """One accumulator per index, reused: zeroed again after each query."""
        if self._acc is None:
            self._acc = np.zeros(self.n_names, dtype=np.float32)
        return self._acc


def _split_budget(
    lists: list[tuple[I32, float]], budget: int
) -> tuple[list[tuple[I32, float]], list[tuple[I32, float]]]:
    """Rare keys (read in full) and common ones (only boost names already found)."""
    total = 0
    for i, (ids, _) in enumerate(lists):
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
                keys.append(normalise(raw, self.kinds[i]).key)
                owner.append(i)
                position.append(p)
        self.name_keys = keys
        self.name_entity = np.asarray(owner, dtype=np.int32)
        # The same as compact Python arrays: indexing them is what screening does per name.
        self.owners = array("i", owner)
        self.positions = array("h", position)
        self.keys = KeyIndex.build(name_keys(k) for k in keys)
        self.identifiers: dict[str, list[int]] = {}
        for i, entity in enumerate(entities):
            for ident in entity.identifiers:
                self.identifiers.setdefault(ident, []).append(i)
        self.budget = budget or max(2_000, len(keys) // 50)
        self.build_seconds = time.perf_counter() - started

    def __len__(self) -> int:
        return len(self.entities)

    @property
    def n_names(self) -> int:
        return len(self.name_keys)

    def candidates(self, key: str, limit: int = 48) -> tuple[I32, F64]:
        """Name ids worth scoring for a normalised query name, best key score first."""
        return self.keys.candidates(self.keys.query_lists(key), limit, self.budget)

    def by_identifier(self, identifier: str) -> list[int]:
        return self.identifiers.get(normalise_identifier(identifier), [])

    def stats(self) -> dict[str, float]:
        """Size and build time, for docs/benchmarks.md."""
        return {
            "entities": len(self.entities),
            "names": self.n_names,
            "key_index_mb": round(self.keys.nbytes / 1e6, 1),
            "postings": len(self.keys.postings),
            "build_seconds": round(self.build_seconds, 2),
        }
