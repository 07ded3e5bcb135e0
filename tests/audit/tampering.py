"""What an attacker with the database's superuser can do to the trail: switch off its trigger and write."""

import contextlib
import hashlib
import hmac
import json

from django.db import connection

from masar.audit.chain import payload_of


@contextlib.contextmanager
def trigger_off():
    """Disable the append-only trigger for the rest of the test's transaction, as a superuser would."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending deferred checks
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
    else:
        yield


def execute(sql, params=()):
    with trigger_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def plain_sha256(entry):
    return hashlib.sha256(payload_of(entry).encode("utf-8")).hexdigest()


def hmac_with(key):
    return lambda entry: hmac.new(key, payload_of(entry).encode("utf-8"), hashlib.sha256).hexdigest()


def rewrite(entry, *, changes, rehash):
    """Change an entry's changes and store the hash rehash computes for the forged entry."""
    entry.changes = changes
    entry.hash = rehash(entry)
    execute(
        "UPDATE audit_auditentry SET changes = %s, hash = %s WHERE id = %s", [json.dumps(changes), entry.hash, entry.pk]
    )
