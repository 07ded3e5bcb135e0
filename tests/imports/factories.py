"""Files to import, written as a sending system would write them."""

import csv
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def _header(rows):
    """Return every column any row names, in the order they first appear."""
    return list(dict.fromkeys(key for row in rows for key in row))


def csv_file(rows, name="data.csv", *, bom=False, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = _header(rows)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(key, "") for key in header])
    content = ("\ufeff" if bom else "") + buffer.getvalue()
    return SimpleUploadedFile(name, content.encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="data.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    header = _header(rows)
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(key) for key in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def json_file(rows, name="data.json", *, wrapped=False):
    data = {"records": rows} if wrapped else rows
    return SimpleUploadedFile(name, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def project_row(external_id="P1", code="IMP-1", owner="MIN-A", **extra):
    row = {
        "source_system": "finance",
        "external_id": external_id,
        "code": code,
        "name_ar": f"مشروع {code}",
        "owner": owner,
        "strategy": "P2526",
        "axis": "1",
        "planned_start": "2025-01-01",
        "planned_end": "2026-06-30",
        "planned_budget": "1000",
        "classification": "public",
        "milestone_order": "1",
        "milestone_name_ar": "معلم أول",
        "milestone_planned_date": "2025-06-01",
    }
    row.update(extra)
    return row


def measurement_row(external_id="M1", indicator="IND-1", period="2023-01", value="5", **extra):
    row = {
        "source_system": "stats",
        "external_id": external_id,
        "indicator": indicator,
        "period": period,
        "value": value,
    }
    row.update(extra)
    return row
