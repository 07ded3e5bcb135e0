import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from masar.core.forms import add_service_errors
from masar.core.models import Classification
from masar.organizations.models import RegionKind
from masar.organizations.services import region_create
from masar.portfolio.forms import ProjectForm
from tests.html import field_error
from tests.portfolio.factories import make_project


@pytest.fixture
def portfolio(ministry_a, ministry_b, axis, manager_a):
    return {
        "public": make_project("P-PUB", ministry_a, axis, manager=manager_a, name_ar="بوابة الخدمات الإلكترونيّة"),
        "restricted": make_project("P-RES", ministry_a, axis, classification=Classification.RESTRICTED),
        "confidential": make_project("P-CONF", ministry_a, axis, classification=Classification.CONFIDENTIAL),
        "other": make_project("P-B", ministry_b, axis, classification=Classification.CONFIDENTIAL),
    }


def listed_codes(response):
    return set(re.findall(r'class="code">([^<]+)<', response.content.decode()))


def test_the_list_shows_each_reader_what_they_may_see(portfolio, client_for, viewer_a, coordinator_b):
    assert listed_codes(client_for(None).get("/ar/projects/")) == {"P-PUB"}
    assert listed_codes(client_for(viewer_a).get("/ar/projects/")) == {"P-PUB", "P-RES", "P-CONF"}
    assert listed_codes(client_for(coordinator_b).get("/ar/projects/")) == {"P-PUB", "P-RES", "P-B"}


def test_the_project_page_is_a_404_for_a_reader_who_may_not_see_it(portfolio, client_for, viewer_a, coordinator_b):
    url = f"/ar/projects/{portfolio['confidential'].pk}/"
    assert client_for(viewer_a).get(url).status_code == 200
    assert client_for(coordinator_b).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404
    assert client_for(None).get(f"/ar/projects/{portfolio['restricted'].pk}/").status_code == 404
    assert client_for(None).get("/ar/projects/999999/").status_code == 404


def test_filters_narrow_the_list_and_keep_their_values_across_pages(portfolio, client_for, viewer_a, program, axis):
    client = client_for(viewer_a)
    assert listed_codes(client.get("/ar/projects/", {"classification": "restricted"})) == {"P-RES"}
    assert listed_codes(
        client.get("/ar/projects/", {"strategy": program.pk, "axis": axis.pk, "status": "planned"})
    ) == {"P-PUB", "P-RES", "P-CONF"}
    assert listed_codes(client.get("/ar/projects/", {"organization": portfolio["public"].owner_id})) == {
        "P-PUB",
        "P-RES",
        "P-CONF",
    }


def test_the_region_filter_takes_the_regions_below(portfolio, client_for, viewer_a):
    country = region_create(actor=None, kind=RegionKind.COUNTRY, code="TN", name_ar="تونس")
    sfax = region_create(actor=None, parent=country, kind=RegionKind.GOVERNORATE, code="TN-61", name_ar="صفاقس")
    portfolio["public"].regions.set([sfax])
    assert listed_codes(client_for(viewer_a).get("/ar/projects/", {"region": country.pk})) == {"P-PUB"}


def test_search_finds_arabic_as_people_type_it(portfolio, client_for):
    client = client_for(None)
    assert listed_codes(client.get("/ar/projects/", {"q": "الالكترونية"})) == {"P-PUB"}
    assert listed_codes(client.get("/ar/projects/", {"q": "الإلكـترونية"})) == {"P-PUB"}
    assert listed_codes(client.get("/ar/projects/", {"q": "غير موجود"})) == set()


def test_unknown_filter_values_are_refused_with_a_translated_message(portfolio, client_for):
    response = client_for(None).get("/fr/projects/", {"strategy": "abc", "status": "nonsense"})
    assert response.status_code == 400
    assert listed_codes(response) == set()
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_an_anonymous_visitor_cannot_filter_their_way_to_restricted_records(portfolio, client_for):
    response = client_for(None).get("/ar/projects/", {"classification": "confidential"})
    assert response.status_code == 400 and listed_codes(response) == set()


def test_pagination_keeps_filters_and_a_malformed_page_is_a_404(ministry_a, axis, client_for, settings):
    settings.PAGE_SIZE = 2
    for i in range(5):
        make_project(f"P-{i}", ministry_a, axis)
    client = client_for(None)
    first = client.get("/ar/projects/", {"status": "planned"})
    assert len(listed_codes(first)) == 2
    assert "?status=planned&amp;page=2" in first.content.decode()
    assert listed_codes(client.get("/ar/projects/", {"status": "planned", "page": 3})) == {"P-4"}
    assert client.get("/ar/projects/", {"page": "abc"}).status_code == 404
    assert client.get("/ar/projects/", {"page": 99}).status_code == 404
    assert client.get("/ar/projects/", {"page": -1}).status_code == 404


def edit_payload(project, **changes):
    data = {
        "version": project.version,
        "name_ar": project.name_ar,
        "name_fr": "",
        "name_en": "",
        "description_ar": "",
        "description_fr": "",
        "description_en": "",
        "status": project.status,
        "currency": project.currency,
        "funding_kind": project.funding_kind,
        "classification": project.classification,
    }
    data.update(changes)
    return data


def test_a_project_manager_edits_their_project_and_the_change_is_audited(portfolio, client_for, manager_a):
    project = portfolio["public"]
    response = client_for(manager_a).post(
        f"/ar/projects/{project.pk}/edit/", edit_payload(project, name_ar="اسم جديد", status="in_progress")
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name_ar == "اسم جديد" and project.version == 2 and project.status == "in_progress"
    page = client_for(manager_a).get(f"/ar/projects/{project.pk}/").content.decode()
    assert "اسم جديد" in page and "بوابة الخدمات الإلكترونيّة" in page  # the trail shows before and after


def test_a_project_manager_cannot_change_another_ministrys_project(portfolio, client_for, manager_b, viewer_a):
    project = portfolio["public"]
    for user in (manager_b, viewer_a):
        client = client_for(user)
        assert client.get(f"/ar/projects/{project.pk}/edit/").status_code == 403
        assert client.post(f"/ar/projects/{project.pk}/edit/", edit_payload(project, name_ar="x")).status_code == 403
    assert (
        client_for(None).post(f"/ar/projects/{project.pk}/edit/", edit_payload(project, name_ar="x")).status_code == 302
    )
    project.refresh_from_db()
    assert project.name_ar == "بوابة الخدمات الإلكترونيّة"


def test_a_stale_edit_is_refused_and_the_form_shows_what_changed_in_between(
    portfolio, client_for, manager_a, coordinator_a
):
    project = portfolio["public"]
    stale = edit_payload(project, name_ar="تعديل متأخر")
    client_for(coordinator_a).post(
        f"/ar/projects/{project.pk}/edit/", edit_payload(project, name_fr="Portail des services")
    )
    response = client_for(manager_a).post(f"/en/projects/{project.pk}/edit/", stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this record after you opened it" in body
    assert "Portail des services" in body and "coord_a" in body and "name (French)" in body
    project.refresh_from_db()
    assert project.name_ar == "بوابة الخدمات الإلكترونيّة" and project.name_fr == "Portail des services"


def test_invalid_input_is_shown_next_to_the_field_in_the_users_language(portfolio, client_for, manager_a):
    project = portfolio["public"]
    client = client_for(manager_a)
    response = client.post(f"/fr/projects/{project.pk}/edit/", edit_payload(project, name_ar="", currency="dinars"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ce champ est obligatoire" in body
    response = client.post(f"/en/projects/{project.pk}/edit/", edit_payload(project, classification="secret"))
    assert response.status_code == 400 and "does not hold secret material" in response.content.decode()
    response = client.post(f"/en/projects/{project.pk}/edit/", edit_payload(project, currency="dinars"))
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.version == 1 and project.currency == "TND" and project.classification == "public"


def test_the_export_links_carry_the_active_filters(portfolio, client_for, viewer_a):
    body = client_for(viewer_a).get("/ar/projects/", {"classification": "restricted"}).content.decode()
    assert 'href="/ar/exports/projects.xlsx?classification=restricted"' in body
    csv = client_for(viewer_a).get("/ar/exports/projects.csv?classification=restricted")
    content = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "P-RES" in content and "P-PUB" not in content


def test_each_error_sits_beside_its_field_named_in_words_and_the_page_goes_to_it(portfolio, client_for, manager_a):
    project = portfolio["public"]
    response = client_for(manager_a).post(f"/fr/projects/{project.pk}/edit/", edit_payload(project, name_ar=""))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in field_error(body, "id_name_ar")
    label = ProjectForm(instance=project)["name_ar"].label
    summary = body[body.index("data-error-summary") : body.index("</div>", body.index("data-error-summary"))]
    assert f'<a href="#id_name_ar">{label}\xa0: Ce champ est obligatoire' in summary and "name_ar:" not in summary
    assert "/static/masar/forms.js" in body
    assert "forms.js" not in client_for(manager_a).get(f"/fr/projects/{project.pk}/edit/").content.decode()


def test_a_service_error_on_a_field_the_form_does_not_show_is_named_in_words(portfolio, client_for, manager_a):
    project = portfolio["public"]
    form = ProjectForm({key: str(value) for key, value in edit_payload(project).items()}, instance=project)
    assert form.is_valid()
    with translation.override("en"):
        add_service_errors(form, ValidationError({"planned_end": "Too early.", "name_ar": "Taken."}))
        assert form.errors["name_ar"] == ["Taken."]
        assert form.non_field_errors() == ["Planned end: Too early."]  # the model's label, never "planned_end"
