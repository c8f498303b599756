"""Writes real tables that PyPI packages ship, for the data-validation tests (nothing is downloaded).

    real_tables.py halves TABLE OUT SEEDS   random halves: OUT/<seed>/a.csv and b.csv for seeds 0..SEEDS-1
    real_tables.py formats TABLE OUT        the whole table as OUT/table.csv, .parquet and .jsonl, as pandas writes them
"""
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore")


def load(name):
    if name == "breast_cancer":
        from sklearn.datasets import load_breast_cancer
        return load_breast_cancer(as_frame=True).frame
    if name == "macrodata":
        import statsmodels.api as sm
        return sm.datasets.macrodata.load_pandas().data
    if name == "penguins":
        import palmerpenguins
        return palmerpenguins.load_penguins()
    if name == "cars":
        from vega_datasets import data
        return data.cars()
    raise SystemExit("unknown table " + name)


def main(mode, name, out, *rest):
    import os
    table = load(name)
    if mode == "halves":
        for seed in range(int(rest[0])):
            order = np.random.default_rng(seed).permutation(len(table))
            half = len(table) // 2
            os.makedirs(f"{out}/{seed}", exist_ok=True)
            table.iloc[order[:half]].to_csv(f"{out}/{seed}/a.csv", index=False)
            table.iloc[order[half:]].to_csv(f"{out}/{seed}/b.csv", index=False)
    elif mode == "formats":
        os.makedirs(out, exist_ok=True)
        table.to_csv(f"{out}/table.csv", index=False)
        table.to_parquet(f"{out}/table.parquet", index=False)
        # ISO dates: the format pandas announces as its next default (today's default is epoch milliseconds).
        table.to_json(f"{out}/table.jsonl", orient="records", lines=True, date_format="iso")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(*sys.argv[1:])
