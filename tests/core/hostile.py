"""Hostile upload files, generated in code (never committed): what an attack on the demo sent.

Workbooks are written by hand, part by part, so that each can be exactly as wrong as an attacker
makes it (a stale dimension, a DTD, a giant cell) and as big as asked without building it in memory
through openpyxl.
"""

import io
import random
import zipfile

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    b' Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
    b' Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_OPEN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _cell(ref, value):
    if isinstance(value, int | float):
        return b'<c r="%s"><v>%s</v></c>' % (ref.encode(), str(value).encode())
    return b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref.encode(), value.encode())


def row_xml(number, values):
    cells = b"".join(_cell(f"{chr(65 + index)}{number}", value) for index, value in enumerate(values))
    return b'<row r="%d">%s</row>' % (number, cells)


def workbook_bytes(
    sheet_parts,
    *,
    prolog=b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    sheet_path="worksheets/sheet1.xml",
    extra=(),
):
    """Return an XLSX file whose first sheet is prolog + the parts given (bytes), streamed into the zip.

    sheet_path: where the sheet lies under xl/ (the workbook's relationship points there, whatever its name);
    extra: (name, bytes) members added as they are.
    """
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr(
            "xl/_rels/workbook.xml.rels", WORKBOOK_RELS.replace(b"worksheets/sheet1.xml", sheet_path.encode())
        )
        for name, data in extra:
            archive.writestr(name, data)
        with archive.open(f"xl/{sheet_path}", "w", force_zip64=True) as sheet:
            sheet.write(prolog)
            for part in sheet_parts:
                sheet.write(part)
    return stream.getvalue()


def table_workbook(header, rows, *, dimension=None):
    """Return an XLSX file with a header and rows; dimension: the <dimension ref> to claim (stale on purpose)."""

    def parts():
        yield SHEET_OPEN
        if dimension:
            yield b'<dimension ref="%s"/>' % dimension.encode()
        yield b"<sheetData>"
        yield row_xml(1, header)
        for number, values in enumerate(rows, start=2):
            yield row_xml(number, values)
        yield b"</sheetData></worksheet>"

    return workbook_bytes(parts())


def million_rows_workbook(rows=1_000_000, header=("period", "value"), *, numbered=False):
    """The attack's first file: a million rows of one value in a few hundred KB.

    Rows without their number (allowed: a reader counts them) repeat exactly and compress about
    a hundred times; numbered=True writes r="N" on each, which compresses ten times less.
    """

    def parts():
        yield SHEET_OPEN + b"<sheetData>"
        yield row_xml(1, header)
        for start in range(2, rows + 2, 10_000):
            stop = min(start + 10_000, rows + 2)
            if numbered:
                yield b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(start, stop))
            else:
                yield b"<row><c><v>1</v></c></row>" * (stop - start)
        yield b"</sheetData></worksheet>"

    return workbook_bytes(parts())


def many_rows_workbook(rows, header=("period", "value"), seed=12):
    """A workbook of rows that compress like real figures (random values): it passes the zip checks."""
    generator = random.Random(seed)
    return table_workbook(list(header), ([f"2024-{n % 12 + 1:02d}", generator.randint(0, 10**9)] for n in range(rows)))


def giant_cell_workbook(chars=400_000_000, *, compressible=True):
    """The attack's second file: one cell of chars letters (400 MB unpacked in about 400 KB)."""
    chunk = 1024 * 1024

    def letters():
        generator = random.Random(7)
        left = chars
        while left > 0:
            size = min(chunk, left)
            yield b"A" * size if compressible else bytes(generator.choices(b"abcdefghij", k=size))
            left -= size

    def parts():
        yield SHEET_OPEN + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        yield from letters()
        yield b"</t></is></c></row></sheetData></worksheet>"

    return workbook_bytes(parts())


LAUGHS = b"".join(
    [
        b'<!DOCTYPE worksheet [<!ENTITY lol "lol">',
        *(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 10)),
        b"]>",
    ]
)


def billion_laughs_workbook(sheet_path="worksheets/sheet1.xml"):
    """A workbook whose sheet declares nested entities that expand to a billion "lol"s if resolved."""
    body = (
        SHEET_OPEN
        + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    return workbook_bytes([body], prolog=b'<?xml version="1.0" encoding="UTF-8"?>' + LAUGHS, sheet_path=sheet_path)


def external_entity_workbook(target="file:///etc/passwd"):
    """A workbook whose sheet pulls an external entity (a local file) into a cell if resolved."""
    doctype = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "%s">]>' % target.encode()
    body = (
        SHEET_OPEN
        + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
    )
    return workbook_bytes([body], prolog=b'<?xml version="1.0" encoding="UTF-8"?>' + doctype)


def zip_bomb_workbook(megabytes=200):
    """A workbook with a sheet of megabytes of spaces: a few hundred KB on disk."""
    return workbook_bytes([SHEET_OPEN, *(b" " * (1024 * 1024) for _n in range(megabytes)), b"</worksheet>"])


def wide_csv(columns=200_002):
    """The attack's CSV of 200,002 columns."""
    return (",".join(f"c{n}" for n in range(columns)) + "\n" + ",".join("1" for _n in range(columns)) + "\n").encode()


def giant_field_csv(size=5 * 1024 * 1024, header="period,value"):
    """A CSV with one field of size bytes (quoted, so that no line ends inside it... or outside it)."""
    return (header + '\n2024-01,"' + "x" * size + '"\n').encode()
