"""Backups that restore: a consistent copy of the database and the uploaded files, checksummed and signed.

A backup is a directory: the database (PostgreSQL: `pg_dump -Fc` from one exported snapshot; SQLite: the
sqlite3 backup API), a tar of MEDIA_ROOT, and manifest.json with each file's SHA-256, the row count of every
Masar table and the audit trail's head, all read from the same snapshot as the dump. The manifest is signed with
the audit key, so a restore refuses a backup whose files or manifest were changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from masar.audit import keys
from masar.audit.chain import GENESIS
from masar.core.errors import DomainError

if TYPE_CHECKING:
    from typing import Any

MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"
DATABASE = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(DomainError):
    pass


def _tables() -> list[str]:
    """Return the tables of Masar's own records, whose counts the manifest keeps."""
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model.__module__.startswith("masar.") and model._meta.managed and not model._meta.proxy
    )


def _facts(cursor: Any, quote: Any) -> dict[str, Any]:
    counts = {}
    for table in _tables():
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # table names come from the models
        counts[table] = cursor.fetchone()[0]
    cursor.execute("SELECT seq, hash FROM audit_auditentry ORDER BY seq DESC LIMIT 1")
    head = cursor.fetchone() or (0, GENESIS)
    return {"counts": counts, "audit_head": {"seq": head[0], "hash": head[1]}}


def _pg_env() -> dict[str, str]:
    """Return the environment that points libpq's tools at Django's database (no password on a command line)."""
    params = connection.settings_dict
    env = {**os.environ, "PGDATABASE": params["NAME"]}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if params.get(key):
            env[name] = str(params[key])
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    return env


def _dump_postgresql(path: Path) -> dict[str, Any]:
    # pg_dump reads the snapshot this transaction exported, so the counts and the head below describe the dump.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={path}"],
            env=_pg_env(),
            check=True,
            capture_output=True,
        )
        return _facts(cursor, connection.ops.quote_name)


def _copy_sqlite(path: Path) -> dict[str, Any]:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        return _facts(target.cursor(), lambda name: f'"{name}"')
    finally:
        target.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sign(manifest: dict[str, Any], key: bytes) -> str:
    body = {name: value for name, value in manifest.items() if name != "signature"}
    return keys.sign(key, "masar.backup:" + json.dumps(body, sort_keys=True, separators=(",", ":")))


def backup_create(*, directory: Path) -> dict[str, Any]:
    """Write a backup into directory (new or empty); return its manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise BackupError(_("The backup directory %(path)s is not empty.") % {"path": directory})
    vendor = connection.vendor
    if vendor not in DATABASE:
        raise BackupError(_("Backups support PostgreSQL and SQLite, not %(engine)s.") % {"engine": vendor})
    database = directory / DATABASE[vendor]
    facts = _dump_postgresql(database) if vendor == "postgresql" else _copy_sqlite(database)
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(directory / MEDIA, "w:gz") as tar:
        if media_root.is_dir():
            for child in sorted(media_root.iterdir()):
                tar.add(child, arcname=child.name)
    key_id, key = keys.current_key()
    manifest: dict[str, Any] = {
        "format": 1,
        "created_at": timezone.now().isoformat(),
        "engine": vendor,
        "files": {name: _sha256(directory / name) for name in (database.name, MEDIA)},
        **facts,
        "key_id": key_id,
    }
    manifest["signature"] = _sign(manifest, key)
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def backup_check(*, directory: Path) -> dict[str, Any]:
    """Return the backup's manifest after checking its signature and every file's checksum; raise BackupError."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
    except (OSError, ValueError, KeyError) as error:
        raise BackupError(
            _("%(path)s holds no readable backup manifest: %(error)s") % {"path": directory, "error": error}
        ) from None
    key = keys.all_keys().get(manifest.get("key_id", ""))
    if key is None or manifest.get("signature") != _sign(manifest, key):
        raise BackupError(
            _(
                "The backup manifest's signature does not match: it was altered, or signed with an audit key "
                "that is not configured here."
            )
        )
    for name, expected in files.items():
        path = directory / name
        if not path.is_file() or _sha256(path) != expected:
            raise BackupError(
                _("Checksum mismatch for %(name)s: the backup is damaged or was altered.") % {"name": name}
            )
    return manifest


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()")
        else:
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return cursor.fetchone()[0] == 0


def _restore_database(path: Path) -> None:
    if connection.vendor == "postgresql":
        result = subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(_("pg_restore failed: %(error)s") % {"error": result.stderr.strip()[-2000:]})
        return
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _media_is_empty() -> bool:
    media_root = Path(settings.MEDIA_ROOT)
    return not (media_root.is_dir() and any(media_root.iterdir()))


def _restore_media(path: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "r:gz") as tar:
        tar.extractall(media_root, filter="data")  # "data": no absolute paths, links out or devices


def backup_restore(*, directory: Path) -> dict[str, Any]:
    """Restore a checked backup into the configured, empty database and MEDIA_ROOT; return what was found after.

    The result holds the manifest, the counts and head read back from the restored database, and the tables
    whose counts differ from the manifest's.
    """
    manifest = backup_check(directory=directory)
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            _("This backup is of a %(backup)s database; the configured one is %(engine)s.")
            % {"backup": manifest["engine"], "engine": connection.vendor}
        )
    if not _database_is_empty():
        raise BackupError(_("The configured database is not empty: restore into a new, empty database."))
    if not _media_is_empty():
        raise BackupError(
            _("MEDIA_ROOT %(path)s is not empty: restore into an empty one.") % {"path": settings.MEDIA_ROOT}
        )
    _restore_database(directory / DATABASE[manifest["engine"]])
    _restore_media(directory / MEDIA)
    with connection.cursor() as cursor:
        facts = _facts(cursor, connection.ops.quote_name)
    differ = sorted(
        table
        for table in set(manifest["counts"]) | set(facts["counts"])
        if manifest["counts"].get(table) != facts["counts"].get(table)
    )
    return {"manifest": manifest, **facts, "differ": differ}
