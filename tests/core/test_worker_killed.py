"""A worker killed with SIGKILL in the middle of a job: the job is retried by another worker and done exactly once.

Real processes against a SQLite file: `manage.py db_worker` (or two `rqworker`s on the shared Redis, DB 14), the
sweep `manage.py jobs_sweep --every`, and a file storage that holds the first attempt just before it writes its
file (tests/core/held_storage.py), so the kill always lands mid-job.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from django.conf import settings

SETTINGS = """
from masar.settings import *  # noqa: F403

DATABASES["default"]["NAME"] = {database!r}  # noqa: F405
MEDIA_ROOT = {media!r}
STORAGES = {{**STORAGES, "default": {{"BACKEND": "tests.core.held_storage.HeldStorage"}}}}  # noqa: F405
"""

ASK_FOR_AN_EXPORT = """
from masar.accounts.models import Role, User
from masar.exports.services import export_request
from masar.organizations.services import organization_create

gov = organization_create(actor=None, kind="government", code="G", name_ar="الحكومة")
user = User.objects.create_user("unit", password="x", role=Role.NATIONAL_ADMIN, organization=gov)
print(export_request(user=user, kind="projects", fmt="csv", query="", language="ar", total=0).pk)
"""

COMPLETIONS = """
SELECT count(*) FROM audit_auditentry a JOIN django_content_type t ON a.content_type_id = t.id
WHERE t.app_label = 'exports' AND t.model = 'export'
"""
REDIS_DB = 14
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"


class Site:
    """One Masar installation on a SQLite file, and the processes started on it (all stopped at the end)."""

    def __init__(self, tmp_path, template=None, **environment):
        self.database, self.media, self.hold = tmp_path / "masar.sqlite3", tmp_path / "media", tmp_path / "hold"
        if template is not None:
            shutil.copyfile(template, self.database)
        (tmp_path / "killed_settings.py").write_text(
            SETTINGS.format(database=str(self.database), media=str(self.media))
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "killed_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
            "SECRET_KEY": "worker-killed-test",
            "DEBUG": "0",
            "JOB_LEASE_SECONDS": "3",
            "JOB_MAX_ATTEMPTS": "3",
            "MASAR_TEST_HOLD_FILE": str(self.hold),
            **environment,
        }
        self.env.pop("DATABASE_URL", None)
        self.processes = []

    def manage(self, *args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout

    def start(self, *args):
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def query(self, sql, *params):
        with sqlite3.connect(self.database, timeout=20) as connection:
            return connection.execute(sql, params).fetchone()

    def export(self, pk):
        return self.query("SELECT status, attempts, file FROM exports_export WHERE id = ?", pk)


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def kill_mid_job(site):
    """Wait until the job's attempt is held mid-job, then SIGKILL the process running it (and an RQ horse's worker)."""
    reached = site.hold.with_name("hold.reached")
    wait_for(reached.exists, 40, "a worker to take the job")
    running, parent = (int(pid) for pid in reached.read_text().split())
    os.kill(running, signal.SIGKILL)
    if parent in {p.pid for p in site.processes}:  # an RQ work horse: its worker goes down with it
        os.killpg(parent, signal.SIGKILL)
    wait_for(lambda: all(p.poll() is not None for p in site.processes if p.pid in (running, parent)), 10, "the kill")
    return parent


def check_done_once(site, pk):
    status, attempts, name = site.export(pk)
    files = list((site.media / "exports").iterdir())
    assert (status, [f.name for f in files]) == ("done", [name.split("/")[-1]])
    assert attempts >= 2 and "-a1-" not in name  # the first attempt, killed, recorded nothing
    assert site.query(COMPLETIONS) == (1,)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated SQLite file, copied by each test (migrating takes longer than the rest of a test)."""
    folder = tmp_path_factory.mktemp("migrated")
    Site(folder).manage("migrate", "--no-input", "--verbosity", "0")
    return folder / "masar.sqlite3"


def test_a_db_worker_killed_mid_job_is_replaced_and_the_export_done_once(tmp_path, migrated):
    site = Site(tmp_path, migrated)
    try:
        site.hold.touch()
        pk = int(site.manage("shell", "--no-imports", "-c", textwrap.dedent(ASK_FOR_AN_EXPORT)))
        site.start("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2")

        kill_mid_job(site)

        assert site.export(pk)[:2] == ("running", 1)  # what the person saw before: running forever
        site.hold.unlink()
        site.start("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2")
        site.start("jobs_sweep", "--every", "0.5")
        wait_for(lambda: site.export(pk)[0] == "done", 40, "the retried export")
        check_done_once(site, pk)
    finally:
        site.stop_all()


@pytest.fixture
def redis_db():
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    connection.flushdb()  # this test's own database number only
    yield connection
    connection.flushdb()


def test_of_two_rq_workers_the_one_left_finishes_the_job_of_the_one_killed(tmp_path, migrated, redis_db):
    site = Site(tmp_path, migrated, TASKS_BACKEND="rq", REDIS_URL=REDIS_URL)
    try:
        site.hold.touch()
        pk = int(site.manage("shell", "--no-imports", "-c", textwrap.dedent(ASK_FOR_AN_EXPORT)))
        for _ in range(2):
            site.start("rqworker", "--job-class", "django_tasks_rq.Job", "default")

        killed = kill_mid_job(site)

        assert site.export(pk)[:2] == ("running", 1)
        assert [p.poll() is None for p in site.processes] == [p.pid != killed for p in site.processes]
        site.hold.unlink()
        site.start("jobs_sweep", "--every", "0.5")
        wait_for(lambda: site.export(pk)[0] == "done", 40, "the retried export")
        check_done_once(site, pk)
    finally:
        site.stop_all()


class OwnRedis:
    """A redis-server of this test's own on a port of its range, stopped and started at will (never the shared one)."""

    def __init__(self, folder, port=18410):
        self.folder, self.port, self.process = folder, port, None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(
            lambda: (
                subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout == b"PONG\n"
            ),
            20,
            "redis-server",
        )

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def test_jobs_asked_while_redis_is_away_run_when_it_returns(tmp_path, migrated):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    redis = OwnRedis(tmp_path)
    site = Site(tmp_path, migrated, TASKS_BACKEND="rq", REDIS_URL=f"redis://127.0.0.1:{redis.port}/0")
    try:
        first = int(site.manage("shell", "--no-imports", "-c", textwrap.dedent(ASK_FOR_AN_EXPORT)))
        assert site.query("SELECT status, enqueued_at FROM exports_export WHERE id = ?", first) == ("queued", None)
        redis.start()
        site.start("rqworker", "--job-class", "django_tasks_rq.Job", "default")
        site.start("jobs_sweep", "--every", "0.5")
        wait_for(lambda: site.export(first)[0] == "done", 40, "the export asked while Redis was away")

        redis.stop()  # and again, with the worker running
        second = int(site.manage("shell", "--no-imports", "-c", ASK_AGAIN))
        redis.start()
        wait_for(lambda: site.export(second)[0] == "done", 40, "the export asked while Redis was restarting")
        assert [site.export(pk)[:2] for pk in (first, second)] == [("done", 1), ("done", 1)]
    finally:
        site.stop_all()
        redis.stop()


ASK_AGAIN = """
from masar.accounts.models import User
from masar.exports.services import export_request

user = User.objects.get(username="unit")
print(export_request(user=user, kind="projects", fmt="csv", query="", language="ar", total=0).pk)
"""
