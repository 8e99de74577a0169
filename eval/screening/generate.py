"""Build the labelled screening set from the real OFAC SDN (2022-01, with aliases) and UN lists.

    .venv/bin/python eval/screening/generate.py [--data ../shared/data] [--out eval/screening]

Writes ``pairs.jsonl``: one labelled (query, list entry) pair a line, with the entry's names,
birth dates, countries, identifiers and programmes copied in so the set stands alone.
Deterministic (seed 20240503); split by list entry (hash of its id) into train (50%),
validation (20%) and test (30%), so variants of one entry never cross splits.

True matches are realistic variants of listed names: another alias, tokens reordered,
one typo, a part dropped, initials, another spelling of the legal form, and
transliterations into Cyrillic, Greek, Arabic (real Arabic spellings from Google's
Wikipedia-mined ar2en pairs, eval and test files: greymap's own name table uses the train
file; letter rules for words they lack) and Chinese (pinyin syllables written back in Han
characters through ICU's own readings, so this slice tests the pipeline, not reading
ambiguity); some carry the right birth date or country; vessels renamed but quoting their
IMO number. Hard non-matches: a different entry of the same list with a similar name
(entries sharing a word, ranked by rapidfuzz's token-sort ratio, not by greymap's own index;
never across lists: the UN and OFAC list many of the same people), the same name with a
birth date three or more years off, or with another country.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from rapidfuzz import fuzz  # noqa: E402

from greymap.screening.lists import load_list  # noqa: E402
from greymap.screening.records import ListEntity  # noqa: E402
from greymap.workspace import Workspace, ingest_files  # noqa: E402

SEED = 20240503
ARABIC_PROGRAMS = re.compile(
    r"SDGT|IRAQ|SYRIA|IRAN|LIBYA|YEMEN|HIZBALLAH|HAMAS|SDT|FTO|Al-Qa|ISIL|Taliban|Somalia|Sudan",
    re.I,
)
CYRILLIC_PROGRAMS = re.compile(r"UKRAINE|RUSSIA|BELARUS|CAATSA|CYBER|MAGNIT", re.I)
CYRILLIC_COUNTRIES = {"RUS", "UKR", "BLR", "KAZ", "KGZ", "TJK", "UZB"}

CYR = [
    ("shch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("ya", "я"),
    ("yo", "ё"),
    ("iy", "ий"),
    ("yy", "ый"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("i", "и"),
    ("y", "й"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("h", "х"),
    ("c", "к"),
    ("w", "в"),
    ("x", "кс"),
    ("j", "дж"),
    ("q", "к"),
]
GREEK = [
    ("ch", "χ"),
    ("th", "θ"),
    ("ps", "ψ"),
    ("ou", "ου"),
    ("a", "α"),
    ("b", "μπ"),
    ("v", "β"),
    ("g", "γ"),
    ("d", "ντ"),
    ("e", "ε"),
    ("z", "ζ"),
    ("i", "ι"),
    ("k", "κ"),
    ("l", "λ"),
    ("m", "μ"),
    ("n", "ν"),
    ("o", "ο"),
    ("p", "π"),
    ("r", "ρ"),
    ("s", "σ"),
    ("t", "τ"),
    ("u", "ου"),
    ("f", "φ"),
    ("h", "χ"),
    ("x", "ξ"),
    ("y", "ι"),
    ("c", "κ"),
    ("j", "τζ"),
    ("w", "β"),
    ("q", "κ"),
]
#: Latin -> Arabic letters for words the ar2en eval/test files lack: consonants by sound,
#: long vowels (aa, ee/i, oo/ou/u) as letters, short a/e dropped, an initial vowel as alef.
ARABIC_RULES = [
    ("kh", "خ"),
    ("sh", "ش"),
    ("th", "ث"),
    ("dh", "ذ"),
    ("gh", "غ"),
    ("aa", "ا"),
    ("ee", "ي"),
    ("oo", "و"),
    ("ou", "و"),
    ("b", "ب"),
    ("t", "ت"),
    ("j", "ج"),
    ("h", "ه"),
    ("d", "د"),
    ("r", "ر"),
    ("z", "ز"),
    ("s", "س"),
    ("f", "ف"),
    ("q", "ق"),
    ("k", "ك"),
    ("c", "ك"),
    ("g", "ج"),
    ("l", "ل"),
    ("m", "م"),
    ("n", "ن"),
    ("w", "و"),
    ("y", "ي"),
    ("v", "ف"),
    ("p", "ب"),
    ("x", "كس"),
    ("i", "ي"),
    ("u", "و"),
    ("o", "و"),
    ("a", ""),
    ("e", ""),
]
ARABIC_PARTICLES = {
    "al": "ال",
    "el": "ال",
    "bin": "بن",
    "ibn": "ابن",
    "abu": "أبو",
    "abd": "عبد",
    "bint": "بنت",
}
#: Words a firm's name loses without becoming another firm's name ("dropped parts").
DESCRIPTIVE = {
    "TRADING",
    "INTERNATIONAL",
    "GROUP",
    "HOLDING",
    "HOLDINGS",
    "SHIPPING",
    "INDUSTRIAL",
    "INDUSTRIES",
    "ENTERPRISES",
    "GENERAL",
    "COMPANY",
    "CORPORATION",
    "THE",
    "GLOBAL",
    "IMPORT",
    "EXPORT",
    "SERVICES",
    "MANAGEMENT",
    "COMMERCIAL",
}
LEGAL_SPELLINGS = {
    "llc": ["LLC", "Limited Liability Company", "OOO", "L.L.C.", "Ltd", "Limited"],
    "jsc": ["JSC", "Joint Stock Company", "AO", "OAO", "S.A.", "Joint-Stock Company"],
}


def split_of(entity_id: str) -> str:
    h = int(hashlib.sha256(entity_id.encode()).hexdigest()[:8], 16) % 10
    return "train" if h < 5 else ("validation" if h < 7 else "test")


def load_lists(data: Path) -> list[ListEntity]:
    with tempfile.TemporaryDirectory() as tmp, Workspace(Path(tmp) / "ws") as ws:
        sdn = data / "ofac-sdn"
        ingest_files(
            ws, "ofac", [sdn / "sdn_2022-01.csv", sdn / "alt_2022-01.csv", sdn / "add_2022-01.csv"]
        )
        ingest_files(ws, "un-sc", [data / "un-consolidated" / "un_sc_consolidated_2018-10-29.xml"])
        return load_list(ws)


def tokens_of(name: str, person: bool = True) -> list[str]:
    """``LAST, First Middle`` -> ``First Middle LAST`` tokens (OFAC writes family first)."""
    if person and name.count(",") == 1:
        last, first = name.split(",")
        name = f"{first} {last}"
    return [t for t in re.split(r"\s+", name.strip()) if t]


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice("sdti")
    letter = rng.choice("aeioumnrstlk")
    if op == "s":
        return word[:i] + letter + word[i + 1 :]
    if op == "d":
        return word[:i] + word[i + 1 :]
    if op == "t":
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + letter + word[i:]


def by_table(text: str, table: list[tuple[str, str]]) -> str:
    out, i, low = [], 0, text.lower()
    while i < len(low):
        for latin, other in table:
            if low.startswith(latin, i):
                out.append(other)
                i += len(latin)
                break
        else:
            out.append(low[i])
            i += 1
    word = "".join(out)
    return re.sub(r"σ\b", "ς", word)


class Scripts:
    """Latin names written in Cyrillic, Greek, Arabic and Han."""

    def __init__(self, data: Path) -> None:
        # eval and test files only: greymap's own Arabic name table comes from the train file.
        self.arabic: dict[str, str] = {}
        for part in ("eval", "test"):
            path = data / "name-matching" / f"google_ar2en_names_{part}.tsv"
            with path.open(encoding="utf-8") as fh:
                for row in csv.DictReader(fh, delimiter="\t"):
                    self.arabic.setdefault(row["english"].lower(), row["arabic"])
        self.hanzi = _pinyin_table()

    def cyrillic(self, name: str) -> str:
        out = []
        for tok in tokens_of(name):
            low = re.sub(r"(?<=[bcdfgklmnprstvz])y(?=[aeiou])", "ь", tok.lower())
            low = re.sub(r"(?<=[bcdfgklmnprstvz])y$", "iy", low)
            out.append(by_table(low, CYR).capitalize())
        return " ".join(out)

    def greek(self, name: str) -> str:
        return " ".join(by_table(t, GREEK).capitalize() for t in tokens_of(name))

    def to_arabic(self, name: str) -> str | None:
        out = []
        for tok in re.split(r"[\s\-']+", " ".join(tokens_of(name)).lower()):
            if not tok:
                continue
            word = ARABIC_PARTICLES.get(tok) or self.arabic.get(tok) or _arabic_by_rule(tok)
            out.append(word)
        text = " ".join(out)
        text = re.sub(r"(?<!\S)ال (?=ال)", "", text)
        return re.sub(r"(?<!\S)ال (?=\S)", "ال", text)

    def chinese(self, name: str) -> str | None:
        parts = [p.lower() for p in tokens_of(name)]
        if len(parts) < 2:
            return None
        family, given = parts[-1], "".join(parts[:-1])
        chars = []
        for word in (family, given):
            syllables = _segment(word, self.hanzi)
            if syllables is None:
                return None
            chars += [self.hanzi[s] for s in syllables]
        return "".join(chars)


def _arabic_by_rule(word: str) -> str:
    if re.match(r"ab[dt][aeiou]l.", word):
        return "عبد ال" + _arabic_by_rule(word[5:])
    word = re.sub(r"([bcdfghjklmnpqrstvwxz])\1", r"\1", word)
    head = "ا" if word[:1] in "aeiou" else ""
    return head + by_table(word[1:] if head else word, ARABIC_RULES)


def _pinyin_table() -> dict[str, str]:
    from normality import ascii_text

    table: dict[str, str] = {}
    for cp in range(0x4E00, 0x9FA6):
        reading = ascii_text(chr(cp)).strip().lower()
        if reading.isalpha() and reading not in table:
            table[reading] = chr(cp)
    return table


def _segment(word: str, table: dict[str, str]) -> list[str] | None:
    if not word:
        return []
    for n in range(min(6, len(word)), 0, -1):
        head = word[:n]
        if head in table:
            rest = _segment(word[n:], table)
            if rest is not None:
                return [head, *rest]
    return None


def entity_payload(e: ListEntity) -> dict[str, Any]:
    return {
        "id": e.id,
        "schema": e.schema,
        "names": [list(n) for n in e.names[:6]],
        "birth_dates": list(e.birth_dates),
        "countries": sorted(e.countries),
        "identifiers": sorted(e.identifiers),
        "programs": list(e.programs[:3]),
    }


class Generator:
    def __init__(self, entities: list[ListEntity], scripts: Scripts, rng: random.Random) -> None:
        self.entities = entities
        self.scripts_ = scripts
        self.rng = rng
        self.by_word: dict[str, list[int]] = {}
        for i, entity in enumerate(entities):
            for word in set(_words(entity.names[0][0])):
                self.by_word.setdefault(word, []).append(i)
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        e: ListEntity,
        label: bool,
        category: str,
        name: str,
        slice_: str = "latin",
        **qual: str | None,
    ) -> None:
        query = {
            "name": name,
            "schema": _query_schema(e.schema),
            **{k: v for k, v in qual.items() if v},
        }
        self.rows.append(
            {
                "label": label,
                "category": category,
                "slice": slice_,
                "split": split_of(e.id),
                "query": query,
                "entity": entity_payload(e),
            }
        )

    def positives(self, e: ListEntity) -> None:
        rng = self.rng
        primary = e.names[0][0]
        toks = tokens_of(primary, e.schema == "Person")
        strong = [n for n, k in e.names[1:] if k != "weakAlias"]
        if strong:
            self.add(e, True, "alias", rng.choice(strong))
        if len(toks) >= 2 and e.schema == "Person":
            shuffled = toks[:]
            while shuffled == toks:
                rng.shuffle(shuffled)
            self.add(e, True, "reorder", " ".join(shuffled))
        long = [i for i, t in enumerate(toks) if len(t) >= 5]
        if long:
            i = rng.choice(long)
            self.add(
                e, True, "typo", " ".join(typo(t, rng) if j == i else t for j, t in enumerate(toks))
            )
        if len(toks) >= 3 and e.schema == "Person":
            i = rng.randrange(1, len(toks) - 1)
            self.add(e, True, "dropped_part", " ".join(t for j, t in enumerate(toks) if j != i))
        descriptive = [i for i, t in enumerate(toks) if t.strip(",.").upper() in DESCRIPTIVE]
        if e.schema != "Person" and descriptive and len(toks) >= 3:
            i = rng.choice(descriptive)
            self.add(e, True, "dropped_part", " ".join(t for j, t in enumerate(toks) if j != i))
        if e.schema == "Person" and len(toks) >= 3 and rng.random() < 0.5:
            self.add(e, True, "initials", " ".join(t[0] + "." for t in toks[:-1]) + " " + toks[-1])
        if e.schema in ("Company", "Organization"):
            self._legal_form(e, primary)
        if e.schema == "Person" and e.birth_dates and rng.random() < 0.5:
            self.add(
                e, True, "with_birth_date", " ".join(toks), birth_date=rng.choice(e.birth_dates)
            )
        if e.countries and rng.random() < 0.3:
            self.add(e, True, "with_country", primary, country=rng.choice(sorted(e.countries)))
        if e.schema == "Vessel" and e.identifiers:
            other = rng.choice([x for x in self.entities if x.schema == "Vessel"])
            ident = next(iter(sorted(e.identifiers)))
            self.add(
                e,
                True,
                "identifier",
                other.names[0][0],
                id=f"IMO {ident}" if ident.isdigit() else ident,
            )

    def _legal_form(self, e: ListEntity, primary: str) -> None:
        low = primary.lower()
        for kind, spellings in LEGAL_SPELLINGS.items():
            for sp in sorted(spellings, key=len, reverse=True):
                if re.search(rf"(?<!\w){re.escape(sp.lower())}(?!\w)", low):
                    other = self.rng.choice([s for s in spellings if s.lower() != sp.lower()])
                    core = re.sub(rf"(?<!\w){re.escape(sp)}(?!\w)", "", primary, flags=re.I)
                    core = re.sub(r"\s+", " ", core).strip(" ,")
                    self.add(e, True, f"legal_form_{kind}", f"{core} {other}")
                    return

    def scripts(self, e: ListEntity, caps: dict[str, int]) -> None:
        """Transliterated queries (persons only: firms' names are mostly English words)."""
        if e.schema != "Person":
            return
        s, primary = self.scripts_, e.names[0][0]
        programs = " ".join(e.programs)
        variants = []
        if CYRILLIC_PROGRAMS.search(programs) or e.countries & CYRILLIC_COUNTRIES:
            variants.append(("cyrillic", s.cyrillic(primary)))
        elif self.rng.random() < 0.05:
            variants.append(("greek", s.greek(primary)))
        if ARABIC_PROGRAMS.search(programs):
            variants.append(("arabic", s.to_arabic(primary)))
        if "CHN" in e.countries:
            variants.append(("chinese", s.chinese(primary)))
        for script, text in variants:
            if text and caps.get(script, 0) > 0:
                caps[script] -= 1
                self.add(e, True, f"translit_{script}", text, script)

    def negatives(self, e: ListEntity) -> None:
        rng = self.rng
        primary = e.names[0][0]
        names = {n for n, _ in e.names}
        seen: set[str] = set()
        for other in self.similar(e):
            if (
                other.id == e.id
                or other.id in seen
                or other.schema != e.schema
                or other.datasets != e.datasets
                or names & {n for n, _ in other.names}
                or set(other.birth_dates) & set(e.birth_dates)
            ):
                continue
            seen.add(other.id)
            self.add(other, False, "similar_other_entry", primary)
            if len(seen) >= 2:
                break
        if e.schema == "Person" and e.birth_dates:
            year = int(e.birth_dates[0][:4]) + rng.choice([-1, 1]) * rng.randint(3, 15)
            self.add(
                e,
                False,
                "same_name_other_birth_date",
                primary,
                birth_date=f"{year}{e.birth_dates[0][4:]}",
            )
        if e.countries and e.schema != "Vessel" and rng.random() < 0.5:
            others = sorted({"FRA", "BRA", "JPN", "NOR", "CAN", "ZAF", "ARG", "NZL"} - e.countries)
            self.add(e, False, "same_name_other_country", primary, country=rng.choice(others))

    def similar(self, e: ListEntity) -> list[ListEntity]:
        """Entries sharing a word with ``e``'s name, most similar first (rapidfuzz
        token-sort ratio, then id): independent of greymap's own index and matcher."""
        words = set(_words(e.names[0][0]))
        pool = {i for w in words for i in self.by_word.get(w, ())}
        if len(pool) > 2000:
            return []
        target = " ".join(sorted(_words(e.names[0][0])))
        scored = sorted(
            (
                -fuzz.token_sort_ratio(
                    target, " ".join(sorted(_words(self.entities[i].names[0][0])))
                ),
                self.entities[i].id,
                i,
            )
            for i in pool
        )
        return [self.entities[i] for _, _, i in scored[:12]]


def _words(name: str) -> list[str]:
    """Upper-case words of a name, without particles and punctuation."""
    words = re.findall(r"[^\W\d_]+", name.upper())
    return [w for w in words if len(w) > 2 and w not in {"AL", "BIN", "THE", "AND", "FOR", "DE"}]


def _query_schema(schema: str) -> str:
    return schema if schema in ("Person", "Company", "Organization", "Vessel") else "LegalEntity"


def generate(data: Path, n_entities: int = 1300) -> Iterator[dict[str, Any]]:
    rng = random.Random(SEED)
    entities = sorted(
        (
            e
            for e in load_lists(data)
            if e.schema in ("Person", "Company", "Organization", "Vessel")
        ),
        key=lambda e: e.id,
    )
    gen = Generator(entities, Scripts(data), rng)
    sample = rng.sample(entities, min(n_entities, len(entities)))
    for e in sample:
        gen.positives(e)
        gen.negatives(e)
    caps = {"cyrillic": 300, "greek": 150, "arabic": 300, "chinese": 150}
    for e in rng.sample(entities, len(entities)):
        gen.scripts(e, caps)
    for i, row in enumerate(gen.rows):
        yield {"pair_id": f"g{i:05d}", **row}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    rows = list(generate(args.data))
    out = args.out / "pairs.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    counts: dict[str, int] = {}
    for row in rows:
        key = f"{row['split']}:{'match' if row['label'] else 'non-match'}"
        counts[key] = counts.get(key, 0) + 1
    print(f"{out}: {len(rows)} pairs {json.dumps(counts, sort_keys=True)}")


if __name__ == "__main__":
    main()
