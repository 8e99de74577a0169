"""Name similarity: align the tokens of two normalised names and weigh what agrees.

Token order does not matter (``PUTIN, Vladimir`` = ``Vladimir Putin``): every query token
is paired with at most one list token, best pairs first. A pair's similarity is the best
of edit similarity (Levenshtein, and its mean with Jaro-Winkler, which forgives typos at
the end of long tokens), phonetic agreement (equal consonant skeletons, see
:func:`~greymap.screening.normalise.skeleton`) and initials (``V.`` pairs with
``Vladimir``). A token that finds no partner may match two adjacent tokens joined
(``Abdulrahman`` = ``Abdul Rahman``).

The score is the weighted share of agreeing tokens. Particles (``al``, ``bin``, ``van``)
weigh little and long tokens most. A query token left unmatched costs its full weight: the
query names something the list entry does not have. A list token left unmatched costs
less (``EXTRA_COST``): lists carry fuller names (patronymics, second family names) than
a counterparty usually writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler, Levenshtein

from greymap.screening.normalise import PARTICLES, NormName, skeleton, token_weight

#: Pairs below this similarity are not aligned: their tokens count as unmatched.
MIN_PAIR = 0.6
#: Aligned pairs below this similarity are doubtful (``putin`` ~ ``potanin`` 0.69): they
#: count at DOUBT_FACTOR of their similarity, so one doubtful part cannot carry a match.
DOUBTFUL = 0.75
DOUBT_FACTOR = 0.6
#: Pairs this close are taken before joined tokens and abbreviations are tried.
CLOSE = 0.85
#: A token paired with two joined tokens must be this close (word joining, splitting).
JOIN_MIN = 0.88
#: ``corp`` ~ ``corporation`` and ``pla`` ~ ``peoples liberation army`` (organisations).
ABBREVIATION_SIM = 0.8
ACRONYM_SIM = 0.85
#: Cost of unmatched tokens when both names have one: a part was replaced, not dropped.
CONFLICT_COST = 1.3
#: Share of its weight an unmatched query-side token costs when nothing conflicts.
EXTRA_QUERY_COST = {"per": 0.6, "org": 0.8, "obj": 1.0}
#: Weight of an initial paired with a full token that starts with it.
INITIAL_SIM = 0.85
#: Similarity given to two tokens with equal phonetic skeletons.
PHONETIC_SIM = 0.9
PHONETIC_SIM_LATIN = 0.0  # within Latin script, edit similarity decides alone
#: Share of its weight an unmatched list-side token costs (query-side tokens cost 1).
EXTRA_COST = {"per": 0.45, "org": 0.7, "obj": 0.8}
#: Legal forms: agreeing adds nothing, disagreeing (``AG`` vs ``GmbH``) costs this.
LEGAL_MISMATCH = 0.06


@dataclass(slots=True)
class NameMatch:
    """How two names compare: the score and the token pairs behind it."""

    score: float
    pairs: tuple[tuple[str, str, float], ...]
    unmatched_query: tuple[str, ...]
    unmatched_list: tuple[str, ...]
    legal_mismatch: bool = False

    def describe(self) -> str:
        """``putin=putin, vladimir~wladimir 0.92, -ivanovich`` for an explanation."""
        parts = [f"{a}={b}" if s >= 0.999 else f"{a}~{b} {s:.2f}" for a, b, s in self.pairs]
        parts += [f"+{t}" for t in self.unmatched_query]
        parts += [f"-{t}" for t in self.unmatched_list]
        if self.legal_mismatch:
            parts.append("legal form differs")
        return ", ".join(parts)


@lru_cache(maxsize=1_000_000)
def token_similarity(a: str, b: str, cross: bool = False) -> float:
    """Similarity of two ASCII tokens in [0, 1]; 1 only when equal.

    ``cross``: the query comes from a script whose Latin reading guesses the vowels
    (Arabic, Han: :attr:`NormName.guessed_vowels`), so equal phonetic skeletons count as
    :data:`PHONETIC_SIM`; otherwise edit similarity decides (``putin`` and ``potanin``
    share a skeleton)."""
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return INITIAL_SIM if a[0] == b[0] else 0.0
    lev = Levenshtein.normalized_similarity(a, b)
    edit = max(lev, 0.5 * (lev + JaroWinkler.similarity(a, b)))
    ska, skb = skeleton(a), skeleton(b)
    # Two-consonant skeletons collide often (kaida, jihad: kt): they need some spelling too.
    if ska == skb and (len(ska) >= 3 or (cross and len(ska) == 2 and lev >= 0.34)):
        return max(edit, PHONETIC_SIM if cross else PHONETIC_SIM_LATIN)
    return min(edit, 0.99)


def compare_names(query: NormName, listed: NormName, kind: str = "org") -> NameMatch:
    """Align ``query`` with ``listed`` and score the agreement in [0, 1]."""
    qt, lt = query.tokens, listed.tokens
    if not qt or not lt:
        return NameMatch(0.0, (), qt, lt)
    pairs, free_q, free_l = _align(qt, lt, kind, query.guessed_vowels)
    matched = total = 0.0
    # Across scripts vowels are guesswork: a doubtful pair is the normal case there.
    doubtful = 0.0 if query.guessed_vowels else DOUBTFUL
    for a, b, sim in pairs:
        w = token_weight(a) + token_weight(b)
        matched += (sim if sim >= doubtful else DOUBT_FACTOR * sim) * w
        total += w
    miss_q = [qt[i] for i in sorted(free_q)]
    miss_l = [lt[j] for j in sorted(free_l)]
    if miss_q or miss_l:
        cost_q, cost_l = _costs(miss_q, miss_l, kind)
        total += cost_q * sum(map(token_weight, miss_q)) + cost_l * sum(map(token_weight, miss_l))
    score = matched / total if total else 0.0
    legal = bool(query.legal and listed.legal and not set(query.legal) & set(listed.legal))
    if legal:
        score = max(0.0, score - LEGAL_MISMATCH)
    return NameMatch(score, tuple(pairs), tuple(miss_q), tuple(miss_l), legal)


def _costs(miss_q: list[str], miss_l: list[str], kind: str) -> tuple[float, float]:
    """What unmatched tokens cost: a token on each side means one name part was *replaced*
    (another person or firm), a token on one side only means a part was dropped."""
    real_q = any(t not in PARTICLES for t in miss_q)
    real_l = any(t not in PARTICLES for t in miss_l)
    if real_q and real_l:
        return CONFLICT_COST, CONFLICT_COST
    return EXTRA_QUERY_COST.get(kind, 0.8), EXTRA_COST.get(kind, 0.7)


Slot = tuple[int, ...]


def _align(
    qt: tuple[str, ...],
    lt: tuple[str, ...],
    kind: str,
    cross: bool = False,
) -> tuple[list[tuple[str, str, float]], set[int], set[int]]:
    """Greedy one-to-one alignment, in rounds: exact pairs; close pairs (>= ``CLOSE``);
    joined tokens, abbreviations and acronyms; then the remaining pairs >= ``MIN_PAIR``.

    A joined slot is two adjacent tokens, so ``abdulrahman`` pairs with ``abdul rahman``
    before ``abdulrahman`` ~ ``abdul`` can; organisations also pair an acronym with the
    initials of the tokens it abbreviates (``pla`` with ``peoples liberation army``)."""
    free_q, free_l = set(range(len(qt))), set(range(len(lt)))
    pairs: list[tuple[str, str, float]] = []
    if not set(qt).isdisjoint(lt):
        where: dict[str, list[int]] = {}
        for j, b in enumerate(lt):
            where.setdefault(b, []).append(j)
        for i, a in enumerate(qt):
            spots = where.get(a)
            if spots:
                j = spots.pop(0)
                pairs.append((a, a, 1.0))
                free_q.discard(i)
                free_l.discard(j)
    if not free_q or not free_l:
        return pairs, free_q, free_l
    singles = [
        (sim, i, j)
        for i in free_q
        for j in free_l
        if (sim := token_similarity(qt[i], lt[j], cross)) >= MIN_PAIR
    ]
    singles.sort(reverse=True)
    _take_singles([p for p in singles if p[0] >= CLOSE], qt, lt, free_q, free_l, pairs)
    if free_q and free_l and (kind == "org" or _joinable(qt, lt, free_q, free_l)):
        _take(_compounds(qt, lt, free_q, free_l, kind), qt, lt, free_q, free_l, pairs)
    if free_q and free_l:
        _take_singles(singles, qt, lt, free_q, free_l, pairs)
    return pairs, free_q, free_l


def _take_singles(
    scored: list[tuple[float, int, int]],
    qt: tuple[str, ...],
    lt: tuple[str, ...],
    free_q: set[int],
    free_l: set[int],
    pairs: list[tuple[str, str, float]],
) -> None:
    """Accept token pairs (sorted best first) while both tokens are free."""
    for sim, i, j in scored:
        if i in free_q and j in free_l:
            pairs.append((qt[i], lt[j], sim))
            free_q.discard(i)
            free_l.discard(j)


def _joinable(qt: tuple[str, ...], lt: tuple[str, ...], free_q: set[int], free_l: set[int]) -> bool:
    """Whether some free token is about as long as two adjacent free tokens on the other
    side: the only case a join can reach :data:`JOIN_MIN`."""
    for one, two, f1, f2 in ((qt, lt, free_q, free_l), (lt, qt, free_l, free_q)):
        joined = {len(two[j]) + len(two[j + 1]) for j in f2 if j + 1 in f2}
        if joined and any(abs(len(one[i]) - n) <= 2 for i in f1 for n in joined):
            return True
    return False


def _take(
    scored: list[tuple[float, Slot, Slot]],
    qt: tuple[str, ...],
    lt: tuple[str, ...],
    free_q: set[int],
    free_l: set[int],
    pairs: list[tuple[str, str, float]],
) -> None:
    """Accept pairs best first while both sides are still free."""
    scored.sort(key=lambda x: (x[0], -len(x[1]) - len(x[2])), reverse=True)
    for sim, qs, ls in scored:
        if free_q.issuperset(qs) and free_l.issuperset(ls):
            pairs.append((" ".join(qt[i] for i in qs), " ".join(lt[j] for j in ls), sim))
            free_q.difference_update(qs)
            free_l.difference_update(ls)


def _compounds(
    qt: tuple[str, ...], lt: tuple[str, ...], free_q: set[int], free_l: set[int], kind: str
) -> list[tuple[float, Slot, Slot]]:
    """Joined adjacent tokens against one token; abbreviations and acronyms (orgs)."""
    out: list[tuple[float, Slot, Slot]] = []
    for qs, qtext in _slots(qt, free_q):
        for ls, ltext in _slots(lt, free_l):
            n = len(qs) + len(ls)
            if n == 3:
                # A join can only reach JOIN_MIN between strings of about one length.
                if abs(len(qtext) - len(ltext)) <= 2:
                    sim = token_similarity(qtext, ltext)
                    if sim >= JOIN_MIN:
                        out.append((sim, qs, ls))
            elif n == 2 and kind == "org":
                sim = _abbreviation(qtext, ltext)
                if sim:
                    out.append((sim, qs, ls))
    if kind == "org":
        out += _acronyms(qt, lt, free_q, free_l)
    return out


def _slots(tokens: tuple[str, ...], free: set[int]) -> list[tuple[Slot, str]]:
    """Each free token, and each run of two adjacent free tokens joined."""
    out: list[tuple[Slot, str]] = [((i,), tokens[i]) for i in sorted(free)]
    out += [((i, i + 1), tokens[i] + tokens[i + 1]) for i in sorted(free) if i + 1 in free]
    return out


def _abbreviation(a: str, b: str) -> float:
    """``corp`` for ``corporation``, ``intl`` for ``international``: a short form that is a
    prefix, or keeps the first letters and last letter, of a long word (organisations)."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(short) < 3 or len(long) < len(short) + 2:
        return 0.0
    if long.startswith(short):
        return ABBREVIATION_SIM
    if short[0] == long[0] and short[-1] == long[-1] and _is_subsequence(short, long):
        return ABBREVIATION_SIM
    return 0.0


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _acronyms(
    qt: tuple[str, ...], lt: tuple[str, ...], free_q: set[int], free_l: set[int]
) -> list[tuple[float, Slot, Slot]]:
    """An acronym token against the initials of a run of free tokens on the other side."""
    out: list[tuple[float, Slot, Slot]] = []
    for one, two, free_one, free_two, flip in (
        (qt, lt, free_q, free_l, False),
        (lt, qt, free_l, free_q, True),
    ):
        for i in free_one:
            word = one[i]
            if not 2 <= len(word) <= 6:
                continue
            run = _initials_run(word, two, free_two)
            if run:
                out.append((ACRONYM_SIM, run, (i,)) if flip else (ACRONYM_SIM, (i,), run))
    return out


def _initials_run(word: str, tokens: tuple[str, ...], free: set[int]) -> Slot:
    """Positions of consecutive free tokens whose initials spell ``word``, or ``()``."""
    n = len(word)
    for start in sorted(free):
        span = tuple(range(start, start + n))
        if all(k in free for k in span) and "".join(tokens[k][0] for k in span) == word:
            return span
    return ()
