"""Every page carries a Content-Security-Policy without 'unsafe-inline' or 'unsafe-eval', and no template
holds what that policy would refuse (Chromium's own check is tests/browser/test_content_security_policy.py)."""

import re
from pathlib import Path

from django.conf import settings

# The council pack's template is rendered to PDF by WeasyPrint, never served to a browser.
NOT_SERVED = {"reports/templates/reports/council_pack.html"}
REFUSED = {
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "style element": re.compile(r"<style[\s>]", re.I),
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I),
    "javascript: address": re.compile(r"javascript:", re.I),
    "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
}


def test_pages_and_fragments_carry_the_policy_without_unsafe_sources(client, db):
    for url, headers in (("/ar/", {}), ("/fr/projects/", {}), ("/ar/search/suggest/?q=x", {"HTTP_HX_REQUEST": "true"})):
        response = client.get(url, **headers)
        assert response.status_code == 200, url
        policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'" and policy["img-src"] == "'self' data:"
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
        assert policy["base-uri"] == "'self'" and policy["form-action"] == "'self'"
        assert "unsafe" not in response["Content-Security-Policy"]


def test_no_template_holds_an_inline_script_style_or_handler():
    root = Path(settings.BASE_DIR) / "masar"
    templates = [
        path for path in root.rglob("templates/**/*.html") if path.relative_to(root).as_posix() not in NOT_SERVED
    ]
    assert len(templates) > 50  # positive control: the templates were found
    found = [
        f"{path.relative_to(root)}: {what}"
        for path in templates
        for what, pattern in REFUSED.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
    assert REFUSED["inline script"].search("<script>alert(1)</script>")  # the patterns do catch what they name
    assert not REFUSED["inline script"].search('<script id="x" type="application/json">')
    assert REFUSED["event handler attribute"].search('<img src="x" onerror="1">')
