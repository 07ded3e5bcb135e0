import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _arabic():
    """Links to the records compared are built in the active language: these tests read them in Arabic, whatever
    language an earlier test left active in this thread."""
    with translation.override("ar"):
        yield
