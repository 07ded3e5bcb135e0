"""The people of a month-end day at Masar, for locust (run by `python -m bench.load`, never imported by it).

Environment: LOAD_PLAN (the JSON written by `bench.load_data prepare`), LOAD_OUT (a folder where each
acknowledged write goes to acks.jsonl and each request's outcome to timeline.csv) and LOAD_MIX
("month_end": the whole mix; "public": only the cached public pages; "jobs": the mix with more council
packs and large exports, so that a worker is busy when one is killed).

Every write goes through the page a person uses (the form fetched first, its CSRF token sent back) or
through the API with a token. A write is recorded as acknowledged only when the server said it was
done (a redirect to the new record, a success message, a 201); `bench.load_data verify` looks for each.
"""

import csv
import io
import itertools
import json
import os
import random
import re
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
OUT = Path(os.environ["LOAD_OUT"])
MIX = os.environ.get("LOAD_MIX", "month_end")
OUT.mkdir(parents=True, exist_ok=True)
_acks = (OUT / "acks.jsonl").open("a", buffering=1)
_timeline = (OUT / "timeline.csv").open("a", buffering=1)


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    if request_type == "CHECK":  # an explanation of a failure already recorded, not a request
        return
    status = getattr(response, "status_code", 0) or 0
    # end time, duration (ms), status (0: no answer), failed
    _timeline.write(f"{time.time():.3f},{response_time:.1f},{status},{int(exception is not None)},{name}\n")


def acknowledge(kind, key, **extra):
    """Write down a write the server said it did (one JSON line, flushed at once)."""
    _acks.write(json.dumps({"kind": kind, "key": key, "t": time.time(), **extra}) + "\n")


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


class FormParser(HTMLParser):
    """Collect the forms of a page as a browser would submit them: [{action, fields}]."""

    def __init__(self):
        super().__init__()
        self.forms, self._textarea, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": {}, "radios": {}})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            fields = self.forms[-1]["fields"]
            if kind in ("radio", "checkbox"):
                self.forms[-1]["radios"].setdefault(a["name"], a.get("value", "on"))
                if "checked" in a:
                    fields[a["name"]] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.forms[-1]["fields"][a["name"]] = ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and ("selected" in a or self._select not in self.forms[-1]["fields"]):
            self.forms[-1]["fields"][self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def forms_of(html):
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:  # a radio group with nothing checked takes its first choice, as a person would
        for name, value in form["radios"].items():
            form["fields"].setdefault(name, value)
    return parser.forms


def explain(name, message):
    """Say why a write was refused, in the failures of the run (locust_failures.csv); not a request."""
    events.request.fire(
        request_type="CHECK", name=name, response_time=0, response_length=0, exception=RuntimeError(message)
    )


def refusal_of(html):
    """Return the form's error messages as text (why the server refused a form)."""
    found = re.findall(
        r'class="(?:errorlist|refusal|errors)[^"]*"[^>]*>(.*?)</(?:ul|div|p|table|section)>', html, flags=re.S
    )
    return " | ".join(re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in found)[:300] or "no message"


def csrf_of(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


# Writers are shared out so that two simulated people never work on the same record at once.
_writer_cycle = itertools.cycle(range(len(PLAN["writers"])))
# Each run of the benchmark (LOAD_RUN: 0, 1, ...) uploads its own share of the cells: a value is recorded once.
_run, _runs = int(os.environ.get("LOAD_RUN", "0")), int(os.environ.get("LOAD_RUNS", "1"))
_cell_queues = {w["username"]: list(w["cells"])[_run::_runs] for w in PLAN["writers"]}
# And its own projects: once the month under way is sent in one run, the next run would be refused it.
_project_queues = {w["username"]: list(w["projects"])[_run::_runs] for w in PLAN["writers"]}
_reader_cycle = itertools.cycle(PLAN["readers"])
# Background jobs asked for in one run: a month-end day asks for a few packs and large exports, and the
# "jobs" mix more, so that a worker is busy when one is killed.
_job_budget = {"left": int(os.environ.get("LOAD_JOB_BUDGET", "12" if MIX == "jobs" else "4"))}


def take_job():
    """Whether this person may ask for one more background job in this run."""
    if _job_budget["left"] <= 0:
        return False
    _job_budget["left"] -= 1
    return True


class Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.5)  # a busy month-end afternoon: people click on as soon as a page is read
    language = "ar"

    def sign_in(self, username):
        """Sign in through the form; a sign-in that does not lead past the accounts pages is a failure."""
        self.login_name = username
        page = self.client.get(f"/{self.language}/accounts/login/", name="login form")
        with self.client.post(
            f"/{self.language}/accounts/login/",
            data={"username": username, "password": PLAN["password"], "csrfmiddlewaretoken": csrf_of(page.text)},
            headers={"Referer": page.url},
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as response:
            signed_in = response.status_code == 302 and "/accounts/" not in response.headers.get("Location", "")
            if not signed_in and response.status_code < 400:
                response.failure(f"{username} not signed in (status {response.status_code})")
        self.signed_in = signed_in
        return signed_in

    def get(self, path, name):
        return self.client.get(f"/{self.language}{path}", name=name)

    def post_form(self, url, data, name, **kwargs):
        return self.client.post(url, data=data, headers={"Referer": self.host + url}, name=name, **kwargs)


class PublicVisitor(Person):
    """A citizen or a journalist: the home page and the public dashboard, in Arabic mostly."""

    weight = 40
    wait_time = between(1, 3)

    def on_start(self):
        self.language = random.choice(["ar", "ar", "ar", "fr", "en"])

    @task(5)
    def public_dashboard(self):
        self.get("/dashboards/public/", "public dashboard")

    @task(3)
    def home(self):
        self.get("/", "home")

    @task(1)
    def public_project(self):
        if PLAN["public_projects"]:
            self.get(f"/projects/{random.choice(PLAN['public_projects'])}/", "public project")


class CachedPublicVisitor(Person):
    """Only the cached public pages, as fast as they answer (LOAD_MIX=public)."""

    weight = 1
    wait_time = between(0, 0)

    @task(3)
    def public_dashboard(self):
        self.get("/dashboards/public/", "public dashboard")

    @task(1)
    def home(self):
        self.get("/", "home")


class Reader(Person):
    """An analyst, a viewer, a coordinator or the national unit reading lists, projects and dashboards."""

    weight = 30

    def on_start(self):
        self.username = next(_reader_cycle)
        self.sign_in(self.username)

    @task(4)
    def project_list(self):
        self.get(f"/projects/?page={random.randint(1, 5)}", "projects list")

    @task(6)
    def project(self):
        self.get(f"/projects/{random.choice(PLAN['projects'])}/", "project page")

    @task(3)
    def national_dashboard(self):
        self.get("/dashboards/", "national dashboard")

    @task(2)
    def sectoral_dashboard(self):
        self.get(f"/dashboards/organizations/{random.choice(PLAN['ministries'])}/", "sectoral dashboard")

    @task(2)
    def my_work(self):
        self.get("/my-work/", "my work")

    @task(1)
    def indicators(self):
        self.get("/indicators/", "indicators list")

    @task(1)
    def small_export(self):
        self.get(f"/exports/projects.csv?organization={random.choice(PLAN['ministries'])}", "small export csv")

    @task(1 if MIX != "jobs" else 6)
    def large_export(self):
        """Ask for every project as CSV: above the threshold it is built in the background."""
        if self.username not in PLAN["large_export_readers"] or not take_job():
            return
        url = f"/{self.language}/exports/projects.csv"
        page = self.client.get(url, name="large export offer")
        if "csrfmiddlewaretoken" not in page.text:
            return  # small enough to have been sent at once
        response = self.post_form(
            url, {"csrfmiddlewaretoken": csrf_of(page.text)}, "large export request", allow_redirects=False
        )
        match = re.search(r"/exports/(\d+)/$", response.headers.get("Location", ""))
        if response.status_code == 302 and match:
            acknowledge("export_request", int(match.group(1)))


class ProjectManager(Person):
    """A project manager at month end: sends the monthly update of each project, uploads indicator values."""

    weight = 10
    language = "en"  # the messages read back to know a write was done

    def on_start(self):
        self.writer = PLAN["writers"][next(_writer_cycle)]
        self.sign_in(self.writer["username"])

    @task(2)
    def my_work(self):
        self.get("/my-work/", "my work")

    @task(4)
    def monthly_update(self):
        queue = _project_queues[self.writer["username"]]
        if not queue:
            return
        project = queue.pop(0)
        if self._send_update(project) != time.strftime("%Y-%m"):
            queue.append(project)  # its next month, later; once the month under way is sent, nothing is due

    def _send_update(self, project):
        """Send the monthly update the form offers; return the month it reports on ("YYYY-MM")."""
        url = f"/{self.language}/delivery/projects/{project}/updates/new/"
        page = self.client.get(url, name="update form")
        if page.status_code != 200:
            return
        form = next((f for f in forms_of(page.text) if "percent_complete" in f["fields"]), None)
        if form is None:
            return
        fields = form["fields"]
        month = (fields.get("period") or "")[:7]
        token = unique("load-update")
        fields.update(
            percent_complete=_plus(fields.get("percent_complete"), 2, ceiling=100),
            spend_to_date=_plus(fields.get("spend_to_date"), 1000),
            narrative=f"Month-end progress {token}",
            submit="1",
        )
        fields.setdefault("declared_confidence", "amber")
        response = self.post_form(url, fields, "update submit", allow_redirects=False)
        if response.status_code == 400 and "confirm_figures" in response.text:
            fields["confirm_figures"] = "on"  # the figures looked unusual; the person checks and confirms
            response = self.post_form(url, fields, "update submit confirmed", allow_redirects=False)
        if response.status_code == 302 and "/updates/" in response.headers.get("Location", ""):
            acknowledge("update_submit", token, project=project)
        elif response.status_code == 400:
            explain("update refused", f"project {project} {month}: {refusal_of(response.text)}")
        return month

    @task(3)
    def project(self):
        projects = self.writer["projects"]
        if projects:
            self.get(f"/projects/{random.choice(projects)}/", "project page")


class Coordinator(Person):
    """A sector coordinator: approves the updates sent for review, uploads indicator values, asks for a pack."""

    weight = 5
    language = "en"

    def on_start(self):
        self.writer = PLAN["writers"][next(_writer_cycle)]
        self.sign_in(self.writer["coordinator"])

    @task(4)
    def approve(self):
        page = self.get("/my-work/", "my work")
        pending = re.findall(r"/delivery/updates/(\d+)/\"", page.text)
        if not pending:
            return
        update = random.choice(pending)
        detail_url = f"/{self.language}/delivery/updates/{update}/"
        detail = self.client.get(detail_url, name="update detail")
        if f"/updates/{update}/approve/" not in detail.text:
            return
        response = self.post_form(
            f"{detail_url}approve/", {"csrfmiddlewaretoken": csrf_of(detail.text)}, "update approve"
        )
        if response.status_code == 200 and "The update was approved" in response.text:
            acknowledge("update_approve", int(update))

    @task(2)
    def upload_values(self):
        queue = _cell_queues[self.writer["username"]]
        if not queue:
            return
        indicator, period, kind = queue.pop(0)
        url = f"/{self.language}/indicators/{indicator}/upload/"
        page = self.client.get(url, name="values upload form")
        token = unique("load-value")
        value = "42.5" if kind == "percentage" else "42"
        body = io.StringIO()
        csv.writer(body).writerows([["period", "value", "comment"], [period, value, f"uploaded {token}"]])
        files = {"file": ("values.csv", body.getvalue().encode(), "text/csv")}
        preview = self.client.post(
            url,
            data={"csrfmiddlewaretoken": csrf_of(page.text)},
            files=files,
            headers={"Referer": self.host + url},
            name="values upload preview",
        )
        payload = re.search(r'name="payload" value="([^"]+)"', preview.text)
        if preview.status_code != 200 or not payload:
            explain("upload refused", f"indicator {indicator} period {period}: {refusal_of(preview.text)}")
            return
        response = self.post_form(
            url,
            {"csrfmiddlewaretoken": csrf_of(preview.text), "payload": payload.group(1), "action": "submit"},
            "values upload save",
            allow_redirects=False,
        )
        if response.status_code == 302:
            acknowledge("values_upload", token, indicator=indicator, period=period)

    @task(1 if MIX != "jobs" else 6)
    def council_pack(self):
        if not take_job():
            return
        url = f"/{self.language}/reports/packs/new/"
        page = self.client.get(url, name="pack form")
        form = next((f for f in forms_of(page.text) if "classification" in f["fields"]), None)
        if form is None:
            return
        response = self.post_form(url, form["fields"], "pack request", allow_redirects=False)
        match = re.search(r"/packs/(\d+)/$", response.headers.get("Location", ""))
        if response.status_code == 302 and match:
            acknowledge("pack_request", int(match.group(1)))


class ApiClient(HttpUser):
    """Another administration's system: reads lists through the API, reports obstacles on its projects."""

    weight = 10
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.writer = PLAN["writers"][next(_writer_cycle)]
        self.read_headers = {"Authorization": f"Bearer {PLAN['reader_token']}"}
        self.write_headers = {"Authorization": f"Bearer {self.writer['token']}"}

    @task(4)
    def projects(self):
        self.client.get("/api/v1/projects/?limit=50", headers=self.read_headers, name="api projects")

    @task(2)
    def project(self):
        project = random.choice(PLAN["projects"])
        self.client.get(f"/api/v1/projects/{project}/", headers=self.read_headers, name="api project")

    @task(2)
    def indicators(self):
        self.client.get("/api/v1/measurements/?limit=50", headers=self.read_headers, name="api measurements")

    @task(1)
    def report_obstacle(self):
        if not self.writer["projects"]:
            return
        project = random.choice(self.writer["projects"])
        token = unique("load-obstacle")
        body = {
            "category": "technical",
            "severity": "medium",
            "description": f"Reported by a system {token}",
            "must_act": self.writer["must_act"],
        }
        response = self.client.post(
            f"/api/v1/projects/{project}/obstacles/", json=body, headers=self.write_headers, name="api obstacle create"
        )
        if response.status_code == 201:
            acknowledge("api_obstacle", token, id=response.json()["id"])


def _plus(text, step, ceiling=None):
    try:
        value = float((text or "0").replace(",", ""))
    except ValueError:
        value = 0.0
    value += step
    if ceiling is not None:
        value = min(value, ceiling)
    return f"{value:.2f}"


def _signed(function):
    """Run a task signed in: a person whose sign-in failed (the database restarting) signs in again first."""

    def run(user):
        if getattr(user, "signed_in", True) or user.sign_in(user.login_name):
            function(user)

    run.__name__ = function.__name__
    return run


def _configure():
    """Sign every task of the signed-in people in; leave concrete only the classes of this mix."""
    for person in (Reader, ProjectManager, Coordinator):
        person.tasks = [_signed(function) for function in person.tasks]
    if MIX == "public":  # locust runs the user classes left concrete: only the cached pages
        for person in (PublicVisitor, Reader, ProjectManager, Coordinator, ApiClient):
            person.abstract = True
    else:
        CachedPublicVisitor.abstract = True


_configure()  # in a function: a module-level name bound to a user class would be taken for one more
