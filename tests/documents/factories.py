"""Files and documents for the document library's tests: real files of each kind, and bad ones."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from masar.core.models import Classification
from masar.documents.models import DocumentKind
from masar.documents.services import document_create

ARABIC_TITLE = "الاستراتيجية الوطنية للتحول الرقمي"
ARABIC_SENTENCE = "تعتمد الحكومة برنامج رقمنة الخدمات الإدارية سنة 2025 في ثلاثة محاور"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def arabic_html(body=None):
    body = body or f"<h1>{ARABIC_TITLE}</h1><p>{ARABIC_SENTENCE}.</p><p>أنجز 138 مشروعا منها 99 للإدارة.</p>"
    return f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"></head><body>{body}</body></html>'


def pdf_bytes(html=None):
    """Return a PDF with a text layer, drawn by WeasyPrint (Arabic shaped by Pango, as council packs are)."""
    import weasyprint

    return weasyprint.HTML(string=html or arabic_html()).write_pdf()


def blank_pdf_bytes(pages=2):
    """Return a PDF whose pages hold no text (what a scan without OCR looks like to a reader)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def encrypted_pdf_bytes(user_password="pw", owner_password="owner"):
    """Return a PDF encrypted with a user password (an empty one opens without asking)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password=user_password, owner_password=owner_password)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def corrupt_pdf_bytes():
    """Return the start of a real PDF cut short and overwritten in the middle."""
    data = pdf_bytes()
    return data[:200] + b"\x00garbage" * 50


def docx_bytes():
    """Return a Word document with Arabic paragraphs and a table between them."""
    import docx

    document = docx.Document()
    document.add_heading(ARABIC_TITLE, level=1)
    document.add_paragraph(ARABIC_SENTENCE)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "المحور"
    table.cell(0, 1).text = "عدد المشاريع"
    table.cell(1, 0).text = "الإدارة"
    table.cell(1, 1).text = "99"
    document.add_paragraph("الفقرة الأخيرة بعد الجدول")
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def zip_bomb_bytes(megabytes=200):
    """Return a small zip posing as a Word document with one highly compressible member of megabytes."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/></Types>',
        )
        chunk = b"\x00" * (1024 * 1024)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _n in range(megabytes):
                member.write(chunk)
    return stream.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


class HugeUpload:
    """An upload that says it is 200 MB and fails the test if anything reads it."""

    name = "huge.pdf"
    size = 200 * 1024 * 1024
    content_type = "application/pdf"

    def _refuse(self, *args, **kwargs):
        raise AssertionError("a file over the limit was read")

    read = seek = chunks = open = _refuse


def make_document(actor, *, organization=None, classification=Classification.RESTRICTED, text="نص الوثيقة", **extra):
    """Add a document with a pasted text (or extra["upload"]) and return it."""
    data = {"title": "وثيقة", "kind": DocumentKind.REPORT, "text": text if "upload" not in extra else ""}
    data.update(extra)
    document, _content = document_create(actor=actor, organization=organization, classification=classification, **data)
    return document
