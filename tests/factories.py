"""Small factories for test data: each makes a valid object and takes overrides."""

import datetime
import itertools
from pathlib import Path

from assignments.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    AssignmentResponsibility,
    BodyKind,
    ResponsibleBody,
)
from goals.models import Fulfilment, Goal, GoalAssessment, Organisation, Plan, ReportingPeriod

# The seed goal page's data (Uppsala, goal 5, August 2022), as `make run` loads it.
SEED_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "uppsala-goal5.json"

_sequence = itertools.count(1)


def make_organisation(**fields) -> Organisation:
    fields = {"name": "Exempelby kommun", "website": "https://exempelby.se/", **fields}
    return Organisation.objects.create(**fields)


def make_plan(**fields) -> Plan:
    n = next(_sequence)
    fields = {
        "code": f"plan-{n}",
        "name": f"Mål och budget {2020 + n % 50}",
        "start_year": 2022,
        "end_year": 2024,
        "is_published": True,
        **fields,
    }
    return Plan.objects.create(**fields)


def make_goal(plan: Plan | None = None, **fields) -> Goal:
    plan = plan or make_plan()
    number = fields.pop("number", None) or plan.goals.count() + 1
    fields = {"title": f"Inriktningsmål {number}", "is_published": True, **fields}
    return Goal.objects.create(plan=plan, number=number, **fields)


def make_period(**fields) -> ReportingPeriod:
    n = next(_sequence)
    date = fields.pop("date", None) or datetime.date(2000, 1, 1) + datetime.timedelta(days=31 * n)
    fields = {"code": date.strftime("%Y-%m") + f"-{n}", "name": f"Period {n}", **fields}
    return ReportingPeriod.objects.create(date=date, **fields)


def make_body(**fields) -> ResponsibleBody:
    n = next(_sequence)
    fields = {"code": f"N{n}", "name": f"Nämnd {n}", "kind": BodyKind.COMMITTEE, **fields}
    return ResponsibleBody.objects.create(**fields)


def make_assignment(goal: Goal | None = None, bodies=(), **fields) -> Assignment:
    goal = goal or make_goal()
    number = fields.pop("number", None) or goal.assignments.count() + 1
    fields = {"title": f"Uppdrag {number}", **fields}
    assignment = Assignment.objects.create(goal=goal, number=number, **fields)
    for position, body in enumerate(bodies):
        AssignmentResponsibility.objects.create(
            assignment=assignment, body=body, position=position
        )
    return assignment


def make_assessment(assignment=None, period=None, **fields) -> Assessment:
    fields = {
        "status": AssessmentStatus.ON_TRACK,
        "text": "Arbetet pågår enligt plan.",
        "is_published": True,
        **fields,
    }
    return Assessment.objects.create(
        assignment=assignment or make_assignment(), period=period or make_period(), **fields
    )


def make_goal_assessment(goal=None, period=None, **fields) -> GoalAssessment:
    fields = {
        "fulfilment": Fulfilment.LARGELY,
        "text": "Målet bedöms bli i hög grad uppfyllt.",
        "is_published": True,
        **fields,
    }
    return GoalAssessment.objects.create(
        goal=goal or make_goal(), period=period or make_period(), **fields
    )
