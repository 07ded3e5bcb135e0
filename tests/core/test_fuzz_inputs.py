"""Crafted input never gives a 500: every page, every query parameter, every form, with hostile values.

The site's URL patterns are walked and their parameters filled with ids of a small government
(and the links its pages show); each page is asked for as anonymous and as a national
administrator, first plainly, then with every parameter its GET forms declare (and a few unknown
ones) set to each hostile value, then with repeated keys; every POST form a page shows is sent
back with its fields set to hostile values (files: hostile files). Bounded and seeded: the same
requests every run. Run on PostgreSQL too (NUL characters and integer overflow fail only there).
"""

import random
import re
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from masar.core.models import Classification
from tests.core import hostile
from tests.decisions.factories import make_decision, make_meeting
from tests.documents.factories import make_document
from tests.indicators.factories import approved, make_indicator, year
from tests.portfolio.factories import make_project

SEED = 12
LANGUAGE = "en"
# Values as they travel in a query string or a form body, percent-encoded.
HOSTILE = [
    "99999999999999999999",  # past a 64-bit integer
    quote("²"),  # a superscript digit: str.isdigit() says yes, int() says no
    "%00",  # NUL: PostgreSQL refuses it in text
    "%ED%A0%80",  # a lone surrogate, UTF-8 encoded
    "1e309",  # a float that overflows to infinity
    "x" * 5000,
    quote("٣"),  # an Arabic-Indic digit
    "-1",
    quote("../../etc/passwd"),
    quote("<script>alert(1)</script>"),
    "",
    quote("' OR 1=1 --"),
    "%25",
    "NaN",
    quote("2024-13-45"),
    "9" * 400,
    quote("1,2;3"),
]
ALWAYS = 5  # the first values are sent to every page that answers; a seeded sample of the others
UNKNOWN = ["organization", "page", "q", "sort", "status", "id", "pk", "format", "category", "year", "kind"]
WORDS = ["submit", "approve", "reject", "accept", "return", "publish", "projects", "project", "decision", "meeting"]
MAX_URLS_PER_NAME = 2
# Signing out ends the session under test; the OpenAPI schema takes no input and costs seconds to build.
SKIP = re.compile(r"logout|/admin/.*/(delete|history)/|openapi\.json")


@pytest.fixture
def government(gov, ministry_a, ministry_b, national, coordinator_a, manager_a, viewer_a, axis):
    """A small government with one record of each main kind, written through the services."""
    project = make_project("FZ-1", ministry_a, axis, manager=manager_a)
    make_project("FZ-2", ministry_b, axis, classification=Classification.RESTRICTED)
    indicator = make_indicator("FZ-IND", ministry_a)
    approved(indicator, year(2023), 10, by=coordinator_a, approver=national)
    meeting = make_meeting(owner=gov)
    make_decision(meeting=meeting, responsible=ministry_a)
    make_document(coordinator_a, organization=ministry_a)
    return {"national": national, "project": project}


# Walking the site -------------------------------------------------------------------------------


def patterns(resolver=None, prefix=""):
    """Yield (route, name) of every URL pattern, the language prefix included."""
    for item in (resolver or get_resolver()).url_patterns:
        if isinstance(item, URLResolver):
            yield from patterns(item, prefix + str(item.pattern))
        elif isinstance(item, URLPattern):
            yield prefix + str(item.pattern), item.name or ""


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\{(\w+)\}")


def candidate_ids(name):
    """Return ids worth trying for a route named <app>-<thing>-<action>: its model's first, then others."""
    parts = name.split("-")
    found = []
    if len(parts) >= 2:
        try:
            model = apps.get_model(parts[0], parts[1])
            found += list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:1])
        except (LookupError, ValueError):
            pass
    found.append(1)
    return list(dict.fromkeys(str(pk) for pk in found))


def fill(route, name):
    """Return paths for a route: its parameters filled with real ids and likely words."""
    route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    if "(?P" in route or "(" in route:
        return []  # admin regex routes: the crawl reaches what matters of them
    params = PARAM.findall(route)
    if not params:
        return ["/" + route.replace("ar/", f"{LANGUAGE}/", 1)]
    paths = []
    for pk in candidate_ids(name)[:MAX_URLS_PER_NAME]:

        def value(match, pk=pk):
            return pk if (match.group(1) or "int") in ("int", "path") or "pk" in match.group(2) else WORDS[0]

        paths.append("/" + PARAM.sub(value, route).replace("ar/", f"{LANGUAGE}/", 1))
    return paths


class Forms(HTMLParser):
    """Collect the links of a page and its forms: method, action, fields (name, kind, options)."""

    def __init__(self):
        super().__init__()
        self.links, self.forms, self.current, self.select = [], [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and (attrs.get("href") or "").startswith(f"/{LANGUAGE}/"):
            self.links.append(attrs["href"].split("#")[0])
        elif tag == "form":
            self.current = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action"),
                "fields": [],
            }
            self.forms.append(self.current)
        elif tag in ("input", "textarea", "select") and self.current is not None and attrs.get("name"):
            kind = attrs.get("type", tag) if tag == "input" else tag
            field = {
                "name": attrs["name"],
                "kind": kind,
                "value": attrs.get("value", ""),
                "multiple": "multiple" in attrs,
            }
            self.current["fields"].append(field)
            self.select = field if tag == "select" else None
        elif tag == "option" and self.select is not None:
            self.select.setdefault("options", []).append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def read_page(response):
    parser = Forms()
    if response.get("Content-Type", "").startswith("text/html"):
        parser.feed(response.content.decode("utf-8", "replace"))
    return parser


# The requests ------------------------------------------------------------------------------------


class Fuzzer:
    def __init__(self, client, user):
        self.client, self.user, self.count, self.failures = client, user, 0, []
        self.random = random.Random(SEED)

    def request(self, method, path, **kwargs):
        self.count += 1
        response = getattr(self.client, method)(path, **kwargs)
        if method == "post" and self.user is not None:
            self.client.force_login(self.user)  # a form may have signed the person out
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            reason = repr(error[1])[:300] if error else ""
            self.failures.append(
                (method.upper(), path[:300], str(kwargs.get("data", ""))[:300], response.status_code, reason)
            )
        if response.streaming:  # a download sent from a file (XLSX): read to its end, the client then closes it
            b"".join(response.streaming_content)
        return response

    def page(self, path):
        """Ask for a page plainly, then with hostile query strings; return what it shows."""
        response = self.request("get", path)
        page = read_page(response)
        names = {f["name"] for form in page.forms if form["method"] == "get" for f in form["fields"]}
        names = sorted(names | set(UNKNOWN))
        joiner = "&" if "?" in path else "?"
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            values = HOSTILE[:ALWAYS] + self.random.sample(HOSTILE[ALWAYS:], 2)
        else:
            values = self.random.sample(HOSTILE, 2)
        for value in values:
            self.request("get", path + joiner + "&".join(f"{quote(name)}={value}" for name in names))
        self.request("get", path + joiner + "&".join(f"{quote(n)}=1&{quote(n)}={HOSTILE[0]}" for n in names))
        return response, page

    def post_forms(self, path, page):
        for form in [form for form in page.forms if form["method"] == "post"][:2]:
            action = form["action"] or path
            if not action.startswith("/") or SKIP.search(action):
                continue
            for value in [*HOSTILE[:4], self.random.choice(HOSTILE[4:])]:
                self.post(action, form["fields"], value)

    def post(self, action, fields, value):
        if any(field["kind"] == "file" for field in fields):
            data = {}
            for field in fields:
                if field["kind"] == "file":
                    data[field["name"]] = SimpleUploadedFile("hostile.xlsx", hostile.billion_laughs_workbook())
                elif field["name"] != "csrfmiddlewaretoken":
                    data[field["name"]] = _plain(value)
            self.request("post", action, data=data)
            return
        pairs = []
        for field in fields:
            if field["name"] == "csrfmiddlewaretoken":
                continue
            pairs.append((field["name"], value))
            if field.get("multiple"):  # a multi-select: a real option and a hostile one
                options = [o for o in field.get("options", []) if o]
                pairs += [(field["name"], quote(options[0]))] if options else []
                pairs.append((field["name"], "99999999999999999999"))
        body = "&".join(f"{quote(name)}={v}" for name, v in pairs)
        self.request("post", action, data=body, content_type="application/x-www-form-urlencoded")


def _plain(value):
    """A percent-encoded hostile value as text a multipart body can carry (lone surrogates cannot)."""
    from urllib.parse import unquote

    text = unquote(value, errors="replace")
    return text.encode("utf-8", "replace").decode("utf-8")


def crawl(fuzzer, seeds, limit):
    """Fuzz every seed path, then the links the pages show (a few per route), at most limit pages."""
    queue, seen, per_name = list(seeds), set(), {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or SKIP.search(path):
            continue
        shape = re.sub(r"\d+", "N", urlsplit(path).path)
        per_name[shape] = per_name.get(shape, 0) + 1
        if per_name[shape] > MAX_URLS_PER_NAME:
            continue
        seen.add(path)
        response, page = fuzzer.page(path)
        if response.status_code == 200:
            fuzzer.post_forms(path, page)
            queue += [link for link in page.links if link not in seen]
    return seen


@pytest.mark.parametrize("who", ["anonymous", "national"])
def test_no_crafted_input_gives_a_server_error(government, who, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # sign-in forms are posted too
    user = government["national"] if who == "national" else None
    fuzzer = Fuzzer(Client(raise_request_exception=False), user)
    if user is not None:
        fuzzer.client.force_login(user)
    seeds = [path for route, name in patterns() for path in fill(route, name)]
    assert len(seeds) > 200  # positive control: the walk found the site
    seen = crawl(fuzzer, seeds, limit=400)
    print(f"fuzz {who}: pages={len(seen)} requests={fuzzer.count}")
    assert fuzzer.count > len(seen) * 3
    assert fuzzer.failures == [], "\n".join(map(str, fuzzer.failures))
