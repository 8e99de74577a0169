"""BODS statements as FollowTheMoney entity dicts: the mapping :mod:`.bods` applies.

One function per statement kind; each returns plain FtM dicts that
:class:`~greymap.sources.entities.EntityBatch` validates. The mapping itself, and how
unknown parties are flagged, is described in :mod:`greymap.sources.bods`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

#: ``status`` of every entity standing for a party BODS does not name.
UNKNOWN_PARTY = "unknown-party"
PARTIES = ("entity", "person")

ENTITY_SCHEMAS = {
    "registeredEntity": "Company",
    "legalEntity": "Organization",
    "arrangement": "LegalEntity",
    "anonymousEntity": "LegalEntity",
    "unknownEntity": "LegalEntity",
    "state": "PublicBody",
    "stateBody": "PublicBody",
}
OWNERSHIP_INTERESTS = frozenset(
    {
        "shareholding",
        "votingRights",
        "rightsToSurplusAssetsOnDissolution",
        "rightsToProfitOrIncome",
        "rightToProfitOrIncomeFromAssets",
        "beneficiaryOfLegalArrangement",
        "enjoymentAndUseOfAssets",
    }
)
DIRECTORSHIP_INTERESTS = frozenset(
    {"appointmentOfBoard", "boardMember", "boardChair", "seniorManagingOfficial"}
)
#: BODS 0.2/0.3 trust interests under their 0.4 names.
_OLD_INTERESTS = {
    "settlorOfTrust": "settlor",
    "trusteeOfTrust": "trustee",
    "protectorOfTrust": "protector",
    "beneficiaryOfTrust": "beneficiaryOfLegalArrangement",
    "otherInfluenceOrControlOfTrust": "otherInfluenceOrControl",
}
_NAME_PROPS = {
    "alternative": "alias",
    "transliteration": "alias",
    "translation": "alias",
    "nickname": "weakAlias",
    "birth": "previousName",
    "former": "previousName",
}
_LINK_ENDS = {
    "Ownership": ("owner", "asset"),
    "Directorship": ("director", "organization"),
    "UnknownLink": ("subject", "object"),
}

Props = dict[str, list[str]]
#: An FtM entity as a dict: ``{"id", "schema", "properties": Props}``.
Item = dict[str, Any]


class StatementError(Exception):
    """A statement that cannot be loaded; the message is the quarantine reason."""


@dataclass(slots=True)
class Statement:
    """One BODS statement, whatever its version: ``details`` holds its fields."""

    row: int
    raw: str
    kind: str
    key: str
    details: dict[str, Any]
    data: dict[str, Any]


def convert(st: Statement, ids: Callable[[str], str], kinds: dict[str, str]) -> list[Item]:
    """The FtM dicts for one statement, the one that counts as the row first.

    ``ids`` maps a BODS id to an entity id; ``kinds`` gives the kind of each record in
    the file, so an indirect link names only the entities it goes through.
    """
    if st.kind == "entity":
        return [_entity(st, ids)]
    if st.kind == "person":
        return [_person(st, ids)]
    return _relationship(st, ids, kinds)


def _base(st: Statement, schema: str, entity_id: str) -> Item:
    """An FtM dict with what every statement says about its own provenance."""
    publisher = _obj(_obj(st.data.get("publicationDetails")).get("publisher"))
    source = _obj(st.data.get("source"))
    props: Props = {}
    _put(props, "publisher", publisher.get("name"))
    _put(props, "publisherUrl", publisher.get("url"))
    _put(props, "sourceUrl", source.get("url"))
    _put(props, "retrievedAt", source.get("retrievedAt"))
    if st.data.get("recordStatus") == "closed":
        _put(props, "status", "closed")
    return {"id": entity_id, "schema": schema, "properties": props}


# -- entities and persons ----------------------------------------------------------------


def _entity(st: Statement, ids: Callable[[str], str]) -> Item:
    d = st.details
    etype, subtype, details = _entity_type(d.get("entityType"))
    schema = ENTITY_SCHEMAS.get(etype or "", "LegalEntity")
    item = _base(st, schema, ids(st.key))
    p = item["properties"]
    _put(p, "name", d.get("name"))
    _put(p, "alias", *string_values(d.get("alternateNames")))
    _put(p, "jurisdiction", _country(d.get("jurisdiction") or d.get("incorporatedInJurisdiction")))
    for ident in _objects(d.get("identifiers")):
        _put(
            p,
            "leiCode" if ident.get("scheme") == "XI-LEI" else "registrationNumber",
            ident.get("id"),
        )
    _put(p, "incorporationDate", d.get("foundingDate"))
    _put(p, "dissolutionDate", d.get("dissolutionDate"))
    _addresses(p, d.get("addresses"))
    _put(p, "sourceUrl", d.get("uri"))
    _put(p, "legalForm", subtype or ("arrangement" if etype == "arrangement" else None))
    _put(p, "description", details)
    listing = _obj(d.get("publicListing"))
    if listing.get("hasPublicListing") is True:
        _put(p, "keywords", "publicly listed")
    for entry in _objects(listing.get("securitiesListings")):
        security = _obj(entry.get("security"))
        if schema == "Company":
            _put(p, "ticker", security.get("ticker"))
            if str(security.get("idScheme", "")).upper() == "ISIN":
                _put(p, "isinCode", security.get("id"))
    if etype in ("anonymousEntity", "unknownEntity"):
        _flag_unknown(p, etype, _obj(d.get("unspecifiedEntityDetails")))
    return item


def _entity_type(value: Any) -> tuple[str | None, str | None, str | None]:
    """0.4 writes ``{"type", "subtype", "details"}``, earlier versions a bare string."""
    if isinstance(value, dict):
        return value.get("type"), value.get("subtype"), value.get("details")
    return (value if isinstance(value, str) else None), None, None


def _person(st: Statement, ids: Callable[[str], str]) -> Item:
    d = st.details
    item = _base(st, "Person", ids(st.key))
    p = item["properties"]
    for name in _objects(d.get("names")):
        parts = [name.get(k) for k in ("givenName", "patronymicName", "familyName")]
        full = name.get("fullName") or " ".join(str(x) for x in parts if x)
        _put(p, _NAME_PROPS.get(str(name.get("type")), "name"), full)
        _put(p, "firstName", name.get("givenName"))
        _put(p, "fatherName", name.get("patronymicName"))
        _put(p, "lastName", name.get("familyName"))
    _put(p, "nationality", *(_country(n) for n in _objects(d.get("nationalities"))))
    _put(p, "birthDate", d.get("birthDate"))
    _put(p, "deathDate", d.get("deathDate"))
    _put(p, "birthPlace", _address_text(_obj(d.get("placeOfBirth"))))
    _addresses(p, [*_objects(d.get("addresses")), _obj(d.get("placeOfResidence"))])
    _put(p, "country", *(_country(c) for c in _objects(d.get("taxResidencies"))))
    for ident in _objects(d.get("identifiers")):
        passport = "passport" in str(ident.get("schemeName", "")).lower()
        _put(p, "passportNumber" if passport else "idNumber", ident.get("id"))
    _pep(p, d)
    person_type = d.get("personType")
    if person_type in ("anonymousPerson", "unknownPerson"):
        details = _obj(d.get("unspecifiedPersonDetails")) or {
            "description": d.get("missingInfoReason")
        }
        _flag_unknown(p, str(person_type), details)
    return item


def _pep(p: Props, d: dict[str, Any]) -> None:
    """0.4/0.3 ``politicalExposure``; 0.2 ``hasPepStatus`` and ``pepStatusDetails``."""
    exposure = _obj(d.get("politicalExposure"))
    details = _objects(exposure.get("details") or d.get("pepStatusDetails"))
    if exposure.get("status") != "isPep" and d.get("hasPepStatus") is not True:
        return
    _put(p, "topics", "role.pep")
    for detail in details:
        _put(p, "position", detail.get("reason"))
        where = _obj(detail.get("jurisdiction")).get("name")
        start, end = detail.get("startDate"), detail.get("endDate")
        span = (
            f"{start} to {end}"
            if start and end
            else f"from {start}"
            if start
            else end and f"until {end}"
        )
        text = ", ".join(str(x) for x in (detail.get("reason"), where, span) if x)
        _put(p, "notes", f"politically exposed: {text}" if text else None)


def _flag_unknown(p: Props, kind: str, details: dict[str, Any]) -> None:
    _put(p, "status", UNKNOWN_PARTY)
    why = ": ".join(str(x) for x in (details.get("reason"), details.get("description")) if x)
    _put(p, "description", f"{kind}: {why}" if why else kind)


# -- relationships -----------------------------------------------------------------------


def endpoints(st: Statement, ids: Callable[[str], str]) -> Iterator[str]:
    subject, party, _ = _parties(st.details)
    yield from (ids(k) for k in (subject, party) if k)


def _parties(d: dict[str, Any]) -> tuple[str | None, str | None, dict[str, Any] | None]:
    """(subject, interested party, unspecified-party details), for any BODS version."""
    subject = _ref(d.get("subject"), "describedByEntityStatement")
    raw = d.get("interestedParty")
    party = _ref(raw, "describedByPersonStatement", "describedByEntityStatement")
    unspecified = None
    if party is None and isinstance(raw, dict):
        unspecified = _obj(raw.get("unspecified")) or (raw if "reason" in raw else None)
    return subject, party, unspecified


def _relationship(st: Statement, ids: Callable[[str], str], kinds: dict[str, str]) -> list[Item]:
    subject, party, unspecified = _parties(st.details)
    if subject is None:
        raise StatementError("relationship has no subject (the entity owned or controlled)")
    extra: list[Item] = []
    if party is not None:
        owner = ids(party)
    elif unspecified is not None:
        placeholder = _base(st, "LegalEntity", ids(st.key) + "-unspecified")
        _flag_unknown(placeholder["properties"], "unspecified interested party", unspecified)
        extra.append(placeholder)
        owner = placeholder["id"]
    else:
        raise StatementError("relationship has no interested party")
    interests = _objects(st.details.get("interests")) or [{}]
    through = [
        ids(str(c))
        for c in string_values(
            st.details.get("componentRecords") or st.details.get("componentStatementIDs")
        )
        if kinds.get(ids(str(c))) in PARTIES
    ]
    links = [
        _link(st, ids, interest, i, (owner, ids(subject)), through)
        for i, interest in enumerate(interests)
    ]
    if unspecified is not None:
        for link in links:
            _put(link["properties"], "status", UNKNOWN_PARTY)
    return links + extra


def _link(
    st: Statement,
    ids: Callable[[str], str],
    interest: dict[str, Any],
    index: int,
    ends: tuple[str, str],
    through: list[str],
) -> Item:
    kind = interest_type(interest.get("type"))
    schema = (
        "Ownership"
        if kind in OWNERSHIP_INTERESTS
        else "Directorship"
        if kind in DIRECTORSHIP_INTERESTS
        else "UnknownLink"
    )
    entity_id = ids(st.key) + (f"-{index + 1}" if index else "")
    item = _base(st, schema, entity_id)
    p = item["properties"]
    source, target = _LINK_ENDS[schema]
    p[source], p[target] = [ends[0]], [ends[1]]
    level = interest.get("directOrIndirect") or interest.get("interestLevel") or "unknown"
    _put(p, "summary", level)
    _put(p, "recordId", st.key)
    _put(p, "startDate", interest.get("startDate"))
    closed = st.data.get("recordStatus") == "closed"
    _put(
        p, "endDate", interest.get("endDate") or (st.data.get("statementDate") if closed else None)
    )
    beneficial = interest.get("beneficialOwnershipOrControl") is True
    if schema == "Ownership":
        _put(p, "ownershipType", kind)
        _put(p, "percentage", share_text(interest.get("share")))
    else:
        _put(p, "role", _label(kind) if kind else "unspecified interest")
    _put(p, "role", "beneficial owner" if beneficial else None)
    words: list[Any] = [f"{level} {_label(kind) if kind else 'interest of unstated type'}"]
    words += [_share_words(interest.get("share")), interest.get("details")]
    words += ["beneficial ownership or control" if beneficial else None]
    words += [f"through {', '.join(through)}" if through and level == "indirect" else None]
    _put(p, "description", "; ".join(str(w) for w in words if w))
    return item


def interest_type(value: Any) -> str | None:
    """A BODS interest type in its 0.4 camelCase spelling (0.2/0.3 used kebab-case)."""
    if not isinstance(value, str) or not value.strip():
        return None
    head, *rest = value.strip().split("-")
    name = head + "".join(w[:1].upper() + w[1:] for w in rest)
    return _OLD_INTERESTS.get(name, name)


def share_text(share: Any) -> str | None:
    """``"60"`` for an exact share, ``"25-50"`` for a range (open ends: 0 and 100)."""
    share = _obj(share)
    exact = _num(share.get("exact"))
    if exact is not None:
        return _number(exact)
    low, _, high, _ = _bounds(share)
    if low is None and high is None:
        return None
    return f"{_number(0 if low is None else low)}-{_number(100 if high is None else high)}"


def _share_words(share: Any) -> str | None:
    share = _obj(share)
    exact = _num(share.get("exact"))
    if exact is not None:
        return f"share {_number(exact)}%"
    low, low_open, high, high_open = _bounds(share)
    found = [
        f"{'more than' if low_open else 'at least'} {_number(low)}%" if low is not None else "",
        f"{'less than' if high_open else 'at most'} {_number(high)}%" if high is not None else "",
    ]
    return "share " + " and ".join(w for w in found if w) if any(found) else None


def _bounds(share: dict[str, Any]) -> tuple[Any, bool, Any, bool]:
    """(minimum, exclusive?, maximum, exclusive?): 0.4 gives ``exclusiveMinimum`` as a
    number, 0.2/0.3 as a flag on ``minimum``."""
    bounds: list[Any] = []
    for inclusive, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        value, flag = _num(share.get(inclusive)), share.get(exclusive)
        if value is None:
            value, flag = _num(flag), _num(flag) is not None
        bounds += [value, flag is True]
    return bounds[0], bounds[1], bounds[2], bounds[3]


def _num(value: Any) -> Any:
    return None if value is None or isinstance(value, bool) else value


# -- small helpers -----------------------------------------------------------------------


def _ref(value: Any, *keys: str) -> str | None:
    """A reference: a bare id (0.4) or ``{"describedBy...Statement": id}`` (0.2/0.3)."""
    if isinstance(value, dict):
        value = next((value[k] for k in keys if value.get(k)), None)
    if not isinstance(value, str | int):
        return None
    return str(value).strip() or None


def _addresses(p: Props, addresses: Any) -> None:
    for address in _objects(addresses):
        _put(p, "address", _address_text(address))
        _put(p, "country", _country(address.get("country")))


def _address_text(address: dict[str, Any]) -> str | None:
    text = str(address.get("address") or "").strip()
    extra = [address.get("postCode"), _obj(address.get("country")).get("name")]
    parts = [text, *(str(x) for x in extra if x and str(x) not in text)]
    return ", ".join(x for x in parts if x) or None


def _country(value: Any) -> str | None:
    """BODS countries are ``{"name", "code"}``; FtM reads either the code or the name."""
    if isinstance(value, str):  # 0.2 addresses give a bare code
        return value.strip() or None
    found = _obj(value).get("code") or _obj(value).get("name")
    return str(found) if found else None


def _label(kind: str | None) -> str:
    """``"seniorManagingOfficial"`` -> ``"senior managing official"``."""
    text = "".join(f" {c.lower()}" if c.isupper() else c for c in kind or "")
    return text.strip()


def _number(value: Any) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return str(int(number)) if number.is_integer() else str(number)


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _objects(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def string_values(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(v) for v in items if isinstance(v, str | int) and str(v).strip()]


def _put(props: Props, name: str, *values: Any) -> None:
    for value in values:
        if value is None or isinstance(value, dict | list):
            continue
        text = str(value).strip()
        if text and text not in props.setdefault(name, []):
            props[name].append(text)
