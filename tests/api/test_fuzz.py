"""Schemathesis fuzzes the live API from its own OpenAPI document, with a token.

Every operation gets a bounded number of generated requests, valid and not; the server must never
answer 5xx, and every answer must be one the document declares, in the declared content type, with a
body that matches the declared schema (problem details included). `FUZZ_EXAMPLES=120` runs a longer campaign.
"""

import datetime
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from masar.accounts.models import Role
from masar.core.models import Classification
from masar.exchange.models import ExchangeLogEntry
from masar.exchange.services import token_issue
from masar.portfolio.services import milestone_create
from tests.accounts.factories import make_user
from tests.portfolio.factories import make_project

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api_token(transactional_db, gov, ministry_a, axis):
    national = make_user("fuzz_national", Role.NATIONAL_ADMIN, gov)
    for number, level in enumerate(Classification.values, start=1):
        project = make_project(f"FZ-{number}", ministry_a, axis, classification=level)
        milestone_create(actor=None, project=project, order=1, name_ar="معلم", planned_date=datetime.date(2026, 6, 1))
    return token_issue(user=national, name="fuzz", actor=None).secret


def test_the_api_never_fails_and_always_answers_as_documented(live_server, api_token):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    headers = {"Authorization": f"Bearer {api_token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20")),
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        def call(case):
            case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)

        call()
    # The examples really reached the server: each call is in the exchange log.
    assert ExchangeLogEntry.objects.count() >= 5 * len(operations)
    assert ExchangeLogEntry.objects.filter(status=200).exists()
