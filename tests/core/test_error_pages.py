"""Error pages speak the page's language, keep Masar's layout and offer a way back."""

from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError
from django.test import RequestFactory
from django.utils import translation

from masar.core import error_pages
from masar.core.error_pages import server_error
from tests.portfolio.factories import make_project

LAYOUT = 'class="site-header"'


def test_a_missing_page_is_a_404_in_arabic_right_to_left_with_the_layout(db, client_for):
    response = client_for(None).get("/ar/projects/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in page and LAYOUT in page
    assert "تعذر العثور على الصفحة" in page  # "Page not found"
    assert 'href="/ar/"' in page  # the way home, in the same language


def test_a_missing_page_is_a_404_in_french_left_to_right(db, client_for):
    response = client_for(None).get("/fr/projects/999999/", HTTP_REFERER="http://testserver/fr/projects/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fr" dir="ltr">' in page and LAYOUT in page
    assert "Page non trouvée" in page and "تعذر" not in page
    assert 'href="http://testserver/fr/projects/"' in page  # back where the reader came from


def test_the_way_back_never_leads_to_another_site(db, client_for):
    page = client_for(None).get("/en/projects/999999/", HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in page and "data-history-back" in page  # the script goes back in history


def test_a_viewer_changing_a_project_gets_the_403_page(ministry_a, axis, manager_a, viewer_a, client_for):
    project = make_project("P-PUB", ministry_a, axis, manager=manager_a)
    response = client_for(viewer_a).post(f"/ar/projects/{project.pk}/edit/", {"name_ar": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert 'dir="rtl"' in page and LAYOUT in page and "ممنوع" in page  # "Forbidden"
    project.refresh_from_db()
    assert project.name_ar != "x"
    assert client_for(manager_a).get(f"/ar/projects/{project.pk}/edit/").status_code == 200  # positive control


def test_a_server_error_renders_the_500_page_in_the_layout(db):
    request = RequestFactory().get("/fr/projects/")
    request.user = AnonymousUser()
    with translation.override("fr"):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500 and LAYOUT in page and "Erreur du serveur (500)" in page


def test_a_server_error_without_a_database_still_answers_in_the_language(monkeypatch):
    def database_down(*args, **kwargs):
        raise DatabaseError("the database is down")

    monkeypatch.setattr(error_pages, "render", database_down)  # the layout reads the inbox from the database
    request = RequestFactory().get("/ar/")
    with translation.override("ar"):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500 and 'dir="rtl"' in page and "خطأ في المزود (500)" in page
    assert LAYOUT not in page
