"""Names of firms, people and addresses, and the many ways sources misspell them.

A firm has one canonical name (what its registry writes, in the registry's script) and a
Latin spelling (what bills of lading and foreign sources write). Every other mention is a
*variant*: another spelling of the legal form, upper case, lost punctuation, an
abbreviation, a typo, another transliteration. Entity resolution is judged on telling
these variants apart from genuinely different firms with similar names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from normality import ascii_text

from greymap.simulate import namepools, vocab
from greymap.simulate.params import pick, pick_weighted

#: Two common romanisations of Russian Cyrillic (BGN/PCGN-like and passport-like).
_CYR_BASE = dict(
    zip(
        "абвгдезиклмнопрстуфыэ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "z",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "y",
            "e",
        ],
        strict=True,
    )
)
_CYR_SCHEMES = (
    {
        **_CYR_BASE,
        "ё": "yo",
        "ж": "zh",
        "й": "y",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ь": "",
        "ю": "yu",
        "я": "ya",
    },
    {
        **_CYR_BASE,
        "ё": "e",
        "ж": "zh",
        "й": "i",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "ie",
        "ь": "",
        "ю": "iu",
        "я": "ia",
    },
)
_CYR_FORMS = {"OOO": "ООО", "AO": "АО"}
_ZH_ACTIVITY = {
    "Trading": "贸易",
    "Import & Export": "进出口",
    "Logistics": "物流",
    "Industrial": "实业",
    "Investment": "投资",
    "Technology": "科技",
}


def cyrillic_to_latin(text: str, scheme: int = 0) -> str:
    """Romanise Cyrillic with one of two schemes (capitals kept)."""
    table = _CYR_SCHEMES[scheme % len(_CYR_SCHEMES)]
    out = []
    for ch in text:
        low = ch.lower()
        if low in table:
            latin = table[low]
            out.append(latin.capitalize() if ch != low else latin)
        else:
            out.append(ch)
    return "".join(out)


def pinyin(text: str, joined: bool = True) -> str:
    """Chinese characters as pinyin: ``华兴`` -> ``Huaxing`` (or ``Hua Xing``)."""
    syllables = ascii_text(text).split()
    if joined:
        return "".join(syllables).capitalize()
    return " ".join(s.capitalize() for s in syllables)


@dataclass(frozen=True, slots=True)
class FirmName:
    """The parts a firm's name is made of, so each source can spell it its own way."""

    core: tuple[str, ...]
    activity: str
    form: str
    culture: str
    script: str  # latin | cyrillic | hanzi

    @property
    def canonical(self) -> str:
        """The registry's spelling, in the registry's script."""
        if self.script == "cyrillic":
            return f"{_CYR_FORMS.get(self.form, self.form)} «{' '.join(self.core)}»"
        if self.script == "hanzi":
            return "".join(self.core) + _ZH_ACTIVITY.get(self.activity, "贸易") + "有限公司"
        return _assemble(list(self.core), self.activity, self.form)

    def latin(self, scheme: int = 0) -> str:
        """The spelling foreign sources use (English words, Latin letters)."""
        words = self.latin_core(scheme)
        if self.script == "cyrillic":
            return f'{self.form} "{" ".join(words)}"' if scheme == 0 else f"{' '.join(words)} LLC"
        return _assemble(words, self.activity, self.form)

    def latin_core(self, scheme: int = 0) -> list[str]:
        if self.script == "cyrillic":
            return [cyrillic_to_latin(w, scheme) for w in self.core]
        if self.script == "hanzi":
            return [pinyin(w, joined=scheme == 0) for w in self.core]
        return list(self.core)


def _assemble(core: list[str], activity: str, form: str) -> str:
    words = " ".join(w for w in [*core, activity] if w)
    if not form:
        return words
    if form in vocab.PREFIX_FORMS:
        return f"{form} {words}"
    separator = " " if not form.startswith(",") else ""
    return f"{words}{separator}{form}"


def make_firm_name(
    rng: np.random.Generator, culture: str, iso3: str, activity: str, forms: tuple[str, ...]
) -> FirmName:
    """A new name: one or two core words of the culture, an activity, a legal form."""
    words = namepools.FIRM_WORDS[culture]
    script = "latin"
    if iso3 in vocab.CYRILLIC_COUNTRIES and culture == "slavic":
        script = "cyrillic"
    elif iso3 in vocab.HANZI_COUNTRIES and culture == "chinese":
        script = "hanzi"
    n_core = 2 if script == "cyrillic" or rng.random() < 0.3 else 1
    picks = rng.choice(len(words), size=n_core, replace=False)
    core = tuple(str(words[int(i)]) for i in picks)
    if culture == "slavic" and script == "latin":
        core = tuple(cyrillic_to_latin(w) for w in core)
    elif culture == "chinese" and script == "latin":
        core = tuple(pinyin(w) for w in core)
    if script == "cyrillic":
        activity = ""
    elif script == "hanzi" or culture == "chinese":
        activity = pick(rng, list(_ZH_ACTIVITY))
    form = forms[pick_weighted(rng, [0.6**i for i in range(len(forms))])]
    return FirmName(core, activity, form, culture, script)


# -- variants ------------------------------------------------------------------------------
def firm_variant(name: FirmName, rng: np.random.Generator) -> str:
    """One misspelling of a firm, as a bill of lading or a second source would write it."""
    words = name.latin_core(int(rng.integers(0, 2)))
    if rng.random() < 0.5:
        words = [_translit_alternate(w, rng) for w in words]
    activity, form = name.activity, name.form
    if activity and rng.random() < 0.3:
        activity = vocab.ABBREVIATIONS.get(activity, activity)
    if form and rng.random() < 0.5:
        form = pick(rng, vocab.LEGAL_FORMS.get(form, (form,)))
    elif form and rng.random() < 0.15:
        form = ""
    if len(words) > 1 and rng.random() < 0.1:
        words = ["".join(words).title()]
    if rng.random() < 0.25:
        words = _typo_words(words, rng)
    text = _assemble(words, activity, form) if name.script != "cyrillic" else _cyr(words, form)
    return _restyle(text, rng)


def _cyr(words: list[str], form: str) -> str:
    return f"{' '.join(words)} {form}".strip() if form else " ".join(words)


def _restyle(text: str, rng: np.random.Generator) -> str:
    roll = rng.random()
    if roll < 0.35:
        text = text.upper()
    elif roll < 0.45:
        text = text.title()
    if rng.random() < 0.3:
        text = text.replace(".", "").replace(",", "").replace('"', "")
    if rng.random() < 0.15:
        text = text.replace("&", "and" if text != text.upper() else "AND")
    return " ".join(text.split())


def _translit_alternate(word: str, rng: np.random.Generator) -> str:
    parts = word.split(" ")
    for i, part in enumerate(parts):
        options = vocab.TRANSLIT_ALTERNATES.get(part)
        if options:
            parts[i] = pick(rng, options)
    out = " ".join(parts)
    if out.startswith("Al ") and rng.random() < 0.5:
        out = pick(rng, ["Al-", "El ", "Al"]) + out[3:]
    return out


def _typo_words(words: list[str], rng: np.random.Generator) -> list[str]:
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    out = list(words)
    out[longest] = typo(words[longest], rng)
    return out


def typo(word: str, rng: np.random.Generator) -> str:
    """One keyboard slip: a swapped, dropped, doubled or replaced letter."""
    if len(word) < 4:
        return word
    i = int(rng.integers(1, len(word) - 1))
    kind = int(rng.integers(0, 4))
    if kind == 0:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    letter = "aeiou"[int(rng.integers(0, 5))] if word[i].lower() in "aeiou" else word[i]
    return word[:i] + letter + word[i + 1 :]


# -- people -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PersonName:
    first: str
    last: str
    script: str

    @property
    def canonical(self) -> str:
        if self.script == "hanzi":
            return self.last + self.first
        return f"{self.first} {self.last}"

    def latin(self, scheme: int = 0) -> tuple[str, str]:
        if self.script == "cyrillic":
            return cyrillic_to_latin(self.first, scheme), cyrillic_to_latin(self.last, scheme)
        if self.script == "hanzi":
            return pinyin(self.first), pinyin(self.last)
        return self.first, self.last


def make_person_name(rng: np.random.Generator, culture: str, iso3: str) -> PersonName:
    firsts, lasts = namepools.PERSON_NAMES[culture]
    script = "latin"
    if culture == "slavic" and iso3 in vocab.CYRILLIC_COUNTRIES:
        script = "cyrillic"
    elif culture == "chinese" and iso3 in vocab.HANZI_COUNTRIES:
        script = "hanzi"
    first, last = pick(rng, firsts), pick(rng, lasts)
    if culture == "slavic" and script == "latin":
        first, last = cyrillic_to_latin(first), cyrillic_to_latin(last)
    elif culture == "chinese" and script == "latin":
        first, last = pinyin(first), pinyin(last)
    return PersonName(first, last, script)


def person_variant(name: PersonName, rng: np.random.Generator) -> str:
    """A person as a sanctions list, a leak or a press report would write them."""
    first, last = name.latin(int(rng.integers(0, 2)))
    first = _translit_alternate(first, rng)
    last = _translit_alternate(last, rng)
    if rng.random() < 0.2:
        last = typo(last, rng)
    roll = rng.random()
    if roll < 0.3:
        text = f"{last.upper()}, {first}"
    elif roll < 0.45:
        text = f"{first[0]}. {last}"
    elif roll < 0.6:
        text = f"{last} {first}"
    else:
        text = f"{first} {last}"
    return text.upper() if rng.random() < 0.2 else text


# -- addresses ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Address:
    unit: str
    number: int
    street: str
    street_type: str
    city: str
    postcode: str
    country_name: str

    @property
    def street_line(self) -> str:
        return f"{self.number} {self.street} {self.street_type}"

    @property
    def full(self) -> str:
        parts = [self.unit, self.street_line, f"{self.city} {self.postcode}".strip()]
        return ", ".join(p for p in [*parts, self.country_name] if p)


def make_address(
    rng: np.random.Generator, city: str, country_name: str, tower: bool = False
) -> Address:
    street_type = pick(rng, list(vocab.STREET_TYPES))
    unit = ""
    if tower:
        unit = f"Suite {int(rng.integers(1, 40))}{int(rng.integers(0, 100)):02d}, {pick(rng, vocab.TOWERS)}"
    postcode = str(int(rng.integers(10000, 99999))) if rng.random() < 0.7 else ""
    return Address(
        unit,
        int(rng.integers(1, 400)),
        pick(rng, vocab.STREET_NAMES),
        street_type,
        city,
        postcode,
        country_name,
    )


def address_variant(address: Address, rng: np.random.Generator) -> str:
    """The same place, written by another clerk."""
    street_type = address.street_type
    if rng.random() < 0.5:
        street_type = vocab.STREET_TYPES[street_type]
    number = f"No. {address.number}" if rng.random() < 0.15 else str(address.number)
    street = f"{number} {address.street} {street_type}"
    postcode = address.postcode if rng.random() < 0.6 else ""
    unit = address.unit if rng.random() < 0.8 else ""
    country = address.country_name if rng.random() < 0.7 else ""
    text = ", ".join(p for p in [unit, street, f"{address.city} {postcode}".strip(), country] if p)
    return text.upper() if rng.random() < 0.4 else text
