"""The spreadsheet round trip of a reporting round (reporting/spreadsheet.py): an official or
the coordinator downloads the round as .xlsx, fills it in, uploads it, sees each row's change
and error, and applies it; a bad file or row of any kind changes nothing."""

import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assignments.models import Assessment, AssessmentStatus, BodyKind, ReviewState
from assignments.roles import COORDINATORS, OFFICIALS
from goals.models import PeriodState
from reporting import services, spreadsheet
from tests import factories as f

PAGE = "reporting:spreadsheet"
DOWNLOAD = "reporting:spreadsheet-download"
UPLOAD = "reporting:spreadsheet-upload"
APPLY = "reporting:spreadsheet-apply"

DELAYED = str(AssessmentStatus.DELAYED.label)  # "Inte helt enligt plan"
ON_TRACK = str(AssessmentStatus.ON_TRACK.label)


def staff(username: str, role: str, *bodies) -> tuple[User, Client]:
    user = f.make_staff(username, role, *bodies)
    client = Client()
    client.force_login(user)
    return user, client


class World:
    """Two committees and a company; an assignment of each committee, one of both, one given
    to all committees, one to all companies; a published period and an open one."""

    def __init__(self):
        self.own = f.make_body(code="AMN", name="Arbetsmarknadsnämnden")
        self.other = f.make_body(code="SCN", name="Socialnämnden")
        self.company = f.make_body(code="UHAB", name="Uppsalahem AB", kind=BodyKind.COMPANY)
        self.goal = f.make_goal(title="En stad för alla")
        self.mine = f.make_assignment(self.goal, bodies=[self.own], title="Vårt uppdrag")
        self.theirs = f.make_assignment(self.goal, bodies=[self.other], title="Deras uppdrag")
        self.shared = f.make_assignment(
            self.goal, bodies=[self.own, self.other], title="Gemensamt uppdrag"
        )
        self.committees = f.make_assignment(
            self.goal, all_committees=True, title="Nämndernas uppdrag"
        )
        self.companies = f.make_assignment(self.goal, all_companies=True, title="Bolagens uppdrag")
        self.earlier = f.make_period(name="April 2022", date=datetime.date(2022, 4, 30))
        self.period = f.make_period(
            name="Augusti 2022",
            date=datetime.date(2022, 8, 31),
            deadline=datetime.date(2022, 9, 15),
            state=PeriodState.OPEN,
        )
        f.make_assessment(
            self.mine,
            self.earlier,
            body=self.own,
            status=AssessmentStatus.DELAYED,
            text="Förstudien blev försenad.",
        )
        self.official, self.client = staff("handlaggare", OFFICIALS.name, self.own)
        self.coordinator, self.coordinator_client = staff("samordnare", COORDINATORS.name)

    def key(self, assignment, body, period=None) -> str:
        return spreadsheet.make_key((period or self.period).pk, assignment.pk, body.pk)


@pytest.fixture
def world(db):
    return World()


# --------------------------------------------------------------------------- helpers


def download(client) -> openpyxl.Workbook:
    response = client.get(reverse(DOWNLOAD))
    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheet.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def header_row(sheet) -> int:
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == "Nyckel (ändra inte)")


def headers(sheet) -> list[str]:
    return [cell.value for cell in sheet[header_row(sheet)]]


def rows(sheet) -> dict[str, dict]:
    """The data rows by key, each a dict by header."""
    names = headers(sheet)
    return {
        values[0]: dict(zip(names, values, strict=True))
        for values in sheet.iter_rows(min_row=header_row(sheet) + 1, values_only=True)
        if values[0]
    }


def fill(workbook, key: str, **values) -> None:
    """Fill in the row of `key`: values by header."""
    sheet = workbook.active
    names = headers(sheet)
    for row in sheet.iter_rows(min_row=header_row(sheet) + 1):
        if row[0].value == key:
            for name, value in values.items():
                row[names.index(name)].value = value
            return
    raise AssertionError(f"no row {key}")


def as_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str = "rapportering.xlsx"):
    return client.post(reverse(UPLOAD), {"file": io_file(data, name)})


def io_file(data: bytes, name: str):
    file = io.BytesIO(data)
    file.name = name
    return file


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "no confirm form"
    return match.group(1)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def snapshot() -> tuple:
    """What an upload may write: every assessment's content, and the history's size."""
    return (
        sorted(Assessment.objects.values_list("pk", "state", "status", "text", "version", "body")),
        Assessment.history.count(),
    )


def preview_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --------------------------------------------------------------------------- download


def test_it_downloads_an_official_only_their_bodies_rows(world):
    workbook = download(world.client)
    sheet = workbook.active
    found = rows(sheet)
    assert set(found) == {
        world.key(world.mine, world.own),
        world.key(world.shared, world.own),
        world.key(world.committees, world.own),
    }
    assert {row["Nämnd eller bolag"] for row in found.values()} == {"Arbetsmarknadsnämnden"}
    assert headers(sheet) == [
        "Nyckel (ändra inte)",
        "Mål",
        "Uppdrag nr",
        "Uppdrag",
        "Nämnd eller bolag",
        "Senast publicerad",
        "Senast publicerad status",
        "Senast publicerad text",
        "Läge i omgången",
        "Kommentar från samordnaren",
        "Status",
        "Bedömning",
        "Beslutsdatum",
        "Diarienummer",
        "Protokollsparagraf",
    ]
    mine = found[world.key(world.mine, world.own)]
    assert mine["Mål"] == "1. En stad för alla"
    assert (mine["Uppdrag nr"], mine["Uppdrag"]) == (1, "Vårt uppdrag")
    assert mine["Senast publicerad"] == "April 2022"
    assert mine["Senast publicerad status"] == DELAYED
    assert mine["Senast publicerad text"] == "Förstudien blev försenad."
    assert mine["Läge i omgången"] == "Saknas"
    assert (mine["Status"], mine["Bedömning"]) == (None, None)  # to fill in
    title = " ".join(str(c.value) for c in sheet[1] if c.value)
    assert "Augusti 2022" in title and "15 september 2022" in title


def test_it_makes_a_sheet_that_guards_its_keys_and_offers_the_statuses(world):
    sheet = download(world.client).active
    assert sheet.column_dimensions["A"].hidden
    assert sheet.protection.sheet
    assert sheet.freeze_panes == f"B{header_row(sheet) + 1}"
    first = header_row(sheet) + 1
    status, key = sheet.cell(first, 11), sheet.cell(first, 1)
    assert not status.protection.locked and key.protection.locked
    assert status.alignment.wrap_text
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"Slutfört,Enligt plan,Inte helt enligt plan,Genomförs inte"'
    assert f"K{first}" in str(validation.sqref)


def test_it_downloads_the_coordinator_every_bodys_rows(world):
    found = rows(download(world.coordinator_client).active)
    assert set(found) == {
        world.key(world.mine, world.own),
        world.key(world.theirs, world.other),
        world.key(world.shared, world.own),
        world.key(world.shared, world.other),
        world.key(world.committees, world.own),
        world.key(world.committees, world.other),
        world.key(world.companies, world.company),
    }


def test_it_leaves_out_unpublished_goals(world):
    hidden = f.make_goal(world.goal.plan, is_published=False)
    f.make_assignment(hidden, bodies=[world.own])
    assert len(rows(download(world.client).active)) == 3


def test_it_keeps_a_text_that_looks_like_a_formula_a_text(world):
    f.make_assessment(
        world.mine, world.period, body=world.own, is_published=False, text="=1+1 är två"
    )
    sheet = download(world.client).active
    assert rows(sheet)[world.key(world.mine, world.own)]["Bedömning"] == "=1+1 är två"
    assert sheet.cell(header_row(sheet) + 1, 12).data_type == "s"


def test_it_shows_the_page_with_a_labelled_file_input(world):
    response = world.client.get(reverse(PAGE))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Augusti 2022" in html and "15 september 2022" in html
    assert reverse(DOWNLOAD) in html
    assert '<label for="id_file"' in html and 'type="file"' in html
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html


def test_it_says_so_when_no_period_is_open(world):
    world.period.state = PeriodState.CLOSED
    world.period.save()
    assert "Ingen rapportperiod är öppen" in world.client.get(reverse(PAGE)).content.decode()
    response = world.client.get(reverse(DOWNLOAD))
    assert response.status_code == 302


def test_it_keeps_the_pages_from_anyone_but_staff(world):
    citizen = Client()
    for name in (PAGE, DOWNLOAD):
        response = citizen.get(reverse(name))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = citizen.post(reverse(UPLOAD), {"file": io_file(b"x", "a.xlsx")})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --------------------------------------------------------------------------- round trip


def test_it_round_trips_a_filled_in_sheet_into_drafts(world):
    workbook = download(world.client)
    fill(
        workbook,
        world.key(world.mine, world.own),
        Status=ON_TRACK,
        Bedömning="Förstudien är klar och arbetet pågår.",
        Beslutsdatum=datetime.datetime(2022, 5, 12),
        Diarienummer="AMN-2022-00123",
        Protokollsparagraf="§ 45",
    )
    fill(
        workbook,
        world.key(world.committees, world.own),
        Status=DELAYED,
        Bedömning="Vi har inte börjat, på grund av vakanser.",
    )
    history = Assessment.history.count()

    response = upload(world.client, as_bytes(workbook))

    assert response.status_code == 200
    text = preview_text(response)
    assert text.count("Nytt utkast") == 2
    assert "Tom rad, hoppas över" in text  # the shared assignment, left empty
    assert Assessment.objects.in_review().count() == 0  # nothing before the apply

    response = world.client.post(reverse(APPLY), {"token": token_of(response)}, follow=True)

    assert "Sparat: 2 nya utkast, 0 ändrade utkast." in messages_of(response)
    mine = Assessment.objects.in_review().get(assignment=world.mine)
    assert (mine.body, mine.period, mine.state) == (world.own, world.period, ReviewState.DRAFT)
    assert (mine.status, mine.text) == ("on_track", "Förstudien är klar och arbetet pågår.")
    assert mine.decision_date == datetime.date(2022, 5, 12)
    assert (mine.decision_reference, mine.decision_paragraph) == ("AMN-2022-00123", "§ 45")
    committees = Assessment.objects.in_review().get(assignment=world.committees)
    assert (committees.body, committees.status) == (world.own, "delayed")
    assert not Assessment.objects.in_review().filter(assignment=world.shared).exists()
    assert Assessment.history.count() > history
    assert mine.history.filter(history_user=world.official).exists()

    again = rows(download(world.client).active)
    row = again[world.key(world.mine, world.own)]
    assert (row["Läge i omgången"], row["Status"]) == ("Utkast", ON_TRACK)
    assert row["Bedömning"] == "Förstudien är klar och arbetet pågår."
    assert row["Beslutsdatum"] == datetime.datetime(2022, 5, 12)


def test_it_updates_a_draft_and_keeps_its_history(world):
    draft = f.make_assessment(world.mine, world.period, body=world.own, is_published=False)
    workbook = download(world.client)
    fill(workbook, world.key(world.mine, world.own), Bedömning="Ny text om arbetet.")

    response = upload(world.client, as_bytes(workbook))
    assert "Ändrad: Bedömning" in preview_text(response)
    response = world.client.post(reverse(APPLY), {"token": token_of(response)}, follow=True)

    assert "Sparat: 0 nya utkast, 1 ändrade utkast." in messages_of(response)
    draft.refresh_from_db()
    assert (draft.text, draft.version, draft.status) == ("Ny text om arbetet.", 2, "on_track")
    assert [h.text for h in draft.history.order_by("history_date")] == [
        "Arbetet pågår enligt plan.",
        "Ny text om arbetet.",
    ]


def test_it_applies_a_token_once_and_only_for_its_user(world):
    workbook = download(world.client)
    fill(workbook, world.key(world.mine, world.own), Status=ON_TRACK, Bedömning="Klart snart.")
    token = token_of(upload(world.client, as_bytes(workbook)))
    _, other = staff("annan", OFFICIALS.name, world.own)

    response = other.post(reverse(APPLY), {"token": token}, follow=True)
    assert "Förhandsgranskningen har gått ut" in " ".join(messages_of(response))
    assert not Assessment.objects.in_review().exists()

    world.client.post(reverse(APPLY), {"token": token})
    before = snapshot()
    response = world.client.post(reverse(APPLY), {"token": token}, follow=True)
    assert "Förhandsgranskningen har gått ut" in " ".join(messages_of(response))
    assert snapshot() == before


def test_it_refuses_an_upload_without_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.official)
    workbook = download(world.client)
    fill(workbook, world.key(world.mine, world.own), Status=ON_TRACK, Bedömning="Text.")
    response = client.post(reverse(UPLOAD), {"file": io_file(as_bytes(workbook), "a.xlsx")})
    assert response.status_code == 403
    response = client.post(reverse(APPLY), {"token": "x"})
    assert response.status_code == 403


# --------------------------------------------------------------------------- bad files


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def empty_workbook() -> bytes:
    return as_bytes(openpyxl.Workbook())


def bomb() -> bytes:
    """A zip that unpacks to far more than a reporting sheet: 100 MB of one byte."""
    return zip_of(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b" " * (100 * 1024 * 1024),
        }
    )


BAD_FILES = {
    "csv renamed": (
        lambda: b"Nyckel;Status\nP1-U1-N1;Enligt plan\n",
        "inte en Excel-fil",
    ),
    "pdf renamed": (
        lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        "inte en Excel-fil",
    ),
    "random bytes": (lambda: bytes(range(256)) * 40, "inte en Excel-fil"),
    "empty file": (lambda: b"", "tom"),
    "a zip but no workbook": (lambda: zip_of({"a.txt": b"hej"}), "inte en Excel-fil"),
    "damaged zip": (lambda: b"PK\x03\x04" + b"\x00" * 200, "skadad"),
    "damaged workbook": (
        lambda: zip_of({"[Content_Types].xml": b"<nej", "xl/workbook.xml": b"<nej"}),
        "skadad",
    ),
    "zip bomb": (bomb, "packas upp till för mycket"),
    "empty workbook": (empty_workbook, "Rubrikraden med kolumnen"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_it_refuses_a_bad_file_and_changes_nothing(world, kind):
    make, message = BAD_FILES[kind]
    before = snapshot()
    response = upload(world.client, make())
    assert response.status_code == 400
    assert message in preview_text(response)
    assert 'name="token"' not in response.content.decode()
    assert snapshot() == before


def test_it_refuses_a_file_not_named_xlsx(world):
    data = as_bytes(download(world.client))
    response = upload(world.client, data, name="rapportering.csv")
    assert response.status_code == 400
    assert "inte en Excel-fil" in preview_text(response)


def test_it_refuses_a_file_over_the_limit_before_reading_it(world, monkeypatch):
    before = snapshot()
    huge = b"PK\x03\x04" + b"\x00" * (spreadsheet.MAX_UPLOAD_BYTES + 10)
    response = upload(world.client, huge)
    assert response.status_code == 400
    assert "Filen är för stor: högst 5 MB." in preview_text(response)
    assert snapshot() == before


def test_it_refuses_a_file_without_a_column_it_needs(world):
    workbook = download(world.client)
    sheet = workbook.active
    sheet.protection.sheet = False
    sheet.delete_cols(11)  # Status
    sheet.cell(header_row(sheet), 16, "Mina anteckningar")
    response = upload(world.client, as_bytes(workbook))
    text = preview_text(response)
    assert response.status_code == 400
    assert "Kolumnen ”Status” saknas." in text
    assert "Okänd kolumn ”Mina anteckningar” (kolumn P)." in text


def test_it_refuses_a_file_of_too_many_rows(world, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 3)
    workbook = download(world.client)
    sheet = workbook.active
    for number in range(10, 20):
        sheet.cell(number, 2, "rad")
    response = upload(world.client, as_bytes(workbook))
    assert response.status_code == 400
    assert "för många rader: högst 3" in preview_text(response)


# --------------------------------------------------------------------------- bad rows


def upload_rows(world, client=None, **rows_by_key):
    """Download, fill in the rows (key → values by header), upload; the response."""
    client = client or world.client
    workbook = download(client)
    sheet = workbook.active
    for key, values in rows_by_key.items():
        try:
            fill(workbook, key, **values)
        except AssertionError:  # a row the download lacks: add it
            number = sheet.max_row + 1
            names = headers(sheet)
            sheet.cell(number, 1, key)
            for name, value in values.items():
                sheet.cell(number, names.index(name) + 1, value)
    return upload(client, as_bytes(workbook))


def assert_refused(response, message: str, before) -> None:
    assert response.status_code == 400
    text = preview_text(response)
    assert message in text, text
    assert "Inget har sparats" in text
    assert 'name="token"' not in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    "row, message",
    [
        ("other body", "en nämnd eller ett bolag som du inte rapporterar för"),
        ("unknown key", "Okänd nyckel ”P1-U-N”"),
        ("unknown assignment", "Okänt uppdrag"),
        ("other period", "en annan rapportperiod"),
        ("bad status", "Okänd status ”Grönt”"),
        ("too long", "Bedömningen är för lång: högst 20000 tecken"),
        ("bad date", "Beslutsdatumet ”igår” är inget datum"),
        ("no text", "Skriv bedömningen"),
    ],
)
def test_it_refuses_a_bad_row_and_writes_no_row(world, row, message):
    good = {"Status": ON_TRACK, "Bedömning": "En bra rad."}
    bad = {
        "other body": (world.key(world.theirs, world.other), good),
        "unknown key": ("P1-U-N", good),
        "unknown assignment": (world.key(world.companies, world.own), good),
        "other period": (world.key(world.mine, world.own, world.earlier), good),
        "bad status": (world.key(world.shared, world.own), {**good, "Status": "Grönt"}),
        "too long": (world.key(world.shared, world.own), {**good, "Bedömning": "x" * 20001}),
        "bad date": (world.key(world.shared, world.own), {**good, "Beslutsdatum": "igår"}),
        "no text": (world.key(world.shared, world.own), {"Status": ON_TRACK}),
    }
    key, values = bad[row]
    before = snapshot()
    response = upload_rows(world, **{world.key(world.mine, world.own): good, key: values})
    assert_refused(response, message, before)
    assert re.search(r"<th scope=\"row\">\d+</th>", response.content.decode())


def test_it_refuses_a_change_of_a_submitted_assessment(world):
    submitted = f.make_assessment(
        world.mine, world.period, body=world.own, state=ReviewState.SUBMITTED
    )
    before = snapshot()
    response = upload_rows(
        world,
        **{
            world.key(world.mine, world.own): {"Bedömning": "Ändrad efter inskickning."},
            world.key(world.committees, world.own): {"Status": ON_TRACK, "Bedömning": "Bra."},
        },
    )
    assert_refused(response, "Bedömningen är inskickad och kan inte ändras", before)
    submitted.refresh_from_db()
    assert submitted.text == "Arbetet pågår enligt plan."


def test_it_passes_a_submitted_assessment_left_as_it_was(world):
    f.make_assessment(world.mine, world.period, body=world.own, state=ReviewState.SUBMITTED)
    response = upload_rows(
        world, **{world.key(world.committees, world.own): {"Status": ON_TRACK, "Bedömning": "Bra."}}
    )
    assert response.status_code == 200
    assert "Oförändrad" in preview_text(response) and token_of(response)


def test_it_refuses_two_rows_of_the_same_assessment(world):
    key = world.key(world.mine, world.own)
    workbook = download(world.client)
    fill(workbook, key, Status=ON_TRACK, Bedömning="En.")
    sheet = workbook.active
    number = sheet.max_row + 1
    for column in range(1, 16):
        sheet.cell(number, column, sheet.cell(header_row(sheet) + 1, column).value)
    before = snapshot()
    response = upload(world.client, as_bytes(workbook))
    assert_refused(response, "Samma uppdrag och nämnd eller bolag som rad", before)


def test_the_service_refuses_a_preview_with_errors(world):
    preview = spreadsheet.UploadPreview(
        period_id=world.period.pk,
        rows=[spreadsheet.UploadRow(number=4, change="new", errors=["fel"])],
    )
    with pytest.raises(services.ReportingError):
        spreadsheet.apply_upload(user=world.official, preview=preview)


# --------------------------------------------------------------------------- concurrency


def test_it_refuses_an_apply_after_someone_else_saved_the_draft(world):
    draft = f.make_assessment(world.committees, world.period, body=world.own, is_published=False)
    response = upload_rows(
        world,
        **{
            world.key(world.mine, world.own): {"Status": ON_TRACK, "Bedömning": "Ny."},
            world.key(world.committees, world.own): {"Bedömning": "Min text."},
        },
    )
    token = token_of(response)
    services.assessment_save(
        assessment=draft, user=world.coordinator, expected_version=1, text="Samordnarens text."
    )
    before = snapshot()

    response = world.client.post(reverse(APPLY), {"token": token}, follow=True)

    (message,) = messages_of(response)
    assert "Någon annan har ändrat en bedömning" in message and "Inget har sparats" in message
    assert snapshot() == before  # the new draft of the file's earlier row rolled back
    draft.refresh_from_db()
    assert draft.text == "Samordnarens text."


def test_it_refuses_an_apply_after_someone_else_started_the_assessment(world):
    response = upload_rows(
        world, **{world.key(world.shared, world.own): {"Status": ON_TRACK, "Bedömning": "Min."}}
    )
    token = token_of(response)
    f.make_assessment(
        world.shared, world.period, body=world.own, is_published=False, text="Kollegans."
    )
    before = snapshot()
    response = world.client.post(reverse(APPLY), {"token": token}, follow=True)
    assert "Någon annan har ändrat en bedömning" in " ".join(messages_of(response))
    assert snapshot() == before


def test_it_refuses_an_apply_after_the_period_closed(world):
    response = upload_rows(
        world, **{world.key(world.shared, world.own): {"Status": ON_TRACK, "Bedömning": "Min."}}
    )
    token = token_of(response)
    world.period.state = PeriodState.CLOSED
    world.period.save()
    before = snapshot()
    response = world.client.post(reverse(APPLY), {"token": token}, follow=True)
    (message,) = messages_of(response)
    assert message.startswith("Rad ")
    assert snapshot() == before


def test_it_checks_the_size_before_reading_the_file(world):
    class Huge:
        name = "stor.xlsx"
        size = spreadsheet.MAX_UPLOAD_BYTES + 1

        def read(self, *args):
            raise AssertionError("read")

    preview = spreadsheet.read_upload(user=world.official, period=world.period, file=Huge())
    assert preview.errors == ["Filen är för stor: högst 5 MB."]
    assert not preview.is_valid
