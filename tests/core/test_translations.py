"""The interface's own texts exist in Arabic, French and English.

Every msgid of the ar/fr/en catalogues is translated and not fuzzy, its translation keeps the
placeholders of the source text, every translatable text of the code and templates is in the
catalogues, and the pages really render the translations.
"""

import gettext as gettext_module
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract, extract_from_file
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

SOURCE_ROOT = Path(settings.BASE_DIR) / "masar"
LOCALE_ROOT = SOURCE_ROOT / "locale"
LANGUAGES = ("ar", "fr", "en")

# The keywords Django's makemessages gives xgettext, in Babel's notation.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}

# printf-style placeholders as Python formats them: %(name)s, %s, %d, %.2f …; "%%" is a literal
# percent sign. A space flag is left out so that French "50 % des projets" is not a placeholder.
PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-#0+]*(?:\d+|\*)?(?:\.\d+)?(?P<conversion>[diouxXeEfFgGcrsa%])")
COUNT_NAMES = {"counter", "count", "n", "num", "number"}

# Plural forms that gettext uses for a single number, where the translation may say the number in
# words ("مشروع واحد", "مشروعان", "un projet") instead of repeating the placeholder.
SINGLE_NUMBER_FORMS = {"ar": {1, 2}, "fr": {0}, "en": {0}}


def catalogue_path(language):
    return LOCALE_ROOT / language / "LC_MESSAGES" / "django.po"


def load_catalogue(language):
    with catalogue_path(language).open("rb") as po_file:
        return read_po(po_file, locale=language, abort_invalid=True)


def raw_header(language):
    """Return the header entry's text exactly as the .po file declares it (Babel fills in gaps from CLDR)."""
    text = catalogue_path(language).read_text(encoding="utf-8")
    match = re.search(r'^msgid ""\nmsgstr ((?:".*"\n)+)', text, re.MULTILINE)
    assert match, f"{language}: the catalogue has no header entry"
    return "".join(re.findall(r'"(.*)"', match.group(1))).replace("\\n", "\n").replace('\\"', '"')


def placeholders(text):
    """Return the named placeholders (as a set) and the positional ones (in order) of a format string."""
    named, positional = set(), []
    for match in PLACEHOLDER.finditer(text):
        if match.group("conversion") == "%":
            continue
        if match.group("name") is not None:
            named.add((match.group("name"), match.group("conversion")))
        else:
            positional.append(match.group("conversion"))
    return named, positional


def label(message):
    return repr(message.id[0] if isinstance(message.id, tuple) else message.id)


def placeholder_problems(language, message):
    """Describe how the placeholders of message's translation differ from those of its source text.

    In the plural forms that stand for a single number (SINGLE_NUMBER_FORMS) the number itself may
    be said in words: there a placeholder counts as the number when it is the plural's only one, is
    named like a number, is an integer conversion, or is already left out of the English singular.
    """
    if isinstance(message.id, tuple):
        singular, plural = (placeholders(text) for text in message.id)
        expected_named = singular[0] | plural[0]
        expected_positional = max(singular[1], plural[1], key=len)
        numbers = {p for p in expected_named if p[0] in COUNT_NAMES or p[1] in "di" or p not in singular[0]}
        if len(expected_named) == 1:
            numbers = expected_named  # a plural's only placeholder is its number
        forms = list(enumerate(message.string))
    else:
        expected_named, expected_positional = placeholders(message.id)
        numbers = set()
        forms = [(None, message.string)]
    problems = []
    for index, text in forms:
        named, positional = placeholders(text)
        missing, extra = expected_named - named, named - expected_named
        may_drop_number = index in SINGLE_NUMBER_FORMS[language]
        if may_drop_number:
            missing -= numbers
        positional_ok = positional == expected_positional or (
            may_drop_number and not positional and len(expected_positional) == 1
        )
        if missing or extra or not positional_ok:
            where = f"msgstr[{index}]" if index is not None else "msgstr"
            problems.append(
                f"{label(message)} {where}={text!r}: placeholders {sorted(named)} {positional}, "
                f"expected {sorted(expected_named)} {expected_positional}"
            )
    return problems


def template_msgids(path):
    """Return the msgids makemessages would take from a template: Django's templatize, then xgettext-like parsing."""
    python_like = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    found = extract("python", io.BytesIO(python_like.encode("utf-8")), keywords=KEYWORDS, options={"encoding": "utf-8"})
    return {(message, context) for _lineno, message, _comments, context in found}


def python_msgids(path):
    found = extract_from_file("python", str(path), keywords=KEYWORDS, options={"encoding": "utf-8"})
    return {(message, context) for _lineno, message, _comments, context in found}


def source_msgids():
    """Return {(msgid, context): [files]} for every translatable text of masar/, migrations excepted.

    Gives the same msgids as makemessages (checked against its output), without rewriting the catalogues.
    """
    msgids = {}
    for path in sorted(SOURCE_ROOT.rglob("*")):
        relative = path.relative_to(SOURCE_ROOT)
        skipped = any(part in ("migrations", "locale") or part.startswith(".") for part in relative.parts)
        if skipped or not path.is_file():
            continue
        if path.suffix in (".html", ".txt"):  # the template extensions makemessages reads
            found = template_msgids(path)
        elif path.suffix == ".py":
            found = python_msgids(path)
        else:
            continue
        for key in found:
            msgids.setdefault(key, []).append(str(relative))
    return msgids


def in_catalogue(catalogue, msgid, context):
    """Whether gettext finds msgid in the catalogue.

    A text used alone in one place and as the singular of a plural in another is one plural entry
    (xgettext merges them); gettext then answers with the plural form for 1.
    """
    entry = catalogue.get(msgid, context=context)
    if entry is None:
        return False
    return entry.id == msgid or (isinstance(entry.id, tuple) and not isinstance(msgid, tuple) and entry.id[0] == msgid)


@pytest.fixture(scope="module")
def catalogues():
    return {language: load_catalogue(language) for language in LANGUAGES}


def test_every_message_is_translated_in_arabic_french_and_english(catalogues):
    problems = []
    for language, catalogue in catalogues.items():
        for message in catalogue:
            if not message.id:
                continue
            forms = message.string if isinstance(message.id, tuple) else (message.string,)
            if isinstance(message.id, tuple) and len(forms) != catalogue.num_plurals:
                problems.append(f"{language}: {label(message)} has {len(forms)} forms, not {catalogue.num_plurals}")
            if not all(forms):
                problems.append(f"{language}: {label(message)} is untranslated")
    assert not problems, "Untranslated messages:\n" + "\n".join(problems)


def test_no_catalogue_or_message_is_fuzzy(catalogues):
    problems = [f"{language}: the header is fuzzy" for language, catalogue in catalogues.items() if catalogue.fuzzy]
    for language, catalogue in catalogues.items():
        problems += [f"{language}: {label(message)}" for message in catalogue if message.id and message.fuzzy]
    assert not problems, "Fuzzy entries (a person must review them, then remove the flag):\n" + "\n".join(problems)


def test_translations_keep_the_placeholders_of_the_source_text(catalogues):
    problems = []
    for language, catalogue in catalogues.items():
        for message in catalogue:
            if message.id:
                problems += [f"{language}: {problem}" for problem in placeholder_problems(language, message)]
    assert not problems, "Placeholders differ from the source text:\n" + "\n".join(problems)


def test_the_placeholder_check_catches_a_lost_or_renamed_placeholder():
    catalogue = load_catalogue("ar")
    message = catalogue.get(("%(counter)s project", "%(counter)s projects"))
    assert placeholder_problems("ar", message) == []
    message.string = ("مشروع", "مشروع واحد", "مشروعان", "%(count)s مشاريع", "%(counter)s مشروعًا", "%(counter)s مشروع")
    problems = placeholder_problems("ar", message)
    assert len(problems) == 2 and "msgstr[0]" in problems[0] and "msgstr[3]" in problems[1]
    single = catalogue.get("Page %(number)s of %(total)s")
    single.string = "الصفحة %(number)s"
    assert placeholder_problems("ar", single)


def test_the_arabic_catalogue_declares_six_plural_forms():
    header = raw_header("ar")
    match = re.search(r"^Plural-Forms:\s*nplurals\s*=\s*(\d+);\s*plural\s*=\s*([^\n]+?);?\s*$", header, re.MULTILINE)
    assert match, f"The Arabic catalogue has no Plural-Forms header:\n{header}"
    assert match.group(1) == "6", f"The Arabic catalogue declares nplurals={match.group(1)}, not 6"
    plural = gettext_module.c2py(match.group(2))
    assert [plural(n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111)] == [0, 1, 2, 3, 3, 4, 4, 5, 5, 3, 4]


def test_every_translatable_text_of_the_code_and_templates_is_in_the_catalogues(catalogues):
    msgids = source_msgids()
    assert ("Projects", None) in msgids and (("%(counter)s project", "%(counter)s projects"), None) in msgids
    missing = []
    for (msgid, context), files in sorted(msgids.items(), key=lambda item: repr(item[0])):
        for language, catalogue in catalogues.items():
            if not in_catalogue(catalogue, msgid, context):
                missing.append(f"{language}: {msgid!r} (context {context!r}) from {', '.join(sorted(set(files)))}")
    assert not missing, "Texts missing from the catalogues (run makemessages, then translate):\n" + "\n".join(missing)


def test_the_extraction_finds_what_makemessages_finds_in_templates(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        "{% load i18n %}<p title=\"{% translate 'At a glance' %}\">{% blocktranslate trimmed count counter=n %}\n"
        "  {{ counter }} project\n{% plural %}\n  {{ counter }}\n    projects\n{% endblocktranslate %}</p>"
        '{{ when|default:_("not set") }}{% translate "May" context "month" %}'
        "{% blocktranslate with name=x %}Edit {{ name }}{% endblocktranslate %}",
        encoding="utf-8",
    )
    assert template_msgids(template) == {
        ("At a glance", None),
        (("%(counter)s project", "%(counter)s projects"), None),
        ("not set", None),
        ("May", "month"),
        ("Edit %(name)s", None),
    }


def test_the_extraction_finds_what_makemessages_finds_in_python(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "from django.utils.translation import gettext_lazy as _, ngettext, pgettext_lazy\n"
        "A = _('Projects')\n"
        "B = ngettext('%(count)d project', '%(count)d projects', 3)\n"
        "C = pgettext_lazy('month', 'May')\n"
        "D = 'not translatable'\n",
        encoding="utf-8",
    )
    assert python_msgids(module) == {
        ("Projects", None),
        (("%(count)d project", "%(count)d projects"), None),
        ("May", "month"),
    }


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_home_page_shows_the_menu_in_the_visitors_language(client, db, language):
    with translation.override(language):
        expected = translation.gettext("Projects")
    assert expected != "Projects"
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert expected in response.content.decode()
