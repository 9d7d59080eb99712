"""A declaration store of each test's own, and a way to write declaration files."""

from pathlib import Path

import pytest

from openaeo.screening.store import ParquetStore


@pytest.fixture(autouse=True)
def _own_keys(keys_dir):
    """Every test here signs with keys of its own (tests.scenarios.certificates)."""


@pytest.fixture
def parquet_store(settings, tmp_path) -> ParquetStore:
    folder = tmp_path / "declarations"
    settings.SCREENING_STORE = {"backend": "parquet", "path": folder}
    return ParquetStore(folder)


@pytest.fixture
def write_file(tmp_path):
    def write(text: str, name: str = "declarations.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
