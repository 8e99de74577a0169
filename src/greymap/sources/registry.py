"""Readers register under a short format name; modules load only when asked for."""

from __future__ import annotations

from importlib import import_module

from greymap.errors import InputError
from greymap.sources.base import Reader

#: format name -> "module:Class". Declared here so the CLI can list formats without
#: importing every reader (and their dependencies) at start-up.
READERS: dict[str, str] = {
    "comtrade": "greymap.sources.comtrade:ComtradeReader",
    "baci": "greymap.sources.baci:BaciReader",
    "cites": "greymap.sources.cites:CitesReader",
    "shipments": "greymap.sources.shipments:ShipmentsReader",
    "ftm": "greymap.sources.ftm:FtmReader",
    "ofac": "greymap.sources.ofac:OfacReader",
    "un-sc": "greymap.sources.un_sc:UnScReader",
    "bods": "greymap.sources.bods:BodsReader",
    "incidents": "greymap.sources.incidents:IncidentsReader",
    "indicators": "greymap.sources.indicators:IndicatorsReader",
}


def get_reader(name: str) -> Reader:
    try:
        target = READERS[name]
    except KeyError:
        raise InputError(f"unknown format {name!r}; expected one of {', '.join(READERS)}") from None
    module_name, class_name = target.split(":")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise InputError(f"format {name!r} is not available in this build of greymap") from exc
        raise
    cls: type[Reader] = getattr(module, class_name)
    return cls()
