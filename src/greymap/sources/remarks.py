"""OFAC's Remarks grammar, and the identifier labels OFAC uses in CSV and XML alike.

OFAC packs what its legacy CSV has no column for into one Remarks field, as clauses
separated by ``;``::

    DOB 10 Jan 1960; alt. DOB 1961; POB Baghdad, Iraq; nationality Iraq;
    Passport A123 (Iraq) issued 01 Jan 2000; Linked To: SOME COMPANY LTD.

A clause is a *label* (``DOB``, ``Passport``, ``Tax ID No.``...), then a value, then for
identifiers an optional ``(Country)`` and ``issued``/``expires`` dates. The XML list
carries the same labels as ``idType`` with the value in ``idNumber``, so both readers
turn a label and a value into :class:`Fact` through :func:`facts_for`. The label table
below is declarative: an unknown label is kept as a note, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

#: Pseudo-properties: facts that are not a plain FtM property of the target.
LINK = "@link"  # "Linked To: NAME" -> an UnknownLink to the entry of that name
OWNER = "@owner"  # a vessel's owner, by name
OPERATOR = "@operator"  # an aircraft's operator, by name
PROVISION = "@provision"  # what the sanction entails -> Sanction.provisions
NOTE = "@note"  # anything else -> the target's notes

#: Label (as OFAC writes it) -> FtM property of the target, or a pseudo-property.
#: Where a schema lacks the property, the builder keeps the clause as a note.
LABELS: dict[str, str] = {
    # who and when
    "DOB": "birthDate",
    "POB": "birthPlace",
    "nationality": "nationality",
    "Nationality of Registration": "flag",
    "citizen": "citizenship",
    "Gender": "gender",
    "Organization Established Date": "incorporationDate",
    "Organization Type": "sector",
    "Position": "position",
    "a.k.a.": "alias",
    "n.k.a.": "alias",
    "f.k.a.": "previousName",
    "Linked To": LINK,
    "Website": "website",
    "Email": "email",
    "Email Address": "email",
    "Telephone": "phone",
    "Telephone No.": "phone",
    "Phone": "phone",
    "Phone No.": "phone",
    "Fax": "phone",
    "Fax No.": "phone",
    # personal documents
    "Passport": "passportNumber",
    "Diplomatic Passport": "passportNumber",
    "Travel Document Number": "passportNumber",
    "SSN": "socialSecurityNumber",
    "National ID No.": "idNumber",
    "Identification Number": "idNumber",
    "Personal ID Card": "idNumber",
    "Citizen's Card Number": "idNumber",
    "Turkish Identification Number": "idNumber",
    "Kenyan ID No.": "idNumber",
    "Numero de Identidad": "idNumber",
    "Cedula No.": "idNumber",
    "D.N.I.": "idNumber",
    "C.U.R.P.": "idNumber",
    "C.U.I.": "idNumber",
    "C.U.I.P.": "idNumber",
    "I.F.E.": "idNumber",
    "Credencial electoral": "idNumber",
    "Electoral Registry No.": "idNumber",
    "Residency Number": "idNumber",
    "Birth Certificate Number": "idNumber",
    "Driver's License No.": "idNumber",
    "Public Security and Immigration No.": "idNumber",
    "Cartilla de Servicio Militar Nacional": "idNumber",
    "LE Number": "idNumber",
    "VisaNumberID": "idNumber",
    "SRE Permit No.": "idNumber",
    "Permit Number": "idNumber",
    "Romanian Permanent Resident": "idNumber",
    "Refugee ID Card": "idNumber",
    "File Number": "idNumber",
    # tax and business identifiers
    "Tax ID No.": "taxNumber",
    "R.F.C.": "taxNumber",
    "RFC": "taxNumber",
    "C.U.I.T.": "taxNumber",
    "RTN": "taxNumber",
    "US FEIN": "taxNumber",
    "Italian Fiscal Code": "taxNumber",
    "NIT #": "taxNumber",
    "RUC #": "taxNumber",
    "V.A.T. Number": "vatCode",
    "SWIFT/BIC": "swiftBic",
    "D-U-N-S Number": "dunsCode",
    "Legal Entity Number": "leiCode",
    "BIK (RU)": "bikCode",
    "Unified Social Credit Code (USCC)": "uscCode",
    "United Social Credit Code Certificate (USCCC)": "uscCode",
    "Registration ID": "registrationNumber",
    "Registration Number": "registrationNumber",
    "Public Registration Number": "registrationNumber",
    "Business Registration Number": "registrationNumber",
    "Business Registration Document #": "registrationNumber",
    "Company Number": "registrationNumber",
    "UK Company Number": "registrationNumber",
    "Commercial Registry Number": "registrationNumber",
    "Certificate of Incorporation Number": "registrationNumber",
    "Chamber of Commerce Number": "registrationNumber",
    "Istanbul Chamber of Comm. No.": "registrationNumber",
    "Dubai Chamber of Commerce Membership No.": "registrationNumber",
    "Trade License No.": "registrationNumber",
    "Folio Mercantil No.": "registrationNumber",
    "Matricula Mercantil No": "registrationNumber",
    "C.R. No.": "registrationNumber",
    "Enterprise Number": "registrationNumber",
    "Branch Unit Number": "registrationNumber",
    "Economic Register Number (CBLS)": "registrationNumber",
    "Government Gazette Number": "registrationNumber",
    "Registered Charity No.": "registrationNumber",
    "License": "registrationNumber",
    # vessels and aircraft
    "Vessel Registration Identification": "imoNumber",
    "MMSI": "mmsi",
    "Other Vessel Call Sign": "callSign",
    "Other Vessel Flag": "pastFlags",
    "Former Vessel Flag": "pastFlags",
    "Other Vessel Type": "pastTypes",
    "Vessel Year of Build": "buildDate",
    "Vessel Owner": OWNER,
    "Aircraft Construction Number (also called L/N or S/N or F/N)": "serialNumber",
    "Aircraft Manufacturer's Serial Number (MSN)": "serialNumber",
    "Aircraft Serial Identification": "serialNumber",
    "Aircraft Manufacture Date": "buildDate",
    "Aircraft Model": "model",
    "Aircraft Operator": OPERATOR,
    "Aircraft Tail Number": "registrationNumber",
    "Previous Aircraft Tail Number": "registrationNumber",
    # what the sanction entails
    "Additional Sanctions Information": PROVISION,
    "Secondary sanctions risk": PROVISION,
    "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions": PROVISION,
    "Executive Order 13662 Directive Determination": PROVISION,
    "Executive Order 13846 information": PROVISION,
    "CAATSA Section 235 Information": PROVISION,
    "IFCA Determination": PROVISION,
    "Effective Date (EO 14024 Directive 2)": PROVISION,
    "Listing Date (EO 14024 Directive 2)": PROVISION,
    "For more information on directives, please visit the following link": PROVISION,
    "For more information, please see": PROVISION,
}

DATE_PROPS = frozenset({"birthDate", "incorporationDate", "buildDate"})
NAME_PROPS = frozenset({"alias", "previousName", "weakAlias"})
#: Identifier values may end in "(Country)" and "issued ..."/"expires ..." qualifiers.
ID_PROPS = frozenset(
    p for p in LABELS.values() if p.endswith(("Number", "Code", "Bic")) or p == "imoNumber"
) | {"mmsi", "callSign"}


@dataclass(frozen=True, slots=True)
class Fact:
    """One thing a list says about its target: an FtM (pseudo-)property and a value."""

    prop: str
    value: str
    #: The list's own wording of the clause, used when the value ends up as a note.
    text: str


def label_key(label: str) -> str:
    """Labels compare blind to case and to trailing ``:``/``-`` (XML writes
    ``Additional Sanctions Information -``, the CSV ``... Information - Subject to``)."""
    return re.sub(r"[\s:\-]+$", "", label.strip()).lower()


_BY_KEY = {label_key(label): prop for label, prop in LABELS.items()}
# Longest label first, so "Nationality of Registration" wins over "nationality".
_LABEL_RE = re.compile(
    "|".join(re.escape(k) for k in sorted(_BY_KEY, key=len, reverse=True)) + r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ALT_RE = re.compile(r"^alt\.\s+", re.IGNORECASE)
_QUALIFIER_RE = re.compile(
    r"\s*(?:\((?P<country>[^()]*)\))?\s*(?:,?\s*(?:issued|expires|Issue Date|Expire Date)\b.*)?$",
    re.IGNORECASE,
)
_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %Y", "%B %Y", "%Y", "%Y-%m-%d")


def split_clauses(text: str) -> list[str]:
    """Split on ``;`` outside parentheses; the final ``.`` ends the Remarks, not a value."""
    text = text.strip()
    text = text[:-1] if text.endswith(".") else text
    clauses, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == ";" and depth <= 0:
            clauses.append(text[start:i])
            start = i + 1
    clauses.append(text[start:])
    return [c.strip() for c in clauses if c.strip()]


def parse_remarks(text: str | None) -> list[Fact]:
    """Every clause of a Remarks field as facts; unknown clauses become notes."""
    if not text:
        return []
    facts: list[Fact] = []
    for clause in split_clauses(text):
        facts.extend(parse_clause(clause))
    return facts


def parse_clause(clause: str) -> list[Fact]:
    body = _ALT_RE.sub("", clause)
    if body.startswith("(") and body.endswith(")") and ";" not in body:
        body = body[1:-1].strip()  # the consolidated XML wraps some clauses in brackets
    match = _LABEL_RE.match(body)
    if match is None:
        return [Fact(NOTE, clause, clause)]
    value = body[match.end() :].lstrip(" :-").strip()
    return facts_for(match.group(0), value, text=clause)


def facts_for(label: str, value: str | None, text: str | None = None) -> list[Fact]:
    """Facts from one labelled value (a Remarks clause or an XML ``id`` item)."""
    value = (value or "").strip()
    text = text or f"{label.strip()} {value}".strip()
    prop = _BY_KEY.get(label_key(label))
    if prop is None or not value:
        return [Fact(NOTE, text, text)] if text else []
    if prop in DATE_PROPS:
        dates = parse_dates(value)
        return [Fact(prop, d, text) for d in dates] if dates else [Fact(NOTE, text, text)]
    if prop in NAME_PROPS:
        return [Fact(prop, value.strip("'\" "), text)]
    if prop == PROVISION:
        return [Fact(prop, text, text)]
    if prop in ID_PROPS:
        value = split_qualifiers(value)[0]
    facts = [Fact(prop, value, text)]
    if prop == "birthPlace":
        facts.append(Fact("birthCountry", value.rsplit(",", 1)[-1].strip(), text))
    return facts


def split_qualifiers(value: str) -> tuple[str, str | None]:
    """``A123 (Iraq) issued 01 Jan 2000`` -> ``("A123", "Iraq")``."""
    match = _QUALIFIER_RE.search(value)
    if match is None or match.start() == 0:
        return value, None
    return value[: match.start()].strip(), match.group("country")


def parse_dates(text: str) -> list[str]:
    """OFAC dates as ISO prefixes: ``10 Jan 1960``, ``Jan 1960``, ``1960``, ``circa 1960``,
    and ranges (``1960 to 1962``, ``circa 1979-1982``), whose ends are both kept."""
    text = re.sub(r"^(circa|approximately|about)\s+", "", text.strip(), flags=re.IGNORECASE)
    parts = re.split(r"\s+to\s+|(?<=\d{4})\s*-\s*(?=\d{4}$)", text)
    out: list[str] = []
    for part in parts:
        iso = parse_date(part)
        if iso is None:
            return []
        out.append(iso)
    return out


def parse_date(text: str) -> str | None:
    """One date as an ISO prefix at the precision given (``1960-01``, ``1960``)."""
    text = text.strip().rstrip(".")
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        precision = 4 if fmt == "%Y" else (7 if fmt in ("%b %Y", "%B %Y") else 10)
        return parsed.strftime("%Y-%m-%d")[:precision]
    return None
