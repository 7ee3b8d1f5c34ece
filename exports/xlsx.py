"""A page's follow-up as an Excel workbook (.xlsx): one row per assignment and period.

    xlsx_bytes = render_xlsx(content)   # content: exports.content.ExportContent

The rows are opendata.tabular.assessment_rows(): the same table as the CSV file, with its
columns (opendata.tabular.COLUMNS) as the header, every period up to the export's period.
The first sheet is the table: the header row frozen and filtered, column widths set, text
wrapped, and the status cells filled with the status's colour and holding its label (the
colour never alone). The second sheet says what the file is: the title, the date the data
speaks for, the page's permanent address, and what each column holds.

Every value is written as a value: text that begins with "=" stays text, never a formula;
characters a workbook cannot hold are left out. No macros: the package is an .xlsx.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from exports.content import ExportContent, portal_url
from opendata.tabular import COLUMNS, assessment_rows

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILLS = {  # the traffic lights, light enough for black text
    "green": PatternFill("solid", fgColor="C6EFCE"),
    "yellow": PatternFill("solid", fgColor="FFEB9C"),
    "red": PatternFill("solid", fgColor="FFC7CE"),
}
WIDTHS = {  # characters
    "plan": 24,
    "goal_number": 8,
    "goal": 36,
    "assignment_number": 10,
    "assignment": 50,
    "bodies": 30,
    "period": 16,
    "as_of": 12,
    "status": 16,
    "status_label": 22,
    "colour": 9,
    "text": 80,
    "url": 50,
}
WRAPPED = {"goal", "assignment", "bodies", "text"}
STATUS_COLUMNS = ("status", "status_label", "colour")
MAX_SHEET_TITLE = 31  # Excel's limit


def rows_of(content: ExportContent) -> list[dict]:
    """The table's rows of what `content` shows (three queries)."""
    rows = assessment_rows(
        content.goal_models,
        as_of=content.period.date if content.period else None,
        base_url=portal_url(""),
    )
    if content.assignment_urls is not None:  # a body's: only its assignments
        rows = [row for row in rows if row["url"] in content.assignment_urls]
    return rows


def render_xlsx(content: ExportContent) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(gettext("Assessments"))
    _table(sheet, rows_of(content))
    _about(workbook.create_sheet(_sheet_title(gettext("About the file"))), content)
    properties = workbook.properties
    properties.title = content.title
    properties.subject = content.as_of_text
    properties.creator = content.organisation or ""
    properties.lastModifiedBy = ""
    properties.language = "sv-SE"
    properties.identifier = content.url
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _table(sheet, rows: list[dict]) -> None:
    keys = [column.key for column in COLUMNS]
    sheet.append([_text(str(column.label)) for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        sheet.append([_value(row[key]) for key in keys])
    for cell in (c for line in sheet.iter_rows(min_row=2) for c in line):
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # text, never a formula
    status_at = [keys.index(key) for key in STATUS_COLUMNS]
    colour_at = keys.index("colour")
    wrapped_at = {keys.index(key) for key in WRAPPED}
    for line in sheet.iter_rows(min_row=2):
        fill = FILLS.get(line[colour_at].value)
        for index in status_at:
            if fill is not None:
                line[index].fill = fill
        for index in wrapped_at:
            line[index].alignment = Alignment(vertical="top", wrap_text=True)
    for index, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, 14)
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(keys))
    sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, 1)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"  # printed: as wide as the page, pages down
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _about(sheet, content: ExportContent) -> None:
    sheet.append([_text(content.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in (content.organisation, content.subtitle, content.as_of_text):
        if line:
            sheet.append([_text(line)])
    sheet.append([_text(gettext("The page's permanent address:")), _text(content.url)])
    sheet.cell(row=sheet.max_row, column=2).hyperlink = content.url
    sheet.append([])
    sheet.append([_text(gettext("Column")), _text(gettext("What it holds"))])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        sheet.append([_text(str(column.label)), _text(str(column.description))])
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 90
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"


def _value(value):
    return _text(value) if isinstance(value, str) else value


def _text(text: str) -> str:
    """Text a workbook can hold: without the control characters XML forbids."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _sheet_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:MAX_SHEET_TITLE] or "Blad"
