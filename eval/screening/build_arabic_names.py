"""Build ``src/greymap/screening/data/ar2en_names.tsv`` from Google's ar2en *train* pairs.

    .venv/bin/python eval/screening/build_arabic_names.py [--data ../shared/data]

Arabic script writes few vowels, so a letter-by-letter reading (``محمد`` -> ``mhmd``) is far
from any Latin spelling; a table of how names are usually spelt fixes the common ones. It
keeps, for each single-word Arabic name, its most frequent English spelling in the train
file (ties: alphabetical). The eval and test files stay unseen: the benchmark and the
generated Arabic slice use them.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "greymap" / "screening" / "data" / "ar2en_names.tsv"
HEADER = (
    "# Arabic name -> usual English spelling. From google/transliteration ar2en-train.txt\n"
    "# (commit b2265a6494f4db49458fd79d586287f1fbbcf2f4, Apache-2.0, arXiv:1610.09565),\n"
    "# most frequent spelling per name; built by eval/screening/build_arabic_names.py.\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    path = args.data / "name-matching" / "google_ar2en_names_train.tsv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            arabic, english = row["arabic"].strip(), row["english"].strip().lower()
            if arabic and english and " " not in arabic and english.isalpha():
                spellings[arabic][english] += 1
    with OUT.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for arabic in sorted(spellings):
            best = sorted(spellings[arabic].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            out.write(f"{arabic}\t{best}\n")
    print(f"{OUT}: {len(spellings)} names")


if __name__ == "__main__":
    main()
