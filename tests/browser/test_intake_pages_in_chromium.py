"""The fact-check and the review of an official text as their readers meet them in Chromium: axe-core finds no serious
or critical violation, in Arabic and French, a 375 px phone does not scroll sideways, every claim marked in the text
says its verdict in words beside the colour, and the marks are the claims of the table, in order. Screenshots (desktop
and phone) are left under artifacts/screenshots/ for review.
"""

import json
from pathlib import Path

from django.conf import settings
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import serious_violations
from tests.factcheck.factories import make_phase, make_program_2526

SHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
PHONE = 375
SEED = (Path(__file__).resolve().parents[1] / "fixtures" / "intake" / "seed_003.txt").read_text(encoding="utf-8")
WRONG = SEED.replace("(99 مشروعًا)", "(95 مشروعًا)")

# Each mark of the text with the verdict word written right after it, and the claims of the table.
MARKS = """
const marks = [...document.querySelectorAll(".factcheck-text mark")];
return {
  marks: marks.map((m) => [m.className, m.textContent, m.nextElementSibling && m.nextElementSibling.className,
                           m.nextElementSibling && m.nextElementSibling.textContent.trim()]),
  claims: [...document.querySelectorAll(".factcheck-claims tbody tr")].map((r) => r.cells[0].textContent.trim()),
  pasted: document.querySelector("textarea[name=text]").value,
};
"""


def horizontal_overflow(driver):
    return driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")


def shoot(driver, name, width):
    driver.set_window_size(width, 900)
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
    driver.set_window_size(width, max(height, 600))
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def paste_and_send(driver, url, text, done_id):
    """Open url, paste text into its form's text area, send it and wait for the element done_id of the answer."""
    driver.set_window_size(1366, 900)
    driver.get(url)
    area = driver.find_element("css selector", "textarea[name=text]")
    driver.execute_script("arguments[0].value = arguments[1];", area, text)
    area.find_element("xpath", "./ancestor::form").find_element("css selector", "button[type=submit]").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements("id", done_id))
    return driver


def sign_in(driver, live_server, user):
    """Give the browser the session of a client signed in as user (the sign-in form has tests of its own)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    driver.get(f"{live_server.url}/ar/portal/")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    driver.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": session})


def test_the_public_fact_check_says_each_verdict_in_words_and_fits_a_phone_in_arabic_and_french(
    browser, live_server, transactional_db, ministry_a
):
    make_program_2526(ministry_a)
    browser.delete_all_cookies()
    found = {}
    for lang, direction in (("ar", "rtl"), ("fr", "ltr")):
        url = f"{live_server.url}/{lang}/portal/factcheck/"
        driver = paste_and_send(browser, url, WRONG, "factcheck-result-title")
        assert driver.execute_script("return document.documentElement.dir") == direction
        seen = driver.execute_script(MARKS)
        assert seen["pasted"] == WRONG  # the pasted text stays in the form
        assert [text for _class, text, _tag, _word in seen["marks"]] == seen["claims"]  # marks and table agree
        assert all(text in WRONG for text in seen["claims"])
        for mark_class, _text, tag_class, word in seen["marks"]:
            verdict = mark_class.removeprefix("verdict-")
            assert tag_class == f"verdict-tag verdict-tag-{verdict}" and word, seen["marks"]
        verdicts = {mark_class: text for mark_class, text, _tag, _word in seen["marks"]}
        assert verdicts["verdict-contradicted"] == "95 مشروعًا"  # positive control: the wrong figure
        assert len(seen["marks"]) == 8
        found[f"{lang} fact-check"] = serious_violations(driver)
        shoot(driver, f"factcheck-{lang}-checked", 1366)
        shoot(driver, f"factcheck-{lang}-phone-checked", PHONE)
        assert horizontal_overflow(driver) <= 0, f"{lang} fact-check scrolls sideways at {PHONE} px"
    # The page comes back with its text and the error beside it.
    driver = paste_and_send(browser, f"{live_server.url}/ar/portal/factcheck/", "   ", "id_text_error")
    found["ar fact-check error"] = serious_violations(driver)
    failing = {page: violations for page, violations in found.items() if violations}
    (SHOTS.parent / "axe-intake-violations.json").write_text(json.dumps(failing, indent=1, ensure_ascii=False))
    assert failing == {}, json.dumps(failing, indent=1, ensure_ascii=False)
    assert len(found) == 3  # positive control: every page was checked


def test_the_review_of_seed_003_is_accessible_and_fits_a_phone(
    browser, live_server, transactional_db, national, ministry_a
):
    program = make_program_2526(ministry_a)
    make_phase(program, 1, "التأسيس", 2025, 2025)
    browser.delete_all_cookies()
    sign_in(browser, live_server, national)
    driver = paste_and_send(browser, f"{live_server.url}/ar/intake/", SEED, "draft-title")
    assert driver.execute_script("return document.documentElement.dir") == "rtl"
    marked = driver.execute_script(
        "return [...document.querySelectorAll('.intake-text mark')].map((m) => m.textContent)"
    )
    assert "99" in marked and "مجلس وزاري" in marked  # the draft's items are highlighted where they were read
    # Each new decision names its organization responsible from one list of the organizations.
    responsible = driver.find_elements("css selector", "input[list=intake-organizations]")
    assert len(responsible) >= 7
    assert driver.find_elements("css selector", "datalist#intake-organizations option")
    violations = serious_violations(driver)
    shoot(driver, "intake-ar-review", 1366)
    shoot(driver, "intake-ar-phone-review", PHONE)
    assert horizontal_overflow(driver) <= 0, f"the review scrolls sideways at {PHONE} px"
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
