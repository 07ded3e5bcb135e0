"""Backups that restore: data made through the services, backed up, restored into a fresh database by the
`restore` command in its own process, verified there; a damaged backup is refused."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from masar.audit.backup import MANIFEST, MEDIA
from masar.audit.models import AuditEntry
from masar.portfolio.models import Project
from masar.portfolio.services import project_update
from tests.portfolio.factories import make_project

ROOT = Path(__file__).resolve().parents[2]
KEY = "backup-test-audit-key-0123456789abcdef"
RESTORE_DB = "masar_audit_restore"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(settings, tmp_path, ministry_a, axis, coordinator_a):
    settings.AUDIT_KEY = KEY
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "attachments").mkdir(parents=True)
    (settings.MEDIA_ROOT / "attachments" / "report.pdf").write_bytes(b"%PDF-1.4 council report")
    for number in range(3):
        project = make_project(f"P-{number}", ministry_a, axis)
        project_update(project=project, actor=coordinator_a, expected_version=1, name_ar=f"معدل {number}")
    return tmp_path


def run(database_url, media, *args):
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_DIR": str(media), "AUDIT_KEY": KEY}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.fixture
def target(data):
    """Return the URL of a fresh, empty database of the same engine as the tests' own."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{data / 'restored.sqlite3'}"
        return
    params = connection.settings_dict
    server = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {RESTORE_DB}")
        cursor.execute(f"CREATE DATABASE {RESTORE_DB}")
    yield f"{server}/{RESTORE_DB}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {RESTORE_DB} WITH (FORCE)")


def test_a_backup_restores_into_a_fresh_database_and_verifies(data, target):
    backup = data / "backup"
    call_command("backup", "--to", str(backup))
    manifest = json.loads((backup / MANIFEST).read_text())
    assert manifest["counts"]["portfolio_project"] == Project.objects.count() == 3
    head = AuditEntry.objects.order_by("-seq").first()
    assert manifest["audit_head"] == {"seq": head.seq, "hash": head.hash}
    restored_media = data / "restored-media"
    result = run(target, restored_media, "restore", "--from", str(backup))
    assert result.returncode == 0, result.stderr
    assert f"restored: counts of {len(manifest['counts'])} tables match the manifest" in result.stdout
    assert f"audit trail intact: {head.seq} entries, head seq {head.seq} hash {head.hash}" in result.stdout
    assert (restored_media / "attachments" / "report.pdf").read_bytes() == b"%PDF-1.4 council report"
    # Checked again on its own, as an operator would after a restore.
    verify = run(target, restored_media, "audit_verify")
    assert verify.returncode == 0 and "intact" in verify.stdout
    # The restored database is no longer empty: a second restore into it is refused.
    again = run(target, data / "other-media", "restore", "--from", str(backup))
    assert again.returncode != 0 and "not empty" in again.stderr


@pytest.mark.parametrize("damage", ["database", "media", "manifest"])
def test_a_damaged_backup_is_refused_and_nothing_is_restored(data, target, damage):
    backup = data / "backup"
    call_command("backup", "--to", str(backup))
    manifest = json.loads((backup / MANIFEST).read_text())
    if damage == "manifest":
        manifest["counts"]["portfolio_project"] += 1
        (backup / MANIFEST).write_text(json.dumps(manifest))
    else:
        name = MEDIA if damage == "media" else next(n for n in manifest["files"] if n != MEDIA)
        with (backup / name).open("r+b") as handle:
            handle.seek(200)
            byte = handle.read(1)
            handle.seek(200)
            handle.write(bytes([byte[0] ^ 0xFF]))
    result = run(target, data / "restored-media", "restore", "--from", str(backup))
    assert result.returncode != 0
    assert ("signature does not match" if damage == "manifest" else "Checksum mismatch") in result.stderr
    assert not (data / "restored-media").exists()
    empty = run(target, data / "restored-media", "showmigrations", "audit")
    assert "[X]" not in empty.stdout  # positive control of emptiness: nothing was migrated or restored


def test_a_backup_goes_only_into_an_empty_directory(data):
    (data / "backup").mkdir()
    (data / "backup" / "old").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", "--to", str(data / "backup"))
