"""SQL fragments for validating staged text columns, so readers state checks briefly.

Each function returns a SQL expression over a column of a staged view; ``reasons``
joins conditions into the ``_reason`` column that decides load or quarantine.
"""

from __future__ import annotations


def q(column: str) -> str:
    return f'"{column}"'


def text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def number(column: str) -> str:
    """The column as a DOUBLE, tolerating thousands separators like ``1,234.5``."""
    return f"TRY_CAST(replace({q(column)}, ',', '') AS DOUBLE)"


def not_a_number(column: str) -> str:
    return f"({q(column)} IS NOT NULL AND {number(column)} IS NULL)"


def negative(column: str) -> str:
    return f"({number(column)} < 0)"


def integer(column: str) -> str:
    return f"TRY_CAST(TRY_CAST({q(column)} AS DOUBLE) AS INTEGER)"


def date(column: str, formats: tuple[str, ...] = ("%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")) -> str:
    """ISO dates first, then the listed formats; a bare year becomes 1 January."""
    tries = [f"TRY_CAST({q(column)} AS DATE)"]
    tries += [f"TRY_CAST(try_strptime({q(column)}, {text(f)}) AS DATE)" for f in formats]
    tries.append(
        f"CASE WHEN regexp_full_match({q(column)}, '[12][0-9]{{3}}') "
        f"THEN make_date(CAST({q(column)} AS INTEGER), 1, 1) END"
    )
    return f"coalesce({', '.join(tries)})"


def reasons(*checks: tuple[str, str]) -> str:
    """``_reason``: NULL when no condition holds, else the messages of those that do.

    Each check is ``(condition, message_expression)``; the staged view's
    ``_field_error`` (an over-long field) is always checked first.
    """
    parts = ["_field_error"] + [f"CASE WHEN {cond} THEN {msg} END" for cond, msg in checks]
    return f"NULLIF(concat_ws('; ', {', '.join(parts)}), '')"


def bad_value(label: str, column: str, expected: str) -> str:
    """Message expression naming the column, the bad value (cut at 80 characters) and
    what was expected, e.g. ``bad shipper_country 'Atlantis'; expected a country``."""
    return (
        f"{text(label + ' ')} || chr(39) || left({q(column)}, 80) || chr(39) "
        f"|| {text('; expected ' + expected)}"
    )
