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
#: Levenshtein similarity a join needs at least to reach JOIN_MIN (edit similarity is at
#: most the mean of Levenshtein and Jaro-Winkler <= 1), with a margin for rounding.
JOIN_LEV = 2 * JOIN_MIN - 1 - 0.01
#: Rounding margin of the bound in :func:`_singles_in_reach`.
EPSILON = 1e-9
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
    match = compare_above(query, listed, kind, None)
    assert match is not None  # no floor: always a match
    return match


def compare_above(
    query: NormName, listed: NormName, kind: str, floor: float | None
) -> NameMatch | None:
    """:func:`compare_names`, or ``None`` when its score is certainly below ``floor``.

    Screening compares a query with a dozen list names of which most fall far short; the
    bound (:func:`_singles_in_reach`) rejects those after the token similarities, before the
    alignment rounds. A name that might reach ``floor`` gets exactly the score
    :func:`compare_names` gives."""
    qt, lt = query.tokens, listed.tokens
    if not qt or not lt:
        if floor is not None and floor > 0.0:
            return None
        return NameMatch(0.0, (), qt, lt)
    cross = query.guessed_vowels
    aligned = _align(qt, lt, kind, cross, floor)
    if aligned is None:
        return None
    pairs, free_q, free_l = aligned
    matched = total = 0.0
    # Across scripts vowels are guesswork: a doubtful pair is the normal case there.
    doubtful = 0.0 if cross else DOUBTFUL
    for a, b, sim in pairs:
        w = token_weight(a) + token_weight(b)
        matched += (sim if sim >= doubtful else DOUBT_FACTOR * sim) * w
        total += w
    miss_q = [qt[i] for i in sorted(free_q)]
    miss_l = [lt[j] for j in sorted(free_l)]
    # Across scripts, particles alone left over on the query side cost nothing: the
    # article the normaliser split off an Arabic word (``al``) is often not written.
    charged_q = [] if cross and PARTICLES.issuperset(miss_q) else miss_q
    if charged_q or miss_l:
        cost_q, cost_l = _costs(charged_q, miss_l, kind)
        total += cost_q * sum(map(token_weight, charged_q)) + cost_l * sum(
            map(token_weight, miss_l)
        )
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
    floor: float | None = None,
) -> tuple[list[tuple[str, str, float]], set[int], set[int]] | None:
    """Greedy one-to-one alignment, in rounds: exact pairs; close pairs (>= ``CLOSE``);
    joined tokens, abbreviations and acronyms; then the remaining pairs >= ``MIN_PAIR``.

    A joined slot is two adjacent tokens, so ``abdulrahman`` pairs with ``abdul rahman``
    before ``abdulrahman`` ~ ``abdul`` can; organisations also pair an acronym with the
    initials of the tokens it abbreviates (``pla`` with ``peoples liberation army``).
    ``None`` when ``floor`` is given and the score cannot reach it (:func:`_singles_in_reach`)."""
    free_q, free_l = set(range(len(qt))), set(range(len(lt)))
    pairs: list[tuple[str, str, float]] = []
    listed = set(lt)
    if not listed.isdisjoint(qt):
        for i, a in enumerate(qt):
            if a in listed:
                j = _first_free(lt, a, free_l)
                if j >= 0:
                    pairs.append((a, a, 1.0))
                    free_q.discard(i)
                    free_l.discard(j)
    if not free_q or not free_l:
        return pairs, free_q, free_l
    if floor is None:
        singles = [
            (sim, i, j)
            for i in free_q
            for j in free_l
            if (sim := token_similarity(qt[i], lt[j], cross)) >= MIN_PAIR
        ]
    else:
        reach = _singles_in_reach(qt, lt, kind, cross, floor, pairs, free_q, free_l)
        if reach is None:
            return None
        singles = reach
    singles.sort(reverse=True)
    _take_singles([p for p in singles if p[0] >= CLOSE], qt, lt, free_q, free_l, pairs)
    if free_q and free_l and (kind == "org" or _joinable(qt, lt, free_q, free_l, cross)):
        _take(_compounds(qt, lt, free_q, free_l, kind, cross), qt, lt, free_q, free_l, pairs)
    if free_q and free_l:
        _take_singles(singles, qt, lt, free_q, free_l, pairs)
    return pairs, free_q, free_l


def _first_free(tokens: tuple[str, ...], token: str, free: set[int]) -> int:
    """Position of the first free occurrence of ``token`` in ``tokens``, or -1."""
    j = tokens.index(token)
    while j not in free:
        try:
            j = tokens.index(token, j + 1)
        except ValueError:
            return -1
    return j


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


def _joinable(
    qt: tuple[str, ...], lt: tuple[str, ...], free_q: set[int], free_l: set[int], cross: bool
) -> bool:
    """Whether some free token is about as long as two (across scripts, up to three)
    adjacent free tokens on the other side: the only case a join can reach :data:`JOIN_MIN`."""
    for one, two, f1, f2 in ((qt, lt, free_q, free_l), (lt, qt, free_l, free_q)):
        joined = {len(two[j]) + len(two[j + 1]) for j in f2 if j + 1 in f2}
        if cross:
            joined.update(
                len(two[j]) + len(two[j + 1]) + len(two[j + 2])
                for j in f2
                if j + 1 in f2 and j + 2 in f2
            )
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
    qt: tuple[str, ...],
    lt: tuple[str, ...],
    free_q: set[int],
    free_l: set[int],
    kind: str,
    cross: bool = False,
) -> list[tuple[float, Slot, Slot]]:
    """Joined adjacent tokens against one token; abbreviations and acronyms (orgs). Across
    scripts a join is compared as a single token is (``al`` + ``btyry`` ~ ``albutairi``: the
    Arabic article split off and written joined in English) and may join three tokens
    (``abd al mlk`` ~ ``abdelmalek``)."""
    out: list[tuple[float, Slot, Slot]] = []
    for qs, qtext in _slots(qt, free_q, cross):
        for ls, ltext in _slots(lt, free_l, cross):
            n = len(qs) + len(ls)
            if n >= 3 and min(len(qs), len(ls)) == 1:
                # A join can only reach JOIN_MIN between strings of about one length.
                if abs(len(qtext) - len(ltext)) <= 2:
                    sim = token_similarity(qtext, ltext, cross)
                    if sim >= JOIN_MIN:
                        out.append((sim, qs, ls))
            elif n == 2 and kind == "org":
                sim = _abbreviation(qtext, ltext)
                if sim:
                    out.append((sim, qs, ls))
    if kind == "org":
        out += _acronyms(qt, lt, free_q, free_l)
    return out


def _slots(tokens: tuple[str, ...], free: set[int], cross: bool = False) -> list[tuple[Slot, str]]:
    """Each free token, and each run of adjacent free tokens joined (:func:`_runs`)."""
    out: list[tuple[Slot, str]] = [((i,), tokens[i]) for i in sorted(free)]
    return out + _runs(tokens, free, cross)


def _runs(tokens: tuple[str, ...], free: set[int], cross: bool) -> list[tuple[Slot, str]]:
    """Runs of two adjacent free tokens joined, and across scripts of three."""
    out: list[tuple[Slot, str]] = []
    for i in sorted(free):
        if i + 1 in free:
            out.append(((i, i + 1), tokens[i] + tokens[i + 1]))
            if cross and i + 2 in free:
                out.append(((i, i + 1, i + 2), tokens[i] + tokens[i + 1] + tokens[i + 2]))
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


def _singles_in_reach(
    qt: tuple[str, ...],
    lt: tuple[str, ...],
    kind: str,
    cross: bool,
    floor: float,
    exact: list[tuple[str, str, float]],
    free_q: set[int],
    free_l: set[int],
) -> list[tuple[float, int, int]] | None:
    """The free token pairs >= :data:`MIN_PAIR` (as :func:`_align` lists them), or
    ``None`` when the alignment that would follow certainly scores below ``floor``.

    ``score >= floor`` means ``sum((sim - floor) * w)`` over the aligned pairs minus
    ``floor`` times the cost of the unmatched tokens is not negative. The exact pairs are
    final; every free token's part of that sum is at most its best case: its best free
    partner's similarity, its unmatched cost at the cheapest rate, or, where it could enter
    a joined token, an abbreviation or an acronym, ``(1 - floor) * max(weight, 0.5)`` (a
    joined side weighs at most 1 whatever its number of tokens). When even the sum of the
    best cases is negative the name cannot reach ``floor``."""
    tw, sim_of = token_weight, token_similarity
    unmatched = -floor * EXTRA_QUERY_COST.get(kind, 0.8)
    # Across scripts an unmatched particle may cost nothing (compare_above).
    best_q = [0.0 if cross and t in PARTICLES else unmatched for t in qt]
    best_l = [-floor * EXTRA_COST.get(kind, 0.7)] * len(lt)
    singles: list[tuple[float, int, int]] = []
    for i in free_q:
        a = qt[i]
        for j in free_l:
            sim = sim_of(a, lt[j], cross)
            if sim >= MIN_PAIR:
                singles.append((sim, i, j))
                gain = sim - floor
                if gain > best_q[i]:
                    best_q[i] = gain
                if gain > best_l[j]:
                    best_l[j] = gain
    total = (2.0 - 2.0 * floor) * sum([tw(a) for a, _, _ in exact]) if exact else 0.0
    for i in free_q:
        best_q[i] *= tw(qt[i])
        total += best_q[i]
    for j in free_l:
        best_l[j] *= tw(lt[j])
        total += best_l[j]
    if total >= -EPSILON:
        return singles
    # Tokens that could enter a compound count at the most a compound gives them.
    marks_q, marks_l = _compound_marks(qt, lt, kind, free_q, free_l, cross)
    top = 1.0 - floor
    for i in marks_q:
        total += max(0.0, top * max(tw(qt[i]), 0.5) - best_q[i])
    for j in marks_l:
        total += max(0.0, top * max(tw(lt[j]), 0.5) - best_l[j])
    return singles if total >= -EPSILON else None


def _compound_marks(
    qt: tuple[str, ...],
    lt: tuple[str, ...],
    kind: str,
    free_q: set[int],
    free_l: set[int],
    cross: bool = False,
) -> tuple[set[int], set[int]]:
    """Free tokens that could enter a compound pair (:func:`_compounds`): a join (one token
    ~ two adjacent ones, across scripts also three, >= :data:`JOIN_MIN`) and, for
    organisations, an abbreviation or an acronym. A superset: a join is assumed wherever the
    Levenshtein similarity allows it and, across scripts, wherever the skeletons agree."""
    marks_q: set[int] = set()
    marks_l: set[int] = set()
    sides = ((qt, lt, free_q, free_l, marks_q, marks_l), (lt, qt, free_l, free_q, marks_l, marks_q))
    for one, two, f1, f2, m1, m2 in sides:
        for j in f2:
            if j + 1 not in f2:
                continue
            n = len(two[j]) + len(two[j + 1])
            for i in f1:
                if -2 <= len(one[i]) - n <= 2 and _may_join(one[i], two[j] + two[j + 1], cross):
                    m1.add(i)
                    m2.update((j, j + 1))
            if cross and j + 2 in f2:
                n += len(two[j + 2])
                for i in f1:
                    joined = two[j] + two[j + 1] + two[j + 2]
                    if -2 <= len(one[i]) - n <= 2 and _may_join(one[i], joined, cross):
                        m1.add(i)
                        m2.update((j, j + 1, j + 2))
    if kind != "org":
        return marks_q, marks_l
    for i in free_q:
        for j in free_l:
            if qt[i][0] == lt[j][0] and _abbreviation(qt[i], lt[j]):
                marks_q.add(i)
                marks_l.add(j)
    for one, two, f1, f2, m1, m2 in sides:
        for i in f1:
            word = one[i]
            if not 2 <= len(word) <= 6:
                continue
            for start in f2:
                if two[start][0] != word[0]:
                    continue
                span = range(start, start + len(word))
                if all(k in f2 and two[k][0] == word[k - start] for k in span):
                    m1.add(i)
                    m2.update(span)
    return marks_q, marks_l


def _may_join(token: str, joined: str, cross: bool) -> bool:
    """Whether ``token_similarity(token, joined, cross)`` may reach :data:`JOIN_MIN`: only
    with a Levenshtein similarity near it, or across scripts with equal skeletons."""
    if Levenshtein.normalized_similarity(token, joined, score_cutoff=JOIN_LEV):
        return True
    return cross and skeleton(token) == skeleton(joined)
