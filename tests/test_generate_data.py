"""manage.py generate_data: a realistic synthetic follow-up of any size."""

import datetime
import json
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

import opendata
from assignments.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    BodyKind,
    ResponsibleBody,
)
from goals.models import Goal, GoalAssessment, Plan, ReportingPeriod
from tests.factories import wipe_portal
from tests.pages import Portal, public_pages

pytestmark = pytest.mark.django_db

SMALL = ["--plans", "2", "--goals", "3", "--assignments", "4", "--periods", "5", "--bodies", "10"]


def generate(*args: str) -> None:
    call_command("generate_data", *args, verbosity=0)


def export() -> dict:
    return opendata.export_document()


def delete_everything() -> None:
    """Empty the database between two runs of the generator (see wipe_portal)."""
    wipe_portal()


def test_it_generates_the_numbers_asked_for():
    generate(*SMALL, "--seed", "3")
    assert Plan.objects.count() == 2
    assert Goal.objects.count() == 2 * 3
    assert Assignment.objects.count() == 2 * 3 * 4
    assert ReportingPeriod.objects.count() == 2 * 5
    assert GoalAssessment.objects.count() == 2 * 3 * 5
    assert ResponsibleBody.objects.count() == 10
    kinds = Counter(ResponsibleBody.objects.values_list("kind", flat=True))
    assert kinds[BodyKind.COMMITTEE] > kinds[BodyKind.COMPANY] > 0
    for goal in Goal.objects.all():
        numbers = list(goal.assignments.order_by("number").values_list("number", flat=True))
        assert numbers == [1, 2, 3, 4]


def test_it_publishes_its_plans_and_goals():
    generate(*SMALL)
    assert Plan.objects.published().count() == 2
    assert Goal.objects.published().count() == 2 * 3
    assert len(export()["plans"]) == 2


def test_it_spreads_a_total_number_of_assignments_over_the_goals():
    generate("--goals", "3", "--total-assignments", "10", "--periods", "3")
    sizes = [goal.assignments.count() for goal in Goal.objects.order_by("number")]
    assert sizes == [4, 3, 3]


def test_it_makes_periods_of_april_august_and_december_in_order():
    generate("--goals", "1", "--assignments", "2", "--periods", "5", "--start-year", "2022")
    periods = list(ReportingPeriod.objects.order_by("date").values_list("date", "name", "code"))
    assert periods == [
        (datetime.date(2022, 4, 30), "April 2022", "2022-04"),
        (datetime.date(2022, 8, 31), "Augusti 2022", "2022-08"),
        (datetime.date(2022, 12, 31), "December 2022", "2022-12"),
        (datetime.date(2023, 4, 30), "April 2023", "2023-04"),
        (datetime.date(2023, 8, 31), "Augusti 2023", "2023-08"),
    ]


def test_it_makes_a_large_goal_that_looks_like_a_real_follow_up():
    generate("--large-goal", "--seed", "7")
    goal = Goal.objects.get()
    assignments = goal.assignments.all()
    assert assignments.count() == 200
    assert ReportingPeriod.objects.count() == 12
    assert assignments.filter(all_committees=True).exists()
    assert assignments.filter(all_companies=True).exists()
    assert assignments.filter(added_year__isnull=False).exists()
    given_to_nobody = assignments.filter(
        responsibilities__isnull=True, all_committees=False, all_companies=False
    )
    assert not given_to_nobody.exists()

    latest = ReportingPeriod.objects.order_by("date").last()
    statuses = Counter(
        Assessment.objects.filter(period=latest).values_list("status", flat=True)
    )
    assert set(statuses) == set(AssessmentStatus.values)
    assert statuses["on_track"] > statuses["not_carried_out"]
    assert Assessment.objects.filter(is_published=False, period=latest).exists()
    assert not Assessment.objects.filter(is_published=False).exclude(period=latest).exists()


def test_it_never_lets_a_completed_assignment_start_again():
    generate("--large-goal", "--seed", "2")
    for assignment in Assignment.objects.prefetch_related("assessments__period"):
        assessments = sorted(assignment.assessments.all(), key=lambda a: a.period.date)
        history = [a.status for a in assessments]
        if "completed" in history:
            assert set(history[history.index("completed"):]) == {"completed"}


def test_it_assesses_additional_assignments_only_from_the_year_they_were_given():
    generate("--large-goal", "--seed", "4")
    added = Assignment.objects.filter(added_year__isnull=False)
    assert added.exists()
    for assignment in added:
        years = {a.period.date.year for a in assignment.assessments.select_related("period")}
        assert min(years) >= assignment.added_year


def test_it_writes_swedish_text_in_paragraphs():
    generate("--goals", "2", "--assignments", "10", "--periods", "3")
    texts = list(Assessment.objects.values_list("text", flat=True))
    texts += list(Goal.objects.values_list("description", flat=True))
    assert any("\n\n" in text for text in texts)
    assert re.search("[åäö]", " ".join(texts))
    assert all(text.strip() and "  " not in text for text in texts)


def test_it_gives_the_same_data_for_the_same_seed():
    generate(*SMALL, "--seed", "5")
    first = export()
    delete_everything()
    generate(*SMALL, "--seed", "5")
    assert export() == first
    delete_everything()
    generate(*SMALL, "--seed", "6")
    assert export() != first


def test_its_export_is_valid_open_data():
    generate(*SMALL)
    document = export()
    schema = json.loads(opendata.SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        document
    )
    assert opendata.validate(document) == []


def test_it_adds_to_the_seed_reusing_its_period_and_bodies(seed):
    august = ReportingPeriod.objects.get(code="2022-08")
    generate("--goals", "2", "--assignments", "3", "--periods", "3", "--start-year", "2022")
    assert ReportingPeriod.objects.filter(date=august.date).count() == 1
    assert Assessment.objects.filter(period=august).count() > 5  # the seed's and new ones
    assert ResponsibleBody.objects.filter(code="KS").count() == 1
    assert opendata.validate(export()) == []


def test_it_refuses_a_plan_code_that_exists():
    generate("--goals", "1", "--assignments", "1", "--periods", "1")
    before = Assignment.objects.count()
    with pytest.raises(CommandError, match="exists already"):
        generate("--goals", "1", "--assignments", "1", "--periods", "1")
    generate("--goals", "1", "--assignments", "1", "--periods", "1", "--code", "annan")
    assert Assignment.objects.count() == before + 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--goals", "0"), "goals must be at least 1"),
        (("--periods", "0"), "periods must be at least 1"),
        (("--assignments", "-1"), "assignments must not be negative"),
        (("--total-assignments", "-1"), "total assignments must not be negative"),
    ],
)
def test_it_refuses_sizes_out_of_range(args, message):
    with pytest.raises(CommandError, match=message):
        generate(*args)
    assert not Plan.objects.exists()


def test_it_writes_in_bulk():
    with CaptureQueriesContext(connection) as queries:
        generate("--large-goal")
    assert Assessment.objects.count() > 2000
    assert len(queries) < 60


def test_its_pages_answer(client):
    generate("--plans", "1", "--goals", "2", "--assignments", "30", "--periods", "6")
    goal = Goal.objects.get(number=2)
    assignment = goal.assignments.get(number=7)
    body = ResponsibleBody.objects.get(code="KS")
    portal = Portal(plan=goal.plan, goal=goal, assignment=assignment, body=body)
    for url in public_pages(portal).values():
        assert client.get(url).status_code == 200, url
    assert assignment.title in client.get(goal.get_absolute_url()).content.decode()
