import re

from tests.portfolio.factories import make_project


def test_the_root_redirects_to_arabic_by_default(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/ar/"


def test_the_root_redirects_to_the_visitors_language(client, db):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")["Location"] == "/fr/"


def test_arabic_pages_are_right_to_left_and_french_left_to_right(client, db):
    arabic = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic and "مسار" in arabic
    french = client.get("/fr/").content.decode()
    assert '<html lang="fr" dir="ltr">' in french and "Projets" in french
    english = client.get("/en/").content.decode()
    assert '<html lang="en" dir="ltr">' in english and "Projects" in english


def test_a_malformed_language_prefix_is_a_404(client, db):
    assert client.get("/xx/").status_code == 404
    assert client.get("/de/projects/").status_code == 404


def test_names_show_in_the_active_language_and_fall_back_to_arabic(ministry_a, ministry_b, client):
    french = client.get(f"/fr/organizations/{ministry_a.pk}/").content.decode()
    assert "Ministère des technologies de la communication" in french
    english = client.get(f"/en/organizations/{ministry_b.pk}/").content.decode()
    assert "وزارة الصحة" in english  # no English name: the Arabic one shows


def test_dates_and_numbers_are_formatted_for_the_active_language(ministry_a, axis, client, settings):
    project = make_project("P-1", ministry_a, axis, planned_budget="1250000.00")
    settings.MASAR_ARABIC_LOCALE = "ar_TN"
    arabic = client.get(f"/ar/projects/{project.pk}/").content.decode()
    assert "30 جوان 2026" in arabic and "1.250.000,00" in arabic
    settings.MASAR_ARABIC_LOCALE = "ar_SY"
    assert "30 حزيران 2026" in client.get(f"/ar/projects/{project.pk}/").content.decode()
    french = client.get(f"/fr/projects/{project.pk}/").content.decode()
    assert "30 juin 2026" in french and re.search(r"1\s250\s000,00", french)
    assert "June 30, 2026" in client.get(f"/en/projects/{project.pk}/").content.decode()
