"""Parts of the open-data document: one plan's, or the follow-up as of a reporting period.

Both are uppfoljning/1 documents like the whole one (the same schema, the same rules; an
import reads them as it reads the whole), cut from the exported document rather than
exported again, so that every file holds exactly what the whole one does of its part:

- a plan's file: the whole document with that plan alone; the code lists (bodies,
  periods) stay whole, as in every file of the format;
- a period's file, the follow-up *as of* that period: the periods up to and including it
  (later ones are left out: as of then they had not come), the plans that had begun by the
  period's year (a plan is reported on from its start year: Assignment.is_reportable_in),
  and of the assessments of goals and assignments those of the periods kept.
  Each is the newest published version of its period, a correction included, as on the
  pages (assignments.models.current_as_of follows the same rule).

A period has a file when the public may see something published of it: an assessment of
a goal or an assignment in the document (opendata.catalogue.published_periods() says the
same from the database).
"""

from __future__ import annotations

from collections.abc import Collection


def plan_document(document: dict, plan_code: str) -> dict | None:
    """`document` with the plan `plan_code` alone; None when it holds no such plan."""
    plans = [plan for plan in document["plans"] if plan["code"] == plan_code]
    return document | {"plans": plans} if plans else None


def assessed_periods(document: dict) -> set[str]:
    """The codes of the periods that an assessment of `document` is of."""
    return {
        assessment["period"]
        for plan in document["plans"]
        for goal in plan["goals"]
        for entry in (goal, *goal["assignments"])
        for assessment in entry.get("assessments", ())
    }


def as_of_document(document: dict, period_code: str) -> dict | None:
    """`document` as of the period `period_code` (see the module's docstring); None when the
    document has no such period, or nothing published of it."""
    period = next((p for p in document["periods"] if p["code"] == period_code), None)
    if period is None or period_code not in assessed_periods(document):
        return None
    date = period["date"]  # YYYY-MM-DD: compared as text, in date order
    periods = [p for p in document["periods"] if p["date"] <= date]
    codes = {p["code"] for p in periods}
    year = int(date[:4])
    return document | {
        "periods": periods,
        "plans": [
            plan | {"goals": [_goal_as_of(goal, codes) for goal in plan["goals"]]}
            for plan in document["plans"]
            if plan["start_year"] <= year
        ],
    }


def _goal_as_of(goal: dict, codes: Collection[str]) -> dict:
    return _assessed_in(goal, codes) | {
        "assignments": [_assessed_in(a, codes) for a in goal["assignments"]]
    }


def _assessed_in(entry: dict, codes: Collection[str]) -> dict:
    """`entry` (a goal or an assignment) with the assessments of the periods `codes` alone;
    without the key when none is left (the format leaves out an empty list)."""
    if "assessments" not in entry:
        return entry
    kept = [a for a in entry["assessments"] if a["period"] in codes]
    if kept:
        return entry | {"assessments": kept}
    return {key: value for key, value in entry.items() if key != "assessments"}
