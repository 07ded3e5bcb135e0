"""A benchmark's own database, and Django set up on it the way production runs (bench.opendata, bench.integrity)."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlparse


def database_url(name, fresh):
    """Return the address of the database name, created when missing (dropped first with fresh).

    On the PostgreSQL server DATABASE_URL points at; without one, a SQLite file in the temporary directory.
    """
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parsed = urlparse(url)
        with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True, connect_timeout=5) as conn:
            if fresh:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        return parsed._replace(path=f"/{name}").geturl()
    path = Path(tempfile.gettempdir()) / f"{name}.sqlite3"
    if fresh and path.exists():
        path.unlink()
    return f"sqlite:///{path}"


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masar.settings")
    os.environ.setdefault("DEBUG", "0")  # time what production runs
    os.environ.setdefault("SECRET_KEY", "masar-benchmark-only")
    # Plain static names: an error page's hashed ones need collectstatic's manifest (as bench.indicators).
    os.environ.setdefault("STATIC_MANIFEST", "0")
    import django

    django.setup()
