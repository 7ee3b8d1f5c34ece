"""The spreadsheet round trip of a reporting round: download, fill in, upload, preview, apply.

    data = round_workbook(user=official, period=period)          # the .xlsx, as bytes
    preview = read_upload(user=official, period=period, file=f)  # every row, what it would change
    if preview.is_valid:
        counts = apply_upload(user=official, preview=preview)    # all rows or none

One row per assignment and body that the user reports for (round_rows()): an official the
rows of their own bodies, the coordinator every body's. A row names its assessment by a key
in a hidden column ("P<period>-U<assignment>-N<body>", database ids), so the other columns
may be sorted, filtered or widened freely. The columns to fill in are the fields an official
fills in the admin (services.ASSESSMENT_FIELDS); they hold the round's current version when
there is one, and are empty otherwise: a row left without status and text is skipped.

An uploaded file is distrusted: its size is checked before it is read, its zip directory
before it is unpacked (the sizes it declares bound what is unpacked), it is read with
openpyxl in read-only mode up to a number of rows and columns, and any exception becomes a
Swedish error. Every row is checked against what the user may report for, and the preview
says per row what would change and what is wrong. apply_upload() writes only a preview
without errors, in one transaction, through reporting/services.py, with the version of each
assessment read at preview time: a save by someone else in between is refused as stale and
nothing is written.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import date as date_filter
from django.utils.text import capfirst, normalize_newlines
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from assignments.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    ResponsibleBody,
    ReviewState,
)
from assignments.roles import may_review
from goals.models import PeriodState, ReportingPeriod
from reporting import services
from reporting.services import ASSESSMENT_FIELDS, ReportingError, StaleVersionError
from uppfoljning.modeltools import MAX_DATE, MIN_DATE

# Limits of an upload: the file, what its zip directory may unpack to, and the sheet read.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
MAX_ROWS = 5000
MAX_COLUMNS = 50
HEADER_SEARCH_ROWS = 10  # the header row is looked for among the first rows

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

KEY_PATTERN = re.compile(r"^P(\d{1,18})-U(\d{1,18})-N(\d{1,18})$")


@dataclass(frozen=True)
class Column:
    name: str
    header: str  # lazy: translated when used
    width: int
    fill: bool = False  # filled in by the user (unlocked); the others are read-only


COLUMNS = (
    Column("key", gettext_lazy("Key (do not change)"), 16),
    Column("goal", gettext_lazy("Goal"), 30),
    Column("number", gettext_lazy("Assignment no."), 10),
    Column("assignment", gettext_lazy("Assignment"), 50),
    Column("body", gettext_lazy("Committee or company"), 24),
    Column("previous_period", gettext_lazy("Last published in"), 16),
    Column("previous_status", gettext_lazy("Last published status"), 20),
    Column("previous_text", gettext_lazy("Last published text"), 50),
    Column("state", gettext_lazy("State in this round"), 16),
    Column("comment", gettext_lazy("Comment from the coordinator"), 30),
    Column("status", gettext_lazy("Status"), 22, fill=True),
    Column("text", gettext_lazy("Assessment"), 60, fill=True),
    Column("decision_date", gettext_lazy("Decision date"), 14, fill=True),
    Column("decision_reference", gettext_lazy("Diary number"), 18, fill=True),
    Column("decision_paragraph", gettext_lazy("Protocol paragraph"), 14, fill=True),
)
COLUMN_INDEX = {column.name: index for index, column in enumerate(COLUMNS, start=1)}
assert tuple(c.name for c in COLUMNS if c.fill) == ASSESSMENT_FIELDS

TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3
FILL_COLOUR = PatternFill("solid", fgColor="FFF2CC")
HEADER_COLOUR = PatternFill("solid", fgColor="D9E1F2")

# What a row of an upload would do.
NEW, CHANGED, UNCHANGED, EMPTY = "new", "changed", "unchanged", "empty"


# --------------------------------------------------------------------------- the round


@dataclass
class RoundRow:
    """One assignment as one body reports it in a period: the round's version (in review,
    else a published one of the period) and the newest published one before the period."""

    period: ReportingPeriod
    assignment: Assignment
    body: ResponsibleBody
    current: Assessment | None = None
    previous: Assessment | None = None

    @property
    def key(self) -> str:
        return make_key(self.period.pk, self.assignment.pk, self.body.pk)


def make_key(period_id: int, assignment_id: int, body_id: int) -> str:
    return f"P{period_id}-U{assignment_id}-N{body_id}"


def reporting_bodies(user) -> list[ResponsibleBody]:
    """The bodies a user reports for: every one for the coordinator, else their own."""
    if not (user.is_active and user.is_staff):
        return []
    bodies = ResponsibleBody.objects.all() if may_review(user) else user.responsible_bodies.all()
    return list(bodies.order_by("kind", "name", "pk"))


def round_rows(*, user, period: ReportingPeriod) -> list[RoundRow]:
    """The (assignment, body) rows of `period` that `user` reports for, in display order:
    the assignments of published goals of published plans that each of the user's bodies
    answers for (Assignment.objects.for_bodies: named, or given to all of its kind).

    Reads a query per body, and two for the assessments, whatever the number of rows."""
    bodies = reporting_bodies(user)
    answered: dict[int, list[ResponsibleBody]] = {}
    for body in bodies:
        due = Assignment.objects.reportable_in(period).for_bodies([body])
        for pk in due.values_list("pk", flat=True):
            answered.setdefault(pk, []).append(body)
    if not answered:
        return []
    assignments = list(
        Assignment.objects.filter(pk__in=answered)
        .select_related("goal__plan")
        .order_by("-goal__plan__start_year", "goal__plan__code", "goal__number", "number")
    )
    body_ids = [body.pk for body in bodies]

    current: dict[tuple[int, int], Assessment] = {}
    of_period = Assessment.objects.filter(
        period=period,
        assignment_id__in=answered,
        body_id__in=body_ids,
        state__in=[*ReviewState.in_review(), ReviewState.PUBLISHED],
    )
    for assessment in of_period:
        pair = (assessment.assignment_id, assessment.body_id)
        if pair not in current or assessment.state in ReviewState.in_review():
            current[pair] = assessment

    # The newest published one before the period, by the body or else the municipality's
    # own: the rule of services.previous_assessment(), for every row at once.
    newest: dict[tuple[int, int | None], Assessment] = {}
    earlier = (
        Assessment.objects.published()
        .filter(assignment_id__in=answered, period__date__lt=period.date)
        .select_related("period")
        .order_by("period__date", "pk")
    )
    for assessment in earlier:
        newest[(assessment.assignment_id, assessment.body_id)] = assessment

    return [
        RoundRow(
            period=period,
            assignment=assignment,
            body=body,
            current=current.get((assignment.pk, body.pk)),
            previous=newest.get((assignment.pk, body.pk)) or newest.get((assignment.pk, None)),
        )
        for assignment in assignments
        for body in answered[assignment.pk]
    ]


def state_label(assessment: Assessment | None) -> str:
    """Where the body's assessment stands in the round, in words (never a colour alone)."""
    if assessment is None:
        return _("Missing")
    if assessment.is_returned:
        return _("Returned")
    labels = {
        ReviewState.DRAFT: _("Draft"),
        ReviewState.SUBMITTED: _("Submitted"),
        ReviewState.APPROVED: _("Approved"),
        ReviewState.PUBLISHED: _("Published"),
    }
    return labels.get(assessment.state) or capfirst(assessment.get_state_display())


def status_labels() -> dict[str, str]:
    """Each status's Swedish label, as the dropdown offers it: label → value."""
    return {str(status.label): status.value for status in AssessmentStatus}


def _goal_label(goal, several_plans: bool) -> str:
    label = f"{goal.number}. {goal.title}"
    return f"{goal.plan.name}: {label}" if several_plans else label


def _period_title(period: ReportingPeriod) -> str:
    if period.deadline:
        return _("Reporting for %(period)s – last day to report %(deadline)s") % {
            "period": period.name,
            "deadline": date_filter(period.deadline, "j F Y"),
        }
    return _("Reporting for %(period)s") % {"period": period.name}


# --------------------------------------------------------------------------- download


def round_workbook(*, user, period: ReportingPeriod) -> bytes:
    """The round of `period` for `user` as an .xlsx: a title row with the period and its
    deadline, a note, the header and one row per round_rows(). Only the columns to fill in
    are unlocked (the sheet is protected without a password, against slips, not people);
    the status column offers the Swedish labels in a dropdown."""
    rows = round_rows(user=user, period=period)
    several_plans = len({row.assignment.goal.plan_id for row in rows}) > 1

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Reporting"))[:31]
    workbook.properties.title = _period_title(period)
    workbook.properties.creator = ""

    # In column B: column A (the keys) is hidden.
    sheet.cell(TITLE_ROW, 2, _period_title(period)).font = Font(bold=True, size=14)
    fill_headers = ", ".join(str(c.header) for c in COLUMNS if c.fill)
    note = _(
        "Fill in the columns %(columns)s. Rows without status and assessment are skipped. "
        "Do not change the other columns; upload the file on the same page."
    ) % {"columns": fill_headers}
    sheet.cell(NOTE_ROW, 2, note)

    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, index, str(column.header))
        cell.font = Font(bold=True)
        cell.fill = FILL_COLOUR if column.fill else HEADER_COLOUR
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = column.width

    for number, row in enumerate(rows, start=HEADER_ROW + 1):
        for index, value in enumerate(_row_values(row, several_plans), start=1):
            _write(sheet, number, index, value, COLUMNS[index - 1])

    last = HEADER_ROW + max(len(rows), 1)
    labels = list(status_labels())
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(labels) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Unknown status"),
        error=_("Choose one of: %(labels)s") % {"labels": ", ".join(labels)},
        promptTitle=str(COLUMNS[COLUMN_INDEX["status"] - 1].header),
        prompt=_("Choose one of: %(labels)s") % {"labels": ", ".join(labels)},
        showInputMessage=True,
    )
    letter = get_column_letter(COLUMN_INDEX["status"])
    status.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
    sheet.add_data_validation(status)

    sheet.column_dimensions["A"].hidden = True
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 2)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{last}"
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = protection.formatCells = False
    protection.autoFilter = protection.sort = False

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row_values(row: RoundRow, several_plans: bool) -> list:
    assignment, current, previous = row.assignment, row.current, row.previous
    filled = current or Assessment()
    return [
        row.key,
        _goal_label(assignment.goal, several_plans),
        assignment.number,
        assignment.title,
        row.body.name,
        previous.period.name if previous else "",
        str(previous.status_choice.label) if previous else "",
        previous.text if previous else "",
        state_label(current),
        current.review_comment if current and current.is_returned else "",
        str(current.status_choice.label) if current else "",
        filled.text,
        filled.decision_date,
        filled.decision_reference,
        filled.decision_paragraph,
    ]


def _write(sheet, row: int, column: int, value, spec: Column) -> None:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = sheet.cell(row, column, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # a text, never a formula
    if isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if spec.fill:
        cell.protection = Protection(locked=False)
        cell.fill = FILL_COLOUR


# --------------------------------------------------------------------------- upload


class UploadError(Exception):
    """The file as a whole cannot be read; `messages` says why, in Swedish."""

    def __init__(self, *messages: str):
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


@dataclass
class UploadRow:
    """A row of an uploaded sheet: what it says, what it would change, what is wrong."""

    number: int  # the row's number in the sheet, as the user sees it
    key: str = ""
    assignment_id: int | None = None
    body_id: int | None = None
    assignment_label: str = ""
    body_label: str = ""
    values: dict = field(default_factory=dict)  # ASSESSMENT_FIELDS; the date as ISO text
    assessment_id: int | None = None  # the version in review at preview time, if any
    expected_version: int | None = None
    change: str = EMPTY
    changed_fields: list[str] = field(default_factory=list)  # labels, for the preview
    errors: list[str] = field(default_factory=list)

    @property
    def change_label(self) -> str:
        if self.change == NEW:
            return _("New draft")
        if self.change == CHANGED:
            return _("Changed: %(fields)s") % {"fields": ", ".join(self.changed_fields)}
        if self.change == UNCHANGED:
            return _("Unchanged")
        return _("Empty, skipped")

    def model_values(self) -> dict:
        values = dict(self.values)
        date = values.get("decision_date")
        values["decision_date"] = datetime.date.fromisoformat(date) if date else None
        return values


@dataclass
class UploadPreview:
    """What an upload would do: the file's errors, and each row."""

    period_id: int | None
    rows: list[UploadRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def rows_with_errors(self) -> list[UploadRow]:
        return [row for row in self.rows if row.errors]

    @property
    def changes(self) -> list[UploadRow]:
        return [row for row in self.rows if row.change in (NEW, CHANGED)]

    def to_data(self) -> dict:
        """Plain data (JSON-safe) to keep between the preview and the apply."""
        return dataclasses.asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> UploadPreview:
        return cls(
            period_id=data["period_id"],
            rows=[UploadRow(**row) for row in data["rows"]],
            errors=list(data["errors"]),
        )


def read_upload(*, user, period: ReportingPeriod, file) -> UploadPreview:
    """Read an uploaded .xlsx of `period` for `user`: what each row would change and what
    is wrong with it, or what is wrong with the file. Never raises for a bad file; writes
    nothing."""
    preview = UploadPreview(period_id=period.pk)
    try:
        if not _may_report(user, period):
            raise UploadError(
                _("The period %(period)s is not open for reporting.") % {"period": period}
            )
        sheet = _sheet_rows(_read_bytes(file))
        columns, first = _columns(sheet)
        preview.rows = _check_rows(user, period, columns, sheet, first)
    except UploadError as error:
        preview.errors = error.messages
    if not preview.errors and not preview.rows:
        preview.errors = [_("The file has no rows to read.")]
    return preview


def _may_report(user, period: ReportingPeriod) -> bool:
    """As services.assessment_start(): an open period, or a closed one for the coordinator."""
    return period.is_open or (may_review(user) and period.state == PeriodState.CLOSED)


def too_large_message() -> str:
    return _("The file is too large: at most %(size)s MB.") % {
        "size": MAX_UPLOAD_BYTES // (1024 * 1024)
    }


def _not_xlsx() -> str:
    return _(
        "The file is not an Excel file (.xlsx). Download the spreadsheet on this page, fill "
        "it in and save it as .xlsx."
    )


def _read_bytes(file) -> bytes:
    """The uploaded file's bytes, refused before reading when too large or not .xlsx."""
    name = getattr(file, "name", "") or ""
    if not name.lower().endswith(".xlsx"):
        raise UploadError(_not_xlsx())
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise UploadError(too_large_message())
    try:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_UPLOAD_BYTES + 1)
    except Exception as error:  # any failure to read is the file's
        raise UploadError(_("The file could not be read.")) from error
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(too_large_message())
    if not data:
        raise UploadError(_("The file is empty."))
    return data


def _sheet_rows(data: bytes) -> list[tuple]:
    """The first sheet's rows (values), after checking the zip directory. Every failure of
    the file is an UploadError."""
    if not data.startswith(b"PK\x03\x04"):
        raise UploadError(_not_xlsx())
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except Exception as error:  # a damaged zip of any kind
        raise UploadError(_("The file is damaged and cannot be read as .xlsx.")) from error
    names = {entry.filename for entry in entries}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise UploadError(_not_xlsx())
    if len(entries) > MAX_ZIP_ENTRIES or any(entry.flag_bits & 0x1 for entry in entries):
        raise UploadError(_("The file is damaged and cannot be read as .xlsx."))
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise UploadError(_("The file unpacks to too much data to be a reporting sheet."))

    workbook = None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        if not workbook.worksheets:
            raise UploadError(_("The file has no sheet."))
        sheet = workbook.worksheets[0]
        limit = HEADER_SEARCH_ROWS + MAX_ROWS
        rows = []
        for values in sheet.iter_rows(
            min_row=1, max_row=limit + 1, max_col=MAX_COLUMNS + 1, values_only=True
        ):
            values = tuple(values)
            if len(values) > MAX_COLUMNS and not _blank(values[MAX_COLUMNS]):
                raise UploadError(
                    _("The file has too many columns: at most %(count)s.") % {"count": MAX_COLUMNS}
                )
            rows.append(values[:MAX_COLUMNS])
        if len(rows) > limit and not all(_blank(v) for v in rows[limit]):
            raise UploadError(
                _("The file has too many rows: at most %(count)s.") % {"count": MAX_ROWS}
            )
        return rows[:limit]
    except UploadError:
        raise
    except Exception as error:  # whatever openpyxl makes of a bad file
        raise UploadError(_("The file is damaged and cannot be read as .xlsx.")) from error
    finally:
        if workbook is not None:
            with contextlib.suppress(Exception):  # closing a broken file
                workbook.close()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _normal(header) -> str:
    return " ".join(str(header).split()).casefold()


def _columns(rows: list[tuple]) -> tuple[dict[str, int], int]:
    """Which column (0-based) holds what, and the index of the first row after the header.

    The header is the first of the first rows that has the key column's header."""
    known = {_normal(column.header): column.name for column in COLUMNS}
    key_header = _normal(COLUMNS[0].header)
    index = next(
        (
            index
            for index, values in enumerate(rows[:HEADER_SEARCH_ROWS])
            if any(not _blank(v) and _normal(v) == key_header for v in values)
        ),
        None,
    )
    if index is None:
        raise UploadError(
            _(
                "The header row with the column “%(column)s” was not found. Download the "
                "spreadsheet again and fill it in."
            )
            % {"column": COLUMNS[0].header}
        )
    columns: dict[str, int] = {}
    errors = []
    for position, value in enumerate(rows[index]):
        if _blank(value):
            continue
        name = known.get(_normal(value))
        letter = get_column_letter(position + 1)
        if name is None:
            errors.append(
                _("Unknown column “%(header)s” (column %(letter)s).")
                % {"header": str(value).strip()[:100], "letter": letter}
            )
        elif name in columns:
            errors.append(
                _("The column “%(header)s” appears twice (column %(letter)s).")
                % {"header": str(value).strip(), "letter": letter}
            )
        else:
            columns[name] = position
    for column in COLUMNS:
        if (column.fill or column.name == "key") and column.name not in columns:
            errors.append(_("The column “%(header)s” is missing.") % {"header": column.header})
    if errors:
        raise UploadError(*errors)
    return columns, index + 1


def _check_rows(user, period, columns: dict[str, int], rows: list[tuple], first: int):
    """Each non-empty row after the header, checked (UploadRow)."""
    own = {row.key: row for row in round_rows(user=user, period=period)}
    reviewer = may_review(user)
    own_bodies = {body.pk for body in reporting_bodies(user)}
    seen: dict[str, int] = {}
    checked = []
    for index in range(first, len(rows)):
        values = rows[index]

        def cell(name, values=values):
            position = columns.get(name)
            return values[position] if position is not None and position < len(values) else None

        if all(_blank(v) for v in values):
            continue
        row = UploadRow(number=index + 1)
        checked.append(row)
        row.key = _text(cell("key"))[:100]
        _read_values(row, cell)
        filled = bool(row.values.get("status") or row.values.get("text"))
        round_row = _find(row, own, own_bodies, reviewer, period, seen, filled)
        if round_row is None:
            continue
        row.change = _change(row, round_row, user) if filled else EMPTY
        if filled and not row.errors:
            _validate(row, round_row)
    return checked


def _find(row, own, own_bodies, reviewer, period, seen, filled) -> RoundRow | None:
    """The round's row that `row` names by its key; an error on `row` when none."""
    if not row.key:
        if filled or any(row.values.get(name) for name in ASSESSMENT_FIELDS):
            row.errors.append(_("The row has no key: it did not come from the downloaded file."))
        else:
            row.change = EMPTY
        return None
    match = KEY_PATTERN.match(row.key)
    if match is None:
        row.errors.append(
            _("Unknown key “%(key)s”: the row did not come from the downloaded file.")
            % {"key": row.key}
        )
        return None
    period_id, _assignment_id, body_id = (int(group) for group in match.groups())
    if period_id != period.pk:
        row.errors.append(
            _("The row belongs to another reporting period. Download the spreadsheet again.")
        )
        return None
    if not reviewer and body_id not in own_bodies:
        row.errors.append(
            _("The row belongs to a committee or company that you do not report for.")
        )
        return None
    round_row = own.get(row.key)
    if round_row is None:
        row.errors.append(_("Unknown assignment: the row is not part of this reporting round."))
        return None
    if row.key in seen:
        row.errors.append(
            _("The same assignment and committee or company as row %(row)s.")
            % {"row": seen[row.key]}
        )
        return None
    seen[row.key] = row.number
    row.assignment_id, row.body_id = round_row.assignment.pk, round_row.body.pk
    row.assignment_label = f"{round_row.assignment.goal.number}.{round_row.assignment}"
    row.body_label = round_row.body.name
    return round_row


def _text(value) -> str:
    """A cell as text: numbers without a needless ".0", dates as ÅÅÅÅ-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        value = value.isoformat()
    return normalize_newlines(str(value)).replace("\x00", "").strip()


def _read_values(row: UploadRow, cell) -> None:
    """The fields to fill in, read from the row's cells into row.values; errors on row."""
    labels = {label.casefold(): value for label, value in status_labels().items()}
    status_text = _text(cell("status"))
    status = ""
    if status_text:
        status = labels.get(status_text.casefold()) or (
            status_text if status_text in AssessmentStatus.values else ""
        )
        if not status:
            row.errors.append(
                _("Unknown status “%(status)s”. Choose one of: %(labels)s.")
                % {"status": status_text[:100], "labels": ", ".join(status_labels())}
            )
    row.values = {
        "status": status,
        "text": _text(cell("text")),
        "decision_date": None,
        "decision_reference": _text(cell("decision_reference")),
        "decision_paragraph": _text(cell("decision_paragraph")),
    }
    raw_date = cell("decision_date")
    if not _blank(raw_date):
        date = _date(raw_date)
        if date is None:
            row.errors.append(
                _("The decision date “%(value)s” is not a date: write it as YYYY-MM-DD.")
                % {"value": _text(raw_date)[:40]}
            )
        else:
            row.values["decision_date"] = date.isoformat()


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value if MIN_DATE <= value <= MAX_DATE else None
    if isinstance(value, str):
        try:
            date = datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
        return date if MIN_DATE <= date <= MAX_DATE else None
    return None


def _label(name: str) -> str:
    """The header of a column, as the user knows the field from the sheet."""
    return str(COLUMNS[COLUMN_INDEX[name] - 1].header)


def _comparable(value):
    """A value as the sheet gives it back: a text without its outer white space."""
    return normalize_newlines(value).strip() if isinstance(value, str) else value


def _change(row: UploadRow, round_row: RoundRow, user) -> str:
    """NEW, CHANGED or UNCHANGED against the round's version; an error when the version
    cannot be changed (submitted, approved, published, or not the user's to write)."""
    current = round_row.current
    if current is None:
        return NEW
    values = row.model_values()
    row.changed_fields = [
        _label(name)
        for name in ASSESSMENT_FIELDS
        if _comparable(values[name]) != _comparable(getattr(current, name))
    ]
    if not row.changed_fields:
        return UNCHANGED
    if current.state == ReviewState.SUBMITTED:
        row.errors.append(
            _(
                "The assessment has been submitted and cannot be changed. Ask the coordinator "
                "to return it if it needs to change."
            )
        )
    elif current.state == ReviewState.APPROVED:
        row.errors.append(
            _(
                "The assessment has been approved and cannot be changed. Ask the coordinator "
                "to return it if it needs to change."
            )
        )
    elif current.state == ReviewState.PUBLISHED:
        row.errors.append(
            _("The assessment has been published and cannot be changed; correct it in the admin.")
        )
    elif not services.may_write(user, current):
        row.errors.append(_("You cannot change this assessment now."))
    row.assessment_id, row.expected_version = current.pk, current.version
    return CHANGED


def _validate(row: UploadRow, round_row: RoundRow) -> None:
    """The model's own checks of the fields, as the admin's form would make them."""
    values = row.model_values()
    if not values["status"]:
        row.errors.append(_("Choose a status."))
    if not values["text"]:
        row.errors.append(_("Write the assessment: what has been done, and for yellow or red why."))
    limit = Assessment._meta.get_field("text").max_length
    if len(values["text"]) > limit:
        row.errors.append(
            _("The assessment is too long: at most %(limit)s characters (it has %(count)s).")
            % {"limit": limit, "count": len(values["text"])}
        )
    candidate = Assessment(
        assignment=round_row.assignment, period=round_row.period, body=round_row.body, **values
    )
    exclude = [f.name for f in Assessment._meta.fields if f.name not in ASSESSMENT_FIELDS]
    exclude += [name for name in ("status", "text") if not values[name]]
    try:
        candidate.clean_fields(exclude=exclude)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            row.errors += [f"{_label(name)}: {message}" for message in messages]


# --------------------------------------------------------------------------- apply


def apply_upload(*, user, preview: UploadPreview) -> dict[str, int]:
    """Write a valid preview: each new or changed row as a draft, in one transaction,
    through reporting/services.py. Returns how many were created, updated, unchanged and
    skipped (empty). Any refusal (a stale version, a period no longer open) raises
    ReportingError and writes nothing."""
    if not preview.is_valid:
        raise ReportingError(_("The file has errors; nothing has been saved."))
    period = ReportingPeriod.objects.get(pk=preview.period_id)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    try:
        with transaction.atomic():
            for row in preview.rows:
                if row.change == EMPTY:
                    counts["skipped"] += 1
                elif row.change == UNCHANGED:
                    counts["unchanged"] += 1
                else:
                    counts[_apply_row(user, period, row)] += 1
    except IntegrityError as error:
        raise ReportingError(_stale_message(None)) from error
    return counts


def _stale_message(row: UploadRow | None) -> str:
    message = _(
        "Someone else changed an assessment after you uploaded the file. Nothing has been "
        "saved: upload the file again to see the changes."
    )
    if row is None:
        return message
    return _("Row %(row)s: %(error)s") % {"row": row.number, "error": message}


class _Taken(Exception):
    """A version of the row's assessment appeared after the preview."""


def _apply_row(user, period: ReportingPeriod, row: UploadRow) -> str:
    """Write one row; any refusal is a ReportingError that names the row."""
    try:
        return _write_row(user, period, row)
    except (StaleVersionError, _Taken, Assessment.DoesNotExist):
        message = _stale_message(None)
    except (Assignment.DoesNotExist, ResponsibleBody.DoesNotExist):
        message = _("Unknown assignment: the row is not part of this reporting round.")
    except ValidationError as error:
        message = " ".join(error.messages)
    except ReportingError as error:
        message = str(error)
    raise ReportingError(_("Row %(row)s: %(error)s") % {"row": row.number, "error": message})


def _write_row(user, period: ReportingPeriod, row: UploadRow) -> str:
    values = row.model_values()
    assignment = Assignment.objects.get(pk=row.assignment_id)
    body = ResponsibleBody.objects.get(pk=row.body_id)
    if row.assessment_id is not None:
        stored = Assessment.objects.get(
            pk=row.assessment_id, assignment=assignment, period=period, body=body
        )
        services.assessment_save(
            assessment=stored, user=user, expected_version=row.expected_version, **values
        )
        return "updated"
    # There was no version at preview time: one made since is someone else's work.
    taken = Assessment.objects.filter(
        assignment=assignment,
        period=period,
        body=body,
        state__in=[*ReviewState.in_review(), ReviewState.PUBLISHED],
    )
    if taken.exists():
        raise _Taken
    draft = services.assessment_start(assignment=assignment, period=period, body=body, user=user)
    if draft.pk is None:  # a first assessment: nothing to start from
        for name, value in values.items():
            setattr(draft, name, value)
        services.assessment_create(assessment=draft, user=user)
    else:  # started from the previous period's version, saved as a draft
        services.assessment_save(
            assessment=draft, user=user, expected_version=draft.version, **values
        )
    return "created"
