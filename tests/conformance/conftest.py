"""The official files the conformance tests read: ../shared/standards/ (or MASAR_STANDARDS_DIR), never copied here."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def standards() -> Path:
    """Return the standards folder; fail (never skip) when it is missing: `make conformance` needs it."""
    folder = Path(os.environ.get("MASAR_STANDARDS_DIR") or ROOT.parent / "shared" / "standards")
    assert folder.is_dir(), f"the standards folder is missing: {folder} (see the README, Open data)"
    return folder
