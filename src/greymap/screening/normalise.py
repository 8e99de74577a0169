"""Name normalisation: one comparable form for a name in any script.

A name goes through the same steps whether it is a query or a list entry, so the two
meet in one form:

1. casefold and detect the script (rigour's Unicode script tables);
2. Arabic script: split the attached article ``ال`` off (``البرزاني`` -> ``al barzani``),
   since Latin spellings write it apart (``al-Barzani``);
3. organisations: legal forms become their generic kind through rigour's ISO 20275 based
   table (``ООО``, ``GmbH``, ``Limited Liability Company``, ``LLC`` -> ``llc``) and are
   kept apart from the name tokens, so ``Romashka LLC`` and ``ООО Ромашка`` compare on
   ``romashka`` and agree on ``llc``;
4. persons: honorifics (``Mr``, ``Dr``, ``Sheikh``, ``Haji``) are dropped;
5. transliteration to ASCII (rigour for Cyrillic, Greek, Armenian, Georgian and Hangul;
   ICU through normality for Arabic, Han, Kana and the rest);
6. tokens: rigour's name tokeniser (punctuation and apostrophes go, hyphens split).

Each token also gets a *phonetic skeleton* (:func:`skeleton`), a consonant class string
that survives transliteration: vowels and ``h``/``w``/``y`` carry little across scripts
(Arabic writes few vowels), consonants of one place of articulation merge. It finds
``fladymyr bwtyn`` (ICU's reading of ``فلاديمير بوتين``) for ``vladimir putin``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rigour.names import (
    extract_org_types,
    remove_person_prefixes,
    replace_org_types_compare,
    tokenize_name,
)
from rigour.text.scripts import MODERN_ALPHABETS, text_scripts
from rigour.text.translit import ascii_text

#: FtM schemas whose names are people's names; the rest are organisations or objects.
PERSON_SCHEMAS = frozenset({"Person"})
ORG_SCHEMAS = frozenset({"Company", "Organization", "LegalEntity", "PublicBody"})

#: Honorifics rigour's prefix list lacks that sanctions lists use in front of names.
EXTRA_HONORIFICS = re.compile(
    r"^\W*((sheikh|shaikh|shaykh|haji|hajji|hadji|mullah|mulla|maulavi|mawlawi|maulvi|"
    r"qari|mufti|hafiz|hafez|imam|sayyid|sayyed|ustadh)\.?\s+)+",
    re.IGNORECASE,
)

#: Particles that join name parts (Arabic, Romance, Germanic): they count little.
PARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "bin",
        "ben",
        "ibn",
        "bint",
        "binti",
        "abu",
        "umm",
        "ould",
        "de",
        "da",
        "das",
        "dos",
        "del",
        "della",
        "di",
        "du",
        "van",
        "der",
        "den",
        "von",
        "la",
        "le",
        "y",
        "e",
        "of",
        "the",
        "and",
        "for",
    ]
)

#: Words that say "an organisation" rather than which one: they count little.
ORG_WORDS = frozenset(
    [
        "company",
        "corporation",
        "corp",
        "co",
        "group",
        "holding",
        "holdings",
        "enterprise",
        "enterprises",
        "limited",
        "incorporated",
        "international",
        "trading",
    ]
)

#: Generic legal forms (rigour ``replace_org_types_compare(generic=True)`` targets),
#: marked with this prefix inside a normalised name.
LEGAL_MARK = "#"

_UNKNOWN = re.compile(r"[?'`]")
_ARABIC_LETTERS = str.maketrans({"ع": "a", "ة": "a", "ى": "a", "ء": None})
_GREEK_DIGRAPHS = (
    ("μπ", "b"),
    ("ντ", "d"),
    ("γκ", "g"),
    ("τζ", "j"),
    ("ου", "u"),
    ("ού", "u"),
    ("αι", "e"),
    ("ει", "i"),
    ("οι", "i"),
    ("χ", "h"),
)
_ARABIC_ARTICLE = re.compile(r"(?<![\w\u0600-\u06ff])ال(?=[\u0600-\u06ff]{2,})")
SKELETON_SUBS = (
    (re.compile(r"tsch|tch|tsh|sch|sh|ch|zh"), "s"),
    (re.compile(r"kh|gh|ck"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"th|dh"), "t"),
)
_SKELETON_CLASSES = str.maketrans(
    {"b": "p", "v": "f", "d": "t", "g": "k", "q": "k", "c": "k", "j": "k", "z": "s", "x": "ks"}
    | {ch: None for ch in "aeiouhwy"}
)
_REPEATS = re.compile(r"(.)\1+")


@dataclass(frozen=True, slots=True)
class NormName:
    """A name in comparable form: ASCII tokens, legal forms apart, scripts seen."""

    original: str
    tokens: tuple[str, ...]
    legal: tuple[str, ...]
    scripts: frozenset[str]

    @property
    def key(self) -> str:
        """Space-joined form as the index stores it (legal forms marked with ``#``)."""
        return " ".join((*self.tokens, *(LEGAL_MARK + f for f in self.legal)))

    @property
    def transliterated(self) -> bool:
        """True when the name was not in Latin script (the weak slice of every matcher)."""
        return bool(self.scripts - {"Latin"})

    @property
    def guessed_vowels(self) -> bool:
        """True for scripts whose reading in Latin letters guesses the vowels (Arabic,
        Hebrew, Han, Kana...): their comparisons lean on consonants. Alphabets with vowels
        (Cyrillic, Greek, Armenian, Georgian) transliterate closely and are not lenient."""
        return _guesses_vowels(self.scripts)


@lru_cache(maxsize=1024)
def _guesses_vowels(scripts: frozenset[str]) -> bool:
    return bool(scripts - MODERN_ALPHABETS)


def name_kind(schema: str | None) -> str:
    """``per``, ``org`` or ``obj`` (vessels, aircraft): which steps a name gets."""
    if schema in PERSON_SCHEMAS:
        return "per"
    if schema in ORG_SCHEMAS or schema is None:
        return "org"
    return "obj"


@lru_cache(maxsize=200_000)
def normalise(name: str, kind: str = "org") -> NormName:
    """The comparable form of ``name``; ``kind`` from :func:`name_kind`.

    >>> normalise("ООО Ромашка").tokens, normalise("ООО Ромашка").legal
    (('romashka',), ('llc',))
    >>> normalise("Mr. Vladimir PUTIN", "per").tokens
    ('vladimir', 'putin')
    """
    text = name.casefold().strip()
    scripts = frozenset(text_scripts(text))
    if "Arabic" in scripts:
        text = arabic_words(_ARABIC_ARTICLE.sub("ال ", text))
    if "Greek" in scripts:
        text = greek_digraphs(text)
    legal: tuple[str, ...] = ()
    if kind == "org":
        text, legal = _split_legal(text)
    elif kind == "per":
        text = EXTRA_HONORIFICS.sub("", remove_person_prefixes(text)) or text
    if not text.isascii():
        text = _UNKNOWN.sub("", ascii_text(text).lower())
    return NormName(name, tuple(tokenize_name(text)), legal, scripts)


def arabic_words(text: str) -> str:
    """Arabic names by their usual English spelling where the name table knows them
    (``عمر`` -> ``omar``); other words get the letters a letter-by-letter reading loses
    (``ع`` and a final ``ة`` are mostly written ``a``: ``علي`` -> ``aly``)."""
    table = _arabic_table()
    words = [table.get(w) or w.translate(_ARABIC_LETTERS) for w in text.split()]
    return " ".join(words)


def greek_digraphs(text: str) -> str:
    """Greek spellings of foreign names: ``μπ`` is b, ``ντ`` d, ``ου`` u (``Ντουμπάι``)."""
    for greek, latin in _GREEK_DIGRAPHS:
        text = text.replace(greek, latin)
    return text


@lru_cache(maxsize=1)
def _arabic_table() -> dict[str, str]:
    path = Path(__file__).with_name("data") / "ar2en_names.tsv"
    table: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or "\t" not in line:
                continue
            arabic, english = line.rstrip("\n").split("\t", 1)
            table[arabic] = english
    return table


def _split_legal(text: str) -> tuple[str, tuple[str, ...]]:
    """Legal forms out of an organisation name, as generic kinds (``llc``, ``jsc``)."""
    found = {target for _, target in extract_org_types(text, generic=True)}
    if not found:
        return text, ()
    generic = replace_org_types_compare(text, generic=True)
    kept = [t for t in generic.split() if t not in found]
    forms = tuple(sorted(t for t in found if t in generic.split()))
    if not kept or not forms:
        return text, ()
    return " ".join(kept), forms


@lru_cache(maxsize=500_000)
def skeleton(token: str) -> str:
    """Consonant-class key of an ASCII token, stable across transliteration systems.

    >>> skeleton("vladimir"), skeleton("fladymyr"), skeleton("putin"), skeleton("bwtyn")
    ('fltmr', 'fltmr', 'ptn', 'ptn')
    """
    return _REPEATS.sub(r"\1", apply_skeleton_subs(token).translate(_SKELETON_CLASSES))


def apply_skeleton_subs(token: str) -> str:
    """The skeleton's spelling rewrites (digraphs and the like), before its letter classes;
    shared with the index's consonant keys so both read a spelling the same way."""
    for pattern, repl in SKELETON_SUBS:
        token = pattern.sub(repl, token)
    return token


@lru_cache(maxsize=500_000)
def token_weight(token: str) -> float:
    """How much a token says: particles little, initials some, long tokens most."""
    if token in PARTICLES:
        return 0.25
    if token in ORG_WORDS:
        return 0.4
    if len(token) == 1:
        return 0.5
    return min(1.0, 0.55 + 0.1 * len(token))


@lru_cache(maxsize=200_000)
def from_key(key: str) -> NormName:
    """A :class:`NormName` back from its stored :attr:`NormName.key` (list names)."""
    parts = key.split()
    tokens = tuple(t for t in parts if not t.startswith(LEGAL_MARK))
    legal = tuple(t[1:] for t in parts if t.startswith(LEGAL_MARK))
    return NormName(key, tokens, legal, frozenset())
