"""The public portal as a citizen meets it in Chromium: axe-core finds no serious or critical violation on its pages
in Arabic and French, the keyboard reaches what matters in order with a visible focus, and a phone does not scroll
sideways. Screenshots (desktop and a 375 px phone) are left under artifacts/screenshots/ for review.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from selenium.webdriver.support.ui import WebDriverWait

from masar.catalogue.models import Channel, CommentStatus, DigitizationLevel, FeedbackKind
from tests.browser.conftest import serious_violations
from tests.catalogue.factories import (
    make_category,
    make_document,
    make_feedback,
    make_life_event,
    make_project_link,
    make_rating,
    make_service,
)
from tests.portfolio.factories import make_project

SHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
PHONE = 375


@pytest.fixture
def portal(transactional_db, ministry_a, ministry_b, axis, coordinator_a):
    """A small public catalogue: services of two ministries at every level, rated, commented, linked to a project."""
    from masar.catalogue.voice import feedback_answer

    moving = make_life_event("moving", name_ar="تغيير مقر السكنى", name_fr="Déménagement", name_en="Moving house")
    civil = make_category("civil", name_ar="الحالة المدنية", name_fr="État civil", name_en="Civil status")
    residence = make_service(
        ministry_a,
        code="SRV-RES",
        name_ar="شهادة إقامة",
        name_fr="Certificat de résidence",
        name_en="Residence certificate",
        description_ar="وثيقة تثبت مقر السكنى",
        description_fr="Document qui atteste du lieu de résidence.",
        level=DigitizationLevel.FULLY_ONLINE,
        channels=[Channel.WEB, Channel.MOBILE, Channel.COUNTER],
        life_event=moving,
        category=civil,
        fee=0,
        processing_days=3,
        steps_ar="١. املأ الاستمارة على الخط\n٢. ادفع المعلوم\n٣. تسلّم الشهادة بالبريد الإلكتروني",
        steps_fr="1. Remplir le formulaire en ligne\n2. Payer\n3. Recevoir le certificat par courriel",
        legal_basis_ar="الأمر عدد 12 لسنة 2020",
        legal_basis_fr="Décret n° 12 de 2020",
        online_url="https://services.example.org/residence",
    )
    make_document(residence, "بطاقة التعريف الوطنية", name_fr="Carte d'identité nationale")
    make_document(residence, "مضمون ولادة", held_by=ministry_b, name_fr="Extrait de naissance")
    for level in DigitizationLevel:
        make_service(
            ministry_b if level % 2 else ministry_a,
            code=f"SRV-L{level}",
            name_ar=f"خدمة المستوى {level}",
            name_fr=f"Service de niveau {level}",
            level=level,
            channels=[Channel.COUNTER, Channel.WEB] if level >= DigitizationLevel.SUBMISSION else [Channel.COUNTER],
            life_event=moving if level % 2 else None,
            category=civil,
        )
    make_rating(residence, 4, "خدمة سريعة وواضحة", status=CommentStatus.APPROVED)
    make_rating(residence, 5)
    project = make_project("PRJ-RES", ministry_a, axis, name_fr="Guichet unique en ligne")
    make_project_link(residence, project, DigitizationLevel.PROACTIVE)
    feedback = make_feedback(residence, FeedbackKind.SUGGESTION, "أقترح إضافة الدفع بالهاتف")
    feedback_answer(actor=coordinator_a, feedback=feedback, answer="شكرا، الدفع بالهاتف مبرمج لسنة 2026", version=1)
    return {"service": residence, "tracking": feedback.tracking_number}


def horizontal_overflow(driver):
    return driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")


def visit(driver, url, name, width=1366):
    driver.set_window_size(width, 900)
    driver.get(url)
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
    driver.set_window_size(width, max(height, 600))
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    return driver


def portal_pages(data):
    return [
        ("home", "/{lang}/portal/"),
        ("directory", "/{lang}/portal/services/?q=%D8%B4%D9%87%D8%A7%D8%AF%D9%87"),  # شهاده, as people type it
        ("service", f"/{{lang}}/portal/services/{data['service'].pk}/"),
        ("track", f"/{{lang}}/portal/track/?number={data['tracking']}"),
        ("delivering", "/{lang}/portal/delivering/"),
    ]


def test_the_portal_has_no_serious_accessibility_violation_and_fits_a_phone_in_arabic_and_french(
    browser, live_server, portal
):
    browser.delete_all_cookies()
    found = {}
    for lang, direction in (("ar", "rtl"), ("fr", "ltr")):
        for name, path in portal_pages(portal):
            url = live_server.url + path.format(lang=lang)
            driver = visit(browser, url, f"portal-{lang}-{name}")
            assert driver.execute_script("return document.documentElement.lang") == lang
            assert driver.execute_script("return document.documentElement.dir") == direction, (lang, name)
            assert "Server Error" not in driver.title
            found[f"{lang} {name}"] = serious_violations(driver)
            driver = visit(browser, url, f"portal-{lang}-phone-{name}", width=PHONE)
            assert horizontal_overflow(driver) <= 0, f"{lang} {name} scrolls sideways at {PHONE} px"
    # The page a citizen gets back with the errors beside the fields.
    service = portal["service"]
    driver = visit(browser, f"{live_server.url}/fr/portal/services/{service.pk}/", "portal-fr-service")
    driver.find_element("css selector", "form[action$='/rate/'] button[type=submit]").click()
    # positive control: the error is beside the rating (waited for: under load the answer takes its time)
    WebDriverWait(driver, 20).until(lambda d: d.find_elements("id", "rating-score_error"))
    driver.save_screenshot(str(SHOTS / "portal-fr-service-errors.png"))
    found["fr service with errors"] = serious_violations(driver)
    failing = {page: violations for page, violations in found.items() if violations}
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS.parent / "axe-portal-violations.json").write_text(json.dumps(failing, indent=1, ensure_ascii=False))
    assert failing == {}, json.dumps(failing, indent=1, ensure_ascii=False)
    assert len(found) == 11  # positive control: every page was checked


# What the keyboard is on: an element's id, else its class, else its tag.
FOCUSED = """
const e = document.activeElement;
const style = getComputedStyle(e);
const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
return [e.id || e.getAttribute("class") || e.tagName.toLowerCase(), e.getAttribute("name"), ring];
"""


def tab_through(driver, until, limit=80):
    """Press Tab from the top of the page until the element with id `until` has the focus; return what was focused."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    seen = []
    for _ in range(limit):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        seen.append(driver.execute_script(FOCUSED))
        if seen[-1][0] == until:
            return seen
    raise AssertionError(f"{until} never took the focus: {[s[0] for s in seen]}")


def test_the_keyboard_reaches_the_skip_link_the_search_the_rating_and_the_buttons_in_order_with_a_visible_focus(
    browser, live_server, portal
):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.delete_all_cookies()
    for lang in ("ar", "fr"):
        driver = visit(browser, f"{live_server.url}/{lang}/portal/services/", f"portal-{lang}-directory-keyboard")
        seen = tab_through(driver, "directory-q")
        assert seen[0][0] == "skip", seen[:3]  # the first stop is the skip link
        assert all(ring for _id, _name, ring in seen), [s for s in seen if not s[2]]
        # The skip link leads into the page: the next stop after it is inside <main>, past the header.
        driver.get(f"{live_server.url}/{lang}/portal/services/")
        ActionChains(driver).send_keys(Keys.TAB).perform()
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        ActionChains(driver).send_keys(Keys.TAB).perform()
        assert driver.execute_script("return !!document.activeElement.closest('main')")

    service = portal["service"]
    driver = visit(browser, f"{live_server.url}/fr/portal/services/{service.pk}/", "portal-fr-service-keyboard")
    seen = tab_through(driver, "feedback-send", limit=120)
    order = [focus_id for focus_id, _name, _ring in seen]
    assert order[0] == "skip"
    assert "rating-website" not in order and "feedback-website" not in order  # the honeypots are never reached
    stops = ["rating-score_0", "rating-comment", "rating-send", "feedback-kind_0", "feedback-text", "feedback-contact"]
    positions = [order.index(stop) for stop in stops]
    assert positions == sorted(positions) and positions[0] > 0, list(zip(stops, positions, strict=True))
    assert all(ring for _id, _name, ring in seen), [s for s in seen if not s[2]]
    # The rating's submit button comes between the comment and the complaint form, and sends the rating.
    driver.get(f"{live_server.url}/fr/portal/services/{service.pk}/")
    tab_through(driver, "rating-score_0", limit=120)
    ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()  # the arrows move along the radios: "2 — Poor"
    assert driver.execute_script(FOCUSED)[0] in ("rating-score_1", "rating-score_0")
    ActionChains(driver).send_keys(Keys.SPACE).perform()
    ActionChains(driver).send_keys(Keys.TAB).perform()  # the comment
    ActionChains(driver).send_keys(Keys.TAB).perform()  # the submit button (the honeypot is skipped)
    assert driver.execute_script(FOCUSED)[0] == "rating-send"
    assert driver.execute_script(FOCUSED)[2]  # its focus is visible
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    WebDriverWait(driver, 20).until(lambda d: d.find_elements("id", "done-title"))
    driver.save_screenshot(str(SHOTS / "portal-fr-rated.png"))
    service.refresh_from_db()
    assert service.rating_count == 3  # the two of the fixture and this one
