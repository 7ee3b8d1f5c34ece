"""The uppfoljning/1 open-data format: export, import, validation and the commands.

Malformed files are in tests/test_opendata_files.py, re-imports over work done in the
portal (conflicts, --dry-run, --overwrite) in tests/test_opendata_reimport.py.
"""

import copy
import datetime
import io
import json
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator

import opendata
from assignments.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    AssignmentResponsibility,
    BodyKind,
    ResponsibleBody,
    ReviewState,
    combined_assessment,
)
from goals.models import (
    FocusArea,
    Fulfilment,
    Goal,
    GoalAction,
    GoalAssessment,
    GoalLink,
    Organisation,
    Plan,
    ReportingPeriod,
)
from opendata.export import EXPORT_QUERIES
from opendata.importer import IMPORT_CORRECTION_REASON
from opendata.models import ImportedRecord
from tests.factories import (
    SEED_FILE,
    build_portal,
    make_assessment,
    make_assignment,
    make_body,
    make_goal,
    make_goal_assessment,
    make_organisation,
    make_period,
    make_plan,
    wipe_portal,
)

pytestmark = pytest.mark.django_db

FIXTURE = SEED_FILE
FIXTURE_TEXT = FIXTURE.read_text(encoding="utf-8")

# Every model the format touches; with the import's memory of what it wrote, and (below)
# the history of each model that keeps one.
ALL_MODELS = [
    ImportedRecord,
    Assessment,
    GoalAssessment,
    AssignmentResponsibility,
    Assignment,
    FocusArea,
    GoalLink,
    GoalAction,
    Goal,
    Plan,
    ReportingPeriod,
    ResponsibleBody,
    Organisation,
]
ALL_MODELS += [model.history.model for model in ALL_MODELS if hasattr(model, "history")]


def fixture_document() -> dict:
    return json.loads(FIXTURE_TEXT)


def snapshot() -> dict[str, list[dict]]:
    """Every row of every model the format touches, and of their history, with all of its
    values."""
    return {
        model.__name__: list(model._base_manager.order_by("pk").values()) for model in ALL_MODELS
    }


def wipe() -> None:
    """An empty database (a published assessment is never deleted: see wipe_portal)."""
    wipe_portal()
    assert all(not rows for rows in snapshot().values())


def publish_correction(published, **values):
    """A correction of a published assessment (of an assignment or a goal) as the portal
    publishes it once reviewed: a new version with `values` that corrects it; the earlier
    version superseded."""
    model = type(published)
    reason = values.pop("correction_reason", "Fel siffra i texten.")
    content = {
        name: getattr(published, name)
        for name in model.content_fields
        if name not in ("corrects", "correction_reason")
    }
    published.state = ReviewState.SUPERSEDED
    published.save(update_fields=["state"])
    return model.objects.create(
        **(content | values),
        corrects=published,
        correction_reason=reason,
        state=ReviewState.PUBLISHED,
        published_at=timezone.now(),
    )


def export_text() -> str:
    return opendata.dumps(opendata.export_document())


# --------------------------------------------------------------------------- format text


def test_dumps_reproduces_the_example_file_byte_for_byte():
    assert opendata.dumps(fixture_document()) == FIXTURE_TEXT
    assert not FIXTURE_TEXT.endswith("\n")


def test_import_then_export_gives_the_example_file_back():
    report = opendata.import_document(fixture_document())

    assert report.created > 0
    assert export_text() == FIXTURE_TEXT


def test_export_import_into_an_empty_database_export_is_identical():
    opendata.import_document(fixture_document())
    first = export_text()
    wipe()

    opendata.import_document(json.loads(first))

    assert export_text() == first == FIXTURE_TEXT


def test_a_generated_portal_survives_export_import_export():
    build_portal(plans=2, goals=2, assignments=3)
    goal = Goal.objects.published().first()
    goal.description = "Ett.\n\nTvå <b>fet</b> & ”citat”."
    goal.save()
    first = export_text()
    assert "Två <b>fet</b> & ”citat”." in first
    wipe()

    opendata.import_document(json.loads(first))

    assert export_text() == first


def test_every_export_is_valid_against_the_schema():
    build_portal(plans=3, goals=2, assignments=5)
    schema = json.loads(opendata.SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    document = opendata.export_document()

    assert [error.message for error in validator.iter_errors(document)] == []
    assert opendata.validate(document) == []
    assert len(document["plans"]) == 3


def test_optional_keys_are_left_out_when_empty():
    make_organisation(website="")
    goal = make_goal(make_plan(code="p"))
    make_assignment(goal, title="Uppdrag")

    document = opendata.export_document()

    assert document["organisation"] == {"name": "Exempelby kommun"}
    assert document["plans"][0]["goals"][0] == {
        "number": 1,
        "title": goal.title,
        "assignments": [{"number": 1, "title": "Uppdrag", "bodies": []}],
    }


def test_export_orders_everything_as_the_format_says():
    make_organisation()
    make_body(code="B", position=1)
    make_body(code="C", position=0)
    make_body(code="A", position=1)
    late, early = (
        make_period(date=datetime.date(2023, 8, 31)),
        make_period(date=datetime.date(2022, 8, 31)),
    )
    make_goal(make_plan(code="z", start_year=2020, end_year=2021))
    plan = make_plan(code="a", start_year=2022, end_year=2024)
    second, first = make_goal(plan, number=2), make_goal(plan, number=1)
    make_goal_assessment(first, late)
    make_goal_assessment(first, early)
    b, a = make_assignment(first, number=2), make_assignment(first, number=1)
    make_assessment(a, late, text="late")
    make_assessment(a, early, text="early")
    body_c, body_a = ResponsibleBody.objects.get(code="C"), ResponsibleBody.objects.get(code="A")
    AssignmentResponsibility.objects.create(assignment=b, body=body_a, position=1)
    AssignmentResponsibility.objects.create(assignment=b, body=body_c, position=0)
    GoalLink.objects.create(goal=second, position=1, title="second", url="https://x.se/")
    GoalLink.objects.create(goal=second, position=0, title="first", url="https://x.se/")

    document = opendata.export_document()

    assert [body["code"] for body in document["bodies"]] == ["C", "A", "B"]
    assert [period["code"] for period in document["periods"]] == [early.code, late.code]
    assert [p["code"] for p in document["plans"]] == ["z", "a"]
    goals = document["plans"][1]["goals"]
    assert [g["number"] for g in goals] == [1, 2]
    assert [x["period"] for x in goals[0]["assessments"]] == [early.code, late.code]
    assert [x["number"] for x in goals[0]["assignments"]] == [1, 2]
    assert [x["text"] for x in goals[0]["assignments"][0]["assessments"]] == ["early", "late"]
    assert goals[0]["assignments"][1]["bodies"] == ["C", "A"]
    assert [link["title"] for link in goals[1]["links"]] == ["first", "second"]


def test_export_gives_one_entry_per_period_for_an_assignment_reported_in_parts():
    """Each body reports its own part: the format still has one assessment per period,
    the parts together (the most severe status; each text as a paragraph after the body's
    name, in the order the bodies are named on the assignment, then by name)."""
    make_organisation()
    ks = make_body(code="KS", name="Kommunstyrelsen")
    amn = make_body(code="AMN", name="Arbetsmarknadsnämnden")
    scn = make_body(code="SCN", name="Socialnämnden")
    bun = make_body(code="BUN", name="Barn- och ungdomsnämnden")
    august, december = (
        make_period(code="aug", date=datetime.date(2022, 8, 31)),
        make_period(code="dec", date=datetime.date(2022, 12, 31)),
    )
    # KS named first, AMN second; SCN and BUN answer as two of all committees.
    assignment = make_assignment(bodies=[ks, amn], all_committees=True)
    make_assessment(assignment, august, body=scn, status="completed", text="Klart hos oss.")
    make_assessment(assignment, august, body=amn, status="delayed", text="Försenat.")
    make_assessment(assignment, august, body=bun, status="on_track", text="Pågår.")
    make_assessment(assignment, august, body=ks, status="on_track", text="Ett.\n\nTvå.")
    make_assessment(assignment, august, body=ks, text="KS utkast", state=ReviewState.DRAFT)
    make_assessment(assignment, december, body=ks, status="not_carried_out", text="Stoppat.")
    make_assessment(assignment, december, body=amn, status="completed", text="Klart.")
    make_assessment(assignment, december, status="delayed", text="Kommunens egen bedömning.")

    [entry] = opendata.export_document()["plans"][0]["goals"][0]["assignments"]

    assert entry["assessments"] == [
        {
            "period": "aug",
            "status": "delayed",
            "text": "Kommunstyrelsen: Ett.\n\nTvå.\n\nArbetsmarknadsnämnden: Försenat.\n\n"
            "Barn- och ungdomsnämnden: Pågår.\n\nSocialnämnden: Klart hos oss.",
        },
        {"period": "dec", "status": "delayed", "text": "Kommunens egen bedömning."},
    ]


SEVERITY_CASES = [
    (["completed", "on_track"], "on_track"),
    (["on_track", "delayed", "completed"], "delayed"),
    (["delayed", "not_carried_out"], "not_carried_out"),
    (["completed", "completed"], "completed"),
]


@pytest.mark.parametrize("statuses,expected", SEVERITY_CASES)
def test_the_status_of_the_parts_together_is_the_most_severe(statuses, expected):
    bodies = [make_body(kind=BodyKind.COMMITTEE) for _ in statuses]
    parts = [
        Assessment(body=body, status=status, text="Text.")
        for body, status in zip(bodies, statuses, strict=True)
    ]

    assert combined_assessment(parts, [body.pk for body in bodies])[0] == expected


def test_a_single_part_is_exported_as_it_is():
    make_organisation()
    body = make_body(code="KS", name="Kommunstyrelsen")
    make_assessment(make_assignment(bodies=[body]), body=body, status="delayed", text="Sent.")

    [entry] = opendata.export_document()["plans"][0]["goals"][0]["assignments"]

    assert [(a["status"], a["text"]) for a in entry["assessments"]] == [("delayed", "Sent.")]


def test_a_superseded_version_never_leaves_the_portal():
    make_organisation()
    period = make_period()
    goal = make_goal()
    first = make_assessment(make_assignment(goal), period, text="FÖRSTA VERSIONEN")
    second = publish_correction(first, text="ANDRA VERSIONEN")
    publish_correction(second, text="GÄLLANDE VERSION")
    make_assessment(
        first.assignment,
        period,
        text="RÄTTELSE UNDER GRANSKNING",
        state=ReviewState.SUBMITTED,
        corrects=Assessment.objects.published().get(),
        correction_reason="Stavfel.",
    )
    old_goal = make_goal_assessment(goal, period, text="GAMMAL MÅLBEDÖMNING")
    publish_correction(old_goal, text="RÄTTAD MÅLBEDÖMNING")

    text = export_text()

    assert "GÄLLANDE VERSION" in text and "RÄTTAD MÅLBEDÖMNING" in text
    for secret in (
        "FÖRSTA VERSIONEN",
        "ANDRA VERSIONEN",
        "RÄTTELSE UNDER GRANSKNING",
        "GAMMAL MÅLBEDÖMNING",
    ):
        assert secret not in text


def test_a_portal_reported_in_parts_survives_export_import_export():
    portal = build_portal(plans=1, goals=2, assignments=3)
    committees = list(ResponsibleBody.objects.filter(kind=BodyKind.COMMITTEE).order_by("pk"))
    period = make_period(code="delar", date=datetime.date(2030, 4, 30))
    statuses = ["on_track", "delayed", "completed"]
    for assignment in portal.goal.assignments.order_by("number")[:3]:
        for index, (body, status) in enumerate(zip(committees, statuses, strict=False)):
            make_assessment(assignment, period, body=body, status=status, text=f"Del {index}.")
    first = export_text()
    assert "Del 0." in first
    wipe()

    opendata.import_document(json.loads(first))

    assert export_text() == first


def test_the_export_of_parts_imported_into_the_same_portal_changes_nothing():
    """The import compares the file with what the export shows: the parts together."""
    opendata.import_document(fixture_document())
    assignment = Assignment.objects.get(number=3)
    december = make_period(code="2022-12", name="December 2022", date=datetime.date(2022, 12, 31))
    for code, status in (("AMN", "delayed"), ("KS", "on_track")):
        body = ResponsibleBody.objects.get(code=code)
        make_assessment(assignment, december, body=body, status=status, text=f"Del av {code}.")
    document = opendata.export_document()
    before = snapshot()

    report = opendata.import_document(copy.deepcopy(document))

    assert (report.created, report.updated, report.changes) == (0, 0, [])
    assert report.unchanged == 21  # the seed's 19, the period and its one assessment
    after = snapshot()
    assert after.pop("ImportedRecord") != before.pop("ImportedRecord")  # adopted: remembered
    assert after == before
    assert opendata.export_document() == document


def test_export_without_an_organisation_is_an_error():
    with pytest.raises(opendata.OpenDataError) as caught:
        opendata.export_document()

    assert caught.value.errors == ["no organisation: import a file first"]


# --------------------------------------------------------------------------- drafts


def test_drafts_and_unpublished_goals_never_leave_the_portal():
    make_organisation()
    period = make_period()
    goal = make_goal(title="Synligt mål")
    assignment = make_assignment(goal, title="Synligt uppdrag")
    make_assessment(assignment, period, text="PUBLICERAD BEDÖMNING")
    make_assessment(assignment, make_period(), text="UTKAST UPPDRAG", is_published=False)
    make_goal_assessment(goal, period, text="PUBLICERAD MÅLBEDÖMNING")
    make_goal_assessment(goal, make_period(), text="UTKAST MÅL", is_published=False)
    hidden = make_goal(goal.plan, title="DOLT MÅL", is_published=False)
    make_assessment(make_assignment(hidden, title="DOLT UPPDRAG"), period)

    text = export_text()

    assert "PUBLICERAD BEDÖMNING" in text
    assert "PUBLICERAD MÅLBEDÖMNING" in text
    for secret in ("UTKAST UPPDRAG", "UTKAST MÅL", "DOLT MÅL", "DOLT UPPDRAG"):
        assert secret not in text


def test_a_draft_plan_never_leaves_the_portal_not_even_its_published_goals():
    make_organisation()
    public = make_goal(make_plan(code="offentlig", name="Offentlig plan"), title="Synligt mål")
    draft_plan = make_plan(code="utkast", name="PLAN UNDER BEREDNING", is_published=False)
    make_assignment(make_goal(draft_plan, title="MÅL I UTKASTPLAN"), title="UPPDRAG I UTKASTPLAN")

    document = opendata.export_document()

    assert [plan["code"] for plan in document["plans"]] == ["offentlig"]
    assert document["plans"][0]["goals"][0]["title"] == public.title
    text = opendata.dumps(document)
    for secret in ("utkast", "PLAN UNDER BEREDNING", "MÅL I UTKASTPLAN", "UPPDRAG I UTKASTPLAN"):
        assert secret not in text


def test_a_published_plan_without_a_published_goal_is_left_out():
    make_organisation()
    make_goal(make_plan(code="med-mal"))
    make_plan(code="tom")
    make_goal(make_plan(code="bara-utkast"), is_published=False)

    assert [plan["code"] for plan in opendata.export_document()["plans"]] == ["med-mal"]


def test_the_open_data_page_shows_only_what_is_public(client):
    opendata.import_document(fixture_document())
    make_goal(make_plan(code="utkast", is_published=False), title="HEMLIGT MÅL")

    response = client.get(reverse("opendata:document"))

    assert response.status_code == 200
    assert response.content.decode() == FIXTURE_TEXT


# --------------------------------------------------------------------------- query count


def count_export_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        opendata.export_document()
    return len(queries)


def test_export_runs_ten_queries_for_small_and_large_data():
    """The README promises ten queries for the open-data document, at any size."""
    opendata.import_document(fixture_document())
    assert count_export_queries() == EXPORT_QUERIES == 10

    build_portal(plans=3, goals=3, assignments=6)
    period = make_period(date=datetime.date(2030, 4, 30))
    for assignment in Assignment.objects.filter(all_committees=True):
        for body in ResponsibleBody.objects.filter(kind=BodyKind.COMMITTEE):
            make_assessment(assignment, period, body=body, text=f"Del av {body.name}.")

    assert Assessment.objects.count() > 100
    assert count_export_queries() == 10
    assert "Del av " in export_text()


# --------------------------------------------------------------------------- import semantics


def test_importing_the_same_file_twice_changes_nothing():
    first = opendata.import_document(fixture_document())
    before = snapshot()

    second = opendata.import_document(fixture_document())

    assert (second.created, second.updated, second.conflicts) == (0, 0, [])
    assert second.unchanged == first.created == 19
    assert str(second) == "Import finished: 0 created, 0 updated, 19 unchanged, 0 conflicts."
    assert snapshot() == before


def test_the_second_import_saves_no_row():
    opendata.import_document(fixture_document())

    with CaptureQueriesContext(connection) as queries:
        opendata.import_document(fixture_document())

    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


def test_imported_rows_have_the_files_values():
    opendata.import_document(fixture_document())

    assignment = Assignment.objects.get(goal__number=5, number=3)
    assert [b.code for b in assignment.bodies.order_by("responsibilities__position")] == [
        "KS",
        "AMN",
        "Uppsalahem",
    ]
    assert Assignment.objects.get(number=5).added_year == 2021
    assert Assessment.objects.get(assignment__number=5).status == AssessmentStatus.DELAYED
    assert GoalAssessment.objects.get().fulfilment == Fulfilment.LARGELY
    assert Goal.objects.get().is_published
    assert all(a.is_published for a in Assessment.objects.all())
    assert ReportingPeriod.objects.get().date == datetime.date(2022, 8, 31)
    assert list(ResponsibleBody.objects.order_by("position").values_list("code", "position")) == [
        ("KS", 0),
        ("AMN", 1),
        ("SCN", 2),
        ("Uppsalahem", 3),
    ]
    assert Plan.objects.get().slug == "mob-2022"


def test_a_changed_file_updates_rows_in_place_and_publishes_new_versions_of_assessments():
    opendata.import_document(fixture_document())
    pks = {model.__name__: set(model.objects.values_list("pk", flat=True)) for model in ALL_MODELS}
    document = fixture_document()
    document["organisation"]["name"] = "Uppsala kommun (ny)"
    goal = document["plans"][0]["goals"][0]
    goal["assignments"][0]["assessments"][0]["text"] = "Ny text."
    goal["assignments"][4]["assessments"][0]["status"] = "completed"
    document["periods"].append({"code": "2022-12", "name": "December 2022", "date": "2022-12-31"})
    goal["assignments"][1]["assessments"].append(
        {"period": "2022-12", "status": "completed", "text": "Klart."}
    )

    report = opendata.import_document(document)

    assert (report.created, report.updated) == (2, 3)
    for model in ALL_MODELS:  # nothing is deleted
        assert pks[model.__name__] <= set(model.objects.values_list("pk", flat=True))
    assert Organisation.objects.get().pk in pks["Organisation"]  # updated in place
    published = Assessment.objects.published()
    assert published.get(assignment__number=1).text == "Ny text."
    assert published.get(assignment__number=5).status == "completed"
    assert published.get(assignment__number=2, period__code="2022-12").text == "Klart."
    assert export_text() == opendata.dumps(document)


def test_an_import_never_changes_a_published_assessment_in_place():
    """A differing file publishes a new version that corrects the old one; the old one
    stays as it was, superseded and readable."""
    opendata.import_document(fixture_document())
    old = Assessment.objects.get(assignment__number=1)
    old_values = Assessment.objects.filter(pk=old.pk).values("status", "text", "published_at")[0]
    document = fixture_document()
    document["plans"][0]["goals"][0]["assignments"][0]["assessments"][0].update(
        status="delayed", text="Arbetet har försenats."
    )

    report = opendata.import_document(document)

    [change] = report.changes
    assert (change.action, change.fields) == ("update", ("status", "text"))
    assert change.note == "published as a new version that corrects the portal's"
    old.refresh_from_db()
    assert old.state == ReviewState.SUPERSEDED
    assert {name: getattr(old, name) for name in old_values} == old_values
    new = old.correction
    assert (new.state, new.status, new.text) == (
        ReviewState.PUBLISHED,
        "delayed",
        "Arbetet har försenats.",
    )
    assert new.correction_reason == IMPORT_CORRECTION_REASON
    assert new.body is None and new.period == old.period
    assert Assessment.objects.filter(assignment__number=1).count() == 2
    assert export_text() == opendata.dumps(document)


def test_an_import_corrects_a_goal_assessment_with_a_new_version_too():
    opendata.import_document(fixture_document())
    old = GoalAssessment.objects.get()
    document = fixture_document()
    document["plans"][0]["goals"][0]["assessments"][0]["fulfilment"] = "partly"

    opendata.import_document(document)

    old.refresh_from_db()
    assert (old.state, old.fulfilment) == (ReviewState.SUPERSEDED, Fulfilment.LARGELY)
    assert old.correction.fulfilment == Fulfilment.PARTLY
    assert old.correction.is_published
    assert old.correction.correction_reason == IMPORT_CORRECTION_REASON


def test_a_correction_keeps_the_decision_the_corrected_version_cites():
    opendata.import_document(fixture_document())
    old = Assessment.objects.get(assignment__number=2)
    cited = publish_correction(
        old, decision_date=datetime.date(2022, 6, 1), decision_reference="KSN-2022-00123"
    )
    document = fixture_document()
    document["plans"][0]["goals"][0]["assignments"][1]["assessments"][0]["text"] = "Ny text."

    opendata.import_document(document)

    new = Assessment.objects.published().get(assignment__number=2)
    assert new.corrects == cited
    assert (new.decision_date, new.decision_reference) == (
        datetime.date(2022, 6, 1),
        "KSN-2022-00123",
    )


def test_nothing_published_is_ever_deleted_by_an_import():
    """A file that no longer mentions the assessments, and names other bodies for an
    assignment whose bodies reported their own parts: every published version stays."""
    opendata.import_document(fixture_document())
    assignment = Assignment.objects.get(number=3)
    december = make_period(code="2022-12", date=datetime.date(2022, 12, 31))
    for code in ("KS", "AMN"):
        body = ResponsibleBody.objects.get(code=code)
        make_assessment(assignment, december, body=body, text=f"Del av {code}.")
    publish_correction(Assessment.objects.get(assignment__number=4, body=None), text="Rättad.")
    permanent = list(
        Assessment.objects.filter(state__in=ReviewState.permanent()).order_by("pk").values()
    )
    goal_permanent = list(GoalAssessment.objects.order_by("pk").values())
    document = fixture_document()
    goal = document["plans"][0]["goals"][0]
    del goal["assessments"]
    for item in goal["assignments"]:
        del item["assessments"]
    goal["assignments"][2]["bodies"] = ["Uppsalahem"]

    report = opendata.import_document(document, overwrite=True)

    assert [(c.action, c.fields) for c in report.changes] == [("update", ("bodies",))]
    assert (
        list(Assessment.objects.filter(state__in=ReviewState.permanent()).order_by("pk").values())
        == permanent
    )
    assert list(GoalAssessment.objects.order_by("pk").values()) == goal_permanent


def test_ordered_lists_are_replaced_when_they_differ():
    opendata.import_document(fixture_document())
    document = fixture_document()
    goal = document["plans"][0]["goals"][0]
    goal["assignments"][2]["bodies"] = ["Uppsalahem", "KS"]
    goal["actions"] = [{"title": "Byggt bostäder"}, {"title": "Mer", "url": "https://a.se/"}]

    report = opendata.import_document(document)

    assert [(change.path, change.fields) for change in report.changes] == [
        ("plans[0].goals[0]", ("actions",)),
        ("plans[0].goals[0].assignments[2]", ("bodies",)),
    ]
    assignment = Assignment.objects.get(number=3)
    assert [r.body.code for r in assignment.responsibilities.order_by("position")] == [
        "Uppsalahem",
        "KS",
    ]
    assert list(GoalAction.objects.values_list("position", "title")) == [
        (0, "Byggt bostäder"),
        (1, "Mer"),
    ]
    assert opendata.export_document() == document


def test_what_the_file_does_not_mention_is_left_alone():
    opendata.import_document(fixture_document())
    assignment = Assignment.objects.get(number=1)
    draft = make_assessment(assignment, make_period(), text="Utkast", is_published=False)
    other_plan = make_plan(code="annan")
    other_body = make_body(code="ÖVR")
    before = snapshot()

    report = opendata.import_document(fixture_document())

    assert (report.created, report.updated) == (0, 0)
    assert snapshot() == before
    draft.refresh_from_db()
    assert draft.text == "Utkast" and not draft.is_published
    assert Plan.objects.filter(pk=other_plan.pk).exists()
    assert ResponsibleBody.objects.filter(pk=other_body.pk).exists()


def test_an_import_creates_plans_goals_and_assessments_published():
    """The file is published data: what it creates, the public sees."""
    opendata.import_document(fixture_document())

    assert Plan.objects.get().is_published
    assert list(Plan.objects.with_published_content()) == [Plan.objects.get()]
    assert Goal.objects.published().count() == 1
    assert not Assessment.objects.filter(is_published=False).exists()
    assert not GoalAssessment.objects.filter(is_published=False).exists()


def test_every_row_an_import_writes_has_its_history():
    """django-simple-history records each write of an import, with the import as reason."""
    opendata.import_document(fixture_document())
    document = fixture_document()
    document["plans"][0]["goals"][0]["tagline"] = "Ny devis."
    document["plans"][0]["goals"][0]["assignments"][0]["assessments"][0]["text"] = "Ny text."

    opendata.import_document(document)

    def history(model) -> list[tuple[str, str]]:
        return sorted(model.history.values_list("history_type", "history_change_reason").order_by())

    reason = "Import av öppna data"
    assert history(Plan) == history(ReportingPeriod) == [("+", reason)]
    assert history(Goal) == [("+", reason), ("~", reason)]
    assert history(Assignment) == [("+", reason)] * 5
    assert history(GoalAssessment) == [("+", reason)]
    # Five assessments created; then the first superseded and its correction created.
    assert history(Assessment) == [("+", reason)] * 6 + [("~", reason)]
    old = Assessment.objects.get(assignment__number=1, state=ReviewState.SUPERSEDED)
    assert list(old.history.order_by("history_date").values_list("state", "text")) == [
        (ReviewState.PUBLISHED, old.text),
        (ReviewState.SUPERSEDED, old.text),
    ]
    assert old.correction.history.get().text == "Ny text."


def test_new_codes_get_unique_slugs():
    make_plan(code="Plan 1")  # slug "plan-1"
    document = fixture_document()
    document["bodies"] += [
        {"code": "ks", "name": "Samma slug som KS", "kind": "committee"},
        {"code": "***", "name": "Ingen bokstav", "kind": "company"},
        {"code": "!?", "name": "Inte heller", "kind": "company"},
    ]
    document["plans"].append(
        {"code": "plan-1", "name": "Krockar", "start_year": 2025, "end_year": 2026, "goals": []}
    )

    opendata.import_document(document)

    slugs = dict(ResponsibleBody.objects.values_list("code", "slug"))
    assert (slugs["KS"], slugs["ks"]) == ("ks", "ks-2")
    assert (slugs["***"], slugs["!?"]) == ("ansvarig", "ansvarig-2")
    assert Plan.objects.get(code="plan-1").slug == "plan-1-2"


# --------------------------------------------------------------------------- validation


def at(document: dict, dotted: str):
    """The value at "plans.0.goals.0" in a document."""
    value = document
    for part in dotted.split("."):
        value = value[int(part)] if part.isdigit() else value[part]
    return value


def setter(dotted: str, value) -> Callable[[dict], None]:
    """A change to a document: set the value at a dotted path (or delete it if value is ...)."""
    parent_path, _, key = dotted.rpartition(".")

    def change(document: dict) -> None:
        parent = at(document, parent_path) if parent_path else document
        key_ = int(key) if key.isdigit() else key
        if value is ...:
            del parent[key_]
        else:
            parent[key_] = copy.deepcopy(value)

    return change


def appender(dotted: str, item) -> Callable[[dict], None]:
    return lambda document: at(document, dotted).append(copy.deepcopy(item))


GOAL = "plans.0.goals.0"
ERRORS = {
    "unknown key": (
        setter(f"{GOAL}.titel", "Stavfel"),
        "plans[0].goals[0]: unknown key 'titel'",
    ),
    "unknown top-level key": (setter("extra", 1), "$: unknown key 'extra'"),
    "missing key": (setter("format", ...), "$: missing key 'format'"),
    "missing nested key": (
        setter(f"{GOAL}.assignments.2.title", ...),
        "plans[0].goals[0].assignments[2]: missing key 'title'",
    ),
    "wrong format": (setter("format", "uppfoljning/2"), "format: unsupported format"),
    "bad status": (
        setter(f"{GOAL}.assignments.0.assessments.0.status", "green"),
        "plans[0].goals[0].assignments[0].assessments[0].status: 'green' is not one of "
        "['completed', 'on_track', 'delayed', 'not_carried_out']",
    ),
    "bad fulfilment": (
        setter(f"{GOAL}.assessments.0.fulfilment", "mostly"),
        "plans[0].goals[0].assessments[0].fulfilment: 'mostly' is not one of",
    ),
    "bad body kind": (setter("bodies.1.kind", "board"), "bodies[1].kind: 'board' is not one of"),
    "wrong type": (
        setter(f"{GOAL}.number", "5"),
        "plans[0].goals[0].number: expected integer, not a string '5'",
    ),
    "empty name": (setter("organisation.name", ""), "organisation.name: must not be empty"),
    "dangling body": (
        setter(f"{GOAL}.assignments.3.bodies", ["SCN", "AMNX"]),
        "plans[0].goals[0].assignments[3].bodies[1]: no body with code 'AMNX'",
    ),
    "dangling period of an assignment assessment": (
        setter(f"{GOAL}.assignments.0.assessments.0.period", "2022-13"),
        "plans[0].goals[0].assignments[0].assessments[0].period: no period with code '2022-13'",
    ),
    "dangling period of a goal assessment": (
        setter(f"{GOAL}.assessments.0.period", "2022-13"),
        "plans[0].goals[0].assessments[0].period: no period with code '2022-13'",
    ),
    "duplicate body code": (
        appender("bodies", {"code": "KS", "name": "Andra", "kind": "committee"}),
        "bodies[4].code: duplicate body code 'KS'",
    ),
    "duplicate period code": (
        appender("periods", {"code": "2022-08", "name": "Igen", "date": "2022-09-30"}),
        "periods[1].code: duplicate period code '2022-08'",
    ),
    "duplicate period date": (
        appender("periods", {"code": "2022-08b", "name": "Igen", "date": "2022-08-31"}),
        "periods[1].date: duplicate period date '2022-08-31'",
    ),
    "duplicate plan code": (
        appender(
            "plans",
            {"code": "mob-2022", "name": "Igen", "start_year": 2022, "end_year": 2024, "goals": []},
        ),
        "plans[1].code: duplicate plan code 'mob-2022'",
    ),
    "duplicate goal number": (
        appender("plans.0.goals", {"number": 5, "title": "Igen", "assignments": []}),
        "plans[0].goals[1].number: duplicate goal number 5",
    ),
    "duplicate assignment number": (
        setter(f"{GOAL}.assignments.1.number", 1),
        "plans[0].goals[0].assignments[1].number: duplicate assignment number 1",
    ),
    "same period twice in one assessments list": (
        appender(
            f"{GOAL}.assignments.0.assessments",
            {"period": "2022-08", "status": "delayed", "text": "Igen"},
        ),
        "plans[0].goals[0].assignments[0].assessments[1].period: "
        "duplicate assessment for period '2022-08'",
    ),
    "same body twice in one assignment": (
        setter(f"{GOAL}.assignments.2.bodies", ["KS", "AMN", "KS"]),
        "plans[0].goals[0].assignments[2].bodies[2]: duplicate body 'KS'",
    ),
    "impossible date": (
        setter("periods.0.date", "2022-02-30"),
        "periods[0].date: '2022-02-30' is not a valid date",
    ),
    "date without leading zero": (
        setter("periods.0.date", "2022-8-31"),
        "periods[0].date: '2022-8-31' is not a valid date",
    ),
    "date outside the database's range": (
        setter("periods.0.date", "1800-08-31"),
        "periods[0].date: 1800-08-31 is outside",
    ),
    "plan ends before it starts": (
        setter("plans.0.end_year", 2021),
        "plans[0].end_year: end year 2021 is before start year 2022",
    ),
    "focus ends before it starts": (
        setter(f"{GOAL}.focus.0.start_year", 2025),
        "plans[0].goals[0].focus[0].end_year: end year 2024 is before start year 2025",
    ),
    "year out of range": (
        setter(f"{GOAL}.assignments.4.added_year", 1899),
        "plans[0].goals[0].assignments[4].added_year: 1899 is less than the minimum 1900",
    ),
    "number too large for the database": (
        setter(f"{GOAL}.number", 40000),
        "plans[0].goals[0].number: 40000 is more than the maximum 32767",
    ),
    "link that is not http": (
        setter(f"{GOAL}.links.0.url", "javascript:alert(1)"),
        "plans[0].goals[0].links[0].url: 'javascript:alert(1)' is not an http",
    ),
    "ftp website": (
        setter("organisation.website", "ftp://uppsala.se/"),
        "organisation.website: 'ftp://uppsala.se/' is not an http",
    ),
}


@pytest.mark.parametrize("preloaded", [False, True], ids=["empty-db", "db-with-fixture"])
@pytest.mark.parametrize("change,expected", ERRORS.values(), ids=ERRORS.keys())
def test_an_invalid_file_is_refused_with_its_path_and_changes_nothing(preloaded, change, expected):
    if preloaded:
        opendata.import_document(fixture_document())
    before = snapshot()
    document = fixture_document()
    # Valid changes beside the error: a half-done import would show in the snapshot.
    document["organisation"]["name"] = "Ändrad kommun"
    document["plans"][0]["goals"][0]["assignments"][1]["assessments"][0]["text"] = "Ändrad."
    change(document)

    with pytest.raises(opendata.OpenDataError) as caught:
        opendata.import_document(document)

    assert any(error.startswith(expected) for error in caught.value.errors), caught.value.errors
    assert snapshot() == before


def test_a_non_object_document_is_refused():
    with pytest.raises(opendata.OpenDataError) as caught:
        opendata.import_document([fixture_document()])

    assert caught.value.errors == ["$: the document must be a JSON object, not an array"]


def test_all_errors_are_reported_not_just_the_first():
    document = fixture_document()
    for change, _ in (ERRORS["dangling body"], ERRORS["duplicate assignment number"]):
        change(document)
    setter("plans.0.end_year", 2021)(document)
    setter(f"{GOAL}.assessments.0.period", "2022-13")(document)

    with pytest.raises(opendata.OpenDataError) as caught:
        opendata.import_document(document)

    assert len(caught.value.errors) == 4
    assert str(caught.value) == "\n".join(caught.value.errors)


def test_all_schema_errors_are_reported():
    document = fixture_document()
    setter(f"{GOAL}.titel", "x")(document)
    setter("periods.0.date", "2022-02-30")(document)
    setter(f"{GOAL}.assignments.0.assessments.0.status", "green")(document)

    with pytest.raises(opendata.OpenDataError) as caught:
        opendata.import_document(document)

    assert len(caught.value.errors) == 3


def test_a_period_date_taken_by_a_period_outside_the_file_is_refused():
    make_period(code="gammal", date=datetime.date(2022, 8, 31))
    before = snapshot()

    with pytest.raises(opendata.OpenDataError) as caught:
        opendata.import_document(fixture_document())

    assert caught.value.errors == [
        "periods[0].date: 2022-08-31 is already the date of period 'gammal', "
        "which this file does not mention"
    ]
    assert snapshot() == before


def test_what_the_database_refuses_is_rolled_back_entirely():
    """Two periods swap dates: valid as a file, but the first update breaks uniqueness."""
    document = fixture_document()
    document["periods"].append({"code": "2022-12", "name": "December", "date": "2022-12-31"})
    opendata.import_document(document)
    before = snapshot()
    document["organisation"]["name"] = "Ändrad kommun"
    document["periods"][0]["date"], document["periods"][1]["date"] = "2022-12-31", "2022-08-31"

    with pytest.raises(opendata.OpenDataError) as caught:
        opendata.import_document(document)

    assert caught.value.errors[0].startswith("$: the database refused the import")
    assert snapshot() == before


# --------------------------------------------------------------------------- reading files


def test_load_path_reads_a_document():
    assert opendata.load_path(FIXTURE) == fixture_document()


def test_load_path_reports_a_missing_file(tmp_path):
    with pytest.raises(opendata.OpenDataError) as caught:
        opendata.load_path(tmp_path / "saknas.json")

    assert caught.value.errors == [f"{tmp_path / 'saknas.json'}: no such file"]


def test_load_path_reports_invalid_json_with_line_and_column(tmp_path):
    path = tmp_path / "trasig.json"
    path.write_text('{\n  "format": "uppfoljning/1",\n}\n', encoding="utf-8")

    with pytest.raises(opendata.OpenDataError) as caught:
        opendata.load_path(path)

    assert caught.value.errors[0].startswith(f"{path}: invalid JSON at line 2, column 28")


# --------------------------------------------------------------------------- commands


def run(command: str, *args) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_import_plan_imports_a_file_and_prints_the_report():
    output = run("import_plan", str(FIXTURE))

    assert "Import finished: 19 created, 0 updated, 0 unchanged, 0 conflicts." in output
    assert Assignment.objects.count() == 5


def test_import_plan_reports_every_error_with_its_path_and_writes_nothing(tmp_path):
    document = fixture_document()
    setter(f"{GOAL}.assignments.3.bodies", ["SCN", "AMNX"])(document)
    setter("plans.0.end_year", 2021)(document)
    path = tmp_path / "fel.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        run("import_plan", str(path))

    message = str(caught.value)
    assert "2 errors" in message
    assert "plans[0].goals[0].assignments[3].bodies[1]: no body with code 'AMNX'" in message
    assert "plans[0].end_year: end year 2021 is before start year 2022" in message
    assert all(not rows for rows in snapshot().values())


def test_import_plan_if_empty_imports_into_an_empty_database_only():
    run("import_plan", "--if-empty", str(FIXTURE))
    assert Plan.objects.count() == 1
    Organisation.objects.update(name="Ändrad")

    output = run("import_plan", "--if-empty", str(FIXTURE))

    assert "Skipped" in output
    assert Organisation.objects.get().name == "Ändrad"


def test_export_plan_writes_the_document_to_a_file(tmp_path):
    opendata.import_document(fixture_document())
    path = tmp_path / "ut.json"

    run("export_plan", "-o", str(path))

    assert path.read_bytes() == FIXTURE.read_bytes()


def test_export_plan_writes_to_standard_output():
    opendata.import_document(fixture_document())

    assert run("export_plan") == FIXTURE_TEXT


def test_export_plan_without_data_is_a_command_error():
    with pytest.raises(CommandError, match="no organisation"):
        run("export_plan")
