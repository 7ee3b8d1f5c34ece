"""The reminders of reporting/reminders.py and `manage.py send_reminders`: each official gets
one Swedish e-mail listing exactly what their bodies have still to report (missing, returned
with the coordinator's comment, drafts), until the deadline; and nothing else."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.models import BodyKind, ReviewState
from goals.models import PeriodState
from reporting.reminders import ItemState, due_reminders, send_reminders
from tests import factories as f

DEADLINE = datetime.date(2022, 9, 15)
BEFORE = datetime.date(2022, 9, 1)


def official(username: str, *bodies, email: str | None = None, **fields) -> User:
    email = f"{username}@kommun.se" if email is None else email
    fields = {"is_staff": True, **fields}
    user = User.objects.create_user(username, email=email, **fields)
    user.groups.add(Group.objects.get(name="Handläggare"))
    for body in bodies:
        body.officials.add(user)
    return user


class Round:
    """August 2022 open for reporting until 15 September. Anna is an official of
    Arbetsmarknadsnämnden and Kulturnämnden; their assignments stand in every state, beside
    other bodies' and an older plan's."""

    def __init__(self, state=PeriodState.OPEN, deadline=DEADLINE):
        self.own = f.make_body(code="AMN", name="Arbetsmarknadsnämnden")
        self.culture = f.make_body(code="KLN", name="Kulturnämnden")
        self.other = f.make_body(code="SCN", name="Socialnämnden")
        self.company = f.make_body(code="UHAB", name="Uppsalahem AB", kind=BodyKind.COMPANY)
        self.period = f.make_period(
            date=datetime.date(2022, 8, 31), name="Augusti 2022", state=state, deadline=deadline
        )
        self.earlier = f.make_period(date=datetime.date(2022, 4, 30), name="April 2022")
        goal = f.make_goal(f.make_plan(start_year=2022, end_year=2024), number=5)
        a = self.assignments = {}

        def assignment(key, bodies=(), **fields):
            a[key] = f.make_assignment(goal, bodies=bodies, title=f"Uppdraget {key}", **fields)
            return a[key]

        def assessment(key, body, state, **fields):
            return f.make_assessment(a[key], self.period, body=body, state=state, **fields)

        assignment("saknas", [self.own])
        # The municipality's own (imported) assessment is not the body's report.
        assessment("saknas", None, ReviewState.PUBLISHED)
        f.make_assessment(a["saknas"], self.earlier, body=self.own)
        assignment("returnerat", [self.own])
        assessment(
            "returnerat",
            self.own,
            ReviewState.DRAFT,
            review_comment="Förtydliga tidplanen.\nAnge också kostnaden.",
        )
        assignment("utkast", [self.own])
        assessment("utkast", self.own, ReviewState.DRAFT)
        for state in (ReviewState.SUBMITTED, ReviewState.APPROVED, ReviewState.PUBLISHED):
            assignment(state.value, [self.own])
            assessment(state.value, self.own, state)
        assignment("kultur", [self.culture])
        assignment("deras", [self.other])
        assignment("delat", [self.other, self.own])
        assessment("delat", self.other, ReviewState.SUBMITTED)
        assignment("nämnderna", all_committees=True)
        assessment("nämnderna", self.culture, ReviewState.SUBMITTED)
        assignment("bolagen", all_companies=True)
        assessment("bolagen", self.company, ReviewState.SUBMITTED)
        assignment("senare", [self.own], added_year=2023)
        old_goal = f.make_goal(f.make_plan(start_year=2018, end_year=2021))
        a["gammalt"] = f.make_assignment(old_goal, bodies=[self.own], title="Uppdraget gammalt")

        self.anna = official(
            "anna", self.own, self.culture, first_name="Anna", last_name="Andersson"
        )
        # Bertil's company has submitted everything; Cecilia and David may not log in.
        self.bertil = official("bertil", self.company)
        official("cecilia", self.own, is_active=False)
        official("david", self.own, is_staff=False)

    def expected(self):
        """What Anna is to be reminded of: (title, body, state)."""
        return {
            ("Uppdraget saknas", self.own, ItemState.MISSING),
            ("Uppdraget returnerat", self.own, ItemState.RETURNED),
            ("Uppdraget utkast", self.own, ItemState.DRAFT),
            ("Uppdraget kultur", self.culture, ItemState.MISSING),
            ("Uppdraget delat", self.own, ItemState.MISSING),
            ("Uppdraget nämnderna", self.own, ItemState.MISSING),
        }


@pytest.fixture
def world(db):
    return Round()


def items_of(reminder) -> set:
    return {(item.assignment.title, item.body, item.state) for item in reminder.items}


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=out)
    return out.getvalue()


# --------------------------------------------------------------------------- who gets what


def test_it_reminds_an_official_of_exactly_what_their_bodies_have_left(world):
    reminders = due_reminders(today=BEFORE)

    assert [r.user for r in reminders] == [world.anna]
    assert reminders[0].period == world.period
    assert items_of(reminders[0]) == world.expected()
    returned = [i for i in reminders[0].items if i.state is ItemState.RETURNED]
    assert returned[0].comment == "Förtydliga tidplanen.\nAnge också kostnaden."


def test_it_reminds_no_one_whose_bodies_have_submitted_everything(world):
    assert world.bertil not in [r.user for r in due_reminders(today=BEFORE)]
    body = world.own
    for key in ("saknas", "delat", "nämnderna"):
        f.make_assessment(world.assignments[key], world.period, body=body, state="submitted")
    world.assignments["returnerat"].assessments.update(state=ReviewState.SUBMITTED)
    world.assignments["utkast"].assessments.update(state=ReviewState.APPROVED)
    f.make_assessment(world.assignments["kultur"], world.period, body=world.culture)

    assert due_reminders(today=BEFORE) == []


def test_it_counts_a_correction_in_progress_of_a_published_one_as_reported(world):
    published = world.assignments["published"].assessments.get()
    f.make_assessment(
        world.assignments["published"],
        world.period,
        body=world.own,
        state=ReviewState.DRAFT,
        corrects=published,
        correction_reason="Fel årtal.",
    )
    assert items_of(due_reminders(today=BEFORE)[0]) == world.expected()


@pytest.mark.parametrize("state", [PeriodState.PLANNED, PeriodState.CLOSED, PeriodState.PUBLISHED])
def test_it_reminds_no_one_of_a_period_not_open_for_reporting(db, state):
    Round(state=state)
    assert due_reminders(today=BEFORE) == []


def test_it_reminds_until_the_deadline_day_and_then_stops(world):
    assert len(due_reminders(today=DEADLINE)) == 1
    assert due_reminders(today=DEADLINE + datetime.timedelta(days=1)) == []


def test_it_reminds_no_one_of_a_period_without_a_deadline(db):
    Round(deadline=None)
    assert due_reminders(today=BEFORE) == []


def test_it_reads_the_same_number_of_queries_at_any_size(db):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            reminders = due_reminders(today=BEFORE)
            for reminder in reminders:
                reminder.subject()
                reminder.body()
        assert reminders
        return len(captured)

    world = Round()
    small = queries()
    assert small == 5  # reporting/reminders.py: due_reminders()
    goal = world.assignments["saknas"].goal
    for n in range(8):
        body = f.make_body(name=f"Extra nämnd {n}")
        official(f"extra{n}", body, world.own)
        for _ in range(3):
            f.make_assignment(goal, bodies=[body, world.own])
    f.make_period(
        date=datetime.date(2022, 12, 31),
        state=PeriodState.OPEN,
        deadline=datetime.date(2023, 1, 20),
    )

    assert queries() == small


# --------------------------------------------------------------------------- the e-mail


def test_it_emails_each_official_once_in_swedish(world, mailoutbox, settings):
    settings.PORTAL_URL = "https://uppfoljning.kommun.se"
    settings.DEFAULT_FROM_EMAIL = "uppfoljning@kommun.se"

    report = send_reminders(today=BEFORE)

    assert [r.user for r in report.sent] == [world.anna]
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["anna@kommun.se"]
    assert message.from_email == "uppfoljning@kommun.se"
    assert message.subject == "Påminnelse: 6 uppdrag att rapportera senast 15 september 2022"
    body = message.body
    assert body.startswith("Hej Anna Andersson!\n")
    assert "rapporteringen för Augusti 2022" in body
    assert "sista dagen att rapportera är 15 september 2022" in body
    for title, reporter, _state in world.expected():
        assert f": {title} ({reporter.name})" in body
    assert "Mål 5, uppdrag 2: Uppdraget returnerat (Arbetsmarknadsnämnden)" in body
    assert "Samordnarens kommentar:\n    Förtydliga tidplanen.\n    Ange också kostnaden." in body
    for hidden in ("submitted", "approved", "published", "deras", "bolagen", "gammalt", "senare"):
        assert f"Uppdraget {hidden}" not in body
    assert "Socialnämnden" not in body and "Uppsalahem" not in body
    assert "Bertil" not in body and "cecilia" not in body
    assert "https://uppfoljning.kommun.se/admin/rapportering/" in body
    assert "{" not in body and "%" not in body and "&" not in body


def test_it_groups_the_items_returned_first_then_missing_then_drafts(world, mailoutbox):
    send_reminders(today=BEFORE)
    body = mailoutbox[0].body
    returned = body.index("Returnerade av samordnaren för komplettering (1):")
    missing = body.index("Inte påbörjade (4):")
    drafts = body.index("Utkast som inte har lämnats in (1):")
    assert returned < body.index("Uppdraget returnerat") < missing
    assert missing < body.index("Uppdraget kultur") < drafts < body.index("Uppdraget utkast")


def test_it_writes_the_whole_message_as_plain_text(db, mailoutbox, settings):
    settings.PORTAL_URL = "https://uppfoljning.kommun.se"
    body = f.make_body(name="Kulturnämnden")
    period = f.make_period(
        date=datetime.date(2022, 8, 31), name="Augusti 2022", state="open", deadline=DEADLINE
    )
    goal = f.make_goal(f.make_plan(start_year=2022, end_year=2024), number=3)
    f.make_assignment(goal, bodies=[body], title="Öppna biblioteken på söndagar & helger")
    returned = f.make_assignment(goal, bodies=[body], title="Inför <fri> entré")
    f.make_assessment(returned, period, body=body, state="draft", review_comment='Ange "när".')
    official("eva", body, first_name="Eva")

    send_reminders(today=BEFORE)

    assert mailoutbox[0].subject == "Påminnelse: 2 uppdrag att rapportera senast 15 september 2022"
    assert mailoutbox[0].body == (
        "Hej Eva!\n"
        "\n"
        "Det här är en påminnelse om rapporteringen för Augusti 2022: sista dagen att "
        "rapportera är 15 september 2022. Det här har du kvar att rapportera:\n"
        "\n"
        "Returnerade av samordnaren för komplettering (1):\n"
        "- Mål 3, uppdrag 2: Inför <fri> entré (Kulturnämnden)\n"
        "  Samordnarens kommentar:\n"
        '    Ange "när".\n'
        "\n"
        "Inte påbörjade (1):\n"
        "- Mål 3, uppdrag 1: Öppna biblioteken på söndagar & helger (Kulturnämnden)\n"
        "\n"
        "Öppna ”Att rapportera” i administrationen för att skriva och lämna in dina "
        "bedömningar:\n"
        "https://uppfoljning.kommun.se/admin/rapportering/\n"
        "\n"
        "Meddelandet skickades automatiskt från Uppföljning.\n"
    )


def test_a_dry_run_sends_nothing(world, mailoutbox):
    report = send_reminders(today=BEFORE, dry_run=True)
    assert [r.user for r in report.sent] == [world.anna]
    assert mailoutbox == []


def test_it_skips_an_official_without_an_e_mail_address(world, mailoutbox):
    official("fredrik", world.own, email="")

    report = send_reminders(today=BEFORE)

    assert [r.user.username for r in report.skipped] == ["fredrik"]
    assert [m.to for m in mailoutbox] == [["anna@kommun.se"]]


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses Anna's messages and takes the others."""

    def send_messages(self, messages):
        for message in messages:
            if message.to == ["anna@kommun.se"]:
                raise OSError("550 mailbox unavailable")
        return len(messages)


def test_it_still_sends_the_others_when_one_is_refused(world, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_reminders.RefusingBackend"}}
    official("gustav", world.own)

    report = send_reminders(today=BEFORE)

    assert [r.user.username for r in report.sent] == ["gustav"]
    assert [(r.user.username, error) for r, error in report.failed] == [
        ("anna", "OSError: 550 mailbox unavailable")
    ]
    with pytest.raises(CommandError, match="1 reminder"):
        run("--date", "2022-09-01")


# --------------------------------------------------------------------------- the command


def test_the_command_says_whom_it_reminded_and_whom_it_skipped(world, mailoutbox):
    official("fredrik", world.own, email="")

    out = run("--date", "2022-09-01")

    assert len(mailoutbox) == 1
    assert "Reminded anna <anna@kommun.se> of 6 assignment(s) in Augusti 2022" in out
    assert "(1 returned, 4 missing, 1 draft)" in out
    assert "Skipped fredrik of 5 assignment(s) in Augusti 2022" in out
    assert "no e-mail address" in out
    assert "Reminded 1 official; skipped 1 without an e-mail address." in out


def test_the_command_sends_nothing_in_a_dry_run(world, mailoutbox):
    out = run("--dry-run", "--date", "2022-09-15")
    assert mailoutbox == []
    assert "Would remind anna" in out
    assert "Would remind 1 official (dry run: nothing was sent)." in out


def test_the_command_sends_nothing_after_the_deadline(world, mailoutbox):
    out = run("--date", "2022-09-16")
    assert mailoutbox == []
    assert "Reminded 0 officials." in out


def test_the_command_names_an_open_period_without_a_deadline(db, mailoutbox):
    Round(deadline=None)
    out = run("--date", "2022-09-01")
    assert "Augusti 2022 is open for reporting but has no deadline" in out
    assert mailoutbox == []


@pytest.mark.parametrize("value", ["2022-13-01", "15/09/2022", "igår", "2022-09-31", ""])
def test_the_command_refuses_a_bad_date_and_sends_nothing(world, mailoutbox, value):
    with pytest.raises(CommandError, match="--date must be a date written YYYY-MM-DD"):
        run("--date", value)
    assert mailoutbox == []


def test_the_command_reminds_as_of_today_by_default(world, mailoutbox, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: BEFORE)
    run()
    assert len(mailoutbox) == 1
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2022, 10, 1))
    run()
    assert len(mailoutbox) == 1
