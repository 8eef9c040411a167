from pathlib import Path

import pandas as pd
import pytest

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="session")
def assistments() -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = SHARED_DATA / "assistments2009"
    if not (folder / "train.csv").is_file():
        pytest.skip(f"ASSISTments sample not found at {folder} (shared/ beside the clone)")
    return pd.read_csv(folder / "train.csv"), pd.read_csv(folder / "test.csv")
