"""Served like production: probes, metrics, one JSON log line per request with its id, and gunicorn itself."""

import http.client
import io
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from masar.accounts.models import Role, User
from masar.core.context import current_request_id, reset_request_id, set_request_id
from masar.core.logs import JsonFormatter, TextFormatter
from masar.delivery.tasks import nightly
from tests.accounts.factories import make_user

TOKEN = "scrape-me-9f1c"
BASE_DIR = settings.BASE_DIR
REDIS_DB = 11  # this area's own Redis database on the shared server
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def free_port():
    """A loopback port in this area's range (18100-18199) on which nothing listens."""
    for port in range(18199, 18099, -1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port  # bound then closed: nothing listens there
    raise RuntimeError("no free port in 18100-18199")


def sample(text, name, **labels):
    """The value of one sample of a Prometheus text exposition, or None when it is absent."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(key) == value for key, value in labels.items()):
                return found.value
    return None


def scrape(client=None):
    client = client or Client()
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


@pytest.fixture
def request_log():
    """The lines masar.request writes, formatted by the production formatter as they are emitted."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("masar.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


# --- /healthz and /readyz


def test_healthz_answers_ok_without_touching_the_database():
    # No `db` fixture: any query would raise here and turn the answer into a 500.
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers  # no session


def test_readyz_is_ready_when_database_cache_and_queue_answer(db):
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "queue": True,
    }
    assert body["checks"]["queue"]["detail"] == "database"


def test_readyz_names_an_unreachable_cache_and_still_reports_the_rest(db):
    port = free_port()
    cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/11"}
    with override_settings(CACHES={"default": cache}):
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"]["ok"] is False
    detail = body["checks"]["cache"]["detail"]
    assert detail.startswith("ConnectionError") and str(port) in detail
    assert body["checks"]["database"]["ok"] is True and body["checks"]["queue"]["ok"] is True
    assert Client().get("/readyz").status_code == 200  # positive control: the real cache answers


def test_readyz_names_a_missing_queue_table(db):
    from django.db import connection

    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute(f"DROP TABLE {DBTaskResult._meta.db_table}")
    response = Client().get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["queue"]["ok"] is False and DBTaskResult._meta.db_table in checks["queue"]["detail"]
    assert checks["database"]["ok"] is True
    # The failed query did not abort the transaction it ran in (PostgreSQL would refuse every later query).
    assert User.objects.exists() is False


def test_readyz_pings_redis_when_the_queue_is_rq(db):
    with override_settings(TASKS=RQ_TASKS, RQ_QUEUES={"default": {"URL": f"redis://127.0.0.1:6379/{REDIS_DB}"}}):
        reachable = Client().get("/readyz")
    with override_settings(TASKS=RQ_TASKS, RQ_QUEUES={"default": {"URL": f"redis://127.0.0.1:{free_port()}/0"}}):
        unreachable = Client().get("/readyz")
    assert reachable.status_code == 200 and reachable.json()["checks"]["queue"]["detail"] == "redis"
    assert unreachable.status_code == 503
    assert unreachable.json()["checks"]["queue"]["detail"].startswith("ConnectionError")


# --- /metrics


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_are_refused_to_anyone_without_the_token_or_staff(ministry_a, client_for):
    viewer = make_user("viewer", Role.VIEWER, ministry_a)
    staff = make_user("ops", Role.VIEWER, ministry_a)
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    anonymous = Client()
    assert anonymous.get("/metrics").status_code == 404
    assert anonymous.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert anonymous.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 404
    assert client_for(viewer).get("/metrics").status_code == 403
    assert client_for(staff).get("/metrics").status_code == 200
    assert anonymous.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


@override_settings(METRICS_TOKEN="")
def test_an_empty_metrics_token_lets_no_bearer_in(db):
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer").status_code == 403


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_count_requests_by_route_name_and_status_never_by_path(db):
    client = Client()
    before = scrape(client)
    for _ in range(3):
        client.get("/healthz?probe=1")
    client.get("/ar/projects/987654/")  # a 404 under a named pattern
    after = scrape(client)

    def delta(**labels):
        return (sample(after, "masar_http_requests_total", **labels) or 0) - (
            sample(before, "masar_http_requests_total", **labels) or 0
        )

    assert delta(route="core-healthz", method="GET", status="200") == 3
    assert delta(route="portfolio-project-detail", method="GET", status="404") == 1
    assert "987654" not in after and "probe" not in after  # no ids, no query strings in labels
    count = sample(after, "masar_http_request_duration_seconds_count", route="core-healthz")
    assert count is not None and count >= 3


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_show_the_queue_depth_and_the_failed_jobs(db):
    assert sample(scrape(), "masar_queue_depth", queue="default") == 0
    nightly.enqueue()
    nightly.enqueue()
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.READY).first()
    failed.status = TaskResultStatus.FAILED
    failed.save(update_fields=["status"])
    text = scrape()
    assert sample(text, "masar_queue_up") == 1
    assert sample(text, "masar_queue_depth", queue="default") == 1
    assert sample(text, "masar_jobs_failed", queue="default") == 1


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_read_the_redis_queue_when_the_queue_is_rq(db):
    import django_rq

    queues = {"default": {"URL": f"redis://127.0.0.1:6379/{REDIS_DB}"}}
    with override_settings(TASKS=RQ_TASKS, RQ_QUEUES=queues):
        queue = django_rq.get_queue("default")
        queue.empty()
        try:
            before = sample(scrape(), "masar_queue_depth", queue="default")
            nightly.enqueue()
            after = sample(scrape(), "masar_queue_depth", queue="default")
        finally:
            queue.delete(delete_jobs=True)  # leaves this area's Redis database as it found it
    assert (before, after) == (0, 1)


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_still_answer_when_the_queue_cannot_be_read(db):
    with override_settings(TASKS=RQ_TASKS, RQ_QUEUES={"default": {"URL": f"redis://127.0.0.1:{free_port()}/0"}}):
        text = scrape()
    assert sample(text, "masar_queue_up") == 0 and sample(text, "masar_queue_depth", queue="default") is None
    assert sample(scrape(), "masar_queue_up") == 1  # positive control


# --- one JSON line per request, with its id


def test_each_request_writes_one_json_line_with_the_id_the_response_carries(db, request_log):
    incoming = "0123456789abcdef0123456789ABCDEF"
    response = Client().get("/healthz?token=secret", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] == incoming.lower()
    [line] = request_log()
    assert line["request_id"] == incoming.lower()
    assert line["level"] == "INFO" and line["logger"] == "masar.request"
    assert (line["method"], line["route"], line["path"], line["status"]) == ("GET", "core-healthz", "/healthz", 200)
    assert line["bytes"] == 2 and line["user_id"] is None and isinstance(line["duration_ms"], float)
    assert "secret" not in json.dumps(line)  # the query string is never logged
    assert current_request_id() == ""  # the id ends with its request


@pytest.mark.parametrize(
    "incoming",
    ["", "short1", "x" * 32, "a" * 65, "0123456789abcdef\nforged log line", "0123456789abcdef 0123456789abcdef"],
)
def test_a_malformed_incoming_request_id_is_replaced_by_a_new_one(db, request_log, incoming):
    response = Client().get("/healthz", HTTP_X_REQUEST_ID=incoming)
    new_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", new_id) and new_id != incoming
    assert request_log()[0]["request_id"] == new_id


def test_a_uuid_request_id_from_the_proxy_is_kept(db):
    incoming = "6f9619ff-8b86-d011-b42d-00c04fc964ff"
    assert Client().get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] == incoming


def test_the_line_of_a_signed_in_request_has_the_user_id_not_the_name(ministry_a, request_log, client_for):
    user = make_user("salma.b", Role.VIEWER, ministry_a)
    response = client_for(user).get("/ar/my-work/")
    assert response.status_code == 200
    [line] = request_log()
    assert line["user_id"] == user.pk and line["route"] == "workspace-my-work"
    assert "salma" not in json.dumps(line)


def test_every_record_is_one_json_line_with_the_current_request_id():
    record = logging.LogRecord("masar.x", logging.ERROR, __file__, 1, "broke:\n%s", ("ليس\nسطرا",), None)
    try:
        raise ValueError("two\nlines")
    except ValueError:
        record.exc_info = sys.exc_info()
    token = set_request_id("feedc0de" * 4)
    try:
        rendered = JsonFormatter().format(record)
        text = TextFormatter().format(record)
    finally:
        reset_request_id(token)
    assert "\n" not in rendered
    entry = json.loads(rendered)
    assert entry["request_id"] == "feedc0de" * 4 and entry["message"] == "broke:\nليس\nسطرا"
    assert "ValueError: two\nlines" in entry["exception"]
    assert "[feedc0defeedc0defeedc0defeedc0de] masar.x: broke:" in text


# --- gunicorn, as `make serve` runs it


def _get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _wait_until_serving(port, server, log_path):
    """Poll /healthz until gunicorn answers; return how many times it answered. Bounded by attempts, not time."""
    for _ in range(300):
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited ({server.returncode}):\n{log_path.read_text()[-3000:]}")
        try:
            status, _headers, _body = _get(port, "/healthz")
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200:
            return 1
        time.sleep(0.2)
    raise AssertionError(f"gunicorn never answered:\n{log_path.read_text()[-3000:]}")


def _collect_static(static_root):
    """collectstatic under hashed names into static_root. Django's manifest storage writes the same names and
    manifest as WhiteNoise's, without the half minute of brotli compression that serving does not need."""
    from django.core.management import call_command

    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(STATIC_ROOT=static_root, STORAGES={**settings.STORAGES, "staticfiles": manifest}):
        call_command("collectstatic", interactive=False, verbosity=0)


def test_gunicorn_serves_probes_hashed_static_files_an_arabic_page_and_summed_metrics(tmp_path):
    port = free_port()
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "masar.settings",
        "DEBUG": "0",
        "SECRET_KEY": "gunicorn-test-only-" + "k" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "TASKS_BACKEND": "db",
        "BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "METRICS_TOKEN": TOKEN,
        "LOG_FORMAT": "json",
    }
    # The database is migrated, the static files collected and gunicorn booted side by side: /healthz needs no
    # database, and the first request that does comes after the migration has finished.
    migrate = subprocess.Popen(
        [sys.executable, "manage.py", "migrate", "--no-input", "--skip-checks", "-v0"],
        cwd=BASE_DIR,
        env=env,
        stderr=subprocess.PIPE,
    )
    _collect_static(tmp_path / "static")
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "masar/gunicorn.conf.py", "masar.wsgi:application"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        healthz_answers = _wait_until_serving(port, server, log_path)
        _stdout, errors = migrate.communicate(timeout=300)
        assert migrate.returncode == 0, errors.decode()

        status, _headers, body = _get(port, "/readyz")
        assert status == 200 and json.loads(body)["status"] == "ready"

        request_id = "abcdef0123456789abcdef0123456789"
        status, headers, body = _get(port, "/ar/", {"X-Request-ID": request_id})
        page = body.decode()
        assert status == 200 and '<html lang="ar" dir="rtl">' in page
        assert headers["X-Request-ID"] == request_id
        [stylesheet] = re.findall(r"/static/masar/masar\.[0-9a-f]{12}\.css", page)  # DEBUG off: the hashed name

        status, headers, body = _get(port, stylesheet)
        assert status == 200 and body
        assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
        status, headers, _body = _get(port, "/static/masar/masar.css")  # positive control: the plain name
        assert status == 200 and "immutable" not in headers["Cache-Control"]

        for _ in range(6):  # several connections, likely answered by both workers
            assert _get(port, "/healthz")[0] == 200
            healthz_answers += 1
        status, _headers, body = _get(port, "/metrics", {"Authorization": f"Bearer {TOKEN}"})
        assert status == 200
        counted = sample(body.decode(), "masar_http_requests_total", route="core-healthz", status="200")
        assert counted == healthz_answers  # every worker's requests, added up
    finally:
        if migrate.poll() is None:
            migrate.kill()
            migrate.communicate()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert server.returncode == 0, log_path.read_text()[-3000:]
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    [home] = [line for line in lines if line.get("route") == "core-home"]
    assert home["request_id"] == request_id and home["status"] == 200
    assert any(line["logger"] == "gunicorn.error" for line in lines)  # gunicorn's own lines in JSON too
