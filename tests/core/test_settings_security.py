"""Production settings: DEBUG off unless asked, no fallback secret key, secrets from files, and
`manage.py check --deploy` clean with a production-like environment."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from masar.settings import env_secret

ROOT = settings.BASE_DIR


def run(code_or_args, env, *, manage=False):
    """Run a fresh Python with exactly `env` (plus PATH) and masar.settings, as a production process starts."""
    base = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "masar.settings"}
    args = [sys.executable, "manage.py", *code_or_args] if manage else [sys.executable, "-c", code_or_args]
    return subprocess.run(args, cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=300)


SHOW = "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT)"


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text(secrets.token_urlsafe(64) + "\n")
    return path


def test_env_secret_reads_the_variable_or_its_file_without_the_end_of_line(monkeypatch, tmp_path):
    monkeypatch.delenv("MASAR_TEST_SECRET", raising=False)
    monkeypatch.delenv("MASAR_TEST_SECRET_FILE", raising=False)
    assert env_secret("MASAR_TEST_SECRET", "fallback") == "fallback"
    monkeypatch.setenv("MASAR_TEST_SECRET", "from-variable")
    assert env_secret("MASAR_TEST_SECRET") == "from-variable"
    path = tmp_path / "secret"
    path.write_text("from file \n\n")
    monkeypatch.delenv("MASAR_TEST_SECRET")
    monkeypatch.setenv("MASAR_TEST_SECRET_FILE", str(path))
    assert env_secret("MASAR_TEST_SECRET") == "from file "  # only the end of line goes


@pytest.mark.parametrize("case", ["both", "missing", "empty"])
def test_env_secret_refuses_both_ways_at_once_and_an_unreadable_or_empty_file(monkeypatch, tmp_path, case):
    path = tmp_path / "secret"
    if case == "both":
        path.write_text("x")
        monkeypatch.setenv("MASAR_TEST_SECRET", "y")
    elif case == "empty":
        path.write_text("\n")
    monkeypatch.setenv("MASAR_TEST_SECRET_FILE", str(path))
    with pytest.raises(ImproperlyConfigured, match="MASAR_TEST_SECRET"):
        env_secret("MASAR_TEST_SECRET")


def test_debug_is_off_and_there_is_no_secret_key_unless_the_environment_gives_them():
    shown = run(SHOW, {})
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["False", "False"]
    no_key = run("import django; django.setup(); from django.conf import settings as s; s.SECRET_KEY", {})
    assert no_key.returncode != 0 and "SECRET_KEY setting must not be empty" in no_key.stderr
    debug = run(SHOW, {"DEBUG": "1"})
    assert debug.stdout.split() == ["True", "False"]  # positive control: the variable is read
    assert run(SHOW, {"DEBUG": "maybe"}).returncode != 0  # a bad value stops start-up


def test_https_turns_on_the_redirect_hsts_and_secure_cookies_and_each_can_be_set_alone():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
        "s.SECURE_PROXY_SSL_HEADER)"
    )
    assert run(code, {"HTTPS": "1"}).stdout.split() == ["True", "True", "True", "True", "None"]
    alone = run(
        code, {"HTTPS": "1", "SECURE_SSL_REDIRECT": "0", "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https"}
    )
    assert alone.stdout.strip() == "False True True True ('HTTP_X_FORWARDED_PROTO', 'https')"
    bad = run(code, {"SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"})
    assert bad.returncode != 0 and "SECURE_PROXY_SSL_HEADER" in bad.stderr


def test_check_deploy_is_clean_with_production_settings(key_file, tmp_path):
    audit_key_file = tmp_path / "audit_key"
    audit_key_file.write_text("a-separate-audit-key-for-the-trail-" + "9" * 32 + "\n", encoding="utf-8")
    production = {
        "DEBUG": "0",
        "SECRET_KEY_FILE": str(key_file),
        "AUDIT_KEY_FILE": str(audit_key_file),
        "HTTPS": "1",
        "ALLOWED_HOSTS": "masar.example.gov.tn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = run(["check", "--deploy", "--fail-level", "DEBUG"], production, manage=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    # Positive control: the same check flags the demo's plain-http settings.
    demo = {**production, "HTTPS": "0", "SECRET_KEY_FILE": "", "SECRET_KEY": "masar-demo-local-only"}
    flagged = run(["check", "--deploy"], demo, manage=True)
    assert "security.W008" in flagged.stderr + flagged.stdout and "security.W009" in flagged.stderr + flagged.stdout
