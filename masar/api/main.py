"""The API object: `/api/v1/`, its authentication, throttling, errors and routers."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from masar.api import problems
from masar.api.auth import CallerThrottle, TokenAuth
from masar.api.problems import PROBLEM_TYPE

DESCRIPTION = """\
The data exchange of Masar for other administrations' systems and for people's own scripts.

- **Who calls**: `Authorization: Bearer <token>`. A person's token sees exactly what they see on
  the pages; an API client (another administration's system) is denied by default: it reads its own
  organization's records of the kinds its scopes name, and other organizations' records only
  through a sharing agreement approved by their owner, never above its classification ceiling.
- **Lists** answer `{"count", "next", "results"}`; follow `next` (a cursor, stable under inserts;
  `limit` up to 500). `updated_since` (ISO 8601) gives the records changed since a moment.
- **Reads** carry an `ETag`; send it back in `If-None-Match` to get `304 Not Modified`.
- **Changes** need `If-Match` with the ETag of the version read: `412` when the record moved on
  (nothing is saved), `428` without it.
- **Errors** are problem details (RFC 9457, `application/problem+json`) in the language of
  `Accept-Language` (ar, fr, en).
- **Throttling**: `429` with `Retry-After` past the caller's rate.
"""


class Utf8Renderer(JSONRenderer):
    """JSON in UTF-8 as written: Arabic stays readable in the payload (and half its escaped size)."""

    media_type = "application/json"  # UTF-8 by definition (RFC 8259)
    json_dumps_params = {"ensure_ascii": False}


class MasarAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Document errors as problem details (`application/problem+json`), as they are sent."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith(("4", "5")) and "application/json" in content:
                        content[PROBLEM_TYPE] = content.pop("application/json")
        return schema


api = MasarAPI(
    title="Masar API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    throttle=[CallerThrottle()],
    renderer=Utf8Renderer(),
)
problems.install(api)


def _routers() -> None:
    from masar.api import (
        catalogue,
        decisions,
        delivery,
        documents,
        factcheck,
        imports,
        indicators,
        intake,
        procurement,
        projects,
        reference,
        search,
        webhooks,
    )

    api.add_router("", reference.router)
    api.add_router("", projects.router)
    api.add_router("", delivery.router)
    api.add_router("", decisions.router)
    api.add_router("", indicators.router)
    api.add_router("", imports.router)
    api.add_router("", documents.router)
    api.add_router("", webhooks.router)
    api.add_router("", search.router)
    api.add_router("", procurement.router)
    api.add_router("", catalogue.router)
    api.add_router("", intake.router)
    api.add_router("", factcheck.router)


_routers()
