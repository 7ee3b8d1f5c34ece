"""The page "Vad har ändrats" (goals/changes.py): between two published periods, the
assignments whose status got better or worse, that were added, completed or stopped.

The page marks each listed assignment with its kind and both statuses (data-kind,
data-before, data-after) and each count of the summary with its kind (data-kind), which
these tests read; the Swedish labels are checked where they already have translations."""

import datetime
import itertools
import re

import pytest
from django.test import Client

from assignments.models import (
    SEVERITY,
    AssessmentStatus,
    Assignment,
    BodyKind,
    ResponsibleBody,
    ReviewState,
    current_as_of,
)
from goals import changes
from goals.changes import ChangeKind, Part, PartBody, PartPeriod, classify, status_as_of
from goals.models import PeriodState, Plan
from tests import factories as f

pytestmark = pytest.mark.django_db

COMPLETED = AssessmentStatus.COMPLETED
ON_TRACK = AssessmentStatus.ON_TRACK
DELAYED = AssessmentStatus.DELAYED
NOT_CARRIED_OUT = AssessmentStatus.NOT_CARRIED_OUT

APRIL_22, AUGUST_22, APRIL_23 = (
    datetime.date(2022, 4, 30),
    datetime.date(2022, 8, 31),
    datetime.date(2023, 4, 30),
)

CHANGE_ITEM = re.compile(
    r'<li class="change" data-kind="(\w+)" data-assignment="(\d+\.\d+)" '
    r'data-before="(\w+)" data-after="(\w+)">'
)
SUMMARY_ITEM = re.compile(r'<li data-kind="(\w+)">.*?<span class="count">(\d+)</span>')


def url_of(plan) -> str:
    return f"/plan/{plan.slug}/andringar/"


def key(assignment) -> str:
    """How the page names an assignment: "<goal number>.<assignment number>"."""
    return f"{assignment.goal.number}.{assignment.number}"


def listed(response) -> set[tuple[str, str, str, str]]:
    """(kind, assignment's key(), status before, status after) of each listed change."""
    assert response.status_code == 200
    html = response.content.decode()
    found = CHANGE_ITEM.findall(html)
    assert len(found) == len(set(found)), "an assignment listed twice"
    return set(found)


def summary(response) -> dict[str, int]:
    return {kind: int(count) for kind, count in SUMMARY_ITEM.findall(response.content.decode())}


def compared(response) -> int:
    """The number of "N uppdrag jämförda" (N assignments compared)."""
    found = re.search(
        r"(\d+) (?:uppdrag jämförda|assignments? compared)", response.content.decode()
    )
    assert found, "no count of the compared assignments"
    return int(found.group(1))


def value(status) -> str:
    return status.value if status else "none"


def expected_changes(assignments, since, until) -> dict[str, tuple[str, str, str]]:
    """What the page must say of each assignment: (kind, before, after), worked out here
    from the model's own rule (current_as_of()) and the page's definitions, written out
    again: the first kind that fits of added, completed, stopped, better, worse. An
    additional assignment of a year after the second period's is not compared at all."""
    assignments = list(assignments.select_related("goal").with_ordered_bodies().with_history())
    before_all = current_as_of(assignments, since.date)
    after_all = current_as_of(assignments, until.date)
    found = {}
    for assignment in assignments:
        if assignment.added_year and assignment.added_year > until.date.year:
            continue
        before = before_all[assignment.pk] and AssessmentStatus(before_all[assignment.pk][1])
        after = after_all[assignment.pk] and AssessmentStatus(after_all[assignment.pk][1])
        year = assignment.added_year
        if (year and since.date.year < year <= until.date.year) or (not before and after):
            kind = "added"
        elif not before or not after or before == after:
            kind = "unchanged"
        elif after == COMPLETED:
            kind = "completed"
        elif after == NOT_CARRIED_OUT:
            kind = "stopped"
        elif SEVERITY.index(after) > SEVERITY.index(before):
            kind = "better"
        else:
            kind = "worse"
        found[key(assignment)] = (kind, value(before or None), value(after or None))
    return found


def as_listed(expected: dict[str, tuple[str, str, str]]) -> set[tuple[str, str, str, str]]:
    return {
        (kind, name, before, after)
        for name, (kind, before, after) in expected.items()
        if kind != "unchanged"
    }


def counted(expected: dict[str, tuple[str, str, str]]) -> dict[str, int]:
    counts = dict.fromkeys(ChangeKind.values, 0)
    for kind, _before, _after in expected.values():
        counts[kind] += 1
    return counts


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("before", "after", "added_year", "kind"),
    [
        (DELAYED, ON_TRACK, None, ChangeKind.BETTER),
        (NOT_CARRIED_OUT, DELAYED, None, ChangeKind.BETTER),
        (NOT_CARRIED_OUT, ON_TRACK, None, ChangeKind.BETTER),
        (ON_TRACK, DELAYED, None, ChangeKind.WORSE),
        (COMPLETED, ON_TRACK, None, ChangeKind.WORSE),
        (ON_TRACK, COMPLETED, None, ChangeKind.COMPLETED),
        (DELAYED, COMPLETED, None, ChangeKind.COMPLETED),
        (ON_TRACK, NOT_CARRIED_OUT, None, ChangeKind.STOPPED),
        (COMPLETED, NOT_CARRIED_OUT, None, ChangeKind.STOPPED),
        (None, ON_TRACK, None, ChangeKind.ADDED),
        (None, COMPLETED, None, ChangeKind.ADDED),
        (None, None, 2023, ChangeKind.ADDED),  # added in the second period's year
        (ON_TRACK, ON_TRACK, 2023, ChangeKind.ADDED),
        (None, None, 2022, ChangeKind.UNCHANGED),  # the first period's year: not new
        (None, None, 2024, ChangeKind.UNCHANGED),  # after the second period's year
        (ON_TRACK, ON_TRACK, None, ChangeKind.UNCHANGED),
        (COMPLETED, COMPLETED, None, ChangeKind.UNCHANGED),
        (None, None, None, ChangeKind.UNCHANGED),
    ],
)
def test_it_classifies_a_change_by_the_first_kind_that_fits(before, after, added_year, kind):
    assert classify(before, after, added_year=added_year, since_year=2022, until_year=2023) == kind


def test_it_ranks_the_statuses_by_severity():
    ranked = [NOT_CARRIED_OUT, DELAYED, ON_TRACK, COMPLETED]
    for worse, better in itertools.pairwise(ranked):
        assert changes.is_better(worse, better) and not changes.is_better(better, worse)


def test_it_reads_the_status_as_of_a_date_as_the_one_rule_does():
    april, august = PartPeriod(APRIL_22), PartPeriod(AUGUST_22)
    first, second = PartBody("A-nämnden", "A"), PartBody("B-nämnden", "B")
    history = [
        Part("on_track", april, 1, first),
        Part("on_track", april, 2, second),
        Part("on_track", august, 1, first),
        Part("delayed", august, 2, second),
    ]
    assert status_as_of(history, datetime.date(2022, 4, 29)) is None
    assert status_as_of(history, APRIL_22) == ON_TRACK
    assert status_as_of(history, datetime.date(2022, 8, 30)) == ON_TRACK
    assert status_as_of(history, AUGUST_22) == DELAYED  # the most severe part
    own = [*history, Part("completed", august)]  # the municipality's own, alone
    assert status_as_of(own, APRIL_23) == COMPLETED


# --------------------------------------------------------------------------- the page


@pytest.fixture
def plan_with_every_kind():
    """A plan with three periods and an assignment of every kind between the first two and
    between the last two; returns (plan, periods, {name: assignment})."""
    plan = f.make_plan(start_year=2022, end_year=2024)
    goal, other_goal = f.make_goal(plan), f.make_goal(plan)
    first, second = f.make_body(name="A-nämnden"), f.make_body(name="B-nämnden")
    f.make_body(name="Bolaget AB", kind=BodyKind.COMPANY)
    periods = [
        f.make_period(date=d, code=d.strftime("p%Y-%m")) for d in (APRIL_22, AUGUST_22, APRIL_23)
    ]
    april, august, _ = periods

    def assignment(name, statuses, goal=goal, **fields):
        made = f.make_assignment(goal, bodies=fields.pop("bodies", [first]), title=name, **fields)
        for period, status in zip(periods, statuses, strict=True):
            if status:
                f.make_assessment(made, period, status=status)
        return made

    made = {
        "better": assignment("Bättre", [DELAYED, ON_TRACK, ON_TRACK]),
        "worse": assignment("Sämre", [ON_TRACK, DELAYED, DELAYED]),
        "completed": assignment("Slutfört", [ON_TRACK, COMPLETED, COMPLETED]),
        "stopped": assignment("Stoppat", [DELAYED, NOT_CARRIED_OUT, NOT_CARRIED_OUT]),
        "added": assignment("Nytt", [None, ON_TRACK, ON_TRACK], goal=other_goal),
        "unchanged": assignment("Oförändrat", [ON_TRACK, ON_TRACK, ON_TRACK]),
        "never": assignment("Aldrig bedömt", [None, None, None]),
        "added later": assignment("Tillkommer 2023", [None, None, None], added_year=2023),
        "reopened": assignment("Återöppnat", [COMPLETED, ON_TRACK, ON_TRACK], goal=other_goal),
        "company": assignment(
            "Alla bolag", [None, DELAYED, ON_TRACK], bodies=[], all_companies=True
        ),
    }
    parts = f.make_assignment(goal, bodies=[first, second], title="Två nämnder")
    for body in (first, second):
        f.make_assessment(parts, april, body=body, status=ON_TRACK)
    f.make_assessment(parts, august, body=first, status=ON_TRACK)
    f.make_assessment(parts, august, body=second, status=DELAYED)  # together: delayed
    made["parts"] = parts
    draft = assignment("Utkast", [ON_TRACK, None, None])
    f.make_assessment(draft, august, status=COMPLETED, is_published=False)
    made["draft"] = draft
    corrected = assignment("Rättat", [ON_TRACK, None, None])
    wrong = f.make_assessment(corrected, august, status=DELAYED, state=ReviewState.SUPERSEDED)
    f.make_assessment(corrected, august, status=COMPLETED, corrects=wrong, correction_reason="Fel.")
    made["corrected"] = corrected
    return plan, periods, made


def test_it_lists_every_kind_of_change_between_two_periods(client, plan_with_every_kind):
    plan, (april, august, _), made = plan_with_every_kind
    response = client.get(url_of(plan), {"fran": april.code, "till": august.code})
    pk = {name: key(assignment) for name, assignment in made.items()}
    assert listed(response) == {
        ("better", pk["better"], "delayed", "on_track"),
        ("worse", pk["worse"], "on_track", "delayed"),
        ("worse", pk["reopened"], "completed", "on_track"),
        ("worse", pk["parts"], "on_track", "delayed"),
        ("completed", pk["completed"], "on_track", "completed"),
        ("completed", pk["corrected"], "on_track", "completed"),
        ("stopped", pk["stopped"], "delayed", "not_carried_out"),
        ("added", pk["added"], "none", "on_track"),
        ("added", pk["company"], "none", "delayed"),
    }
    assert summary(response) == {
        "added": 2,
        "completed": 2,
        "stopped": 1,
        "better": 1,
        "worse": 3,
        "unchanged": 3,  # unchanged, never assessed, the draft's
    }
    # The additional assignment of 2023 existed as of neither period: not compared.
    assert compared(response) == sum(summary(response).values()) == 12


def test_it_compares_an_additional_assignment_only_from_its_year_on(client, plan_with_every_kind):
    """As the goal page as of a period leaves out what was added after it."""
    plan, (april, august, april_23), made = plan_with_every_kind
    assignments = Assignment.objects.filter(goal__plan=plan)
    before = client.get(url_of(plan), {"fran": april.code, "till": august.code})
    after = client.get(url_of(plan), {"fran": august.code, "till": april_23.code})
    assert compared(before) == assignments.count() - 1
    assert compared(after) == assignments.count()
    assert ("added", key(made["added later"]), "none", "none") in listed(after)
    # The goal page as of the second period counts the same assignments of the goal.
    goal = made["added later"].goal
    page = client.get(f"{goal.get_absolute_url()}?per={august.code}").content.decode()
    shown = len(re.findall(r'<li class="assignment" id="uppdrag-', page))
    by_goal = client.get(
        url_of(plan), {"fran": april.code, "till": august.code, "mal": goal.number}
    )
    assert compared(by_goal) == shown == assignments.filter(goal=goal).count() - 1


def test_it_counts_an_additional_assignment_of_a_later_year_as_added(client, plan_with_every_kind):
    plan, (_, august, april_23), made = plan_with_every_kind
    response = client.get(url_of(plan), {"fran": august.code, "till": april_23.code})
    pk = {name: key(assignment) for name, assignment in made.items()}
    assert listed(response) == {
        ("added", pk["added later"], "none", "none"),
        ("better", pk["company"], "delayed", "on_track"),
    }


def test_it_compares_the_two_newest_periods_with_assessments_by_default(
    client, plan_with_every_kind
):
    plan, (_, august, april_23), _made = plan_with_every_kind
    # Neither a newer period without the plan's assessments nor one with only drafts counts.
    f.make_period(date=datetime.date(2023, 8, 31))
    drafts = f.make_period(date=datetime.date(2023, 12, 31))
    f.make_assessment(
        Assignment.objects.filter(goal__plan=plan).first(), drafts, is_published=False
    )
    f.make_period(date=datetime.date(2024, 4, 30), state=PeriodState.OPEN)
    default = client.get(url_of(plan))
    chosen = client.get(url_of(plan), {"fran": august.code, "till": april_23.code})
    assert listed(default) == listed(chosen) != set()
    html = default.content.decode()
    assert f'<option value="{august.code}" selected>' in html
    assert f'<option value="{april_23.code}" selected>' in html
    # Only the period to compare with: the one before it.
    only_until = client.get(url_of(plan), {"till": april_23.code})
    assert listed(only_until) == listed(chosen)


def test_it_lists_per_goal_with_links_badges_and_bodies(client, plan_with_every_kind):
    plan, (april, august, _), made = plan_with_every_kind
    html = client.get(url_of(plan), {"fran": april.code, "till": august.code}).content.decode()
    goals = re.findall(r'<section class="change-goal" [^>]*data-goal="(\d+)"', html)
    assert goals == ["1", "2"]
    first_goal = html[html.index('data-goal="1"') : html.index('data-goal="2"')]
    assert "Nytt" not in first_goal and "Bättre" in first_goal
    better = made["better"]
    assert f'href="{better.get_absolute_url()}"' in html
    item = html[html.index(f'data-assignment="{key(better)}"') :]
    item = item[: item.index("</li>")]
    assert 'data-status="delayed"' in item and 'data-status="on_track"' in item
    assert item.index('data-status="delayed"') < item.index('data-status="on_track"')
    assert "Inte helt enligt plan" in item and "Enligt plan" in item  # words, not colour only
    assert "A-nämnden" in item and 'href="/ansvariga/' in item
    company = html[html.index(f'data-assignment="{key(made["company"])}"') :]
    assert "alla bolag" in company[: company.index("</li>")]


def test_it_filters_by_goal_and_by_body(client, plan_with_every_kind):
    plan, (april, august, _), made = plan_with_every_kind
    period = {"fran": april.code, "till": august.code}
    by_goal = listed(client.get(url_of(plan), {**period, "mal": "2"}))
    assert {name for _, name, _, _ in by_goal} == {key(made["added"]), key(made["reopened"])}
    bodies = {body.name: body for body in ResponsibleBody.objects.all()}
    by_company = listed(client.get(url_of(plan), {**period, "ansvarig": bodies["Bolaget AB"].slug}))
    assert {name for _, name, _, _ in by_company} == {
        key(made["company"])
    }  # given to all companies
    by_second = listed(client.get(url_of(plan), {**period, "ansvarig": bodies["B-nämnden"].slug}))
    assert {name for _, name, _, _ in by_second} == {key(made["parts"])}
    both = listed(
        client.get(url_of(plan), {**period, "mal": "1", "ansvarig": bodies["A-nämnden"].slug})
    )
    assert {name for _, name, _, _ in both} == {
        key(made[name])
        for name in ("better", "worse", "completed", "stopped", "parts", "corrected")
    }


def test_it_lists_exactly_the_changes_of_a_generated_portal(client):
    portal = f.build_portal(goals=3, assignments=10, periods=6)
    plan = portal.plan
    periods = changes.plan_periods(plan)
    assert len(periods) == 6
    public = Assignment.objects.public().filter(goal__plan=plan)
    pairs = [(periods[-2], periods[-1]), (periods[0], periods[-1]), (periods[1], periods[3])]
    for since, until in pairs:
        expected = expected_changes(public, since, until)
        assert len(as_listed(expected)) >= 3  # the data set has changes to list
        response = client.get(url_of(plan), {"fran": since.code, "till": until.code})
        assert listed(response) == as_listed(expected), (since, until)
        assert summary(response) == counted(expected)
        existed = public.exclude(added_year__gt=until.date.year).count()
        assert compared(response) == sum(summary(response).values()) == existed
    # A goal, and a body (the assignments it answers for, also as one of all committees).
    since, until = periods[0], periods[-1]
    query = {"fran": since.code, "till": until.code}
    goal_only = public.filter(goal=portal.goal)
    response = client.get(url_of(plan), {**query, "mal": str(portal.goal.number)})
    assert listed(response) == as_listed(expected_changes(goal_only, since, until))
    body_only = public.for_body(portal.body)
    response = client.get(url_of(plan), {**query, "ansvarig": portal.body.slug})
    assert listed(response) == as_listed(expected_changes(body_only, since, until))


def test_it_never_shows_unpublished_content(client):
    portal = f.build_portal(goals=2, assignments=4, periods=3)
    periods = changes.plan_periods(portal.plan)
    urls = [
        url_of(portal.plan),
        f"{url_of(portal.plan)}?fran={periods[0].code}&till={periods[-1].code}",
        f"{url_of(portal.plan)}?ansvarig={portal.body.slug}&fran={periods[0].code}",
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert [text for text in portal.hidden_texts if text in html] == [], url
    hidden_plan = Plan.objects.get(is_published=False, name=f.HIDDEN_PLAN_NAME)
    assert client.get(url_of(hidden_plan)).status_code == 404


# --------------------------------------------------------------------------- bad input


def error_of(response, field: str) -> bool:
    html = response.content.decode()
    return 'class="form-errors"' in html and f'id="changes-{field}-error"' in html


def test_it_explains_a_second_period_not_after_the_first(client, plan_with_every_kind):
    plan, (april, august, _), _made = plan_with_every_kind
    for since, until in ((august, april), (august, august)):
        response = client.get(url_of(plan), {"fran": since.code, "till": until.code})
        assert response.status_code == 200
        assert error_of(response, "until")
        assert listed(response) == set()
        assert (
            'aria-invalid="true" aria-describedby="changes-until-error"'
            in response.content.decode()
        )


def selected(response) -> tuple[str, str]:
    """The codes of the periods chosen in the form: (from, to)."""
    html = response.content.decode()
    found = []
    for name in ("fran", "till"):
        start = html.index(f'name="{name}"')
        select = html[start : html.index("</select>", start)]
        found.append(re.search(r'<option value="([^"]+)" selected>', select).group(1))
    return found[0], found[1]


def test_it_compares_a_first_period_given_alone_with_the_newest(client, plan_with_every_kind):
    plan, (april, august, april_23), _made = plan_with_every_kind
    response = client.get(url_of(plan), {"fran": april.code})
    assert not error_of(response, "since") and not error_of(response, "until")
    assert selected(response) == (april.code, april_23.code)
    assert listed(response) == listed(
        client.get(url_of(plan), {"fran": april.code, "till": april_23.code})
    )
    response = client.get(url_of(plan), {"fran": august.code})
    assert selected(response) == (august.code, april_23.code)


def test_it_compares_a_second_period_given_alone_with_the_one_before(client, plan_with_every_kind):
    plan, (april, august, april_23), _made = plan_with_every_kind
    for until, since in ((august, april), (april_23, august)):
        response = client.get(url_of(plan), {"till": until.code})
        assert not error_of(response, "since") and not error_of(response, "until")
        assert selected(response) == (since.code, until.code)
        assert listed(response) == listed(
            client.get(url_of(plan), {"fran": since.code, "till": until.code})
        )


def test_it_explains_a_period_alone_that_has_nothing_to_compare_with(client, plan_with_every_kind):
    """The newest as the first period, the oldest as the second: the form says which."""
    plan, (april, _august, april_23), _made = plan_with_every_kind
    response = client.get(url_of(plan), {"fran": april_23.code})
    assert response.status_code == 200
    assert error_of(response, "since") and not error_of(response, "until")
    assert listed(response) == set()
    assert 'aria-invalid="true" aria-describedby="changes-since-error"' in response.content.decode()
    response = client.get(url_of(plan), {"till": april.code})
    assert response.status_code == 200
    assert error_of(response, "until") and not error_of(response, "since")
    assert listed(response) == set()
    # The messages (Swedish once the integrator has compiled the translations).
    for query in ({"fran": april_23.code}, {"till": april.code}):
        html = client.get(url_of(plan), query).content.decode()
        message = re.search(r'<span class="field-error" id="changes-\w+-error">([^<]+)<', html)
        assert message.group(1) in (
            "Ingen senare period har bedömningar att jämföra med: välj en tidigare.",
            "Ingen tidigare period har bedömningar att jämföra med: välj en senare.",
            "No later period has assessments to compare with: choose an earlier one.",
            "No earlier period has assessments to compare with: choose a later one.",
        )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"fran": "finns-inte"}, "since"),
        ({"till": "x" * 500}, "until"),
        ({"fran": "\x00"}, "since"),
        ({"mal": "abc"}, "goal"),
        ({"mal": "99"}, "goal"),
        ({"mal": "-1"}, "goal"),
        ({"ansvarig": "ingen-sadan"}, "body"),
        ({"ansvarig": "<script>"}, "body"),
    ],
)
def test_it_answers_junk_with_the_page_and_a_message(client, plan_with_every_kind, query, field):
    plan, _periods, _made = plan_with_every_kind
    response = client.get(url_of(plan), query)
    assert response.status_code == 200
    assert error_of(response, field)
    assert "<script>" not in response.content.decode()


def test_it_ignores_empty_and_unknown_parameters(client, plan_with_every_kind):
    plan, _periods, _made = plan_with_every_kind
    plain = listed(client.get(url_of(plan)))
    assert plain
    assert listed(client.get(url_of(plan), {"mal": "", "ansvarig": "", "x": "1"})) == plain


def test_it_says_so_when_there_is_nothing_to_compare(client):
    plan = f.make_plan()
    assignment = f.make_assignment(f.make_goal(plan))
    response = client.get(url_of(plan))
    assert response.status_code == 200 and listed(response) == set()
    f.make_assessment(assignment, f.make_period())
    response = client.get(url_of(plan))
    assert response.status_code == 200 and listed(response) == set()
    assert 'class="form-errors"' not in response.content.decode()


def test_it_answers_404_for_an_unknown_or_unpublished_plan(client):
    assert client.get("/plan/finns-inte/andringar/").status_code == 404
    plan = f.make_plan(is_published=False)
    f.make_goal(plan)
    assert client.get(url_of(plan)).status_code == 404


def test_it_is_a_public_page_that_declares_its_query(client, plan_with_every_kind):
    plan, _periods, _made = plan_with_every_kind
    assert set(changes.plan_changes.page_query_params) == {"fran", "till", "mal", "ansvarig"}
    assert client.head(url_of(plan)).status_code == 200
    response = Client(enforce_csrf_checks=True).post(url_of(plan))
    assert response.status_code == 405
    assert not client.get(url_of(plan)).cookies


def test_it_labels_every_control_of_the_form(client, plan_with_every_kind):
    plan, _periods, _made = plan_with_every_kind
    html = client.get(url_of(plan)).content.decode()
    start = html.index('<form class="changes-form"')
    form = html[start : html.index("</form>", start)]
    assert 'method="get"' in form and '<button type="submit">' in form
    for name in ("fran", "till", "mal", "ansvarig"):
        control = re.search(rf'<select id="([\w-]+)" name="{name}"', form)
        assert control, name
        assert f'<label for="{control.group(1)}">' in form


# --------------------------------------------------------------------------- queries


QUERIES = 8  # plan, periods, goals, bodies, assignments and their bodies, histories; base.html


@pytest.mark.parametrize("size", [(2, 3, 3), (5, 20, 6)])
def test_it_runs_a_fixed_number_of_queries_at_any_size(client, size, django_assert_num_queries):
    goals, assignments, periods = size
    portal = f.build_portal(goals=goals, assignments=assignments, periods=periods)
    found = changes.plan_periods(portal.plan)
    urls = [
        url_of(portal.plan),
        f"{url_of(portal.plan)}?fran={found[0].code}&till={found[-1].code}",
        f"{url_of(portal.plan)}?mal={portal.goal.number}&ansvarig={portal.body.slug}",
    ]
    for url in urls:
        with django_assert_num_queries(QUERIES):
            assert client.get(url).status_code == 200


# --------------------------------------------------------------------------- the periods' labels


@pytest.mark.parametrize(
    ("prefix", "months", "heading", "status"),
    [
        ("", ("April 2022", "Augusti 2022"), "Från april 2022 till augusti 2022", "Status per"),
        ("/en", ("April 2022", "August 2022"), "From April 2022 to August 2022", "Status as of"),
    ],
)
def test_it_names_the_periods_by_their_dates_in_the_pages_language(
    client, plan_with_every_kind, prefix, months, heading, status
):
    """Not by their names ("Period 5"), the municipality's data."""
    plan, (april, august, _), _made = plan_with_every_kind
    response = client.get(prefix + url_of(plan), {"fran": april.code, "till": august.code})
    html = response.content.decode()
    for code, month in zip((april.code, august.code), months, strict=True):
        assert f'<option value="{code}" selected>{month}</option>' in html
    assert f">{heading}</h2>" in html
    assert f"{status} 30 april 2022:".lower() in html.lower()
    assert not re.search(r">\s*Period \d", html)
