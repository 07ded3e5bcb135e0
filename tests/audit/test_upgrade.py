"""The one-time upgrade of an existing plain SHA-256 trail (migration audit 0003), on a real migrated database."""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(database, *args, check=True):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check
    )


def old_digest(prev_hash, created_at, actor_id, action, label, object_id, changes):
    payload = json.dumps(
        [prev_hash, created_at, actor_id, "", action, label, object_id, f"obj {object_id}", 1, changes],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def write_old_trail(database, count):
    """Write entries as the code before the upgrade did (audit at migration 0001)."""
    db = sqlite3.connect(database)
    (ct,) = db.execute("SELECT id FROM django_content_type WHERE app_label='portfolio' AND model='project'").fetchone()
    prev = "0" * 64
    moment = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for number in range(1, count + 1):
        created = (moment + datetime.timedelta(minutes=number)).isoformat(timespec="microseconds")
        changes = {"name_ar": [None, f"مشروع {number}"]}
        digest = old_digest(prev, created, None, "create", "portfolio.project", str(number), changes)
        db.execute(
            "INSERT INTO audit_auditentry (created_at, actor_name, action, content_type_id, object_id, object_repr,"
            " version, changes, prev_hash, hash) VALUES (?, '', 'create', ?, ?, ?, 1, ?, ?, ?)",
            [
                created.replace("T", " ").replace("+00:00", ""),
                ct,
                str(number),
                f"obj {number}",
                json.dumps(changes, ensure_ascii=False),
                prev,
                digest,
            ],
        )
        prev = digest
    db.commit()
    return db


@pytest.fixture(scope="module")
def schema_before_upgrade(tmp_path_factory):
    """Migrate a database once, then take the audit app back to before the upgrade."""
    database = tmp_path_factory.mktemp("upgrade") / "template.sqlite3"
    manage(database, "migrate", "-v0")
    manage(database, "migrate", "audit", "0001", "-v0")
    return database


@pytest.fixture
def old_database(schema_before_upgrade, tmp_path):
    database = tmp_path / "old.sqlite3"
    shutil.copyfile(schema_before_upgrade, database)
    return database


def test_an_intact_old_trail_is_renumbered_and_re_signed(old_database):
    write_old_trail(old_database, 5).close()
    manage(old_database, "migrate", "-v0")
    out = manage(old_database, "audit_verify").stdout
    assert out.startswith("audit trail intact: 5 entries, head seq 5")
    db = sqlite3.connect(old_database)
    assert [row[0] for row in db.execute("SELECT seq FROM audit_auditentry ORDER BY id")] == [1, 2, 3, 4, 5]
    # The trigger installed after the upgrade refuses changes to the trail.
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_auditentry SET changes = '{}' WHERE seq = 2")


def test_a_broken_old_trail_is_refused_and_left_as_it_was(old_database):
    db = write_old_trail(old_database, 5)
    db.execute("UPDATE audit_auditentry SET object_repr = 'forged' WHERE object_id = '3'")
    db.commit()
    result = manage(old_database, "migrate", "-v0", check=False)
    assert result.returncode != 0
    assert "The audit trail is already broken (entries #3)" in result.stderr
    assert manage(old_database, "showmigrations", "audit").stdout.count("[X]") == 2  # 0001 and 0002 only
