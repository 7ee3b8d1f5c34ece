"""Reading and validation: from the bytes of a file to a document that is safe to import.

The contract is ``uppfoljning-1.schema.json`` beside this module plus the rules that a
schema cannot express. Three layers, each reporting every problem it finds, each problem
with where it is; a layer runs only when the one before it found nothing, so that one
mistake does not produce a cascade of follow-up messages:

1. The text (``load_path``, ``loads``): UTF-8 without a byte order mark, not empty, JSON
   syntax (reported with line and column), an object at the top.
2. The values (``value_errors``): what JSON allows but the format or the database cannot
   take. Duplicate keys in one object (a JSON parser silently keeps the last one);
   numbers with a fraction or an exponent (JSON Schema's "integer" accepts 2022.0 and
   1e3, the format does not); numbers beyond 2**53 - 1, the largest that every JSON
   reader carries exactly (this also keeps Python's limit of 4300 digits for converting
   integers to text out of reach); NaN and Infinity, which are not JSON; unpaired
   surrogates ("\\ud800") and NUL characters, which no database column can store;
   nesting deeper than the format ever needs.
3. The document (``validate``): the schema, then the rules: references between codes,
   duplicates, years in order, numbers within the database's columns, web addresses that
   Django's URLValidator accepts with a port that exists, period dates that the database
   does not already give to a period the file leaves out.

A malformed file always ends in an OpenDataError, never in another exception.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from jsonschema import Draft202012Validator, ValidationError

from goals.models import ReportingPeriod
from opendata.document import FORMAT, SCHEMA_PATH, OpenDataError, json_path
from uppfoljning.modeltools import HTTP_URL_VALIDATORS, MAX_DATE, MIN_DATE

# Goal and assignment numbers are PositiveSmallIntegerFields: the schema sets no maximum,
# but PostgreSQL's smallint stops here.
MAX_NUMBER = 32767

# The largest integer that every JSON reader carries exactly (RFC 8259, section 6).
MAX_SAFE_INTEGER = 2**53 - 1

# The format nests nine deep (document, plans, a plan, goals, a goal, assignments, an
# assignment, assessments, an assessment); anything much deeper is not this format.
MAX_DEPTH = 20

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Characters that no database column takes: NUL (PostgreSQL) and unpaired surrogates,
# which have no UTF-8 form at all.
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")

# A JSON string, or a bracket: enough to find where the nesting gets too deep.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


# --------------------------------------------------------------------------- reading


def load_path(path: str | Path) -> dict:
    """Read a document from a file (see ``loads``); a clear OpenDataError if that fails."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise OpenDataError([f"{path}: no such file"]) from None
    except IsADirectoryError:
        raise OpenDataError([f"{path}: is a directory, not a file"]) from None
    except OSError as exc:
        raise OpenDataError([f"{path}: cannot be read: {exc.strerror or exc}"]) from None
    return loads(raw, source=str(path))


def loads(text: str | bytes, *, source: str = "document") -> dict:
    """Parse the text of a document strictly: layers 1 and 2 of the module's docstring.

    `source` names the text in messages about the text itself (a file name). The result
    is a plain JSON object; validate() checks it against the format.
    """
    if isinstance(text, bytes):
        text = _decode(text, source)
    if text.startswith("\ufeff"):
        raise OpenDataError([_bom_message(source)])
    if not text.strip():
        raise OpenDataError([f"{source}: empty, there is no JSON document in it"])
    try:
        data = json.loads(
            text,
            object_pairs_hook=_object,
            parse_int=_parse_int,
            parse_float=_parse_fraction,
            parse_constant=_parse_constant,
        )
    except json.JSONDecodeError as exc:
        raise OpenDataError(
            [f"{source}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from None
    except RecursionError:
        raise OpenDataError([_too_deep_message(text, source)]) from None
    if not isinstance(data, dict):
        raise OpenDataError([_not_an_object(data)])
    errors = value_errors(data)
    if errors:
        raise OpenDataError(errors)
    return data


def _decode(raw: bytes, source: str) -> str:
    if raw.startswith(UTF8_BOM):
        raise OpenDataError([_bom_message(source)])
    if raw.startswith(UTF16_BOMS):
        raise OpenDataError([f"{source}: UTF-16 text; the format is UTF-8"])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise OpenDataError(
            [
                f"{source}: not UTF-8 text: byte 0x{raw[exc.start]:02X} at line {line}, "
                f"column {column} is not part of any UTF-8 character"
            ]
        ) from None


def _bom_message(source: str) -> str:
    return f"{source}: starts with a byte order mark (BOM); the format is UTF-8 without one"


def _too_deep_message(text: str, source: str) -> str:
    """Where the nesting of a text that Python cannot parse goes past MAX_DEPTH."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                offset = match.start()
                line = text.count("\n", 0, offset) + 1
                column = offset - text.rfind("\n", 0, offset)
                return (
                    f"{source}: line {line}, column {column}: arrays and objects nested "
                    f"more than {MAX_DEPTH} deep"
                )
        elif bracket in "]}":
            depth -= 1
    return f"{source}: arrays and objects nested more than {MAX_DEPTH} deep"


class _ObjectWithDuplicateKeys(dict):
    """A JSON object in which some key occurred more than once (the last value is kept)."""

    duplicate_keys: list[str]


class _Unusable:
    """A number or constant of the text that must not reach the document as a value.

    The parser hooks below return one instead of raising, so that value_errors() can
    report every one of them with its JSON path.
    """

    __slots__ = ("problem", "text")

    def __init__(self, text: str, problem: str):
        self.text, self.problem = text, problem

    def message(self) -> str:
        shown = self.text
        if len(shown) > 24:
            shown = f"{shown[:20]}... ({len(shown)} characters)"
        if self.problem == "fraction":
            return (
                f"{shown} is not a whole number: the format's numbers are integers, "
                "written without a decimal point or an exponent"
            )
        if self.problem == "constant":
            return f"{shown} is not a JSON value"
        return f"the number {shown} is too large (at most {MAX_SAFE_INTEGER})"


def _object(pairs: list[tuple[str, Any]]) -> dict:
    document = dict(pairs)
    if len(document) == len(pairs):
        return document
    seen: set[str] = set()
    duplicates: list[str] = []
    for key, _ in pairs:
        if key in seen and key not in duplicates:
            duplicates.append(key)
        seen.add(key)
    flagged = _ObjectWithDuplicateKeys(document)
    flagged.duplicate_keys = duplicates
    return flagged


def _parse_int(text: str) -> int | _Unusable:
    # Compare the length before converting: int() refuses more than 4300 digits.
    if len(text.lstrip("-")) <= len(str(MAX_SAFE_INTEGER)):
        value = int(text)
        if abs(value) <= MAX_SAFE_INTEGER:
            return value
    return _Unusable(text, "too large")


def _parse_fraction(text: str) -> _Unusable:
    return _Unusable(text, "fraction")


def _parse_constant(text: str) -> _Unusable:
    return _Unusable(text, "constant")


# --------------------------------------------------------------------------- values


def value_errors(data: Any) -> list[str]:
    """Layer 2 of the module's docstring: every value that JSON allows but the format not.

    Walks the document without recursion, in document order. Also catches what only a
    document built in Python can hold (floats, huge integers, tuples, keys that are not
    strings).
    """
    errors: list[str] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        parts, value = stack.pop()
        problem = ""
        if isinstance(value, dict | list) and len(parts) >= MAX_DEPTH:
            problem = f"arrays and objects nested more than {MAX_DEPTH} deep"
        elif isinstance(value, dict):
            children = []
            for key, item in value.items():
                if not isinstance(key, str):
                    errors.append(f"{json_path(parts)}: the key {_describe(key)} is not a string")
                elif unstorable := _unstorable(key):
                    errors.append(f"{json_path((*parts, key))}: the key holds {unstorable}")
                else:
                    children.append(((*parts, key), item))
            errors.extend(
                f"{json_path((*parts, key))}: duplicate key {key!r} in one object "
                "(a JSON reader would keep only the last one)"
                for key in getattr(value, "duplicate_keys", ())
            )
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(reversed([((*parts, index), item) for index, item in enumerate(value)]))
        elif isinstance(value, str):
            unstorable = _unstorable(value)
            problem = unstorable and f"holds {unstorable}"
        elif value is None or isinstance(value, bool):
            pass
        elif isinstance(value, int):
            if abs(value) > MAX_SAFE_INTEGER:
                problem = f"the number {_describe(value)} is too large (at most {MAX_SAFE_INTEGER})"
        elif isinstance(value, _Unusable):
            problem = value.message()
        elif isinstance(value, float):
            problem = f"{value!r} is not a whole number: the format's numbers are integers"
        else:
            problem = f"{type(value).__name__} is not a JSON value"
        if problem:
            errors.append(f"{json_path(parts)}: {problem}")
    return errors


def _unstorable(text: str) -> str:
    """What in a string no database can store, described; "" if nothing."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return ""
    where = f"at character {found.start() + 1}"
    if found.group() == "\x00":
        return f"a NUL character (\\u0000) {where}, which the database cannot store"
    return f"invalid Unicode: an unpaired surrogate \\u{ord(found.group()):04x} {where}"


# --------------------------------------------------------------------------- the document


@functools.cache
def _validator() -> Draft202012Validator:
    """The schema validator, built on first use (with date format checking)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate(data: Any) -> list[str]:
    """Every problem of a document, each as "json.path: message"; empty if it is valid.

    The values are checked first (layer 2), then the schema, then the rules that need a
    well-formed document (references, duplicates, years, addresses, what the database
    already holds): each only when the one before found nothing.
    """
    if not isinstance(data, dict):
        return [_not_an_object(data)]
    errors = value_errors(data)
    if errors:
        return errors
    if "format" in data and data["format"] != FORMAT:
        return [f"format: unsupported format {_short(data['format'])}; expected {FORMAT!r}"]
    errors = _unique_in_order(
        f"{json_path(error.absolute_path)}: {message}"
        for error in _validator().iter_errors(data)
        for message in _schema_messages(error)
    )
    return errors or _rule_errors(data)


def _not_an_object(data: Any) -> str:
    return f"$: the document must be a JSON object, not {_json_type(data)}"


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
    if isinstance(value, _Unusable):
        return f"the number {value.text[:24]}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"the number {_describe(value)}"
    name = names.get(type(value), type(value).__name__)
    return f"{name} {_short(value)}" if isinstance(value, str | bool) else name


def _describe(value: Any) -> str:
    """A short text for any value, also for integers too long for str()."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 80:
        digits = math.floor(value.bit_length() * math.log10(2)) + 1
        return f"with about {digits} digits"
    return _short(value)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _unique_in_order(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _rule_errors(data: dict) -> list[str]:
    """The rules beyond the schema, for a document that the schema accepts."""
    errors: list[str] = []
    _check_web_address(errors, data["organisation"].get("website"), "organisation.website")
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
    for section in ("links", "actions"):
        for k, item in enumerate(goal.get(section, [])):
            _check_web_address(errors, item.get("url"), f"{path}.{section}[{k}].url")
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


def _check_web_address(errors: list[str], url: str | None, path: str) -> None:
    """The address as the portal's own forms would take it (HTTP_URL_VALIDATORS).

    The schema only asks for "http://" or "https://" at the start; the portal's rule also
    refuses spaces, impossible host names and ports: the public pages must not link to an
    address that cannot exist.
    """
    if url is None:
        return
    try:
        for validator in HTTP_URL_VALIDATORS:
            validator(url)
    except DjangoValidationError:
        errors.append(f"{path}: {_short(url)} is not a valid web address")


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
