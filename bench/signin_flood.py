"""Fire 10,000 failed sign-ins at Masar and check the real person still signs in: `python -m bench.signin_flood`.

The attacker sends wrong passwords for the real username and for made-up ones from one address; the real person
signs in before the flood (that session must keep reading its pages) and again after it from another address.
Both addresses are given through X-Forwarded-For, so the server must trust one proxy (SIGNIN_TRUSTED_PROXY_COUNT=1):
`--serve` starts such a server itself (runserver on 127.0.0.1, the database of DATABASE_URL or SQLite) and creates
the person; otherwise give `--url` of a running one. Traffic goes to 127.0.0.1 only. Prints key=value lines:

    failures_sent= failures_counted= failures_throttled= real_session_kept= real_user_can_sign_in= seconds= rps=

    .venv/bin/python manage.py migrate && .venv/bin/python -m bench.signin_flood --serve
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

ATTACKER = "203.0.113.66"
PERSON_ADDRESS = "198.51.100.5"
LOGIN = "/en/accounts/login/"


class Browser:
    """One client on the loopback with its cookies, seen by the server as coming from `address`."""

    def __init__(self, port: int, address: str) -> None:
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"X-Forwarded-For": self.address, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/",
            }
        connection.request(method, path, data, headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, text

    def csrf(self) -> str:
        status, page = self.request("GET", LOGIN)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or found is None:
            raise SystemExit(f"the sign-in page answered {status} without a form")
        return found.group(1)

    def sign_in(self, username: str, password: str, token: str | None = None) -> int:
        token = token or self.csrf()
        status, _ = self.request(
            "POST", LOGIN, {"username": username, "password": password, "csrfmiddlewaretoken": token}
        )
        return status


def flood(port: int, username: str, count: int, workers: int) -> tuple[int, int, float]:
    """Send count wrong sign-ins (half for username, half made-up); return (counted, throttled, seconds)."""
    attacker = Browser(port, ATTACKER)
    token = attacker.csrf()

    def one(i: int) -> int:
        shooter = Browser(port, ATTACKER)
        shooter.cookies = dict(attacker.cookies)
        return shooter.sign_in(username if i % 2 else f"guess{i}", f"wrong-{i}", token)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        statuses = list(pool.map(one, range(count)))
    seconds = time.perf_counter() - started
    if 302 in statuses:
        raise SystemExit("a wrong password signed in")
    return statuses.count(200), statuses.count(429), seconds


def ensure_person(username: str, password: str) -> None:
    from bench.dashboards import setup_django

    setup_django()
    from masar.accounts.models import Role, User

    user, _ = User.objects.get_or_create(username=username, defaults={"role": Role.PROJECT_MANAGER})
    user.set_password(password)
    user.save()


def serve(port: int) -> subprocess.Popen:
    env = os.environ | {"SIGNIN_TRUSTED_PROXY_COUNT": "1", "DEBUG": os.environ.get("DEBUG", "0")}
    env.setdefault("SECRET_KEY", "masar-benchmark-only")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", LOGIN)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:18700", help="a running Masar on the loopback")
    parser.add_argument("--serve", action="store_true", help="start one on --url's port (and create the person)")
    parser.add_argument("--username", default="bench-signin")
    parser.add_argument("--password", default="bench-signin-Passw0rd")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    target = urlsplit(args.url)
    if target.hostname != "127.0.0.1" or target.port is None:
        raise SystemExit("--url must be http://127.0.0.1:<port>: this benchmark attacks the loopback only")
    server = None
    if args.serve:
        ensure_person(args.username, args.password)
        server = serve(target.port)
    try:
        person = Browser(target.port, PERSON_ADDRESS)
        if person.sign_in(args.username, args.password) != 302:
            raise SystemExit("the person could not sign in before the flood (check --username/--password)")
        counted, throttled, seconds = flood(target.port, args.username, args.count, args.workers)
        kept = person.request("GET", "/en/my-work/")[0] == 200
        again = Browser(target.port, PERSON_ADDRESS).sign_in(args.username, args.password) == 302
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    print(f"failures_sent={args.count}")
    print(f"failures_counted={counted}")
    print(f"failures_throttled={throttled}")
    print(f"real_session_kept={int(kept)}")
    print(f"real_user_can_sign_in={int(again)}")
    print(f"seconds={seconds:.1f}")
    print(f"rps={args.count / seconds:.0f}")


if __name__ == "__main__":
    main()
