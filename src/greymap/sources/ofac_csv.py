"""OFAC's legacy CSV set: ``sdn.csv`` (entries), ``alt.csv`` (aliases), ``add.csv`` (addresses).

The files have no header row and write ``-0- `` for "no value". One publication is the
three files together, so they are read in one ingest: aliases and addresses attach to
the sdn entry of the same ``ent_num``; one that names no entry is quarantined. Files
are small (about 15,000 entries), so Python's csv module reads them, row by row, with
exact counts.

Columns:

- sdn: ent_num, SDN_Name, SDN_Type (individual, vessel, aircraft; ``-0-`` = entity),
  Program (``SDGT] [IFSR`` for several), Title, Call_Sign, Vess_type, Tonnage, GRT,
  Vess_flag, Vess_owner, Remarks (see :mod:`greymap.sources.remarks`).
- alt: ent_num, alt_num, alt_type (aka, fka, nka), alt_name, alt_remarks.
- add: ent_num, add_num, address, city/state/postal, country, add_remarks.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from greymap.errors import InputError
from greymap.sources.context import IngestContext, Rejection
from greymap.sources.remarks import parse_remarks
from greymap.sources.sanctions import LinkId, Placed, Target, org_schema, put, write_dataset

AUTHORITY = "Office of Foreign Assets Control"
COLUMNS = {
    "sdn": (
        "ent_num",
        "SDN_Name",
        "SDN_Type",
        "Program",
        "Title",
        "Call_Sign",
        "Vess_type",
        "Tonnage",
        "GRT",
        "Vess_flag",
        "Vess_owner",
        "Remarks",
    ),
    "alt": ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"),
    "add": ("ent_num", "add_num", "address", "city/state/postal", "country", "add_remarks"),
}
SCHEMAS = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
#: What an sdn file loaded without its sibling files lacks.
SIBLINGS = {"alt": "aliases", "add": "addresses"}
ALT_PROPS = {"aka": "alias", "nka": "alias", "fka": "previousName", None: "alias"}
NULL = "-0-"
LINK_ID = LinkId("ofac")


@dataclass(frozen=True)
class Row:
    number: int
    fields: list[str]

    @property
    def raw(self) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(self.fields)
        return out.getvalue()


def value(text: str | None) -> str | None:
    """A field's value, with OFAC's ``-0-`` null marker and padding removed."""
    if text is None:
        return None
    text = text.strip()
    return None if text in ("", NULL) else text


# -- files and groups --------------------------------------------------------------------
def kind_of(path: Path) -> str:
    """``sdn``, ``alt`` or ``add``: by file name, else by the first row's column count."""
    name = path.name.lower()
    for kind in COLUMNS:
        if name.startswith(kind):
            return kind
    first = next(csv.reader(io.StringIO(decode(path)[0])), [])
    for kind, cols in COLUMNS.items():
        if len(first) == len(cols):
            return kind
    raise InputError(
        f"{path}: not recognised as an OFAC sdn, alt or add CSV file (the first row has "
        f"{len(first)} fields; expected 12, 5 or 6, or a name starting with sdn, alt or add)"
    )


def group_csv(paths: list[Path]) -> list[list[Path]]:
    """Each sdn file with the alt/add files of the same publication (same name suffix)."""
    kinds = {p: kind_of(p) for p in paths}
    sdns = [p for p in paths if kinds[p] == "sdn"]
    groups: dict[Path, list[Path]] = {p: [p] for p in sdns}
    for path in paths:
        if kinds[path] == "sdn":
            continue
        sdn = _partner(path, kinds[path], sdns)
        if any(kinds[p] == kinds[path] for p in groups[sdn]):
            raise InputError(
                f"{path}: a second {kinds[path]} file for {sdn}; expected one alt and one "
                "add file per sdn file"
            )
        groups[sdn].append(path)
    return list(groups.values())


def _partner(path: Path, kind: str, sdns: list[Path]) -> Path:
    suffix = path.name[3:].lower()
    same = [p for p in sdns if p.name[3:].lower() == suffix]
    if len(same) == 1:
        return same[0]
    if len(sdns) == 1 and not same:
        return sdns[0]
    raise InputError(
        f"{path}: an OFAC {kind} file is read with the sdn file of the same publication; "
        f"expected sdn{path.name[3:]} in the same command "
        f"(e.g. greymap ingest ofac sdn{path.name[3:]} {path.name})"
    )


def decode(path: Path) -> tuple[str, str | None]:
    """The file's text and, when it was not UTF-8, a note saying how it was read."""
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: the file is empty; expected an OFAC CSV file")
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary content; expected an OFAC CSV text file")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "not valid UTF-8; read as Windows-1252 (cp1252)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "not valid UTF-8; read as Latin-1"


def read_rows(ctx: IngestContext, path: Path, kind: str) -> Iterator[Row]:
    """Data rows with their numbers; a header row and OFAC's end-of-file mark are skipped."""
    text, note = decode(path)
    if note:
        ctx.note(path, note)
    if text.lstrip()[:1] in ("{", "["):
        raise InputError(f"{path}: looks like JSON; expected an OFAC {kind} CSV file")
    text = text.rstrip("\x1a\r\n \t")
    rows = [Row(i, f) for i, f in enumerate(csv.reader(io.StringIO(text)), start=1) if f != []]
    if rows and rows[0].fields[0].strip().lower() == "ent_num":
        ctx.note(path, "skipped a header row (OFAC's own files have none)")
        rows = rows[1:]
    width = len(COLUMNS[kind])
    if rows and not any(len(row.fields) == width for row in rows):
        raise InputError(
            f"{path}: no row has the {width} columns of an OFAC {kind} file "
            f"({', '.join(COLUMNS[kind])}); found {len(rows[0].fields)} in the first row"
        )
    yield from rows


# -- the sdn file ------------------------------------------------------------------------
def sdn_problem(row: Row, seen: dict[str, int]) -> str | None:
    """Why an sdn row cannot be loaded, or None."""
    f = row.fields
    if len(f) != len(COLUMNS["sdn"]):
        return f"expected 12 columns ({', '.join(COLUMNS['sdn'])}), found {len(f)}"
    ent = f[0].strip()
    if not ent.isdigit():
        return f"bad ent_num {f[0]!r}; expected a whole number"
    if not value(f[1]):
        return "missing SDN_Name"
    kind = value(f[2])
    if kind is not None and kind.lower() not in SCHEMAS:
        return f"bad SDN_Type {f[2]!r}; expected individual, vessel, aircraft or -0- (entity)"
    if ent in seen:
        return f"duplicate ent_num {ent}; first listed at row {seen[ent]}"
    return None


def sdn_target(fields: list[str]) -> Target:
    ent, name, kind, program, title, call_sign, vtype, tonnage, grt, flag, owner, remarks = (
        value(f) for f in fields
    )
    assert ent is not None and name is not None
    facts = parse_remarks(remarks)
    schema = SCHEMAS.get((kind or "").lower()) or org_schema(name, facts)
    target = Target.create(schema, f"ofac-{ent}", AUTHORITY, "us")
    target.proxy.add("name", name)
    target.sanction.add("authorityId", ent)
    if schema == "Person" and "," in name:
        last, first = name.split(",", 1)
        target.proxy.add("lastName", last)
        target.proxy.add("firstName", first)
    for item in split_programs(program):
        target.add_program(item)
    put(target.proxy, "position", title, f"Title {title}")
    put(target.proxy, "callSign", call_sign, f"Call sign {call_sign}")
    put(target.proxy, "type", vtype, f"Vessel type {vtype}")
    put(target.proxy, "tonnage", number(tonnage), f"Tonnage {tonnage}")
    put(target.proxy, "grossRegisteredTonnage", number(grt), f"GRT {grt}")
    put(target.proxy, "flag", flag, f"Flag {flag}")
    if owner:
        target.refs.append(("@owner", owner))
    target.apply(facts)
    return target


def split_programs(text: str | None) -> list[str]:
    """``SDGT] [IFSR`` (the CSV's way of writing two programmes) -> ``["SDGT", "IFSR"]``."""
    return [p.strip(" []") for p in re.split(r"\]\s*\[", text or "") if p.strip(" []")]


def number(text: str | None) -> str | None:
    return text.replace(",", "") if text else None


# -- one publication ---------------------------------------------------------------------
@dataclass
class Publication:
    """The entries of one sdn file, with the row each came from, being filled in."""

    sdn: Path
    targets: dict[str, Target]
    rows: dict[str, int]


def read_sdn(ctx: IngestContext, path: Path) -> Publication:
    """Entries of an sdn file; bad rows go to quarantine with their reason."""
    pub = Publication(path, {}, {})
    seen: dict[str, int] = {}
    rejected: list[Rejection] = []
    for row in read_rows(ctx, path, "sdn"):
        ctx.counts[path].rows_read += 1
        problem = sdn_problem(row, seen)
        if problem is not None:
            rejected.append(Rejection(row.number, problem, row.raw))
            continue
        ent = row.fields[0].strip()
        seen[ent] = row.number
        pub.targets[ent] = sdn_target(row.fields)
        pub.rows[ent] = row.number
    ctx.quarantine(path, rejected)
    return pub


def read_alt(ctx: IngestContext, path: Path, pub: Publication) -> None:
    """Aliases onto their entries: aka/nka -> alias, fka -> previousName."""
    rejected: list[Rejection] = []
    for row in read_rows(ctx, path, "alt"):
        ctx.counts[path].rows_read += 1
        problem = _attach_problem(row, "alt", pub) or _alias_problem(row)
        if problem is not None:
            rejected.append(Rejection(row.number, problem, row.raw))
            continue
        target = pub.targets[row.fields[0].strip()]
        name = value(row.fields[3])
        put(target.proxy, ALT_PROPS[alt_type(row.fields[2])], name)
        if remark := value(row.fields[4]):
            target.proxy.add("notes", f"{name}: {remark}")
        ctx.counts[path].rows_loaded += 1
    ctx.quarantine(path, rejected)


def alt_type(text: str) -> str | None:
    """``aka``, ``fka``, ``nka`` (also written ``a.k.a.``...), or None when not given."""
    found = value(text)
    return found.lower().replace(".", "") if found else None


def _alias_problem(row: Row) -> str | None:
    if alt_type(row.fields[2]) not in ALT_PROPS:
        return f"bad alt_type {row.fields[2]!r}; expected aka, fka or nka"
    if not value(row.fields[3]):
        return "missing alt_name"
    return None


def read_add(ctx: IngestContext, path: Path, pub: Publication) -> None:
    """Addresses onto their entries, as full text plus the address's country."""
    rejected: list[Rejection] = []
    for row in read_rows(ctx, path, "add"):
        ctx.counts[path].rows_read += 1
        problem = _attach_problem(row, "add", pub)
        if problem is not None:
            rejected.append(Rejection(row.number, problem, row.raw))
            continue
        target = pub.targets[row.fields[0].strip()]
        street, city, country, remark = (value(f) for f in row.fields[2:6])
        full = ", ".join(part for part in (street, city, country) if part)
        put(target.proxy, "address", full or None)
        put(target.proxy, "country", country, f"Address country {country}")
        if remark:
            target.proxy.add("notes", f"Address {full}: {remark}")
        ctx.counts[path].rows_loaded += 1
    ctx.quarantine(path, rejected)


def _attach_problem(row: Row, kind: str, pub: Publication) -> str | None:
    width = len(COLUMNS[kind])
    if len(row.fields) != width:
        return f"expected {width} columns ({', '.join(COLUMNS[kind])}), found {len(row.fields)}"
    ent = row.fields[0].strip()
    if ent not in pub.targets:
        return (
            f"ent_num {ent or '(empty)'} is not an entry of {pub.sdn.name}; "
            f"an {kind} row must belong to a listed entry"
        )
    return None


def read_csv_set(ctx: IngestContext, paths: list[Path]) -> None:
    """One publication: the sdn file, then its alt and add files, written as one version."""
    files = {kind_of(p): p for p in paths}
    sdn = files.get("sdn")
    if sdn is None:
        names = ", ".join(str(p) for p in paths)
        raise InputError(f"{names}: OFAC alt/add files need their sdn file in the same ingest")
    pub = read_sdn(ctx, sdn)
    if "alt" in files:
        read_alt(ctx, files["alt"], pub)
    if "add" in files:
        read_add(ctx, files["add"], pub)
    missing = sorted(SIBLINGS.keys() - files.keys())
    if missing:
        what = " and ".join(SIBLINGS[k] for k in missing)
        ctx.note(
            sdn, f"loaded without its {' and '.join(missing)} file: its {what} are not included"
        )
    entries = [Placed(sdn, pub.rows[e], t) for e, t in pub.targets.items()]
    write_dataset(ctx, sdn, ctx.dataset or "us_ofac_sdn", entries, LINK_ID)
