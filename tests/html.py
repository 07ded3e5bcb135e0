"""Reading what a page shows a person, for the tests."""

import re


def field_error(body, field_id):
    """Return the error shown beside a field, checking the field points to it (aria) and is marked invalid."""
    control = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{field_id}"[^>]*>', body)
    assert control, f"no control {field_id}"
    assert 'aria-invalid="true"' in control.group(0)
    described = re.search(r'aria-describedby="([^"]*)"', control.group(0))
    assert described and f"{field_id}_error" in described.group(1).split()
    shown = re.search(rf'<div class="field-errors" id="{field_id}_error">(.*?)</div>', body, re.S)
    assert shown, f"no error beside {field_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown.group(1))).strip()


def without_isolates(body):
    """Return the page without the <bdi> isolates its formatted figures sit in, so a figure reads as its text."""
    return re.sub(r"</?bdi>", "", body)
