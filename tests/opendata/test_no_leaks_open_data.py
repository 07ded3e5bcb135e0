"""Zero leaks, proven: random classifications over a generated portfolio, and every open-data door read back.

Each round draws classifications for projects, decisions, indicators and the datasets of the inventory,
publishes, generates the files, then classifies some records again (as happens after publication) and
regenerates. Every door — the files, the CKAN Action API, DCAT in its three formats, IATI, OCDS, the
portal's pages and their search — is read as a harvester or a visitor would, and must hold no
non-public record, field, count or person; the public records must be there (the positive control).
"""

import datetime
import io
import json
import random

import openpyxl
import pytest

from masar.core.models import Classification
from masar.core.policy import open_data_q
from masar.opendata.models import ChangeAction, Publication, PublicView
from masar.opendata.services import dataset_change_decide, dataset_change_request, publications_refresh
from masar.portfolio.models import FundingKind
from masar.portfolio.services import project_update
from tests.decisions.factories import make_decision, make_meeting
from tests.indicators.factories import approved, make_indicator
from tests.opendata.factories import make_dataset, make_publication, publish
from tests.portfolio.factories import make_project

LEVELS = [Classification.PUBLIC, Classification.RESTRICTED, Classification.CONFIDENTIAL]
DOORS_JSON = [
    "/api/3/action/package_list",
    "/api/action/organization_list?all_fields=true",
    "/api/3/action/group_list?all_fields=true",
    "/api/3/action/tag_list",
]


def _draw(rng):
    return rng.choice(LEVELS + [Classification.PUBLIC])  # public half the time, so both sides are exercised


@pytest.fixture
def portfolio(
    request,
    gov,
    ministry_a,
    ministry_b,
    national,
    coordinator_a,
    manager_a,
    program,
    axis,
    django_capture_on_commit_callbacks,
):
    """Draw a portfolio with random classifications, publish it, classify some of it again; return what is public."""
    rng = random.Random(request.param)
    people = set()
    for n, user in enumerate((national, manager_a, coordinator_a)):  # staff with names and addresses of their own
        user.first_name, user.last_name, user.email = f"Zaynab{n}", f"Qutaybi{n}", f"zaynab{n}@gov.example.tn"
        user.save()
        people |= {user.get_full_name(), user.email, user.username if "_" in user.username else user.email}
    public, hidden = set(), set()
    projects = []
    for n in range(14):
        level = _draw(rng)
        owner = ministry_a if n % 2 else ministry_b
        project = make_project(
            f"P{request.param}-{n:02d}",
            owner,
            axis,
            strategy=program,
            classification=level,
            manager=manager_a,
            funding_kind=FundingKind.DONOR if n % 3 == 0 else FundingKind.STATE_BUDGET,
            planned_budget=1000 + n,
            name_fr=f"Projet numéro {n}",
        )
        if n % 4 == 1:
            project.partners.set([ministry_b if owner == ministry_a else ministry_a])
        projects.append(project)
    meeting = make_meeting(owner=gov, name_ar="مجلس وزاري")
    decisions = [
        make_decision(
            meeting=meeting,
            responsible=ministry_a,
            order=n + 1,
            text_ar=f"قرار-سري-{request.param}-{n}",
            classification=_draw(rng),
            due_date=datetime.date(2026, 6, 30),
        )
        for n in range(6)
    ]
    indicators = []
    for n in range(3):
        indicator = make_indicator(f"K{request.param}-{n}", ministry_a, classification=_draw(rng))
        for year in (2023, 2024):
            approved(indicator, datetime.date(year, 1, 1), 10 * n + year % 10, by=coordinator_a, approver=national)
        indicators.append(indicator)
    datasets = {
        "projects": make_dataset(f"d-projects-{request.param}", gov, by=national, steward=coordinator_a),
        "decisions": make_dataset(f"d-decisions-{request.param}", gov, by=national, record_type="decisions"),
        "values": make_dataset(f"d-values-{request.param}", ministry_a, by=national, record_type="measurements"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            make_publication(f"projects-{request.param}", datasets["projects"], by=national, strategy=program),
            by=national,
        )
        publish(
            make_publication(
                f"decisions-{request.param}", datasets["decisions"], by=national, view=PublicView.DECISIONS
            ),
            by=national,
        )
        for indicator in indicators:
            if indicator.classification == Classification.PUBLIC:
                publish(
                    make_publication(
                        f"values-{indicator.code.lower()}",
                        datasets["values"],
                        by=national,
                        view=PublicView.INDICATOR_VALUES,
                        indicator=indicator,
                    ),
                    by=national,
                )
    publications_refresh()
    # After publication, some records are classified again: they must leave every door at the next refresh.
    for project in rng.sample(projects, 4):
        project.refresh_from_db()
        project_update(actor=national, project=project, classification=_draw(rng), expected_version=project.version)
    if rng.random() < 0.5:
        change = dataset_change_request(
            actor=national,
            dataset=datasets["decisions"],
            reason="إعادة تصنيف",
            classification=Classification.RESTRICTED,
        )
        dataset_change_decide(actor=national, change=change, action=ChangeAction.APPROVE)
    publications_refresh()
    for project in projects:
        project.refresh_from_db()
        (public if project.classification == Classification.PUBLIC else hidden).add(project.code)
    decisions_hidden = Publication.objects.get(name=f"decisions-{request.param}").dataset.classification != "public"
    for decision in decisions:
        text = decision.text_ar
        (hidden if decision.classification != Classification.PUBLIC or decisions_hidden else public).add(text)
    for indicator in indicators:
        (public if indicator.classification == Classification.PUBLIC else hidden).add(indicator.code)
    return public, hidden, people


def _xlsx_text(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)


def _read_every_door(client):
    """Return the text of every open-data door, read as a harvester and a visitor would."""
    texts = {}
    search = client.get("/api/3/action/package_search?rows=1000").json()
    assert search["success"] is True
    texts["package_search"] = json.dumps(search, ensure_ascii=False)
    for package in search["result"]["results"]:
        texts[f"package_show {package['name']}"] = client.get(
            f"/api/3/action/package_show?id={package['name']}"
        ).content.decode()
        for resource in package["resources"]:
            texts[f"resource_show {resource['id']}"] = client.get(
                f"/api/3/action/resource_show?id={resource['id']}"
            ).content.decode()
        for fmt in ("csv", "json", "xlsx"):
            response = client.get(f"/opendata/files/{package['name']}.{fmt}")
            assert response.status_code == 200
            texts[f"{package['name']}.{fmt}"] = (
                _xlsx_text(response.content) if fmt == "xlsx" else response.content.decode()
            )
        for language in ("ar", "fr"):
            page = client.get(f"/{language}/opendata/datasets/{package['name']}/")
            assert page.status_code == 200
            texts[f"portal {language} {package['name']}"] = page.content.decode()
    for path in DOORS_JSON:
        response = client.get(path)
        assert response.status_code == 200, path
        texts[path] = response.content.decode()
    for path in (
        "/catalog.ttl",
        "/catalog.jsonld",
        "/catalog.rdf",
        "/iati/activities.xml",
        "/ar/opendata/",
        "/fr/opendata/",
        "/ar/opendata/inventory/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        texts[path] = response.content.decode()
    # No procurement data yet: the OCDS address says so (404), and whatever it says holds nothing non-public.
    texts["/ocds/releases.json"] = client.get("/ocds/releases.json").content.decode()
    return texts, search["result"]["count"]


@pytest.mark.parametrize("portfolio", [1, 2, 3, 4], indirect=True)
def test_no_open_data_door_holds_a_non_public_record_field_count_or_person(portfolio, client):
    public, hidden, people = portfolio
    assert hidden and public  # positive controls: each round has both sides
    texts, count = _read_every_door(client)
    everything = "\n".join(texts.values())
    for secret in hidden:
        leaks = [door for door, text in texts.items() if secret in text]
        assert not leaks, f"{secret} is not public but appears in {leaks}"
        # The search box and its heading say the query back: the secret may appear as often as it does when the
        # query is the secret followed by letters that match nothing, and no more.
        found = client.get("/ar/opendata/", {"q": secret}).content.decode().count(secret)
        echo = client.get("/ar/opendata/", {"q": secret + "QXZ"}).content.decode().count(secret)
        assert found == echo, f"{secret} is found by the portal's search"
    for person in people:
        leaks = [door for door, text in texts.items() if person in text]
        assert not leaks, f"{person} appears in {leaks}"
    missing = {record for record in public if record not in everything}
    assert not missing, f"public records absent from every door: {missing}"
    assert count == Publication.objects.filter(open_data_q()).count()
    assert count == len([door for door in texts if door.startswith("package_show ")])
    for word in ("restricted", "confidential"):
        assert word not in texts["package_search"]
