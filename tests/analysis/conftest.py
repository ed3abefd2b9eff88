"""Fixtures of the analysis tests."""

import pytest
from analysis_helpers import REAL_DATA


@pytest.fixture
def real_data():
    if not (REAL_DATA / "stroop_vonbastian2015.csv").exists():
        pytest.skip(f"other labs' data not found at {REAL_DATA} (the shared/ folder is "
                    f"expected beside the repository)")
    return REAL_DATA
