"""Rebuild ``declarations_sample.csv`` from the full KCS files in ../shared/data.

4,000 declarations drawn at random from 2020 (the training file) and 1,000 from 2021 Q1
(the validation file), seed 7, sorted by date then id, columns and values unchanged.
Run: ``python examples/data/kcs-customs-synthetic/build_sample.py``.
"""

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[3] / "shared" / "data" / "kcs-customs-synthetic"
DRAWS = (("df_syn_train_eng.csv", 4000), ("df_syn_valid_eng.csv", 1000))


def main() -> None:
    parts = [
        pd.read_csv(SOURCE / name, dtype=str, keep_default_na=False).sample(n, random_state=7)
        for name, n in DRAWS
    ]
    sample = pd.concat(parts).sort_values(["Date", "Declaration ID"], kind="stable")
    sample.to_csv(HERE / "declarations_sample.csv", index=False)


if __name__ == "__main__":
    main()
