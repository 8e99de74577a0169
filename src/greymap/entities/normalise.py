"""Name, address and identifier keys for entity resolution, built on OpenSanctions' libraries.

Shipment parties, registries and watch lists write one firm many ways: another spelling of
the legal form (``LLC``, ``L.L.C.``, ``Limited Liability Company``), upper case, lost
punctuation, abbreviations (``Intl``, ``Trdg``), another transliteration, words in another
order, merged words. Splink compares the *keys* computed here, so every such variant lands
on the same key or on keys a string distance sees as close:

* ``norm``: casefolded, tokenised, transliterated to ASCII (rigour), legal forms replaced by
  a generic type (rigour ``replace_org_types_compare``: ``limited liability company`` and
  ``l.l.c.`` both become ``llc``; ``sa``, ``ag`` and ``aktiengesellschaft`` become ``jsc``),
  business abbreviations expanded;
* ``core``: ``norm`` without the legal form (the part that names the firm);
* ``sorted``: the core's tokens in alphabetical order (surname-first lists, shuffled words);
* ``squash``: the core without spaces (``A lNakheel`` = ``Al Nakheel``);
* ``phonetic``: sorted metaphone codes of the core's tokens (``Noor``/``Nour``/``Nur``);
* ``form``: the generic legal form, when there is one.

Every function here is called once per *distinct* string (see :mod:`greymap.entities.records`),
never per record; only metaphone codes are cached, per token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rigour.addresses import address_fingerprint
from rigour.names import remove_org_types, replace_org_types_compare
from rigour.text import metaphone
from rigour.text.normalize import Cleanup, Normalize, normalize
from rigour.text.translit import ascii_text

#: Business abbreviations bills of lading use, expanded before comparison. Legal forms are
#: rigour's job; these are the words around them.
ABBREVIATIONS: dict[str, str] = {
    "intl": "international",
    "int'l": "international",
    "trdg": "trading",
    "hldgs": "holdings",
    "hldg": "holding",
    "imp": "import",
    "exp": "export",
    "svcs": "services",
    "svc": "service",
    "inds": "industries",
    "ind": "industrial",
    "ent": "enterprises",
    "ents": "enterprises",
    "mfg": "manufacturing",
    "grp": "group",
    "gen": "general",
    "invest": "investments",
    "log": "logistics",
    "mgmt": "management",
    "natl": "national",
    "bros": "brothers",
    "tech": "technology",
    "corp": "corporation",
    "co": "company",
}

#: Legal forms rigour's database does not strip (or strips only as words of a longer form).
EXTRA_FORMS = frozenset(
    {
        "kabushiki kaisha",
        "kk",
        "wll",
        "with limited liability",
        "perseroan terbatas",
        "sti",
        "sociedad limitada",
        "pvt",
        "pte",
        "you xian gong si",
        "you xian ze ren gong si",
        "gu fen you xian gong si",
    }
)

_EXTRA_ENDINGS = tuple(EXTRA_FORMS)

#: The generic legal-form classes rigour maps specific forms to; a form outside these
#: (``ab``, ``pt``) is not used to tell firms apart.
GENERIC_FORMS = frozenset({"llc", "jsc", "lp", "llp", "sp"})

#: Words that carry no identity in a firm's name once legal forms are gone.
NAME_STOPWORDS = frozenset({"and", "the", "of", "company", "&"})

KINDS = ("org", "person", "vessel")
_TOKENS = Normalize.CASEFOLD | Normalize.NAME
_SINGLE_LETTERS = re.compile(r"\b(?:[a-z] ){1,}[a-z]\b")
_ID_CHARS = re.compile(r"[^0-9A-Z]")


@dataclass(frozen=True, slots=True)
class NameKeys:
    norm: str
    core: str
    sorted: str
    squash: str
    phonetic: str
    form: str | None


def _tokens(text: str, latin: bool = True) -> str:
    """Casefold and tokenise; transliterate to ASCII unless ``latin`` is False; join single
    letters (``s a`` -> ``sa``)."""
    out = normalize(text, _TOKENS, Cleanup.Strong) or ""
    if latin:
        out = _ascii(out)
    if _SINGLE_LETTERS.search(out):
        out = _SINGLE_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), out)
    return out


def _ascii(text: str) -> str:
    if text.isascii():
        return text
    return " ".join(ascii_text(text).lower().replace("'", "").split())


@lru_cache(maxsize=200_000)
def _metaphone(token: str) -> str:
    """Tokens repeat across names far more than names do: code each one once. An initial
    vowel codes as ``A`` (as Double Metaphone does), so ``Al``/``El`` and ``Omar``/``Umar``
    sound alike."""
    code = metaphone(token) or token
    return "A" + code[1:] if code[:1] in "AEIOU" else code


def _expand(tokens: list[str]) -> list[str]:
    return [ABBREVIATIONS.get(t, t) for t in tokens]


def name_keys(name: str, kind: str = "org") -> NameKeys:
    """The comparison keys of one name (see the module docstring).

    >>> name_keys("AL NAKHEEL INTL L.L.C.").core
    'al nakheel international'
    >>> name_keys("Al Nakheel International Limited Liability Company").norm
    'al nakheel international llc'
    """
    if kind != "org":
        norm = _tokens(name)
        return _keys(norm, norm, None)
    # legal forms are found in the name's own script (rigour knows ``ооо`` and
    # ``beschränkter``), then again after transliteration (``you xian gong si``)
    tokens = [t for t in _tokens(name, latin=False).split() if t != "&"]
    start, end = _form_span(tokens)
    lead, trail = " ".join(tokens[:start]), " ".join(tokens[end:])
    body = _ascii(" ".join(tokens[start:end])).split()
    start, end = _form_span(body)
    lead = " ".join(x for x in (lead, " ".join(body[:start])) if x)
    trail = " ".join(x for x in (" ".join(body[end:]), trail) if x)
    lead, trail = _ascii(_generic(lead)), _ascii(_generic(trail))
    body = _expand(body[start:end])
    core = " ".join(t for t in body if t not in NAME_STOPWORDS) or " ".join(body)
    norm = " ".join(x for x in (lead, " ".join(body), trail) if x)
    generic = sorted({t for t in f"{lead} {trail}".split() if t in GENERIC_FORMS})
    return _keys(norm, core, " ".join(generic) or None)


@lru_cache(maxsize=50_000)
def _generic(form: str) -> str:
    """rigour's generic class of a legal form (``l.l.c.``, ``gmbh`` -> ``llc``)."""
    return replace_org_types_compare(form, generic=True) if form else ""


@lru_cache(maxsize=50_000)
def _is_form(phrase: str) -> bool:
    return phrase in EXTRA_FORMS or not remove_org_types(phrase).strip()


def _form_span(tokens: list[str]) -> tuple[int, int]:
    """The tokens between a leading and a trailing legal form (``ooo ...``, ``... ltd sti``).
    Forms are looked for only at the ends: inside a name ``co`` or ``yu`` is a word."""
    start, end = 0, len(tokens)
    while end - start > 1:
        size = _trailing_form(tuple(tokens[max(start + 1, end - 5) : end]))
        if not size:
            break
        end -= size
    for size in (3, 2, 1):
        if end - start > size and _is_form(" ".join(tokens[start : start + size])):
            start += size
            break
    return start, end


def _trailing_form(window: tuple[str, ...]) -> int:
    """How many of the window's last tokens form a legal form. One rigour call tells when
    the form is a clean suffix (the usual case); otherwise each suffix is tried."""
    phrase = " ".join(window)
    if phrase.endswith(_EXTRA_ENDINGS):
        for extra in EXTRA_FORMS:
            if phrase == extra or phrase.endswith(" " + extra):
                return len(extra.split())
    kept = remove_org_types(phrase).split()
    if kept == list(window):
        return 0
    if list(window[: len(kept)]) == kept:
        size = len(window) - len(kept)
        if _is_form(" ".join(window[-size:])):
            return size
    for size in range(len(window), 0, -1):
        if _is_form(" ".join(window[-size:])):
            return size
    return 0


def _keys(norm: str, core: str, form: str | None) -> NameKeys:
    tokens = core.split()
    phonetic = sorted(_metaphone(t) for t in tokens)
    return NameKeys(
        norm=norm,
        core=core,
        sorted=" ".join(sorted(tokens)),
        squash="".join(tokens),
        phonetic=" ".join(phonetic),
        form=form,
    )


def address_key(address: str) -> str | None:
    """rigour's address fingerprint: casefolded, keywords shortened (``Road`` -> ``rd``)."""
    key = address_fingerprint(address)
    return key or None


def identifier_key(value: str) -> str | None:
    """Identifiers compare on letters and digits only, upper case, without an ``IMO`` prefix:
    ``IMO 9956135``, ``imo9956135`` and ``9956135`` are one key; so are ``RC 1234``/``RC1234``.
    """
    key = _ID_CHARS.sub("", ascii_text(value).upper())
    if key.startswith("IMO") and key[3:].isdigit():
        key = key[3:]
    return key if len(key) >= 4 else None
