"""The exports (exports/): a goal, a body and a whole plan as PDF, Word and Excel, as of
any published period, each opened with its own reader (pypdf, python-docx, openpyxl)."""

import datetime
import io
import re
import sys
import zipfile
from urllib.parse import quote

import openpyxl
import pypdf
import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from docx import Document

from assignments.models import AssessmentStatus
from exports import content as export_content
from exports import pdf
from goals.models import PeriodState, goal_assessment_as_of
from opendata.tabular import COLUMNS, assessment_rows
from tests import factories as f

pytestmark = pytest.mark.urls("tests.urls_exports")

FORMATS = ("pdf", "docx", "xlsx")
APRIL, AUGUST = datetime.date(2022, 4, 30), datetime.date(2022, 8, 31)


# --------------------------------------------------------------------------- readers


def squeeze(text: str) -> str:
    """Text without any whitespace: a PDF's lines break anywhere, URLs included."""
    return "".join(text.split())


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def xlsx_rows(data: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def text_of(data: bytes, extension: str) -> str:
    """Everything a reader of the file sees, as one text."""
    if extension == "pdf":
        return pdf_text(data)
    if extension == "docx":
        return docx_text(data)
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def contains(data: bytes, extension: str, *texts: str) -> list[str]:
    """Which of `texts` the file does NOT contain (whitespace aside)."""
    found = squeeze(text_of(data, extension))
    return [text for text in texts if squeeze(text) not in found]


# --------------------------------------------------------------------------- addresses


def goal_url(goal, extension: str, **query) -> str:
    url = reverse(
        "exports:goal",
        kwargs={"plan": goal.plan.slug, "number": goal.number, "extension": extension},
    )
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def plan_url(plan, extension: str) -> str:
    return reverse("exports:plan", kwargs={"plan": plan.slug, "extension": extension})


def body_url(body, extension: str) -> str:
    return reverse("exports:body", kwargs={"body": body.slug, "extension": extension})


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content


# --------------------------------------------------------------------------- the seed goal


def seed_page_texts(portal, extension: str) -> list[str]:
    """What the seed goal's page shows, as the exports must show it too; the spreadsheet
    is the table of the assignments only."""
    goal = portal.goal
    sections = [
        goal.tagline,
        "Jobb och företagande",  # the focus area
        "Inriktningsmålet bedöms bli i hög grad uppfyllt i slutet av 2022.",
        "De fem uppdragen inom inriktningsmålet pågår enligt plan.",
        "Läs en fördjupning av inriktningsmålets resultat",  # a link
    ]
    return [
        *(sections if extension != "xlsx" else []),
        goal.title,
        "Genomföra arbetet med Bostad först.",
        "Socialnämnden beslutade i juni 2021",
        "Arbetet är ännu ej påbörjat men planeras",
        "Uppsalahem AB",
        str(AssessmentStatus.ON_TRACK.label),
        str(AssessmentStatus.DELAYED.label),
    ]


@pytest.mark.parametrize("extension", FORMATS)
def test_it_exports_what_the_seed_goal_page_shows(client, seed, extension):
    portal = f.seed_portal()
    data = download(client, goal_url(portal.goal, extension))
    assert contains(data, extension, *seed_page_texts(portal, extension)) == []


@pytest.mark.parametrize("extension", ["pdf", "docx"])
def test_it_prints_the_as_of_date_and_the_permanent_address(client, seed, extension):
    portal = f.seed_portal()
    data = download(client, goal_url(portal.goal, extension))
    as_of = gettext("Assessment as of %(date)s") % {"date": "31 augusti 2022"}
    address = settings.PORTAL_URL + portal.goal.get_absolute_url()
    assignment = settings.PORTAL_URL + portal.assignment.get_absolute_url()
    assert contains(data, extension, as_of, address, "alla nämnder", "Tillkommande uppdrag") == []
    if extension == "pdf":  # on every page: the running footer
        reader = pypdf.PdfReader(io.BytesIO(data))
        assert len(reader.pages) > 1
        for number, page in enumerate(reader.pages, start=1):
            text = squeeze(page.extract_text())
            assert squeeze(as_of) in text and squeeze(address) in text
            words = gettext("Page %(page)s of %(pages)s")
            assert squeeze(words % {"page": number, "pages": len(reader.pages)}) in text
        assert squeeze(assignment) in squeeze(pdf_text(data))


def test_it_writes_excel_with_frozen_header_filters_and_labelled_status_colours(client, seed):
    portal = f.seed_portal()
    data = download(client, goal_url(portal.goal, "xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == [str(column.label) for column in COLUMNS]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:M{sheet.max_row}"
    assert sheet.column_dimensions["L"].width >= 60  # the assessment's text
    keys = [column.key for column in COLUMNS]
    rows = [
        dict(zip(keys, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert rows == assessment_rows([portal.goal], base_url=settings.PORTAL_URL)
    label_column = keys.index("status_label") + 1
    for line in sheet.iter_rows(min_row=2):
        cell = line[label_column - 1]
        colour = line[keys.index("colour")].value
        assert cell.value == str(AssessmentStatus(line[keys.index("status")].value).label)
        expected = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}[colour]
        assert cell.fill.fgColor.rgb.endswith(expected)
    assert portal.goal.title in book.properties.title
    about = "\n".join(
        str(v) for row in book.worksheets[1].iter_rows(values_only=True) for v in row if v
    )
    assert settings.PORTAL_URL + portal.goal.get_absolute_url() in about
    assert all(str(column.description) in about for column in COLUMNS)


def test_it_writes_word_with_headings_a_status_table_and_swedish_properties(client, seed):
    portal = f.seed_portal()
    document = Document(io.BytesIO(download(client, goal_url(portal.goal, "docx"))))
    assert portal.goal.title in document.core_properties.title
    assert document.core_properties.language == "sv-SE"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert gettext("Follow-up of goal %(number)s") % {"number": 5} in headings
    assert gettext("Assignments and follow-up") in headings
    table = document.tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    assert header[3] == gettext("Status")
    statuses = [row.cells[3].text for row in table.rows[1:]]
    assert len(statuses) == 5
    assert all(str(AssessmentStatus.ON_TRACK.label) in s for s in statuses[:4])
    assert str(AssessmentStatus.DELAYED.label) in statuses[4]  # the words, not only a shade


def test_it_makes_a_tagged_accessible_pdf_with_its_fonts_embedded(client, seed):
    portal = f.seed_portal()
    reader = pypdf.PdfReader(io.BytesIO(download(client, goal_url(portal.goal, "pdf"))))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert root["/Lang"] == "sv"
    assert portal.goal.title in reader.metadata.title
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    fonts, names = [], set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]).split("+")[-1])
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                fonts.append(
                    any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                )
    assert fonts and all(fonts)
    assert names <= {"DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Oblique"}, names
    text = pdf_text(download(client, goal_url(portal.goal, "pdf")))
    assert "Uppsalas invånare" in text and "bland andra universiteten" in text
    assert "Mål och budget 2022–2024" in text


def test_it_shows_html_in_a_text_as_text(client, db):
    goal = f.make_goal(title='<b>Fet</b> & "citat" <script>alert(1)</script>')
    assignment = f.make_assignment(goal, title="<img src=x onerror=alert(1)>")
    f.make_assessment(assignment, f.make_period(), text='=HYPERLINK("http://x","klicka")')
    for extension in FORMATS:
        data = download(client, goal_url(goal, extension))
        assert contains(data, extension, goal.title, assignment.title) == [], extension
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, goal_url(goal, "xlsx")))).active
    cell = sheet.cell(row=2, column=12)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"  # text, no formula
    with zipfile.ZipFile(io.BytesIO(download(client, goal_url(goal, "xlsx")))) as package:
        assert "<f>" not in package.read("xl/worksheets/sheet1.xml").decode()


# --------------------------------------------------------------------------- a generated plan


@pytest.fixture
def portal(db):
    return f.build_portal(goals=3, assignments=4, periods=3)


def test_it_exports_the_whole_generated_plan_with_every_published_goal(client, portal):
    goals = list(portal.plan.goals.published().order_by("number"))
    assert len(goals) == 3
    titles = [goal.title for goal in goals]
    assignments = [a.title for a in portal.goal.assignments.order_by("number")]
    for extension in FORMATS:
        data = download(client, plan_url(portal.plan, extension))
        assert contains(data, extension, portal.plan.name, *titles, *assignments) == [], extension


def test_it_exports_a_bodys_assignments(client, portal):
    data = {e: download(client, body_url(portal.body, e)) for e in FORMATS}
    mine = ["Utreda en övergång till fossilfria arbetsmaskiner", "Samtliga nämnder ska minska"]
    not_mine = "Kartlägga behovet av trygghetsboenden på landsbygden."  # a company's
    for extension, content in data.items():
        assert contains(content, extension, portal.body.name, *mine) == [], extension
        assert squeeze(not_mine) not in squeeze(text_of(content, extension)), extension


def test_it_never_exports_a_draft_or_anything_unpublished(client, portal):
    urls = [plan_url(portal.plan, e) for e in FORMATS]
    urls += [goal_url(portal.goal, e) for e in FORMATS]
    urls += [body_url(portal.body, e) for e in FORMATS]
    for url in urls:
        text = squeeze(text_of(download(client, url), url.rsplit(".", 1)[1]))
        shown = [hidden for hidden in portal.hidden_texts if squeeze(hidden) in text]
        assert shown == [], url


def test_it_answers_404_for_what_is_not_public(client, portal):
    hidden_goal = portal.plan.goals.get(is_published=False)
    hidden_plan = f.make_plan(is_published=False)
    f.make_goal(hidden_plan)
    for url in [
        goal_url(hidden_goal, "pdf"),
        plan_url(hidden_plan, "docx"),
        goal_url(hidden_plan.goals.get(), "xlsx"),
        "/export/plan/finns-inte.pdf",
        "/export/ansvariga/finns-inte.xlsx",
        f"/export/plan/{portal.plan.slug}/mal/99.pdf",
        f"/export/plan/{portal.plan.slug}/mal/99999999999999999999.pdf",
        f"/export/plan/{portal.plan.slug}.doc",
        f"/export/plan/{portal.plan.slug}.exe",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert gettext("The page could not be found") in response.content.decode()


@pytest.mark.parametrize(
    "per", ["finns-inte", "2022-08%00", "x" * 300, "<script>", "%FF%FE", "2022-08' OR '1'='1"]
)
def test_it_answers_a_swedish_404_for_junk_periods(client, portal, per):
    response = client.get(goal_url(portal.goal, "xlsx") + f"?per={per}")
    assert response.status_code == 404
    assert gettext("The page could not be found") in response.content.decode()


def test_it_answers_404_for_a_period_not_yet_published(client, portal):
    period = f.make_period(code="oppen", state=PeriodState.OPEN)
    assert client.get(goal_url(portal.goal, "docx", per=period.code)).status_code == 404


def test_it_refuses_other_methods_and_sets_no_cookie(client, portal):
    url = goal_url(portal.goal, "xlsx")
    response = client.post(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    response = client.get(url)
    assert not response.cookies
    assert "private" not in response.get("Cache-Control", "")
    assert client.head(url).status_code == 200


def test_it_names_the_download_in_swedish_with_an_ascii_fallback(client, seed):
    portal = f.seed_portal()
    response = client.get(goal_url(portal.goal, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    ascii_name = re.search(r'filename="([^"]+)"', disposition)[1]
    name = gettext("Goal %(number)s %(title)s") % {"number": 5, "title": portal.goal.title}
    assert name.endswith("5 Uppsalas invånare ska ha bostad och arbete")
    stem = slugify(name)
    assert ascii_name == f"{stem}.pdf" and ascii_name.isascii()
    assert stem.endswith("-5-uppsalas-invanare-ska-ha-bostad-och-arbete")
    assert f"filename*=UTF-8''{quote(name + '.pdf', safe='')}" in disposition
    assert "%20inv%C3%A5nare%20" in disposition
    earlier = client.get(goal_url(portal.goal, "xlsx", per="2022-08"))
    assert f'filename="{stem}-2022-08-31.xlsx"' in earlier["Content-Disposition"]


# --------------------------------------------------------------------------- as of a period


@pytest.fixture
def two_periods(db):
    """A goal assessed in April and August 2022, each time differently."""
    april = f.make_period(code="2022-04", name="April 2022", date=APRIL)
    august = f.make_period(code="2022-08", name="Augusti 2022", date=AUGUST)
    goal = f.make_goal(title="Alla ska ha ett arbete")
    changed = f.make_assignment(goal, bodies=[f.make_body(name="Arbetsmarknadsnämnden")])
    f.make_assessment(
        changed, april, status=AssessmentStatus.DELAYED, text="Aprils text om förseningen."
    )
    f.make_assessment(
        changed, august, status=AssessmentStatus.COMPLETED, text="Augustis text: klart."
    )
    later = f.make_assignment(goal)  # first assessed in August
    f.make_assessment(later, august, text="Nytt i augusti.")
    f.make_goal_assessment(goal, april, text="Målets bedömning i april.")
    f.make_goal_assessment(goal, august, text="Målets bedömning i augusti.")
    return goal


@pytest.mark.parametrize("extension", FORMATS)
def test_it_exports_an_earlier_period_as_it_was_then(client, two_periods, extension):
    goal = two_periods
    now = download(client, goal_url(goal, extension))
    then = download(client, goal_url(goal, extension, per="2022-04"))
    assert contains(now, extension, "Augustis text: klart.", "Nytt i augusti.") == []
    assert contains(then, extension, "Aprils text om förseningen.") == []
    if extension != "xlsx":  # the table holds every period up to the export's
        assert contains(now, extension, "Aprils text om förseningen.") != []
        assert contains(now, extension, "Målets bedömning i augusti.") == []
        assert contains(then, extension, "Målets bedömning i april.") == []
        assert contains(then, extension, "Målets bedömning i augusti.") != []
        assert contains(then, extension, str(AssessmentStatus.DELAYED.label)) == []
        assert contains(then, extension, "30 april 2022") == []
    assert contains(then, extension, "Augustis text: klart.") != []
    assert contains(then, extension, "Nytt i augusti.") != []
    assert now != then


def test_it_gives_the_excel_rows_up_to_the_period(client, two_periods):
    rows = xlsx_rows(download(client, goal_url(two_periods, "xlsx", per="2022-04")))[1:]
    keys = [column.key for column in COLUMNS]
    periods = [(row[keys.index("assignment_number")], row[keys.index("as_of")]) for row in rows]
    assert periods == [(1, "2022-04-30"), (2, None)]  # the second not yet assessed then
    rows = xlsx_rows(download(client, goal_url(two_periods, "xlsx")))[1:]
    assert len(rows) == 3


def test_it_builds_the_content_as_of_the_period(two_periods):
    april = two_periods.assessments.get(period__code="2022-04").period
    content = export_content.goal_content(two_periods, as_of=april)
    assert content.as_of == APRIL
    assert content.as_of_text == gettext("Assessment as of %(date)s") % {"date": "30 april 2022"}
    first, second = content.goals[0].assignments
    assert (first.status, first.text, first.as_of) == (
        AssessmentStatus.DELAYED,
        "Aprils text om förseningen.",
        APRIL,
    )
    assert (second.status, second.text, second.as_of) == (None, "", None)
    assert content.goals[0].assessment.text == "Målets bedömning i april."
    now = export_content.goal_content(two_periods, as_of=None)
    assert now.as_of == AUGUST
    assert now.url == settings.PORTAL_URL + two_periods.get_absolute_url()


# --------------------------------------------------------------------------- nothing runs


def pdf_objects(reader: pypdf.PdfReader):
    """Every dictionary reachable from the PDF's trailer."""
    seen, stack = set(), [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, pypdf.generic.IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, pypdf.generic.DictionaryObject):
            yield item
            stack.extend(v for k, v in item.items() if k != "/Parent")
        elif isinstance(item, pypdf.generic.ArrayObject):
            stack.extend(item)


def test_it_puts_no_script_in_any_export(client, portal):
    data = {e: download(client, plan_url(portal.plan, e)) for e in FORMATS}
    reader = pypdf.PdfReader(io.BytesIO(data["pdf"]))
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root and "/AA" not in root
    assert "/JavaScript" not in root.get("/Names", {})
    for dictionary in pdf_objects(reader):
        assert "/JS" not in dictionary and "/AA" not in dictionary
        assert dictionary.get("/S") not in ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData")
    assert b"/JavaScript" not in data["pdf"] and b"/JS " not in data["pdf"]
    for extension in ("docx", "xlsx"):
        with zipfile.ZipFile(io.BytesIO(data[extension])) as package:
            names = package.namelist()
            types = package.read("[Content_Types].xml").decode()
        assert not [n for n in names if "vba" in n.lower() or n.endswith((".bin", ".js"))]
        assert "macroEnabled" not in types and "vbaProject" not in types
        main = {
            "docx": "wordprocessingml.document.main+xml",
            "xlsx": "spreadsheetml.sheet.main+xml",
        }
        assert main[extension] in types


# --------------------------------------------------------------------------- PDF unavailable


def test_it_says_in_swedish_when_the_pdf_cannot_be_made_and_the_rest_works(
    client, seed, monkeypatch
):
    portal = f.seed_portal()
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint: ImportError
    assert not pdf.is_available()
    response = client.get(goal_url(portal.goal, "pdf"))
    assert response.status_code == 503
    html = response.content.decode()
    assert gettext("A PDF cannot be made on this server right now.") in html or (
        gettext(
            "A PDF cannot be made on this server right now. The same content is available as "
            "Word and Excel files, and the page itself can be printed."
        )
        in html
    )
    assert goal_url(portal.goal, "docx") in html and goal_url(portal.goal, "xlsx") in html
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/html")
    for extension in ("docx", "xlsx"):
        assert client.get(goal_url(portal.goal, extension)).status_code == 200
    assert client.get(portal.goal.get_absolute_url()).status_code == 200


def test_it_loads_weasyprint_when_it_can(db):
    assert pdf.is_available()


# --------------------------------------------------------------------------- query counts


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def counts(client, portal) -> dict[str, int]:
    found = {}
    period = portal.goal.assessments.published().order_by("period__date").first().period
    for extension in FORMATS:
        found[f"goal {extension}"] = count_queries(client, goal_url(portal.goal, extension))
        found[f"plan {extension}"] = count_queries(client, plan_url(portal.plan, extension))
        found[f"body {extension}"] = count_queries(client, body_url(portal.body, extension))
    found["goal xlsx per"] = count_queries(client, goal_url(portal.goal, "xlsx", per=period.code))
    return found


@pytest.mark.django_db
def test_it_runs_a_fixed_number_of_queries_at_any_size(client):
    small = counts(client, f.build_portal(goals=2, assignments=2, periods=2))
    f.wipe_portal()
    big = counts(client, f.build_portal(goals=4, assignments=10, periods=4))
    assert small == big
    assert big == {
        "goal pdf": 7,
        "plan pdf": 8,
        "body pdf": 5,
        "goal docx": 7,
        "plan docx": 8,
        "body docx": 5,
        "goal xlsx": 10,
        "plan xlsx": 11,
        "body xlsx": 8,
        "goal xlsx per": 11,
    }


# --------------------------------------------------------------------------- the page cache


def test_it_serves_an_export_from_the_page_cache_per_period(
    client, seed, page_cache, django_assert_num_queries
):
    portal = f.seed_portal()
    url = goal_url(portal.goal, "docx")
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert "ETag" in second and not second.cookies
    earlier = client.get(url + "?per=2022-08&utm_source=x")
    assert earlier["X-Page-Cache"] == "miss"  # a page of its own, junk parameters aside
    assert client.get(url + "?utm_source=y&per=2022-08")["X-Page-Cache"] == "hit"


def test_it_never_caches_the_pdf_unavailable_page(client, seed, page_cache, monkeypatch):
    portal = f.seed_portal()
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    url = goal_url(portal.goal, "pdf")
    assert client.get(url).status_code == 503
    monkeypatch.undo()  # WeasyPrint loads again
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


# --------------------------------------------------------------------------- "Exportera"


def test_it_offers_the_export_links_for_a_goal_a_body_and_a_plan(client, portal):
    period = portal.goal.assessments.published().order_by("period__date").first().period
    for context, url_of in [
        ({"goal": portal.goal, "plan": portal.plan}, lambda e: goal_url(portal.goal, e)),
        ({"body": portal.body}, lambda e: body_url(portal.body, e)),
        ({"plan": portal.plan}, lambda e: plan_url(portal.plan, e)),
    ]:
        html = render_to_string("exports/_export_links.html", context)
        for extension in FORMATS:
            assert f'href="{url_of(extension)}"' in html
            download(client, url_of(extension))
        assert html.count("<li>") == 3 and 'aria-labelledby="exports-heading"' in html
        earlier = render_to_string(
            "exports/_export_links.html", {**context, "export_period": period}
        )
        assert f'href="{url_of("xlsx")}?per={period.code}"' in earlier
        download(client, f"{url_of('xlsx')}?per={period.code}")
    assert render_to_string("exports/_export_links.html", {}).strip() == ""


def test_it_finds_the_goal_assessment_as_of_a_date_in_one_query(
    two_periods, django_assert_num_queries
):
    other = f.make_goal(title="Ett mål utan bedömning")
    december = f.make_period(code="2022-12", date=datetime.date(2022, 12, 31))
    f.make_goal_assessment(two_periods, december, text="Utkast.", is_published=False)
    goals = [two_periods, other]
    with django_assert_num_queries(1):
        found = goal_assessment_as_of(goals, datetime.date(2022, 12, 31))
    assert found[two_periods.pk].text == "Målets bedömning i augusti."  # never the draft
    assert found[two_periods.pk].period.date == AUGUST
    assert found[other.pk] is None
    assert goal_assessment_as_of(goals, APRIL)[two_periods.pk].text == "Målets bedömning i april."
    assert goal_assessment_as_of(goals, datetime.date(2022, 1, 1))[two_periods.pk] is None
    assert goal_assessment_as_of(goals)[two_periods.pk].text == "Målets bedömning i augusti."
    with django_assert_num_queries(0):
        assert goal_assessment_as_of([], APRIL) == {}
