"""Test data: small factories that each make a valid object and take overrides, and
build_portal(), the one builder of a whole test portal (seed_portal() finds the seed's).

    portal = build_portal(goals=8, assignments=25, periods=6)
    public_pages(portal)  # tests/pages.py: the address of every public page type
"""

import datetime
import itertools
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from assignments.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    AssignmentResponsibility,
    BodyKind,
    ResponsibleBody,
    ReviewState,
)
from goals import demo_data
from goals.models import (
    Fulfilment,
    Goal,
    GoalAction,
    GoalAssessment,
    Organisation,
    PeriodState,
    Plan,
    ReportingPeriod,
)
from tests.pages import Portal

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
    # A month apart, from 2000 on; round again after some 170 years (a whole suite makes
    # thousands), within the years a period may have.
    step = datetime.timedelta(days=31 * (n % 2000))
    date = fields.pop("date", None) or datetime.date(2000, 1, 1) + step
    fields = {
        "code": date.strftime("%Y-%m") + f"-{n}",
        "name": f"Period {n}",
        "state": PeriodState.PUBLISHED,
        **fields,
    }
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


def _review_fields(fields: dict) -> dict:
    """`is_published=False` (default True) as the state it stands for, unless a state is
    given: a published record has a publication time."""
    published = fields.pop("is_published", True)
    state = fields.setdefault("state", ReviewState.PUBLISHED if published else ReviewState.DRAFT)
    if state in ReviewState.permanent():
        fields.setdefault("published_at", timezone.now())
    return fields


def make_assessment(assignment=None, period=None, **fields) -> Assessment:
    fields = _review_fields(
        {"status": AssessmentStatus.ON_TRACK, "text": "Arbetet pågår enligt plan.", **fields}
    )
    return Assessment.objects.create(
        assignment=assignment or make_assignment(), period=period or make_period(), **fields
    )


def make_goal_assessment(goal=None, period=None, **fields) -> GoalAssessment:
    fields = _review_fields(
        {
            "fulfilment": Fulfilment.LARGELY,
            "text": "Målet bedöms bli i hög grad uppfyllt.",
            **fields,
        }
    )
    return GoalAssessment.objects.create(
        goal=goal or make_goal(), period=period or make_period(), **fields
    )



def make_staff(username: str, role: str, *bodies, **fields) -> User:
    """A staff user in the group of `role` (a role's name, assignments/roles.py), an
    official of each of `bodies`."""
    user = User.objects.create_user(username, password="x", is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    for body in bodies:
        body.officials.add(user)
    return user


def staff_client(username: str, role: str, *bodies) -> Client:
    """A test client logged in as make_staff(username, role, *bodies)."""
    client = Client()
    client.force_login(make_staff(username, role, *bodies))
    return client

# --------------------------------------------------------------------------- whole portals

# Texts of unpublished content: build_portal() returns them in Portal.hidden_texts.
DRAFT_ASSESSMENT = "Utkast till bedömning av uppdraget, som inte får synas förrän det publiceras."
DRAFT_GOAL_ASSESSMENT = "Utkast till bedömning av målet, som inte får synas förrän det publiceras."
HIDDEN_GOAL = "Opublicerat mål: kommunen ska ha en ny översiktsplan för år 2050"
HIDDEN_ASSIGNMENT = "Opublicerat uppdrag: ta fram samrådshandlingar för översiktsplanen."
HIDDEN_PLAN_NAME = "Mål och budget under beredning"
HIDDEN_PLAN_GOAL = "Mål i en opublicerad plan: alla ska ha nära till grönområden"
HIDDEN_PLAN_ASSIGNMENT = "Uppdrag i en opublicerad plan: anlägga fickparker i varje stadsdel."
HIDDEN_ASSESSMENT = "Bedömning av ett uppdrag som allmänheten inte får se ännu."


def seed_portal() -> Portal:
    """The seed goal's page objects (Uppsala, goal 5), once the `seed` fixture imported it:
    its plan, the goal, assignment 5 (an additional assignment of Kommunstyrelsen's, not
    quite on track) and Kommunstyrelsen."""
    goal = Goal.objects.select_related("plan").get(plan__code="mob-2022", number=5)
    return Portal(
        plan=goal.plan,
        goal=goal,
        assignment=goal.assignments.get(number=5),
        body=ResponsibleBody.objects.get(code="KS"),
        period="2022-08",
    )


def build_portal(
    *,
    plans: int = 1,
    goals: int = 2,
    assignments: int = 6,
    periods: int = 3,
    bodies: int = 12,
    seed: int = 1,
    code: str = "exempel",
    start_year: int = 2022,
) -> Portal:
    """A test portal, deterministic: the same arguments on the same database give the same
    portal.

    The bulk comes from the data generator (goals/demo_data.py): `plans` published plans of
    `goals` goals with `assignments` assignments each, assessed in `periods` reporting
    periods per plan, with Swedish text, and `bodies` responsible bodies (Kommunstyrelsen
    first; bodies and periods that exist already, such as the seed's, are reused). Then the
    newest plan's goal 2 (goal 1 when it has only one) gets what every page must show right:

    - five more assignments, one of each kind: named committee and company, assessed in
      every period, the latest assessment a draft (the Portal's assignment); given to all
      committees; to all companies and a named committee; an additional assignment of the
      latest period's year; one not assessed yet;
    - an action with a link, and one that is only a title;
    - its newest goal assessment is a draft.

    Beside it an unpublished goal with an assignment of Kommunstyrelsen's, and a newer,
    unpublished plan whose goal (itself published) has one too. The Portal holds the plan,
    the goal, that assignment, Kommunstyrelsen, and in hidden_texts the texts of all that is
    unpublished (none of them may appear on a public page or in the open data).
    """
    spec = demo_data.Spec.sized(
        plans=plans,
        goals=goals,
        assignments=assignments,
        periods=periods,
        bodies=bodies,
        seed=seed,
        code=code,
        start_year=start_year,
    )
    generated = demo_data.generate(spec)
    plan = generated.plans[-1]
    reporting = generated.periods[plan.code]
    committees = generated.bodies[BodyKind.COMMITTEE]
    companies = generated.bodies[BodyKind.COMPANY] or committees
    body = committees[0]
    goal = plan.goals.get(number=min(2, goals))

    assignment = _add_assignments_of_every_kind(goal, reporting, body, committees, companies)
    _add_actions(goal)
    GoalAssessment.objects.filter(goal=goal, period=reporting[-1]).update(
        state=ReviewState.DRAFT, published_at=None, text=DRAFT_GOAL_ASSESSMENT
    )
    _add_unpublished(plan, reporting[-1], body, code=f"{code}-beredning")
    return Portal(
        plan=plan,
        goal=goal,
        assignment=assignment,
        body=body,
        hidden_texts=(
            DRAFT_ASSESSMENT,
            DRAFT_GOAL_ASSESSMENT,
            HIDDEN_GOAL,
            HIDDEN_ASSIGNMENT,
            HIDDEN_PLAN_NAME,
            HIDDEN_PLAN_GOAL,
            HIDDEN_PLAN_ASSIGNMENT,
            HIDDEN_ASSESSMENT,
        ),
        # The plan's first period: the portal's assignment is delayed then, and with periods
        # in two years its additional assignment is left out.
        period=reporting[0].code,
    )


def _add_assignments_of_every_kind(goal, periods, body, committees, companies) -> Assignment:
    """Five assignments of `goal`, one of each kind a page shows; the first is returned."""
    plan = goal.plan
    latest = periods[-1]
    history = make_assignment(
        goal,
        bodies=list(dict.fromkeys([body, companies[0]])),
        title="Ta fram en plan för fler hyresrätter med rimliga hyror i alla kommundelar.",
        expected_completion_year=plan.end_year,
    )
    for index, period in enumerate(periods[:-1]):
        make_assessment(
            history,
            period,
            status=AssessmentStatus.DELAYED if index == 0 else AssessmentStatus.ON_TRACK,
            text=(
                "Arbetet är försenat eftersom förstudien tog längre tid än väntat."
                if index == 0
                else "Arbetet pågår enligt plan.\n\nEtt förslag till markanvisningar "
                "lämnas till kommunstyrelsen under hösten."
            ),
        )
    make_assessment(
        history,
        latest,
        status=AssessmentStatus.COMPLETED,
        text=DRAFT_ASSESSMENT,
        is_published=False,
    )

    everyone = make_assignment(
        goal,
        title="Samtliga nämnder ska minska energianvändningen i sina egna lokaler.",
        all_committees=True,
    )
    for period in periods:
        make_assessment(everyone, period, text="Åtgärderna följs upp i varje nämnds årsrapport.")

    companies_too = make_assignment(
        goal,
        bodies=[committees[-1]],
        title="Samtliga bolag ska erbjuda feriearbete åt ungdomar i åldern 16–18 år.",
        all_companies=True,
    )
    make_assessment(
        companies_too,
        latest,
        status=AssessmentStatus.NOT_CARRIED_OUT,
        text="Uppdraget genomförs inte i år på grund av minskade statsbidrag.",
    )

    added = make_assignment(
        goal,
        bodies=[body],
        title="Utreda en övergång till fossilfria arbetsmaskiner i kommunens verksamheter.",
        added_year=latest.date.year,
    )
    for period in periods:
        if period.date.year >= latest.date.year:
            make_assessment(
                added,
                period,
                status=AssessmentStatus.DELAYED,
                text="Utredningen har inte påbörjats på grund av vakanser på förvaltningen.",
            )

    make_assignment(
        goal,
        bodies=[companies[-1]],
        title="Kartlägga behovet av trygghetsboenden på landsbygden.",
        expected_completion_year=plan.end_year,
    )
    return history


def _add_actions(goal: Goal) -> None:
    position = goal.actions.count()
    GoalAction.objects.create(
        goal=goal,
        position=position,
        title="Öppnat ett jobbtorg i Gottsunda",
        url="https://exempelby.se/jobbtorg",
    )
    GoalAction.objects.create(goal=goal, position=position + 1, title="Infört sommarlovsjobb")


def _add_unpublished(plan: Plan, period: ReportingPeriod, body, *, code: str) -> None:
    """An unpublished goal of `plan`, and a newer unpublished plan with a published goal,
    each with an assignment of `body`'s assessed (and published) in `period`."""
    hidden_goal = make_goal(plan, title=HIDDEN_GOAL, is_published=False)
    make_assessment(
        make_assignment(hidden_goal, bodies=[body], title=HIDDEN_ASSIGNMENT),
        period,
        text=HIDDEN_ASSESSMENT,
    )
    start = plan.end_year + 1
    hidden_plan = make_plan(
        code=code,
        name=HIDDEN_PLAN_NAME,
        start_year=start,
        end_year=start + 2,
        is_published=False,
    )
    goal = make_goal(hidden_plan, title=HIDDEN_PLAN_GOAL)
    make_assessment(
        make_assignment(goal, bodies=[body], title=HIDDEN_PLAN_ASSIGNMENT),
        period,
        text=HIDDEN_ASSESSMENT,
    )


def wipe_portal() -> None:
    """Empty the portal: every plan, goal, assignment, assessment, period, body and the
    organisation, the history of each, and the open-data import's memory.

    The portal itself never deletes a published assessment (an allmän handling), nor what
    one belongs to; only a test empties a database, with raw deletes that skip that guard
    (and that write no history of their own): children before parents, and of the
    assessments each correction before the version it corrects."""
    from django.db import connection

    from goals.models import FocusArea, GoalLink
    from opendata.models import ImportedRecord

    def raw_delete(model) -> None:
        model._base_manager.all()._raw_delete(connection.alias)

    for model in (Assessment, GoalAssessment):
        while model._base_manager.exists():
            model._base_manager.filter(correction=None)._raw_delete(connection.alias)
    for model in (
        AssignmentResponsibility,
        Assignment,
        FocusArea,
        GoalLink,
        GoalAction,
        Goal,
        Plan,
        ReportingPeriod,
        ResponsibleBody.officials.through,
        ResponsibleBody,
        Organisation,
        ImportedRecord,
    ):
        raw_delete(model)
    for model in (Assessment, GoalAssessment, Assignment, Goal, Plan, ReportingPeriod):
        raw_delete(model.history.model)
