"""The council pack: asked in a page, built by the worker, read as a PDF; never above its classification."""

import base64
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext as _

from masar.core.models import Classification
from masar.reports.models import CouncilPack, PackStatus
from masar.reports.services import pack_build, pack_request
from tests.delivery.factories import make_health
from tests.portfolio.factories import make_project

SHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def portfolio(ministry_a, ministry_b, axis):
    public = make_project("P-PUB", ministry_a, axis, name_ar="مشروع عمومي متعثر")
    secret_ish = make_project(
        "P-CONF", ministry_a, axis, name_ar="مشروع مكتوم متعثر", classification=Classification.CONFIDENTIAL
    )
    other = make_project("P-B", ministry_b, axis, name_ar="مشروع وزارة الصحة المتعثر")
    for project in (public, secret_ish, other):
        make_health(project, "red", declared="green", gap=4, flagged=True, computed_on="2026-11-01")
    return public


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def build(user, **options):
    pack = CouncilPack.objects.create(requested_by=user, **options)
    pack_build(pack_id=pack.pk)
    pack.refresh_from_db()
    return pack


def test_a_pack_never_holds_records_above_its_classification(portfolio, national):
    public_pack = build(national, language="ar", classification=Classification.PUBLIC)
    text = pdf_text(public_pack.file.path)
    assert "P-PUB" in text and "P-CONF" not in text
    confidential_pack = build(national, language="ar", classification=Classification.CONFIDENTIAL)
    assert "P-CONF" in pdf_text(confidential_pack.file.path)


def test_every_page_carries_its_number_date_and_classification_marking(portfolio, national):
    pack = build(national, language="fr", classification=Classification.RESTRICTED)
    pages = pdf_text(pack.file.path).split("\f")
    pages = [page for page in pages if page.strip()]
    assert pages
    for number, page in enumerate(pages, start=1):
        with translation.override("fr"):
            counter = _("%(page)s of %(pages)s") % {"page": number, "pages": len(pages)}
        assert counter in page
        assert "Diffusion restreinte".upper() in page.upper()


def test_the_arabic_pack_renders_shaped_arabic_text_and_its_chart(portfolio, national):
    pack = build(national, language="ar", classification=Classification.RESTRICTED)
    text = pdf_text(pack.file.path)
    assert "مشروع عمومي متعثر" in text  # extracted in logical order: the glyphs carry their Arabic letters
    images = subprocess.run(["pdfimages", "-list", pack.file.path], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) >= 3  # two header lines, then the chart
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", pack.file.path, str(SHOTS / "pack-ar")], check=True
    )
    assert any(SHOTS.glob("pack-ar*.png"))


def test_a_sectoral_pack_holds_only_its_organizations_projects(portfolio, ministry_a, coordinator_a):
    pack = build(coordinator_a, organization=ministry_a, language="ar", classification=Classification.CONFIDENTIAL)
    text = pdf_text(pack.file.path)
    assert "P-PUB" in text and "P-CONF" in text and "P-B" not in text


def test_a_pack_above_the_users_clearance_is_refused(portfolio, client_for, viewer_a):
    response = client_for(viewer_a).post("/en/reports/packs/new/", {"language": "ar", "classification": "confidential"})
    assert response.status_code == 400
    with pytest.raises(ValidationError, match="above your clearance"):
        pack_request(user=viewer_a, organization=None, language="ar", classification=Classification.CONFIDENTIAL)
    assert not CouncilPack.objects.exists()


def test_the_pack_form_offers_only_the_levels_the_reader_may_ask_for(portfolio, client_for, viewer_a, coordinator_a):
    offered = re.compile(r'<option value="(public|restricted|confidential)"')
    viewer_page = client_for(viewer_a).get("/en/reports/packs/new/").content.decode()
    assert offered.findall(viewer_page) == ["public", "restricted"]
    coordinator_page = client_for(coordinator_a).get("/en/reports/packs/new/").content.decode()
    assert offered.findall(coordinator_page) == ["public", "restricted", "confidential"]
    assert client_for(None).get("/en/reports/packs/new/").status_code == 302  # to the sign-in page


@pytest.mark.django_db(transaction=True)
def test_the_pack_is_built_in_the_background_with_visible_progress(client_for, settings, tmp_path):
    from masar.accounts.models import Role, User
    from masar.organizations.services import organization_create

    gov = organization_create(actor=None, kind="government", code="G", name_ar="الحكومة")
    user = User.objects.create_user("unit", password="x", role=Role.NATIONAL_ADMIN, organization=gov)
    client = client_for(user)
    response = client.post("/ar/reports/packs/new/", {"language": "ar", "classification": "restricted"})
    pack = CouncilPack.objects.get()
    assert response["Location"].endswith(f"/reports/packs/{pack.pk}/")
    waiting = client.get(f"/ar/reports/packs/{pack.pk}/").content.decode()
    assert 'http-equiv="refresh"' in waiting and "<progress" in waiting
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    pack.refresh_from_db()
    assert pack.status == PackStatus.DONE and pack.progress == 100
    pdf = client.get(f"/ar/reports/packs/{pack.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    other = User.objects.create_user("other", password="x", role=Role.NATIONAL_ADMIN, organization=gov)
    assert client_for(other).get(f"/ar/reports/packs/{pack.pk}/pdf/").status_code == 404


def test_the_pack_draws_the_projects_by_region_on_the_same_tile_map(portfolio, national):
    from django.template.loader import render_to_string
    from django.utils import translation

    from masar.organizations.models import RegionKind
    from masar.organizations.services import region_create
    from masar.reports.services import pack_context

    country = region_create(actor=None, kind=RegionKind.COUNTRY, code="TN", name_ar="تونس")
    sfax = region_create(actor=None, kind=RegionKind.GOVERNORATE, code="TN-61", name_ar="صفاقس", parent=country)
    region_create(actor=None, kind=RegionKind.GOVERNORATE, code="TN-11", name_ar="تونس", parent=country)
    portfolio.regions.add(sfax)
    pack = CouncilPack.objects.create(requested_by=national, language="ar", classification=Classification.PUBLIC)
    with translation.override("ar"):
        context = pack_context(pack)
        html = render_to_string("reports/council_pack.html", context)
        svg = render_to_string("organizations/_tile_map_svg.html", {"map": context["region_map"], "digits": 0})
    assert {tile.code: tile.value for tile in context["region_map"].tiles} == {"TN-11": 0, "TN-61": 1}
    assert "<title>صفاقس: 1</title>" in svg and "<a " not in svg  # a printed pack has nothing to click
    # The same drawing, rendered to PNG (Arabic shaped and ordered), is in the pack.
    assert context["region_map_png"].startswith("data:image/png;base64,")
    assert f'<img class="tile-map" src="{context["region_map_png"]}"' in html
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "pack-ar-region-map.png").write_bytes(base64.b64decode(context["region_map_png"].split(",", 1)[1]))
    built = build(national, language="ar", classification=Classification.PUBLIC)
    assert built.status == PackStatus.DONE
