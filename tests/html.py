"""Reading what a page shows a person, for the tests."""

import re
from collections import deque

LINK = re.compile(r'href="(/(?:ar|fr|en)/[^"#]*)"')


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


def read_body(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def crawl(client, start="/ar/", limit=400, within="/"):
    """Return {url: body} for every page reachable from start by links (under within), failing on any server error."""
    seen, queue, pages = {start}, deque([start]), {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            if response.streaming:  # a download sent from a file (XLSX): read to its end, the client then closes it
                b"".join(response.streaming_content)
            continue
        body = response.content.decode()
        pages[url] = body
        for link in LINK.findall(body):
            link = link.replace("&amp;", "&")
            if "/admin/" in link or "/logout/" in link or link in seen or not link.startswith(within):
                continue
            seen.add(link)
            queue.append(link)
    return pages
