"""The replica router and middleware without a real replica: a no-op with none configured, the primary for
migrations, jobs and writers, a pin for whoever wrote, a page that still answers when the replica is unreachable.

tests/core/test_replicas.py proves the routing itself against a real streaming replica.
"""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from masar.core.replicas import STICKY_COOKIE, caller_pinned, replica_health_forget
from masar.core.routers import ReplicaRouter
from masar.portfolio.models import Project
from tests.api.factories import if_match
from tests.portfolio.factories import make_project

BASE_DIR = Path(__file__).resolve().parents[2]
UNREACHABLE = "replica_9"  # named in the settings, absent from DATABASES: it cannot answer


@pytest.fixture
def unreachable_replica(settings):
    """A replica named in the settings that cannot be reached: every read must fall back to the primary."""
    settings.REPLICA_DATABASES = [UNREACHABLE]
    replica_health_forget()
    yield
    replica_health_forget()


@pytest.fixture
def project(ministry_a, axis, manager_a):
    return make_project("RT-1", ministry_a, axis, name_ar="بوابة", manager=manager_a)


def edit_payload(project, **changes):
    return {
        "version": project.version,
        "name_ar": project.name_ar,
        "status": project.status,
        "currency": project.currency,
        "funding_kind": project.funding_kind,
        "classification": project.classification,
        **changes,
    }


def request_with(response=None, **headers):
    request = RequestFactory().get("/", **headers)
    if response is not None:
        request.COOKIES[STICKY_COOKIE] = response.cookies[STICKY_COOKIE].value
    return request


def test_without_replicas_the_router_leaves_every_query_to_django(settings, project, client_for, manager_a):
    settings.REPLICA_DATABASES = []  # as DATABASE_REPLICA_URLS unset gives
    router = ReplicaRouter()
    assert router.db_for_read(Project) is None
    assert router.db_for_write(Project) is None
    assert router.allow_migrate("default", "portfolio") is None
    response = client_for(manager_a).post(f"/ar/projects/{project.pk}/edit/", edit_payload(project, name_ar="جديد"))
    assert response.status_code == 302
    assert STICKY_COOKIE not in response.cookies


def test_migrations_run_on_the_primary_only(unreachable_replica):
    router = ReplicaRouter()
    assert router.allow_migrate(UNREACHABLE, "portfolio", model_name="project") is False
    assert router.allow_migrate("default", "portfolio", model_name="project") is None


def test_rows_of_the_primary_and_of_replicas_may_be_related(unreachable_replica, project):
    on_replica = Project(pk=project.pk)
    on_replica._state.db = UNREACHABLE
    elsewhere = Project(pk=project.pk)
    elsewhere._state.db = "archive"
    router = ReplicaRouter()
    assert router.allow_relation(project, on_replica) is True
    assert router.allow_relation(project, elsewhere) is None


def test_outside_a_request_reads_and_writes_use_the_primary(unreachable_replica):
    router = ReplicaRouter()  # a job, a command, a migration: no request said reads may use a replica
    assert router.db_for_read(Project) == "default"
    assert router.db_for_write(Project) == "default"


@pytest.mark.django_db(transaction=True)  # a test's own transaction on the primary would keep reads there
def test_a_page_answers_from_the_primary_when_the_replica_is_unreachable(
    unreachable_replica, project, client_for, coordinator_a, caplog
):
    with caplog.at_level(logging.WARNING, logger="masar.core.replicas"):
        response = client_for(coordinator_a).get("/ar/projects/")
    assert response.status_code == 200
    assert "RT-1" in response.content.decode()
    assert f"replica {UNREACHABLE} unusable" in caplog.text


def test_a_person_who_wrote_is_pinned_to_the_primary_for_the_sticky_window(
    unreachable_replica, project, client_for, manager_a, settings
):
    response = client_for(manager_a).post(f"/ar/projects/{project.pk}/edit/", edit_payload(project, name_ar="جديد"))
    assert response.status_code == 302
    cookie = response.cookies[STICKY_COOKIE]
    assert cookie["max-age"] == settings.REPLICA_STICKY_SECONDS
    assert cookie["httponly"]
    assert caller_pinned(request_with(response))
    assert not caller_pinned(request_with())

    tampered = request_with()
    tampered.COOKIES[STICKY_COOKIE] = cookie.value.replace("1:", "2:", 1)
    assert not caller_pinned(tampered)

    settings.REPLICA_STICKY_SECONDS = 0  # the window is over: the same cookie no longer pins
    assert not caller_pinned(request_with(response))


def test_a_request_that_wrote_nothing_pins_nobody(unreachable_replica, project, client_for, manager_a, coordinator_a):
    refused = client_for(manager_a).post(f"/ar/projects/{project.pk}/edit/", edit_payload(project, name_ar=""))
    assert refused.status_code == 400
    assert STICKY_COOKIE not in refused.cookies
    read = client_for(coordinator_a).get(f"/ar/projects/{project.pk}/")
    assert read.status_code == 200
    assert STICKY_COOKIE not in read.cookies


def test_an_api_caller_who_wrote_is_pinned_by_its_token_and_bookkeeping_pins_nobody(
    unreachable_replica, project, manager_a, coordinator_a
):
    from masar.exchange.services import token_issue

    mine = token_issue(user=manager_a, name="tests", actor=None).secret
    theirs = token_issue(user=coordinator_a, name="tests", actor=None).secret
    from django.test import Client

    caller = Client(HTTP_AUTHORIZATION=f"Bearer {mine}")
    read = caller.get(f"/api/v1/projects/{project.pk}/")  # touches the token and logs the call: bookkeeping
    assert read.status_code == 200
    assert STICKY_COOKIE not in read.cookies
    assert not caller_pinned(request_with(HTTP_AUTHORIZATION=f"Bearer {mine}"))

    changed = caller.patch(
        f"/api/v1/projects/{project.pk}/",
        data={"name_ar": "جديد"},
        content_type="application/json",
        **if_match(project),
    )
    assert changed.status_code == 200, changed.content
    assert caller_pinned(request_with(HTTP_AUTHORIZATION=f"Bearer {mine}"))
    assert not caller_pinned(request_with(HTTP_AUTHORIZATION=f"Bearer {theirs}"))


def settings_with(**env):
    """Load the settings in a fresh process with this environment; return them, or the error that stopped them."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'databases': s.DATABASES, 'replicas': s.REPLICA_DATABASES, 'caches': s.CACHES},"
        " default=str))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "REDIS", "REPLICA", "TASKS"))}
    base.update(DJANGO_SETTINGS_MODULE="masar.settings", SECRET_KEY="k" * 50)
    run = subprocess.run(
        [sys.executable, "-c", script], env={**base, **env}, cwd=BASE_DIR, capture_output=True, text=True, timeout=60
    )
    if run.returncode:
        return run.stderr.strip().splitlines()[-1]
    return json.loads(run.stdout)


PRIMARY = "postgres://masar@db1.example:5432/masar"


def test_replica_urls_add_replica_databases_with_the_primarys_options():
    loaded = settings_with(
        DATABASE_URL=PRIMARY,
        DB_CONN_MAX_AGE="60",
        DATABASE_REPLICA_URLS="postgres://masar@db2.example/masar, postgres://masar@db3.example:5433/masar",
    )
    assert loaded["replicas"] == ["replica_0", "replica_1"]
    first, second = loaded["databases"]["replica_0"], loaded["databases"]["replica_1"]
    assert (first["HOST"], second["HOST"], second["PORT"]) == ("db2.example", "db3.example", 5433)
    for replica in (first, second):
        assert replica["CONN_MAX_AGE"] == 60
        assert replica["OPTIONS"]["options"] == "-c jit=off"
        assert replica["OPTIONS"]["connect_timeout"] == 2
        assert replica["TEST"]["MIRROR"] == "default"
    assert settings_with(DATABASE_URL=PRIMARY)["replicas"] == []


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_REPLICA_URLS": "postgres://db2.example/masar"}, "needs DATABASE_URL to be a PostgreSQL"),
        ({"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URLS": "sqlite:///x.db"}, "must list PostgreSQL URLs"),
        (
            {"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URLS": "postgres://db2/m", "REPLICA_STICKY_SECONDS": "5"},
            "REPLICA_STICKY_SECONDS must exceed",
        ),
        ({"TASKS_BACKEND": "rq"}, "TASKS_BACKEND=rq needs REDIS_URL"),
    ],
)
def test_scale_out_settings_refuse_what_cannot_work(env, message):
    error = settings_with(**env)
    assert isinstance(error, str) and "ImproperlyConfigured" in error and message in error, error


def test_the_cache_is_redis_when_redis_url_is_set_and_local_memory_otherwise():
    redis_caches = settings_with(REDIS_URL="redis://cache.example:6379/2")["caches"]["default"]
    assert redis_caches["BACKEND"] == "masar.core.cache.ResilientRedisCache"
    assert redis_caches["LOCATION"] == "redis://cache.example:6379/2"
    assert redis_caches["KEY_PREFIX"] == "masar"
    assert settings_with()["caches"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
