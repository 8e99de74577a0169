"""The screening score: a table of weighted features, each shown in the explanation.

Like OpenSanctions' logic-v2, the score is a sum of weighted feature values clipped to
[0, 1]. The name feature carries the score; qualifiers move it: a birth date or country
that disagrees lowers it, an identifier both sides quote makes a match near-certain, a weak
alias ("low quality a.k.a.") counts less. A compliance officer reads the same table in
``explanation``: ``name 0.93 (putin=putin, vladimir~wladimir 0.92) | birth date differs
-0.30 = 0.63``.

The weights are set by hand so that they read as rules; the threshold is calibrated on a
training split (:mod:`greymap.screening.calibrate`, docs/screening.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from greymap.screening.names import NameMatch, compare_names
from greymap.screening.normalise import NormName, name_kind, normalise
from greymap.screening.records import COMPATIBLE, ListEntity, Query, normalise_identifier


@dataclass(frozen=True, slots=True)
class Feature:
    """One line of the score: its name, weight and what it means."""

    name: str
    weight: float
    description: str


FEATURES: dict[str, Feature] = {
    f.name: f
    for f in (
        Feature("name", 1.0, "token-aligned similarity of the best pair of names, 0-1"),
        Feature("weak_alias", -0.08, "the best name is a weak alias (low-quality a.k.a.)"),
        Feature("birth_date_match", 0.05, "a full birth date agrees"),
        Feature("birth_date_mismatch", -0.3, "birth years differ by more than one year"),
        Feature("country_match", 0.02, "the country is among the entry's countries"),
        Feature("country_mismatch", -0.2, "the entry's countries do not include the country"),
        Feature("identifier_match", 1.0, "an identifier (IMO, passport, registration) agrees"),
    )
}

#: Default threshold: the calibrated value (docs/screening.md, calibrate.py).
THRESHOLD = 0.81


@dataclass(slots=True)
class Match:
    """One list entry scored against one query, with the parts of its score."""

    entity: ListEntity
    score: float
    name: str
    name_kind: str
    name_match: NameMatch
    components: tuple[tuple[str, float], ...]

    def explanation(self) -> str:
        """The score as a compliance officer reads it, feature by feature."""
        parts = [f"name {self.name_match.score:.2f} ({self.name_match.describe()})"]
        if self.name_kind != "name":
            parts[0] += f" via {self.name_kind} {self.name!r}"
        for feature, value in self.components:
            if feature != "name":
                parts.append(f"{feature.replace('_', ' ')} {value:+.2f}")
        return " | ".join(parts) + f" = {self.score:.2f}"


def compatible(query_schema: str | None, entity_schema: str) -> bool:
    """Whether a query of ``query_schema`` may be the entity (no schema: anything)."""
    if query_schema is None:
        return True
    return entity_schema in COMPATIBLE.get(query_schema, frozenset({query_schema}))


def best_name(
    query: NormName, entity: ListEntity, kind: str, normed: tuple[NormName, ...] | None = None
) -> tuple[str, str, NameMatch]:
    """The entity's name that fits the query best, weak aliases discounted."""
    forms = normed or tuple(normalise(n, kind) for n, _ in entity.names)
    best: tuple[float, str, str, NameMatch] | None = None
    for (raw, strength), form in zip(entity.names, forms, strict=True):
        match = compare_names(query, form, kind)
        value = match.score + (FEATURES["weak_alias"].weight if strength == "weakAlias" else 0)
        if best is None or value > best[0]:
            best = (value, raw, strength, match)
    if best is None:
        return "", "name", NameMatch(0.0, (), query.tokens, ())
    return best[1], best[2], best[3]


def qualifiers(query: Query, entity: ListEntity) -> list[tuple[str, float]]:
    """Feature values (0 or 1) the query's birth date, country and identifier give."""
    out: list[tuple[str, float]] = []
    if query.birth_date and entity.birth_dates:
        out.append(_birth_date(query.birth_date, entity.birth_dates))
    if query.country and entity.countries:
        hit = query.country in entity.countries
        out.append(("country_match" if hit else "country_mismatch", 1.0))
    ident = normalise_identifier(query.identifier) if query.identifier else ""
    if ident and ident in entity.identifiers:
        out.append(("identifier_match", 1.0))
    return [(f, v) for f, v in out if f]


def _birth_date(query: str, dates: tuple[str, ...]) -> tuple[str, float]:
    if len(query) == 10 and query in dates:
        return "birth_date_match", 1.0
    year = int(query[:4])
    years = {int(d[:4]) for d in dates if d[:4].isdigit()}
    if not years or any(abs(year - y) <= 1 for y in years):
        return "", 0.0
    return "birth_date_mismatch", 1.0


def score_entity(
    query: Query,
    entity: ListEntity,
    qnorm: NormName | None = None,
    normed: tuple[NormName, ...] | None = None,
) -> Match:
    """Score ``entity`` against ``query``: best name, then qualifiers."""
    kind = name_kind(query.schema or entity.schema)
    qn = qnorm or normalise(query.name, kind)
    raw, strength, nm = best_name(qn, entity, kind, normed)
    return combine(query, entity, raw, strength, nm)


def combine(query: Query, entity: ListEntity, raw: str, strength: str, nm: NameMatch) -> Match:
    """Sum the weighted features into the score, clipped to [0, 1]."""
    components: list[tuple[str, float]] = [("name", nm.score)]
    if strength == "weakAlias":
        components.append(("weak_alias", FEATURES["weak_alias"].weight))
    for feature, value in qualifiers(query, entity):
        components.append((feature, FEATURES[feature].weight * value))
    score = min(1.0, max(0.0, sum(v for _, v in components)))
    return Match(entity, round(score, 4), raw, strength, nm, tuple(components))
