"""Shared fixtures: real rows of the example's reference table (made by generate_data.py)."""

from pathlib import Path

import pandas as pd
import pytest

EXAMPLE = Path(__file__).resolve().parent.parent


@pytest.fixture
def reference() -> pd.DataFrame:
    return pd.read_csv(EXAMPLE / "data" / "reference.csv")
