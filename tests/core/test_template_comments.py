"""A template comment written `{# … #}` must end on its own line: Django prints a multi-line one as page text."""

import re
from pathlib import Path

import masar

TEMPLATES = sorted(Path(masar.__file__).parent.rglob("templates/**/*.html"))


def test_no_template_has_a_comment_of_several_lines_in_braces():
    assert len(TEMPLATES) > 50  # positive control: the platform's templates are all read
    broken = []
    for path in TEMPLATES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            opened = [match.start() for match in re.finditer(r"\{#", line)]
            if opened and "#}" not in line[opened[-1] :]:
                broken.append(f"{path.relative_to(Path(masar.__file__).parent)}:{number}")
    assert not broken, "use {% comment %} for comments of several lines: " + ", ".join(broken)


def test_the_pagination_prints_no_comment(client_for, national):
    body = client_for(national).get("/en/delivery/inbox/").content.decode()
    assert "{#" not in body and "#}" not in body and "Previous / next links" not in body
