import pytest

from tests.indicators.factories import make_indicator


@pytest.fixture
def indicator_a(ministry_a):
    return make_indicator("IND-1", ministry_a)


@pytest.fixture
def indicator_b(ministry_b):
    return make_indicator("IND-B", ministry_b)
