"""Streaming the records of a list published as XML (OFAC sdnList, the UN consolidated list).

``lxml.etree.iterparse`` reads the file once and each record is cleared after use, so
memory stays flat whatever the list's size. Element names are compared without their
namespace: OFAC's files declare a default namespace that has changed over the years.
A file of the wrong kind (its root is not the one expected) or one cut off midway is
an :class:`~greymap.errors.InputError` naming the file, the line and what was expected;
the reader raises it inside the ingest transaction, so nothing is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from greymap.errors import InputError

#: Roots of the list formats greymap reads, to tell the user which format a file is.
KNOWN_ROOTS = {
    "sdnList": "ofac",
    "CONSOLIDATED_LIST": "un-sc",
    "Sanctions": "ofac, but sdn_advanced.xml is not supported; use sdn.xml or the CSV set",
}


def local(element: Any) -> str:
    """An element's name without its namespace."""
    return str(etree.QName(element).localname)


def is_xml(path: Path) -> bool:
    """Whether the file starts like XML (after a byte-order mark and blank space)."""
    with path.open("rb") as handle:
        head = handle.read(1024)
    return head.lstrip(b"\xef\xbb\xbf").lstrip()[:1] == b"<"


def iter_records(
    path: Path, root: str, records: frozenset[str], describe: str
) -> Iterator[tuple[int, Any]]:
    """Yield ``(line, element)`` for each record element; the element is cleared after.

    ``root`` is the document element the format must have; ``describe`` names the
    format in errors ("the UN consolidated list").
    """
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty; expected {describe}, a <{root}> document")
    with path.open("rb") as handle:
        yield from _records(path, handle, root, records, describe)


def _records(
    path: Path, handle: Any, root: str, records: frozenset[str], describe: str
) -> Iterator[tuple[int, Any]]:
    parser = etree.iterparse(
        handle,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
    )
    seen_root = False
    try:
        for event, element in parser:
            if not seen_root:
                _check_root(path, element, root, describe)
                seen_root = True
            if event == "end" and local(element) in records:
                yield int(element.sourceline or 0), element
                element.clear(keep_tail=True)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise InputError(
            f"{path}: the XML is cut off or malformed at line {exc.lineno} ({exc.msg}); "
            f"expected {describe}, a complete <{root}> document; nothing was loaded"
        ) from exc


def _check_root(path: Path, element: Any, root: str, describe: str) -> None:
    found = local(element)
    if found == root:
        return
    hint = (
        f" (this looks like a file for: greymap ingest {KNOWN_ROOTS[found]})"
        if found in KNOWN_ROOTS
        else ""
    )
    raise InputError(f"{path}: the root element is <{found}>; expected <{root}>, {describe}{hint}")


def text(element: Any, name: str) -> str | None:
    """The stripped text of the first child called ``name`` (any namespace), or None."""
    for child in element:
        if isinstance(child.tag, str) and local(child) == name:
            value = (child.text or "").strip()
            return value or None
    return None


def children(element: Any, name: str) -> list[Any]:
    """Children called ``name``; with a ``List`` wrapper (``akaList/aka``) give the path."""
    found = [element]
    for part in name.split("/"):
        found = [c for e in found for c in e if isinstance(c.tag, str) and local(c) == part]
    return found


def raw(element: Any) -> str:
    return str(etree.tostring(element, encoding="unicode", with_tail=False))
