"""Taking documents in: each kind read from its bytes, Arabic in logical order, bad files refused with a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from masar.audit.models import Action, AuditEntry
from masar.core.errors import StaleEditError
from masar.core.models import Classification
from masar.documents import extract
from masar.documents.models import Document, DocumentKind, DocumentVersion, TextStatus
from masar.documents.services import DocumentRefused, document_add_version, document_create, document_update
from tests.documents.factories import (
    ARABIC_SENTENCE,
    ARABIC_TITLE,
    HugeUpload,
    arabic_html,
    blank_pdf_bytes,
    corrupt_pdf_bytes,
    docx_bytes,
    encrypted_pdf_bytes,
    make_document,
    pdf_bytes,
    upload,
    zip_bomb_bytes,
)


def add(actor, name, data, **extra):
    return document_create(
        actor=actor,
        title="وثيقة",
        kind=DocumentKind.LAW,
        classification=Classification.RESTRICTED,
        upload=upload(name, data),
        **extra,
    )


def nothing_saved():
    return not Document.objects.exists() and not DocumentVersion.objects.exists()


# Each kind --------------------------------------------------------------------------------------


def test_an_arabic_pdf_is_read_in_logical_order_and_kept_under_a_random_name(coordinator_a, ministry_a, media):
    document, content = add(coordinator_a, "strategie.pdf", pdf_bytes())
    assert ARABIC_TITLE in document.text
    # Words in reading order, the year in its place between them (not at the line's far end).
    assert ARABIC_SENTENCE in document.text
    assert "أنجز 138 مشروعا منها 99 للإدارة" in document.text
    assert content.warning is None and document.text_status == TextStatus.EXTRACTED
    assert document.organization == ministry_a  # the actor's own organization by default
    version = document.versions.get()
    assert version.number == 1 and version.page_count == 1 and version.content_type == "application/pdf"
    assert version.original_name == "strategie.pdf" and version.file.name.startswith("documents/")
    assert "strategie" not in version.file.name
    assert default_storage.exists(version.file.name)
    assert AuditEntry.objects.for_object(document).filter(action=Action.CREATE).exists()


def test_a_pdf_in_visual_order_is_turned_into_logical_order():
    visual = "ةيجيتارتسالا ةينطولا يف 2025 ةنس"  # drawn glyph by glyph, left to right
    assert extract.reads_reversed(visual)
    expected = "سنة 2025 في الوطنية الاستراتيجية"
    assert extract.logical_line(visual) == expected
    assert not extract.reads_reversed(expected)
    # Pieces pypdf already put in logical order, drawn left to right: the year comes back between the words.
    assert extract.line_from_pieces([" في الوطنية الاستراتيجية", "2025 ", "سنة"], "ar") == expected
    # Pieces still in drawing order (no piece reversed by pypdf): read backwards, then turned.
    assert extract.line_from_pieces([visual], "ar") == expected
    # One Arabic piece already in logical order stays as it is (positive control of the clue count).
    assert extract.line_from_pieces(["الوطنية الاستراتيجية"], "ar") == "الوطنية الاستراتيجية"


def test_arabic_presentation_forms_become_letters():
    assert extract.normalize("ﺍﻟﺤﻜﻮﻣﺔ") == "الحكومة"


def test_a_word_document_is_read_with_its_table_in_document_order(coordinator_a):
    document, _content = add(coordinator_a, "محضر.docx", docx_bytes())
    text = document.text
    assert ARABIC_TITLE in text and ARABIC_SENTENCE in text
    assert text.index(ARABIC_SENTENCE) < text.index("المحور") < text.index("الفقرة الأخيرة بعد الجدول")
    assert "الإدارة\t99" in text


def test_a_text_file_in_utf8_or_utf16_is_read(coordinator_a):
    document, _content = add(coordinator_a, "note.txt", ARABIC_SENTENCE.encode("utf-8"))
    assert document.text == ARABIC_SENTENCE
    document, _content = add(coordinator_a, "note16.txt", ARABIC_SENTENCE.encode("utf-16"))
    assert document.text == ARABIC_SENTENCE and document.versions.get().content_type == "text/plain"


def test_an_html_page_is_read_without_its_scripts_and_styles(coordinator_a):
    page = arabic_html(
        f"<style>p{{color:red}}</style><script>alert('x')</script><p>{ARABIC_SENTENCE}</p><div>ثانيا</div>"
    )
    document, _content = add(coordinator_a, "communique.html", page.encode("utf-8"))
    assert document.text == f"{ARABIC_SENTENCE}\nثانيا"
    assert "alert" not in document.text and "color" not in document.text


def test_a_pasted_text_is_kept_as_a_version_without_file(coordinator_a):
    document = make_document(coordinator_a, text="  نص ملصق\r\nسطر ثان  ")
    assert document.text == "نص ملصق\nسطر ثان" and document.text_status == TextStatus.PASTED
    version = document.versions.get()
    assert not version.file and version.size == len(document.text.encode())


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("report.pdf", arabic_html().encode(), "does not match its content"),  # an HTML page named .pdf
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 64, "not a kind Masar accepts"),  # an executable
        ("report.txt", pdf_bytes(), "does not match its content"),
        ("report.docx", b"PK\x03\x04" + b"\x00" * 40, "not a kind Masar accepts"),
        ("notes.txt", arabic_html().encode(), "does not match its content"),
    ],
)
def test_a_file_whose_name_says_another_kind_is_refused(coordinator_a, name, data, words):
    with pytest.raises(DocumentRefused) as refused:
        add(coordinator_a, name, data)
    assert words in str(refused.value.message) and name in str(refused.value.message)
    assert refused.value.errors[0][0] == "file"
    assert nothing_saved()


def test_an_encrypted_pdf_is_refused_with_what_to_do(coordinator_a, media):
    with pytest.raises(DocumentRefused, match="remove the password and upload it again"):
        add(coordinator_a, "secret.pdf", encrypted_pdf_bytes())
    assert nothing_saved() and not list(media.rglob("*.*"))


def test_a_pdf_protected_only_against_changes_opens_with_the_empty_password(coordinator_a):
    document, _content = add(coordinator_a, "locked.pdf", encrypted_pdf_bytes(user_password=""))
    assert ARABIC_TITLE in document.text


def test_a_pdf_without_text_layer_is_kept_and_said_so(coordinator_a):
    document, content = add(coordinator_a, "scan.pdf", blank_pdf_bytes())
    assert document.text_status == TextStatus.NO_TEXT_LAYER and document.text == ""
    assert "no text layer" in str(content.warning)
    version = document.versions.get()
    assert version.file and version.page_count == 2 and default_storage.exists(version.file.name)


def test_a_corrupt_pdf_is_refused(coordinator_a):
    with pytest.raises(DocumentRefused, match="damaged"):
        add(coordinator_a, "broken.pdf", corrupt_pdf_bytes())
    assert nothing_saved()


def test_a_file_over_the_limit_is_refused(coordinator_a, settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    with pytest.raises(DocumentRefused, match="too large"):
        add(coordinator_a, "big.txt", "ن".encode() * 600)
    assert nothing_saved()
    add(coordinator_a, "small.txt", "ن".encode() * 400)  # positive control: under the limit
    assert Document.objects.count() == 1


def test_a_200_mb_upload_is_refused_before_it_is_read(coordinator_a):
    with pytest.raises(DocumentRefused, match="too large"):
        document_create(
            actor=coordinator_a,
            title="ضخم",
            kind=DocumentKind.REPORT,
            classification=Classification.PUBLIC,
            upload=HugeUpload(),
        )
    assert nothing_saved()


def test_a_word_zip_bomb_is_refused_before_it_is_opened(coordinator_a):
    bomb = zip_bomb_bytes()
    assert len(bomb) < 2 * 1024 * 1024  # small on disk, 200 MB unpacked
    with pytest.raises(DocumentRefused, match="zip bomb"):
        add(coordinator_a, "bomb.docx", bomb)
    assert nothing_saved()


def test_a_file_and_a_text_together_or_neither_are_refused(coordinator_a):
    with pytest.raises(DocumentRefused, match="not both"):
        add(coordinator_a, "note.txt", b"abc", text="نص")
    with pytest.raises(DocumentRefused, match="paste"):
        document_create(actor=coordinator_a, title="ف", kind=DocumentKind.OTHER, classification="public")
    assert nothing_saved()


def test_secret_material_is_refused(coordinator_a):
    with pytest.raises(ValidationError, match="secret"):
        make_document(coordinator_a, classification="secret")
    assert nothing_saved()


# Who adds, versions -----------------------------------------------------------------------------


def test_who_may_add_a_document_under_an_organization(coordinator_a, manager_a, viewer_a, coordinator_b, ministry_a):
    assert make_document(coordinator_a).organization == ministry_a
    assert make_document(manager_a, classification=Classification.CONFIDENTIAL).organization == ministry_a
    for someone, organization in ((viewer_a, None), (coordinator_b, ministry_a), (None, ministry_a)):
        with pytest.raises(PermissionDenied):
            make_document(someone, organization=organization)
    assert Document.objects.count() == 2


def test_a_new_version_keeps_the_old_ones_and_moves_the_text(coordinator_a, viewer_a):
    document = make_document(coordinator_a, text="النسخة الأولى")
    document, _content = document_add_version(
        actor=coordinator_a, document=document, expected_version=document.version, upload=upload("v2.pdf", pdf_bytes())
    )
    assert ARABIC_TITLE in document.text and document.text_status == TextStatus.EXTRACTED
    versions = list(document.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2] and versions[0].text == "النسخة الأولى"
    with pytest.raises(StaleEditError):
        document_add_version(actor=coordinator_a, document=document, expected_version=1, text="متأخرة")
    with pytest.raises(PermissionDenied):
        document_add_version(actor=viewer_a, document=document, expected_version=document.version, text="نص")
    assert document.versions.count() == 2
    assert AuditEntry.objects.for_object(document).filter(action=Action.UPDATE).count() == 1


def test_details_and_links_change_with_the_version_read(coordinator_a, program, manager_a, axis):
    from tests.portfolio.factories import make_project

    project = make_project("DOC-P", program.owner, axis, manager=manager_a)
    document = make_document(coordinator_a)
    document = document_update(
        actor=coordinator_a,
        document=document,
        expected_version=document.version,
        title="عنوان جديد",
        strategies=[program],
        projects=[project],
    )
    assert document.title == "عنوان جديد" and list(document.projects.all()) == [project]
    with pytest.raises(StaleEditError):
        document_update(actor=coordinator_a, document=document, expected_version=1, title="قديم")
    assert Document.objects.get().title == "عنوان جديد"
