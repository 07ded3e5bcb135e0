"""What the review tests post: the review page's own form fields, read back from its HTML."""

import re
from html import unescape

FIELD = re.compile(r"<(input|textarea|select)\b([^>]*)>(.*?)(?:</\1>)?", re.S)
ATTR = re.compile(r'([\w-]+)(?:="([^"]*)")?')
OPTION = re.compile(r'<option value="([^"]*)"([^>]*)>', re.S)


def form_of(html):
    """Return {name: value} of the accept form as the browser would send it untouched (checkboxes unchecked)."""
    form = html[re.search(r'<form\b[^>]*action="[^"]*/intake/accept/"', html).start() :]
    form = form[: form.index("</form>")]
    data = {}
    for match in re.finditer(r"<input\b([^>]*)>", form):
        attrs = dict(ATTR.findall(match.group(1)))
        if "name" not in attrs or attrs.get("type") == "checkbox":
            continue
        data[attrs["name"]] = unescape(attrs.get("value", ""))
    for match in re.finditer(r"<textarea\b([^>]*)>(.*?)</textarea>", form, re.S):
        attrs = dict(ATTR.findall(match.group(1)))
        data[attrs["name"]] = unescape(match.group(2))
    for match in re.finditer(r"<select\b([^>]*)>(.*?)</select>", form, re.S):
        attrs = dict(ATTR.findall(match.group(1)))
        options = OPTION.findall(match.group(2))
        selected = [value for value, rest in options if "selected" in rest]
        data[attrs["name"]] = unescape(selected[0] if selected else (options[0][0] if options else ""))
    return data


def options_of(html, name):
    """Return the option values of one select of the page."""
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    return [value for value, _rest in OPTION.findall(select.group(1))] if select else []
