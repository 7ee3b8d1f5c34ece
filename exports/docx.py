"""A page as a Word document (.docx) that a communicator edits further.

    docx_bytes = render_docx(content)   # content: exports.content.ExportContent

Word's own structure, so that the document takes the organisation's template and its
table of contents: the title, headings (Rubrik 1, 2, 3) and paragraphs in the page's
order. For each goal a status table (number, assignment, responsible, status) whose status
column says the status in words, its cell also shaded in the status's colour (never the
colour alone); then each assignment as the page lists it, under a heading of its own: its
status, who is responsible, the assessment's text and its permanent address. The footer
holds the date the data speaks for, the page's permanent address and the page number. The
core properties give the title, the organisation as author and the language (sv-SE),
which is also every style's language, so that Word checks the spelling in Swedish.

Made with python-docx from its own template: no macros (the package is a .docx, never a
.docm), nothing fetched, nothing that runs.
"""

from __future__ import annotations

import io
import re

from django.template.defaultfilters import date as date_filter
from django.utils.translation import gettext
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from assignments.models import AssessmentStatus
from exports.content import BODY, GOAL, PLAN, ExportContent, GoalItem

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE = "sv-SE"
# Light shades of the traffic lights behind the status's text (the text says it).
SHADES = {"green": "D9EAD3", "yellow": "FFF2CC", "red": "F4CCCC"}
LINK_COLOUR = RGBColor(0x0B, 0x4F, 0x8A)


def render_docx(content: ExportContent) -> bytes:
    document = Document()
    _set_up(document, content)
    _front(document, content)
    if content.kind == GOAL:
        _goal(document, content.goals[0], level=1)
    else:
        _legend(document, level=1)
        for goal in content.goals:
            if content.kind == PLAN:
                document.add_page_break()
            document.add_heading(goal.heading, level=1)
            _goal(document, goal, level=2)
        if not content.goals:
            document.add_paragraph(
                gettext("This body answers for no published assignment.")
                if content.kind == BODY
                else gettext("The plan has no published goals.")
            )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- the parts


def _set_up(document, content: ExportContent) -> None:
    properties = document.core_properties
    properties.title = content.title
    properties.subject = content.as_of_text
    properties.author = content.organisation or ""
    properties.last_modified_by = ""
    properties.language = LANGUAGE
    properties.identifier = content.url
    properties.keywords = ""
    properties.revision = 1
    _set_language(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    _footer(section, content)


def _set_language(document) -> None:
    """Swedish as the language of every run by default (the styles' rPrDefault)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        language.set(qn(attribute), LANGUAGE)


def _footer(section, content: ExportContent) -> None:
    footer = section.footer
    first = footer.paragraphs[0]
    first.text = content.as_of_text
    _small(first)
    _hyperlink(footer.add_paragraph(), content.url, content.url, size=Pt(8))
    page = footer.add_paragraph()
    page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    words = gettext("Page %(page)s of %(pages)s")
    for part in re.split(r"(%\(page\)s|%\(pages\)s)", words):
        if part == "%(page)s":
            _field(page, "PAGE")
        elif part == "%(pages)s":
            _field(page, "NUMPAGES")
        elif part:
            page.add_run(part.replace("%%", "%"))
    _small(page)


def _front(document, content: ExportContent) -> None:
    if content.organisation:
        document.add_paragraph(content.organisation).runs[0].bold = True
    document.add_heading(content.title, level=0)
    if content.kind == GOAL and content.goals[0].tagline:
        document.add_paragraph(content.goals[0].tagline).runs[0].italic = True
    document.add_paragraph(content.subtitle)
    document.add_paragraph(content.as_of_text).runs[0].bold = True
    address = document.add_paragraph(gettext("The page's permanent address:") + " ")
    _hyperlink(address, content.url, content.url)


def _legend(document, *, level: int) -> None:
    document.add_heading(gettext("What the statuses mean"), level=level)
    for status in AssessmentStatus:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(str(status.label)).bold = True
        paragraph.add_run(f" ({str(status.colour_label).lower()}) – {status.meaning}")


def _goal(document, goal: GoalItem, *, level: int) -> None:
    """A goal's sections under headings of `level`, its assignments' table among them."""
    if goal.sections:
        if goal.tagline and level > 1:
            document.add_paragraph(goal.tagline).runs[0].italic = True
        _prose(document, goal.description)
        for focus in goal.focus_areas:
            document.add_heading(
                gettext("In focus %(start)s–%(end)s – %(title)s")
                % {"start": focus["start_year"], "end": focus["end_year"], "title": focus["title"]},
                level=level,
            )
            _prose(document, focus["text"])
        document.add_heading(
            gettext("Follow-up of goal %(number)s") % {"number": goal.number}, level=level
        )
        assessment = goal.assessment
        if assessment:
            paragraph = document.add_paragraph()
            label = gettext("Assessment (as of %(period)s):") % {
                "period": date_filter(assessment.as_of, "F Y")
            }
            paragraph.add_run(label + " ").bold = True
            paragraph.add_run(assessment.fulfilment_label)
            _prose(document, assessment.text)
        else:
            document.add_paragraph(gettext("The goal has not been assessed yet."))
        for link in goal.links:
            paragraph = document.add_paragraph(style="List Bullet")
            _hyperlink(paragraph, link["title"], link["url"])
        if assessment and assessment.assignments_summary:
            document.add_heading(gettext("Follow-up of the assignments"), level=level)
            _prose(document, assessment.assignments_summary)
        document.add_heading(gettext("Assignments and follow-up"), level=level)
        if level == 1:
            _legend(document, level=2)
    _table(document, goal)
    _assignments(document, goal, level=level + 1 if goal.sections else level)
    if goal.sections and goal.actions:
        document.add_heading(gettext("To reach the goal we have, among other things"), level=level)
        for action in goal.actions:
            paragraph = document.add_paragraph(style="List Bullet")
            if action["url"]:
                _hyperlink(paragraph, action["title"], action["url"])
            else:
                paragraph.add_run(action["title"])
            for text in _paragraphs(action["text"]):
                document.add_paragraph(text, style="List Continue")


def _table(document, goal: GoalItem) -> None:
    """The status table: a header row repeated on every page, one row per assignment with
    its number, title, who is responsible and its status in words (the cell shaded in the
    status's colour too)."""
    if not goal.assignments:
        document.add_paragraph(gettext("No assignments."))
        return
    headings = [gettext("No."), gettext("Assignment"), gettext("Responsible"), gettext("Status")]
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.autofit = False
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, text in zip(header.cells, headings, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for item in goal.assignments:
        cells = table.add_row().cells
        cells[0].text = str(item.number)
        title = cells[1].paragraphs[0]
        if item.added_year:
            title.add_run(_added(item) + " ").italic = True
        title.add_run(item.title)
        cells[2].text = item.responsible
        cells[3].text = item.status_label
        if item.status:
            cells[3].paragraphs[0].runs[0].bold = True
            _shade(cells[3], SHADES[item.status.colour])
            as_of = date_filter(item.as_of, "F Y")
            cells[3].add_paragraph(gettext("as of %(period)s") % {"period": as_of})
    widths = (Cm(1.1), Cm(8.4), Cm(4.1), Cm(3.0))  # the A4 page's 16.6 cm between margins
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _assignments(document, goal: GoalItem, *, level: int) -> None:
    """Each assignment as the page lists it: its heading, status, who is responsible, the
    assessment's text and its permanent address."""
    for item in goal.assignments:
        heading = document.add_heading(f"{item.number}. ", level=level)
        if item.added_year:
            heading.add_run(_added(item) + " ")
        heading.add_run(item.title)
        status = document.add_paragraph()
        status.add_run(gettext("Status:") + " ").bold = True
        status.add_run(item.status_label)
        if item.status:
            as_of = date_filter(item.as_of, "F Y")
            status.add_run(" (" + gettext("as of %(period)s") % {"period": as_of} + ")")
        responsible = document.add_paragraph()
        responsible.add_run(gettext("Responsible:") + " ").bold = True
        responsible.add_run(item.responsible)
        if item.status:
            _prose(document, item.text)
        else:
            document.add_paragraph(gettext("No assessment has been published yet."))
        _hyperlink(document.add_paragraph(), item.url, item.url, size=Pt(8))


def _added(item) -> str:
    return gettext("Additional assignment %(year)s:") % {"year": item.added_year}


# --------------------------------------------------------------------------- pieces


def _paragraphs(text: str) -> list[str]:
    """A prose field's paragraphs (blank lines between them), each with its line breaks
    as spaces."""
    return [" ".join(part.split("\n")).strip() for part in text.split("\n\n") if part.strip()]


def _prose(document, text: str) -> None:
    for paragraph in _paragraphs(text):
        document.add_paragraph(paragraph)


def _small(paragraph, size=None) -> None:
    size = size or Pt(8)
    for run in paragraph.runs:
        run.font.size = size


def _shade(cell, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _field(paragraph, instruction: str, *, half_points: int = 16) -> None:
    """A field Word fills in (PAGE, NUMPAGES), in the footer's size."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(half_points))
    properties.append(size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _hyperlink(paragraph, text: str, url: str, *, size=None) -> None:
    """A link to `url` (an http(s) address: the models accept no other) reading `text`."""
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = paragraph.add_run(text)
    run.font.underline = True
    run.font.color.rgb = LINK_COLOUR
    if size is not None:
        run.font.size = size
    link.append(run._r)
    paragraph._p.append(link)
