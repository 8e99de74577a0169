"""Canonical declaration fields and the column sets greymap recognises without a config.

An administration's extract names its columns its own way; targeting works on one set of
canonical names. Two published layouts are recognised from the header alone:

* ``kcs``: the Korea Customs Service synthetic declarations (Jeong et al. 2022,
  arXiv:2208.02484), e.g. ``Declaration ID, Date, Office ID, ..., Fraud, Critical Fraud``;
* ``date``: the anonymised Nigerian layout of the DATE model (KDD 2020), in its training
  form (``SGD.NUMBER, SGD.DATE, IMPORTER.TIN, ..., illicit, RAISED_TAX_AMOUNT``) and its
  weekly-selection form (``SGD_NUM, SGD_DATE, IMPORTER_TIN, HSCODE, ...``).

Anything else is described by a mapping file in the format of
:class:`greymap.sources.mapping.ColumnMapping` (``columns``, ``constants``, ``values``,
``options``), whose canonical names are the ones below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from greymap.errors import InputError
from greymap.sources.mapping import ColumnMapping

ID = "declaration_id"
DATE = "date"
#: Code-like fields: ids of parties, places, procedures and goods.
CATEGORICAL = (
    "office",
    "process_type",
    "import_type",
    "import_use",
    "payment_type",
    "transport_mode",
    "declarant",
    "importer",
    "seller",
    "courier",
    "hs_code",
    "origin",
    "departure",
    "tax_type",
    "origin_indicator",
)
#: Amounts: ``value`` is the customs (CIF or invoice) value, ``weight`` in kg.
NUMERIC = ("value", "fob_value", "weight", "quantity", "tax_rate", "tax_amount")
#: Inspection outcomes: ``fraud`` 0/1, ``critical`` a severity code, ``revenue`` at stake.
LABELS = ("fraud", "critical", "revenue")
FIELDS = (ID, DATE, *CATEGORICAL, *NUMERIC, *LABELS)
REQUIRED = (ID, DATE)

#: Options a column set or mapping may give, with their meaning.
OPTIONS = {
    "date_format": "strptime format of the date column (default: detected)",
    "tax_rate_unit": "'percent' (default) or 'fraction'",
    "revenue": "'column' (default: the mapped revenue column) or 'tax' (fraud x tax amount)",
}


@dataclass(frozen=True)
class ColumnSet:
    """A recognised layout: its mapping and the source columns that identify it."""

    name: str
    mapping: ColumnMapping
    signature: tuple[str, ...]

    def matches(self, header: Sequence[str]) -> bool:
        present = set(header)
        return all(col in present for col in self.signature)


def _column_set(
    name: str,
    columns: dict[str, str | list[str]],
    signature: tuple[str, ...] = (),
    **options: str,
) -> ColumnSet:
    """A layout; unless given, its signature is the columns of the key fields."""
    mapping = ColumnMapping.from_dict({"columns": columns, "options": options}, name)
    if not signature:
        signature = tuple(names[0] for key, names in mapping.columns.items() if key in _SIGNATURE)
    return ColumnSet(name, mapping, signature)


_SIGNATURE = (ID, DATE, "importer", "hs_code", "value")

KCS = _column_set(
    "kcs",
    {
        ID: "Declaration ID",
        DATE: "Date",
        "office": "Office ID",
        "process_type": "Process Type",
        "import_type": "Import Type",
        "import_use": "Import Use",
        "payment_type": "Payment Type",
        "transport_mode": "Mode of Transport",
        "declarant": "Declarant ID",
        "importer": "Importer ID",
        "seller": "Seller ID",
        "courier": "Courier ID",
        "hs_code": "HS6 Code",
        "departure": "Country of Departure",
        "origin": "Country of Origin",
        "tax_rate": "Tax Rate",
        "tax_type": "Tax Type",
        "origin_indicator": "Country of Origin Indicator",
        "weight": "Net Mass",
        "value": "Item Price",
        "fraud": "Fraud",
        "critical": "Critical Fraud",
    },
    date_format="%Y-%m-%d",
    revenue="tax",
)

DATE_TRAIN = _column_set(
    "date",
    {
        ID: "SGD.NUMBER",
        DATE: "SGD.DATE",
        "office": "OFFICE",
        "importer": "IMPORTER.TIN",
        "declarant": "DECLARANT.CODE",
        "hs_code": "TARIFF.CODE",
        "origin": "ORIGIN.CODE",
        "value": "CIF.VALUE",
        "fob_value": "FOB.VALUE",
        "quantity": "QUANTITY",
        "weight": "GROSS.WEIGHT",
        "tax_amount": "TOTAL.TAXES",
        "fraud": "illicit",
        "revenue": "RAISED_TAX_AMOUNT",
    },
)

DATE_WEEKLY = _column_set(
    "date-weekly",
    {
        ID: ["key_identifier", "SGD_NUM"],
        DATE: "SGD_DATE",
        "office": "OFFICE_CODE",
        "importer": "IMPORTER_TIN",
        "declarant": "DECLARANT_CODE",
        "hs_code": "HSCODE",
        "origin": "ORIGIN_CODE",
        "value": "INITIAL_ITM_CIF",
        "fob_value": "INITIAL_ITM_FOB",
        "quantity": "INITIAL_ITM_QTY",
        "weight": "INITIAL_ITM_WEIGHT",
        "tax_amount": "INITIAL_ITM_TOTAL_TAX",
        "fraud": "illicit",
        "revenue": "RAISED_TAX_AMOUNT",
    },
    signature=("SGD_NUM", "SGD_DATE", "IMPORTER_TIN", "HSCODE", "INITIAL_ITM_CIF"),
)

COLUMN_SETS = (KCS, DATE_TRAIN, DATE_WEEKLY)


def detect(header: Sequence[str], path: str) -> ColumnSet:
    """The recognised layout whose identifying columns the header has, or an InputError."""
    for column_set in COLUMN_SETS:
        if column_set.matches(header):
            return column_set
    expected = "; ".join(f"{c.name}: {', '.join(c.signature)}" for c in COLUMN_SETS)
    shown = ", ".join(header[:25]) + (" ..." if len(header) > 25 else "")
    raise InputError(
        f"{path}: the columns are not a recognised declaration layout ({expected}); "
        f"found {shown or 'no columns'}. Give --mapping FILE naming, for each canonical "
        f"field ({', '.join(FIELDS)}), the column that holds it"
    )


def from_mapping(mapping: ColumnMapping, origin: str) -> ColumnSet:
    """A user's mapping as a column set, after checking its names and options."""
    unknown = sorted(set(mapping.columns) | set(mapping.constants) | set(mapping.values))
    unknown = [name for name in unknown if name not in FIELDS]
    if unknown:
        raise InputError(
            f"{origin}: unknown canonical field(s) {', '.join(unknown)}; "
            f"expected some of {', '.join(FIELDS)}"
        )
    bad = sorted(set(mapping.options) - set(OPTIONS))
    if bad:
        raise InputError(
            f"{origin}: unknown option(s) {', '.join(bad)}; expected some of {', '.join(OPTIONS)}"
        )
    missing = [name for name in REQUIRED if name not in mapping.columns]
    if missing:
        raise InputError(f"{origin}: the mapping must name the column for {', '.join(missing)}")
    return ColumnSet(f"mapping:{origin}", mapping, ())


def resolve(column_set: ColumnSet, header: Sequence[str], path: str) -> dict[str, str]:
    """Canonical field -> the file's column, the first listed name present winning."""
    present = set(header)
    chosen: dict[str, str] = {}
    for canonical, names in column_set.mapping.columns.items():
        found = next((name for name in names if name in present), None)
        if found is not None:
            chosen[canonical] = found
        elif canonical in REQUIRED:
            raise InputError(
                f"{path}: required column for {canonical} not found (looked for "
                f"{' or '.join(names)}); found {', '.join(header[:25])}"
            )
    return chosen
