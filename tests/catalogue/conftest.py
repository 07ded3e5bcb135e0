"""Fixtures of the catalogue's tests: an inspector, API clients of ministry A, and counters of what changed."""

import pytest

from masar.accounts.models import Role
from masar.audit.models import AuditEntry
from masar.core.policy import Reader
from tests.accounts.factories import make_user
from tests.exchange.factories import make_client


@pytest.fixture
def inspector(gov):
    return make_user("inspector", Role.INSPECTOR, gov)


@pytest.fixture
def registry_a(ministry_a):
    """Ministry A's services registry: an API client that writes services and their usage for its ministry."""
    client = make_client(ministry_a, scopes=("services:read", "services:write", "service_usage:write"))
    return Reader.client(client)


@pytest.fixture
def trail():
    """Return a function giving the number of audit entries, to show a refusal wrote nothing."""
    return lambda: AuditEntry.objects.count()
