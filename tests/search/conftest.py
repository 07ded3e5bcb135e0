import pytest

from masar.search.services import thesaurus_seed


@pytest.fixture
def thesaurus(db):
    """The thesaurus a new deployment starts with (a migration installs it; tests run without migrations)."""
    thesaurus_seed()
