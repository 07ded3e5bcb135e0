"""A person waiting for a pack or an export is told plainly when no background worker runs."""

import datetime
import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.utils import timezone

from masar.exports.models import Export
from masar.reports.models import CouncilPack, PackStatus
from masar.reports.services import pack_build

NO_WORKER = "No background worker has picked this job up yet."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def requested_ago(model, pk, seconds):
    """Move a job's request time into the past, as if it had waited that long."""
    model.objects.filter(pk=pk).update(created_at=timezone.now() - datetime.timedelta(seconds=seconds))


def test_a_pack_nobody_picks_up_says_that_no_worker_runs(national, client_for):
    client = client_for(national)
    response = client.post("/en/reports/packs/new/", {"language": "ar", "classification": "restricted"})
    pack = CouncilPack.objects.get()
    assert response.status_code == 302 and pack.status == PackStatus.QUEUED
    fresh = client.get(f"/en/reports/packs/{pack.pk}/").content.decode()
    assert "<progress" in fresh and NO_WORKER not in fresh  # a worker has a few seconds to pick it up

    requested_ago(CouncilPack, pack.pk, 31)

    stuck = client.get(f"/en/reports/packs/{pack.pk}/").content.decode()
    assert NO_WORKER in stuck and "<code>make worker</code>" in stuck
    assert 'http-equiv="refresh"' in stuck  # it keeps looking, and shows the pack as soon as a worker starts


def test_a_pack_the_worker_built_shows_its_link_and_no_warning(national, client_for):
    pack = CouncilPack.objects.create(requested_by=national, language="fr", classification="restricted")
    requested_ago(CouncilPack, pack.pk, 600)
    pack_build(pack_id=pack.pk)
    page = client_for(national).get(f"/en/reports/packs/{pack.pk}/").content.decode()
    assert f"/en/reports/packs/{pack.pk}/pdf/" in page
    assert NO_WORKER not in page


def test_a_running_pack_shows_its_progress_not_the_warning(national, client_for):
    pack = CouncilPack.objects.create(requested_by=national, status=PackStatus.RUNNING, progress=50)
    requested_ago(CouncilPack, pack.pk, 600)
    page = client_for(national).get(f"/en/reports/packs/{pack.pk}/").content.decode()
    assert 'value="50"' in page and NO_WORKER not in page


def test_an_export_nobody_picks_up_says_that_no_worker_runs(coordinator_a, client_for):
    export = Export.objects.create(user=coordinator_a, kind="projects", format="csv", language="en", total=30000)
    client = client_for(coordinator_a)
    assert NO_WORKER not in client.get(f"/en/exports/{export.pk}/").content.decode()
    requested_ago(Export, export.pk, 45)
    assert NO_WORKER in client.get(f"/en/exports/{export.pk}/").content.decode()
    Export.objects.filter(pk=export.pk).update(status="running")
    assert NO_WORKER not in client.get(f"/en/exports/{export.pk}/").content.decode()


SETTINGS = """
from masar.settings import *  # noqa: F403

DATABASES["default"]["NAME"] = {database!r}  # noqa: F405
MEDIA_ROOT = {media!r}
TASKS = {{"default": {{"BACKEND": "django_tasks_db.DatabaseBackend"}}}}
"""

ASK_FOR_A_PACK = """
from masar.accounts.models import Role, User
from masar.organizations.services import organization_create
from masar.reports.services import pack_request

gov = organization_create(actor=None, kind="government", code="G", name_ar="الحكومة")
user = User.objects.create_user("unit", password="x", role=Role.NATIONAL_ADMIN, organization=gov)
print(pack_request(user=user, language="ar", classification="restricted").pk)
"""

READ_THE_PACK = """
from masar.reports.models import CouncilPack

pack = CouncilPack.objects.get()
print(pack.status, pack.progress, bool(pack.file))
"""


def test_the_real_worker_process_builds_a_pack_from_a_file_database(tmp_path):
    """Run `manage.py db_worker --batch` as its own process against a SQLite file, as `make demo` does."""
    (tmp_path / "worker_settings.py").write_text(
        SETTINGS.format(database=str(tmp_path / "masar.sqlite3"), media=str(tmp_path / "media"))
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "worker_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
        "SECRET_KEY": "worker-test",
        "DEBUG": "0",
    }
    env.pop("DATABASE_URL", None)

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout

    manage("migrate", "--no-input", "--verbosity", "0")
    manage("shell", "--no-imports", "-c", textwrap.dedent(ASK_FOR_A_PACK))
    assert manage("shell", "--no-imports", "-c", READ_THE_PACK).split() == ["queued", "0", "False"]

    manage("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    assert manage("shell", "--no-imports", "-c", READ_THE_PACK).split() == ["done", "100", "True"]
    assert any((tmp_path / "media" / "packs").glob("*.pdf"))
