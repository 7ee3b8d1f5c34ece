"""The uppfoljning/1 open-data format: export, validation and import.

This module is the only place that knows the format. The contract is
``goals/uppfoljning-1.schema.json`` plus the rules that a schema cannot express
(references between codes, duplicates, years in order), which are checked here.

Public API:

- ``export_document()``: the published portal as a document (a dict);
- ``dumps(document)``: its canonical text;
- ``load_path(path)``: read a document from a file;
- ``import_document(data)``: validate a document and write it, all or nothing;
- ``OpenDataError``: raised with every problem found, each prefixed with its JSON path.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DataError, IntegrityError, models, transaction
from django.db.models import F, Prefetch, Value
from django.utils.text import slugify
from jsonschema import Draft202012Validator, ValidationError

from assignments.models import (
    Assessment,
    Assignment,
    AssignmentResponsibility,
    ResponsibleBody,
)
from goals.models import (
    FocusArea,
    Goal,
    GoalAction,
    GoalAssessment,
    GoalLink,
    Organisation,
    Plan,
    ReportingPeriod,
)
from uppfoljning.modeltools import MAX_DATE, MIN_DATE

FORMAT = "uppfoljning/1"
SCHEMA_PATH = Path(__file__).resolve().parent / "uppfoljning-1.schema.json"

# Goal and assignment numbers are PositiveSmallIntegerFields: the schema sets no maximum,
# but PostgreSQL's smallint stops here.
MAX_NUMBER = 32767


class OpenDataError(Exception):
    """A document that cannot be read, exported or imported; ``errors`` lists every reason."""

    def __init__(self, errors: Iterable[str]):
        self.errors: list[str] = list(errors)
        super().__init__("\n".join(self.errors))

    def __str__(self) -> str:
        return "\n".join(self.errors)


# --------------------------------------------------------------------------- export


def export_document() -> dict:
    """The whole published portal as an uppfoljning/1 document.

    Runs a fixed number of queries whatever the amount of data. Unpublished goals and
    unpublished (draft) assessments are left out.
    """
    organisation = Organisation.current()
    if organisation is None:
        raise OpenDataError(["no organisation: import a file first"])
    bodies = ResponsibleBody.objects.order_by("position", "code")
    periods = ReportingPeriod.objects.order_by("date")
    return {
        "format": FORMAT,
        "organisation": {"name": organisation.name} | _compact({"website": organisation.website}),
        "bodies": [{"code": b.code, "name": b.name, "kind": b.kind} for b in bodies],
        "periods": [{"code": p.code, "name": p.name, "date": p.date.isoformat()} for p in periods],
        "plans": [_export_plan(plan) for plan in _plans_for_export()],
    }


def dumps(document: dict) -> str:
    """The canonical text of a document.

    No newline is added after the closing brace: the reference example
    (fixtures/uppsala-goal5.json) has none, and import-then-export reproduces it byte
    for byte.
    """
    return json.dumps(document, ensure_ascii=False, indent=2)


def _plans_for_export() -> list[Plan]:
    """Plans with their published goals and everything the format shows, prefetched."""
    published_assessments = (
        Assessment.objects.published().select_related("period").order_by("period__date")
    )
    assignments = Assignment.objects.order_by("number").prefetch_related(
        Prefetch(
            "responsibilities",
            queryset=AssignmentResponsibility.objects.select_related("body").order_by(
                "position", "id"
            ),
            to_attr="export_responsibilities",
        ),
        Prefetch("assessments", queryset=published_assessments, to_attr="export_assessments"),
    )
    goals = (
        Goal.objects.published()
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=GoalAssessment.objects.published()
                .select_related("period")
                .order_by("period__date"),
                to_attr="export_assessments",
            ),
            Prefetch("assignments", queryset=assignments, to_attr="export_assignments"),
        )
    )
    plans = list(
        Plan.objects.order_by("start_year", "code").prefetch_related(
            Prefetch("goals", queryset=goals, to_attr="export_goals")
        )
    )
    _attach_goal_sections([goal for plan in plans for goal in plan.export_goals])
    return plans


def _attach_goal_sections(goals: list[Goal]) -> None:
    """Give each goal its focus areas, links and actions, in order, read in one query.

    The three small tables are read as one UNION rather than three prefetches, which keeps
    the whole export within ten queries (the limit for every public page) at any size. Each
    row is a dict of the same columns; a table without a column gives an empty value.
    """
    sections = {goal.pk: {"focus": [], "link": [], "action": []} for goal in goals}
    if goals:
        no_text, no_year = Value(""), Value(None, output_field=models.IntegerField())

        def rows(model, kind, *, text=no_text, url=no_text, first=no_year, last=no_year):
            return (
                model.objects.filter(goal_id__in=sections)
                .order_by()
                .values(
                    goal_ref=F("goal_id"),
                    kind=Value(kind),
                    place=F("position"),
                    ident=F("id"),
                    heading=F("title"),
                    body=text,
                    address=url,
                    first_year=first,
                    last_year=last,
                )
            )

        union = (
            rows(FocusArea, "focus", text=F("text"), first=F("start_year"), last=F("end_year"))
            .union(
                rows(GoalLink, "link", url=F("url")),
                rows(GoalAction, "action", text=F("text"), url=F("url")),
                all=True,
            )
            .order_by()
        )  # sorted below; the models' default ordering names no union column
        for row in sorted(union, key=lambda row: (row["place"], row["ident"])):
            sections[row["goal_ref"]][row["kind"]].append(row)
    for goal in goals:
        found = sections[goal.pk]
        goal.export_focus, goal.export_links = found["focus"], found["link"]
        goal.export_actions = found["action"]


def _export_plan(plan: Plan) -> dict:
    return {
        "code": plan.code,
        "name": plan.name,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "goals": [_export_goal(goal) for goal in plan.export_goals],
    }


def _export_goal(goal: Goal) -> dict:
    optional = {
        "tagline": goal.tagline,
        "description": goal.description,
        "focus": [
            {
                "title": f["heading"],
                "start_year": f["first_year"],
                "end_year": f["last_year"],
                "text": f["body"],
            }
            for f in goal.export_focus
        ],
        "links": [{"title": link["heading"], "url": link["address"]} for link in goal.export_links],
        "actions": [
            {"title": a["heading"]} | _compact({"text": a["body"], "url": a["address"]})
            for a in goal.export_actions
        ],
        "assessments": [
            {"period": a.period.code, "fulfilment": a.fulfilment, "text": a.text}
            | _compact({"assignments_summary": a.assignments_summary})
            for a in goal.export_assessments
        ],
    }
    return (
        {"number": goal.number, "title": goal.title}
        | _compact(optional)
        | {"assignments": [_export_assignment(a) for a in goal.export_assignments]}
    )


def _export_assignment(assignment: Assignment) -> dict:
    required = {
        "number": assignment.number,
        "title": assignment.title,
        "bodies": [r.body.code for r in assignment.export_responsibilities],
    }
    optional = {
        "all_committees": assignment.all_committees,
        "all_companies": assignment.all_companies,
        "added_year": assignment.added_year,
        "expected_completion_year": assignment.expected_completion_year,
        "assessments": [
            {"period": a.period.code, "status": a.status, "text": a.text}
            for a in assignment.export_assessments
        ],
    }
    return required | _compact(optional)


def _compact(mapping: dict) -> dict:
    """The mapping without its empty values ("", [], False, None).

    Only for optional keys: the format omits them when empty, required keys never are.
    """
    return {
        key: value
        for key, value in mapping.items()
        if value is not False and value not in ("", [], None)
    }


# --------------------------------------------------------------------------- reading


def load_path(path: str | Path) -> dict:
    """Read a JSON document from a file; a clear OpenDataError if that is not possible."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OpenDataError([f"{path}: no such file"]) from None
    except UnicodeDecodeError as exc:
        raise OpenDataError([f"{path}: not UTF-8 text (byte {exc.start})"]) from None
    except OSError as exc:
        raise OpenDataError([f"{path}: cannot be read: {exc.strerror or exc}"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OpenDataError(
            [f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from None
    if not isinstance(data, dict):
        raise OpenDataError([_not_an_object(data)])
    return data


# --------------------------------------------------------------------------- validation


@functools.cache
def _validator() -> Draft202012Validator:
    """The schema validator, built on first use (with date format checking)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate(data: Any) -> list[str]:
    """Every problem of a document, each as "json.path: message"; empty if it is valid.

    The schema is checked first; the rules that need a well-formed document (references,
    duplicates, years, what the database already holds) only run when the schema passes,
    so that one typo does not produce a cascade of follow-up errors.
    """
    if not isinstance(data, dict):
        return [_not_an_object(data)]
    if "format" in data and data["format"] != FORMAT:
        return [f"format: unsupported format {_short(data['format'])}; expected {FORMAT!r}"]
    errors = _unique_in_order(
        f"{_json_path(error.absolute_path)}: {message}"
        for error in _validator().iter_errors(data)
        for message in _schema_messages(error)
    )
    return errors or _rule_errors(data)


def _not_an_object(data: Any) -> str:
    return f"$: the document must be a JSON object, not {_json_type(data)}"


def _json_path(parts: Iterable[str | int]) -> str:
    """["plans", 0, "goals", 1] -> "plans[0].goals[1]"; the root is "$"."""
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "$"


def _schema_messages(error: ValidationError) -> list[str]:
    """Readable messages for one jsonschema error (without the path)."""
    keyword, value, instance = error.validator, error.validator_value, error.instance
    if keyword == "required":
        return [f"missing key {key!r}" for key in value if key not in instance]
    if keyword == "additionalProperties":
        known = error.schema.get("properties", {})
        return [f"unknown key {key!r}" for key in instance if key not in known]
    if keyword == "enum":
        return [f"{_short(instance)} is not one of {value!r}"]
    if keyword == "const":
        return [f"expected {value!r}, not {_short(instance)}"]
    if keyword == "type":
        return [f"expected {value}, not {_json_type(instance)}"]
    if keyword == "format" or (keyword == "pattern" and error.schema.get("format") == "date"):
        return [f"{_short(instance)} is not a valid date"]
    if keyword == "pattern" and value.startswith("^https?://"):
        return [f"{_short(instance)} is not an http:// or https:// address"]
    if keyword == "minLength":
        return ["must not be empty" if value == 1 else f"is shorter than {value} characters"]
    if keyword == "maxLength":
        return [f"is too long: {len(instance)} characters, at most {value}"]
    if keyword == "minimum":
        return [f"{instance} is less than the minimum {value}"]
    if keyword == "maximum":
        return [f"{instance} is more than the maximum {value}"]
    return [error.message if len(error.message) < 200 else error.message[:197] + "..."]


def _json_type(value: Any) -> str:
    """The JSON name of a value's type, with the value itself when it is short."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"the number {value}"
    name = names.get(type(value), type(value).__name__)
    return f"{name} {_short(value)}" if isinstance(value, str | bool) else name


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _unique_in_order(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _rule_errors(data: dict) -> list[str]:
    """The rules beyond the schema, for a document that the schema accepts."""
    errors: list[str] = []
    body_codes = set(_duplicates(errors, data["bodies"], "bodies", "code", "body code"))
    period_codes = set(_duplicates(errors, data["periods"], "periods", "code", "period code"))
    _duplicates(errors, data["periods"], "periods", "date", "period date")
    _check_periods(errors, data["periods"])
    _duplicates(errors, data["plans"], "plans", "code", "plan code")
    for i, plan in enumerate(data["plans"]):
        path = f"plans[{i}]"
        _check_years(errors, plan, path)
        _duplicates(errors, plan["goals"], f"{path}.goals", "number", "goal number")
        for j, goal in enumerate(plan["goals"]):
            _check_goal(errors, goal, f"{path}.goals[{j}]", body_codes, period_codes)
    return errors


def _check_goal(
    errors: list[str], goal: dict, path: str, body_codes: set[str], period_codes: set[str]
) -> None:
    _check_number(errors, goal, path)
    for k, focus in enumerate(goal.get("focus", [])):
        _check_years(errors, focus, f"{path}.focus[{k}]")
    _check_assessment_periods(errors, goal, path, period_codes)
    assignments = goal["assignments"]
    _duplicates(errors, assignments, f"{path}.assignments", "number", "assignment number")
    for k, assignment in enumerate(assignments):
        item = f"{path}.assignments[{k}]"
        _check_number(errors, assignment, item)
        _check_assessment_periods(errors, assignment, item, period_codes)
        _duplicates(errors, assignment["bodies"], f"{item}.bodies", None, "body")
        for n, code in enumerate(assignment["bodies"]):
            if code not in body_codes:
                errors.append(f"{item}.bodies[{n}]: no body with code {code!r}")


def _check_assessment_periods(
    errors: list[str], owner: dict, path: str, period_codes: set[str]
) -> None:
    assessments = owner.get("assessments", [])
    _duplicates(errors, assessments, f"{path}.assessments", "period", "assessment for period")
    for n, assessment in enumerate(assessments):
        if assessment["period"] not in period_codes:
            errors.append(
                f"{path}.assessments[{n}].period: no period with code {assessment['period']!r}"
            )


def _duplicates(errors: list[str], items: list, path: str, key: str | None, what: str) -> list[Any]:
    """Report repeated values of items[*][key] (or of the items themselves).

    Returns the distinct values. The first occurrence is accepted; every later one is an
    error that names the earlier one.
    """
    first_seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        value = item if key is None else item[key]
        where = f"{path}[{index}]" + ("" if key is None else f".{key}")
        if value in first_seen:
            errors.append(
                f"{where}: duplicate {what} {value!r} (first at {path}[{first_seen[value]}])"
            )
        else:
            first_seen[value] = index
    return list(first_seen)


def _check_years(errors: list[str], item: dict, path: str) -> None:
    if item["end_year"] < item["start_year"]:
        errors.append(
            f"{path}.end_year: end year {item['end_year']} is before "
            f"start year {item['start_year']}"
        )


def _check_number(errors: list[str], item: dict, path: str) -> None:
    if item["number"] > MAX_NUMBER:
        errors.append(f"{path}.number: {item['number']} is more than the maximum {MAX_NUMBER}")


def _check_periods(errors: list[str], periods: list[dict]) -> None:
    """Dates within the database's range and not taken by a period the file leaves out."""
    codes_in_file = {p["code"] for p in periods}
    dates = [datetime.date.fromisoformat(p["date"]) for p in periods]
    taken = {
        date: code
        for date, code in ReportingPeriod.objects.filter(date__in=dates).values_list("date", "code")
        if code not in codes_in_file
    }
    for index, date in enumerate(dates):
        path = f"periods[{index}].date"
        if not MIN_DATE <= date <= MAX_DATE:
            errors.append(f"{path}: {date} is outside {MIN_DATE}..{MAX_DATE}")
        elif date in taken:
            errors.append(
                f"{path}: {date} is already the date of period {taken[date]!r}, "
                f"which this file does not mention"
            )


# --------------------------------------------------------------------------- import


@dataclass
class ImportReport:
    """What an import did, counted per database row."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0  # rows of ordered lists (focus, links, actions, bodies) replaced anew

    def __str__(self) -> str:
        summary = (
            f"Import finished: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )
        if self.deleted:
            summary += f", {self.deleted} removed from replaced lists"
        return summary + "."


def import_document(data: Any) -> ImportReport:
    """Validate a document and write it, in one transaction: all of it or nothing.

    Objects are matched by their natural keys and saved only when they differ, so a
    second import of the same document changes nothing. What the document does not
    mention is left alone.
    """
    try:
        with transaction.atomic():
            errors = validate(data)
            if errors:
                raise OpenDataError(errors)
            return _Importer().run(data)
    except (IntegrityError, DataError) as exc:
        raise OpenDataError(
            [f"$: the database refused the import, nothing was written: {exc}"]
        ) from exc


class _Importer:
    """Writes a validated document; counts what it does in an ImportReport."""

    def __init__(self) -> None:
        self.report = ImportReport()
        self.bodies: dict[str, ResponsibleBody] = {}
        self.periods: dict[str, ReportingPeriod] = {}

    def run(self, data: dict) -> ImportReport:
        self._organisation(data["organisation"])
        self._bodies(data["bodies"])
        self._periods(data["periods"])
        self._plans(data["plans"])
        return self.report

    # -- generic helpers

    def _upsert(
        self, model: type[models.Model], existing: models.Model | None, values: dict, **keys
    ) -> Any:
        """Create the row, or save the fields of `existing` that differ from `values`."""
        if existing is None:
            row = model(**keys, **values)
            row.save()
            self.report.created += 1
            return row
        changed = [field for field, value in values.items() if getattr(existing, field) != value]
        if changed:
            for field in changed:
                setattr(existing, field, values[field])
            existing.save(update_fields=changed)
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        return existing

    def _replace_list(
        self, model: type[models.Model], current: list, wanted: list[dict], **parent
    ) -> None:
        """Make an ordered list of child rows equal `wanted` (position = index).

        An unchanged list is not touched; a changed one is deleted and created anew.
        """
        wanted = [{**values, "position": index} for index, values in enumerate(wanted)]
        fields = list(wanted[0]) if wanted else []
        if [{field: getattr(row, field) for field in fields} for row in current] == wanted:
            self.report.unchanged += len(current)
            return
        model.objects.filter(pk__in=[row.pk for row in current]).delete()
        model.objects.bulk_create(model(**parent, **values) for values in wanted)
        self.report.deleted += len(current)
        self.report.created += len(wanted)

    # -- the document, top-down

    def _organisation(self, item: dict) -> None:
        values = {"name": item["name"], "website": item.get("website", "")}
        self._upsert(Organisation, Organisation.current(), values)

    def _bodies(self, items: list[dict]) -> None:
        existing = ResponsibleBody.objects.in_bulk([b["code"] for b in items], field_name="code")
        slugs = _SlugMaker(ResponsibleBody, fallback="ansvarig")
        for position, item in enumerate(items):
            code = item["code"]
            values = {"name": item["name"], "kind": item["kind"], "position": position}
            row = existing.get(code)
            extra = {} if row else {"slug": slugs.new(code)}
            self.bodies[code] = self._upsert(ResponsibleBody, row, values, code=code, **extra)

    def _periods(self, items: list[dict]) -> None:
        existing = ReportingPeriod.objects.in_bulk([p["code"] for p in items], field_name="code")
        for item in items:
            code = item["code"]
            values = {"name": item["name"], "date": datetime.date.fromisoformat(item["date"])}
            self.periods[code] = self._upsert(
                ReportingPeriod, existing.get(code), values, code=code
            )

    def _plans(self, items: list[dict]) -> None:
        existing = Plan.objects.in_bulk([p["code"] for p in items], field_name="code")
        slugs = _SlugMaker(Plan, fallback="plan")
        for item in items:
            code = item["code"]
            values = {
                "name": item["name"],
                "start_year": item["start_year"],
                "end_year": item["end_year"],
            }
            row = existing.get(code)
            extra = {} if row else {"slug": slugs.new(code), "is_published": True}
            plan = self._upsert(Plan, row, values, code=code, **extra)
            self._goals(plan, item["goals"])

    def _goals(self, plan: Plan, items: list[dict]) -> None:
        existing = {
            goal.number: goal
            for goal in plan.goals.filter(number__in=[g["number"] for g in items]).prefetch_related(
                "focus_areas",
                "links",
                "actions",
                "assessments",
                "assignments__responsibilities",
                "assignments__assessments",
            )
        }
        for item in items:
            row = existing.get(item["number"])
            values = {
                "title": item["title"],
                "tagline": item.get("tagline", ""),
                "description": item.get("description", ""),
                "is_published": True,
            }
            goal = self._upsert(Goal, row, values, plan=plan, number=item["number"])
            self._goal_children(goal, item, is_new=row is None)

    def _goal_children(self, goal: Goal, item: dict, *, is_new: bool) -> None:
        def current(related: str) -> list:
            return [] if is_new else list(getattr(goal, related).all())

        focus = [
            {k: f[k] for k in ("title", "start_year", "end_year", "text")}
            for f in item.get("focus", [])
        ]
        links = [{"title": link["title"], "url": link["url"]} for link in item.get("links", [])]
        actions = [
            {"title": a["title"], "text": a.get("text", ""), "url": a.get("url", "")}
            for a in item.get("actions", [])
        ]
        self._replace_list(FocusArea, current("focus_areas"), focus, goal=goal)
        self._replace_list(GoalLink, current("links"), links, goal=goal)
        self._replace_list(GoalAction, current("actions"), actions, goal=goal)

        assessments = {a.period_id: a for a in current("assessments")}
        for entry in item.get("assessments", []):
            period = self.periods[entry["period"]]
            values = {
                "fulfilment": entry["fulfilment"],
                "text": entry["text"],
                "assignments_summary": entry.get("assignments_summary", ""),
                "is_published": True,
            }
            self._upsert(
                GoalAssessment, assessments.get(period.pk), values, goal=goal, period=period
            )

        assignments = {a.number: a for a in current("assignments")}
        for entry in item["assignments"]:
            self._assignment(goal, assignments.get(entry["number"]), entry)

    def _assignment(self, goal: Goal, row: Assignment | None, item: dict) -> None:
        values = {
            "title": item["title"],
            "all_committees": item.get("all_committees", False),
            "all_companies": item.get("all_companies", False),
            "added_year": item.get("added_year"),
            "expected_completion_year": item.get("expected_completion_year"),
        }
        assignment = self._upsert(Assignment, row, values, goal=goal, number=item["number"])

        responsibilities = [] if row is None else list(row.responsibilities.all())
        wanted = [{"body_id": self.bodies[code].pk} for code in item["bodies"]]
        self._replace_list(
            AssignmentResponsibility, responsibilities, wanted, assignment=assignment
        )

        assessments = {} if row is None else {a.period_id: a for a in row.assessments.all()}
        for entry in item.get("assessments", []):
            period = self.periods[entry["period"]]
            values = {"status": entry["status"], "text": entry["text"], "is_published": True}
            self._upsert(
                Assessment, assessments.get(period.pk), values, assignment=assignment, period=period
            )


class _SlugMaker:
    """Unique slugs for new plans or bodies.

    Codes are case-sensitive keys ("KS" and "ks" are two bodies) and may contain no
    letters at all, so slugify(code) alone can collide or be empty. Instead of refusing
    such a file, a new row gets slugify(code) (or the model's fallback word), with "-2",
    "-3", ... added when that slug is taken. Existing rows keep their slug: addresses
    never change on import.
    """

    def __init__(self, model: type[models.Model], fallback: str):
        self.taken: set[str] = set(model.objects.values_list("slug", flat=True))
        self.fallback = fallback
        self.max_length: int = model._meta.get_field("slug").max_length

    def new(self, code: str) -> str:
        base = slugify(code)[: self.max_length] or self.fallback
        slug, counter = base, 1
        while slug in self.taken:
            counter += 1
            suffix = f"-{counter}"
            slug = base[: self.max_length - len(suffix)] + suffix
        self.taken.add(slug)
        return slug


def import_path(path: str | Path) -> ImportReport:
    """Read a file and import it (see load_path and import_document)."""
    return import_document(load_path(path))


__all__ = [
    "SCHEMA_PATH",
    "ImportReport",
    "OpenDataError",
    "dumps",
    "export_document",
    "import_document",
    "import_path",
    "load_path",
    "validate",
]
