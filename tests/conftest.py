"""Shared fixtures: a small government with two ministries, and users in every role.

Every access test uses three users: one who may change the record, one who may only read
it, and one from another ministry.
"""

import datetime
import os

import pytest
from django.test import Client

from masar.accounts.models import Role
from masar.core.models import Classification
from masar.core.services import model_create
from masar.organizations.models import OrganizationKind
from masar.organizations.services import organization_create
from masar.strategy.models import Axis, Program, Strategy, StrategyKind
from tests.accounts.factories import make_user

# The tests that read the official files of ../shared/standards/ run as `make conformance` only: `make test`
# passes on a clone that has no ../shared/.
collect_ignore = [] if os.environ.get("MASAR_CONFORMANCE") else ["conformance"]


@pytest.fixture
def gov(db):
    return organization_create(
        actor=None,
        kind=OrganizationKind.GOVERNMENT,
        code="GOV",
        name_ar="الحكومة",
        name_fr="Gouvernement",
        name_en="Government",
    )


@pytest.fixture
def ministry_a(gov):
    return organization_create(
        actor=None,
        parent=gov,
        kind=OrganizationKind.MINISTRY,
        code="MIN-A",
        name_ar="وزارة تكنولوجيات الاتصال",
        name_fr="Ministère des technologies de la communication",
        name_en="Ministry of Communication Technologies",
    )


@pytest.fixture
def directorate_a(ministry_a):
    return organization_create(
        actor=None,
        parent=ministry_a,
        kind=OrganizationKind.DIRECTORATE,
        code="MIN-A-D1",
        name_ar="مديرية نظم المعلومات",
    )


@pytest.fixture
def ministry_b(gov):
    return organization_create(
        actor=None,
        parent=gov,
        kind=OrganizationKind.MINISTRY,
        code="MIN-B",
        name_ar="وزارة الصحة",
        name_fr="Ministère de la santé",
    )


@pytest.fixture
def national(gov):
    return make_user("national", Role.NATIONAL_ADMIN, gov)


@pytest.fixture
def coordinator_a(ministry_a):
    return make_user("coord_a", Role.SECTOR_COORDINATOR, ministry_a)


@pytest.fixture
def manager_a(ministry_a):
    return make_user("manager_a", Role.PROJECT_MANAGER, ministry_a)


@pytest.fixture
def viewer_a(ministry_a):
    return make_user("viewer_a", Role.VIEWER, ministry_a)


@pytest.fixture
def coordinator_b(ministry_b):
    return make_user("coord_b", Role.SECTOR_COORDINATOR, ministry_b)


@pytest.fixture
def manager_b(ministry_b):
    return make_user("manager_b", Role.PROJECT_MANAGER, ministry_b)


@pytest.fixture
def program(gov, ministry_a):
    strategy = model_create(
        model=Strategy,
        actor=None,
        data=dict(
            kind=StrategyKind.PROGRAM,
            code="P2526",
            name_ar="برنامج التحول الرقمي 2025-2026",
            owner=ministry_a,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2026, 12, 31),
            classification=Classification.PUBLIC,
            planned_project_count=138,
        ),
    )
    return strategy


@pytest.fixture
def axis(program):
    return model_create(
        model=Axis,
        actor=None,
        data=dict(strategy=program, order=1, name_ar="التحول الرقمي للإدارة", planned_project_count=99),
    )


@pytest.fixture
def sub_program(program, axis):
    return model_create(
        model=Program, actor=None, data=dict(strategy=program, axis=axis, order=1, name_ar="الخدمات عن بعد")
    )


@pytest.fixture
def client_for():
    def login(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Add the search index's full-text structures, which a migration installs (tests run without migrations)."""
    from django.db import connection

    from masar.search.schema import install

    with django_db_blocker.unblock():
        install(connection)


@pytest.fixture(autouse=True)
def _password_only_sign_in(settings):
    """Tests sign people in with force_login, which gives no second factor; tests of it turn it on (tests/accounts)."""
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture(autouse=True)
def _anchors_out_of_the_checkout(settings, tmp_path):
    """The nightly job anchors the audit trail's head: each test's anchors go to a folder of its own."""
    settings.AUDIT_ANCHOR_DIR = tmp_path / "audit-anchors"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a rolled-back database reuses ids, which cached figures are keyed by."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _plain_static_names():
    """Serve static files as in development, whatever DEBUG says: plain names (the manifest of hashed names exists
    only after collectstatic, which the suite does not run; tests/core/test_serving.py collects into a folder of
    its own) and WhiteNoise looking files up on request (no collected folder to scan, no warning for it)."""
    from django.conf import settings
    from django.test import override_settings

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}, WHITENOISE_AUTOREFRESH=True):
        yield
