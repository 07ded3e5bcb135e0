import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Keep the files of each test in its own folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def in_english():
    """The refusals are read in English here; their translations are checked by the catalogue tests."""
    with translation.override("en"):
        yield
