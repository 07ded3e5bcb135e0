"""Shared fixtures: a small government with two ministries, and users in every role.

Every access test uses three users: one who may change the record, one who may only read
it, and one from another ministry.
"""

import datetime
import re

import pytest
from django.test import Client

from masar.accounts.models import Role, User
from masar.core.models import Classification
from masar.core.services import model_create
from masar.organizations.models import OrganizationKind
from masar.organizations.services import organization_create
from masar.portfolio.services import project_create
from masar.strategy.models import Axis, Program, Strategy, StrategyKind


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


def make_user(username, role, organization):
    user = User.objects.create_user(username=username, password="pw-" + username, role=role, organization=organization)
    return user


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


def make_project(code, owner, axis, *, classification=Classification.PUBLIC, manager=None, **extra):
    data = dict(
        code=code,
        name_ar=f"مشروع {code}",
        owner=owner,
        axis=axis,
        classification=classification,
        planned_start=datetime.date(2025, 1, 1),
        planned_end=datetime.date(2026, 6, 30),
        manager=manager,
    )
    data.update(extra)
    return project_create(actor=None, **data)


@pytest.fixture
def client_for():
    def login(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return login


def field_error(body, field_id):
    """Return the error shown beside a field, checking the field points to it (aria) and is marked invalid."""
    control = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{field_id}"[^>]*>', body)
    assert control, f"no control {field_id}"
    assert 'aria-invalid="true"' in control.group(0)
    described = re.search(r'aria-describedby="([^"]*)"', control.group(0))
    assert described and f"{field_id}_error" in described.group(1).split()
    shown = re.search(rf'<div class="field-errors" id="{field_id}_error">(.*?)</div>', body, re.S)
    assert shown, f"no error beside {field_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown.group(1))).strip()
