"""The CSV file of the open data: opendata.tabular's rows (one per assignment and period)
as RFC 4180 text.

- UTF-8 *without* a byte order mark. The CSV file is the machine-readable distribution
  (what dataportal.se lists, what scripts read); a BOM would become part of the first
  column's name for every reader that does not expect one (Python's csv with "utf-8",
  R, many command-line tools). People who want a spreadsheet have the Excel export of every
  goal, body and plan; Excel opens this file correctly through Data > From Text/CSV
  (UTF-8), as the open-data page says.
- RFC 4180: fields separated by commas, records ended by CRLF, a field holding a comma, a
  quote or a line break enclosed in double quotes, quotes inside doubled. A text's own
  line breaks (between paragraphs) stay inside its quoted field as LF.
- A header row of the columns' keys (COLUMNS: "plan", "goal_number", ...), the machine
  names the open-data page documents with their labels and meanings.
- Formula injection (CSV injection, OWASP): a text cell that starts with =, +, -, @, a tab
  or a carriage return is written with a single quote (') in front, so that no spreadsheet
  program runs it as a formula. Numbers are written as they are. A reader that wants the
  text exactly drops that one leading quote from such a cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from opendata.tabular import COLUMNS

CONTENT_TYPE = "text/csv; charset=utf-8; header=present"
# What a spreadsheet program takes for the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A cell as written: a text that would start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[dict]) -> str:
    """The CSV text of `rows` (opendata.tabular.assessment_rows()), with its header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([column.key for column in COLUMNS])
    for row in rows:
        writer.writerow([safe_cell(row[column.key]) for column in COLUMNS])
    return buffer.getvalue()
