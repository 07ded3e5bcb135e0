"""API clients, subscriptions and a real receiver of webhooks for tests."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from masar.core.models import Classification
from masar.exchange.services import client_register
from masar.webhooks.services import subscription_create


def make_client(organization, *, scopes=("projects:read",), clearance=Classification.RESTRICTED, name="نظام"):
    """Register an API client of organization (as the national unit would)."""
    return client_register(
        actor=None,
        organization=organization,
        name_ar=f"{name} {organization.code}",
        name_en=f"System of {organization.code}",
        scopes=list(scopes),
        clearance=clearance,
    )


def subscribe(client, receiver, *events, actor=None):
    """Subscribe client to events at the receiver; return (subscription, secret)."""
    issued = subscription_create(actor=actor, client=client, target_url=receiver.url, event_types=list(events))
    return issued.subscription, issued.secret


class Receiver:
    """An HTTP server on 127.0.0.1 (port chosen by the system) that records every request it is sent.

    `fail_with` answers every request with that status instead of 204, until set back to None.
    """

    def __init__(self):
        self.requests = []
        self.fail_with = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append(
                    {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body.decode("utf-8")}
                )
                status = receiver.fail_with or 204
                self.send_response(status)
                payload = b"receiver down" if receiver.fail_with else b""
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def messages(self):
        return [json.loads(r["body"]) for r in self.requests]
