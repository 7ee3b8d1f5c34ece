"""What was current as of a period (assignments.models.current_as_of): the one rule the
exports follow, and the pages with them."""

import datetime

import pytest

from assignments.models import AssessmentStatus, ReviewState, current_as_of
from tests import factories as f

pytestmark = pytest.mark.django_db

APRIL, AUGUST, DECEMBER = (datetime.date(2022, m, d) for m, d in ((4, 30), (8, 31), (12, 31)))


def test_it_gives_the_newest_published_assessment_on_or_before_the_date():
    april, august, december = (f.make_period(date=d) for d in (APRIL, AUGUST, DECEMBER))
    assignment = f.make_assignment()
    f.make_assessment(assignment, april, status=AssessmentStatus.DELAYED, text="April.")
    f.make_assessment(assignment, august, status=AssessmentStatus.ON_TRACK, text="Augusti.")
    f.make_assessment(assignment, december, text="Utkast.", is_published=False)

    def text_as_of(date):
        found = current_as_of([assignment], date)[assignment.pk]
        return found and found[2]

    assert text_as_of(None) == "Augusti."  # a draft is never current
    assert text_as_of(DECEMBER) == "Augusti."
    assert text_as_of(AUGUST) == "Augusti."
    assert text_as_of(datetime.date(2022, 8, 30)) == "April."
    assert text_as_of(datetime.date(2022, 1, 1)) is None


def test_it_gives_a_correction_not_the_version_it_superseded():
    april = f.make_period(date=APRIL)
    assignment = f.make_assignment()
    old = f.make_assessment(assignment, april, text="Fel.", state=ReviewState.SUPERSEDED)
    f.make_assessment(assignment, april, text="Rätt.", corrects=old, correction_reason="Fel.")
    assert current_as_of([assignment], APRIL)[assignment.pk][2] == "Rätt."


def test_it_combines_the_parts_of_several_bodies_most_severe_first():
    april = f.make_period(date=APRIL)
    first, second = f.make_body(name="Första nämnden"), f.make_body(name="Andra nämnden")
    assignment = f.make_assignment(bodies=[first, second])
    f.make_assessment(assignment, april, body=second, status=AssessmentStatus.DELAYED, text="B.")
    f.make_assessment(assignment, april, body=first, status=AssessmentStatus.ON_TRACK, text="A.")
    _, status, text = current_as_of([assignment])[assignment.pk]
    assert status == AssessmentStatus.DELAYED
    assert text == "Första nämnden: A.\n\nAndra nämnden: B."


def test_a_list_shows_the_most_severe_status_of_the_newest_periods_parts(client):
    april = f.make_period(date=APRIL)
    first, second = f.make_body(name="Första nämnden"), f.make_body(name="Andra nämnden")
    assignment = f.make_assignment(bodies=[first, second])
    f.make_assessment(assignment, april, body=first, status=AssessmentStatus.ON_TRACK, text="A.")
    f.make_assessment(assignment, april, body=second, status=AssessmentStatus.DELAYED, text="B.")
    [listed] = type(assignment).objects.filter(pk=assignment.pk).for_page()
    assert listed.current_status == AssessmentStatus.DELAYED
    page = client.get(assignment.goal.get_absolute_url()).content.decode()
    assert 'data-status="delayed"' in page
