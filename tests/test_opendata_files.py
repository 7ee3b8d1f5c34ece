"""Malformed open-data files: every one is refused with a message that says where, and
nothing is written; never a traceback.

Each case is a file that JSON allows (or that merely looks like JSON) but that the format
or the database cannot take. It is read by load_path(), imported by `import_plan` into a
database that already holds the seed, and imported in Python as a document when it parses.
"""

import copy
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import opendata
from opendata.validation import MAX_DEPTH, MAX_SAFE_INTEGER
from tests.factories import SEED_FILE
from tests.test_opendata import snapshot

pytestmark = pytest.mark.django_db

SEED_TEXT = SEED_FILE.read_text(encoding="utf-8")
SEED = json.loads(SEED_TEXT)
GOAL_NUMBER = '"number": 5,'  # the goal's number comes first in the seed's text


def replaced(old: str, new: str) -> bytes:
    """The seed's text with the first `old` replaced by `new`, as UTF-8."""
    assert old in SEED_TEXT
    return SEED_TEXT.replace(old, new, 1).encode("utf-8")


def changed(change) -> bytes:
    """The seed changed as a document, written as ASCII JSON (surrogates as \\u escapes)."""
    document = copy.deepcopy(SEED)
    change(document)
    return json.dumps(document, indent=1).encode("ascii")


def with_link(url: str):
    def change(document):
        document["plans"][0]["goals"][0]["links"].append({"title": "Trasig länk", "url": url})

    return change


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# name: (the file's bytes, the start of the message expected; "{path}" is the file)
FILES = {
    "deeply nested JSON (Python's RecursionError)": (
        replaced('"format": "uppfoljning/1"', f'"format": {nested(100_000)}'),
        f"{{path}}: line 2, column 32: arrays and objects nested more than {MAX_DEPTH} deep",
    ),
    "nested deeper than the format, but parseable": (
        replaced('"tagline": "Med', f'"tagline": {nested(60)}, "x": "Med'),
        "plans[0].goals[0].tagline" + "[0]" * (MAX_DEPTH - 5) + ": arrays and objects nested",
    ),
    "a number with thousands of digits (Python's int conversion limit)": (
        replaced(GOAL_NUMBER, f'"number": 1{"0" * 5000},'),
        "plans[0].goals[0].number: the number 10000000000000000000... (5001 characters) is "
        f"too large (at most {MAX_SAFE_INTEGER})",
    ),
    "a negative number with thousands of digits": (
        replaced('"start_year": 2022', f'"start_year": -{"9" * 4400}'),
        "plans[0].start_year: the number -9999999999999999999... (4401 characters) is too large",
    ),
    "a number beyond 64 bits": (
        replaced(GOAL_NUMBER, '"number": 9223372036854775808,'),
        "plans[0].goals[0].number: the number 9223372036854775808 is too large",
    ),
    "a number that Python takes but a database integer column does not": (
        replaced(GOAL_NUMBER, '"number": 2147483648,'),
        "plans[0].goals[0].number: 2147483648 is more than the maximum 32767",
    ),
    "a year beyond the database's range": (
        replaced('"start_year": 2022', '"start_year": 4294967296'),
        "plans[0].start_year: 4294967296 is more than the maximum 2200",
    ),
    "an unpaired surrogate in a string": (
        replaced('"Med självständighet', '"Med sj\\ud800lvständighet'),
        "plans[0].goals[0].tagline: holds invalid Unicode: an unpaired surrogate \\ud800 "
        "at character 7",
    ),
    "an unpaired low surrogate": (
        replaced('"name": "Kommunstyrelsen"', '"name": "\\udc80"'),
        "bodies[0].name: holds invalid Unicode: an unpaired surrogate \\udc80 at character 1",
    ),
    "an unpaired surrogate in a key": (
        replaced('"tagline"', '"tag\\ud83dline"'),
        'plans[0].goals[0]["tag\\ud83dline"]: the key holds invalid Unicode',
    ),
    "a NUL character, which PostgreSQL cannot store": (
        replaced('"Uppsala kommun"', '"Uppsala\\u0000kommun"'),
        "organisation.name: holds a NUL character (\\u0000) at character 8",
    ),
    "a duplicate key in one object": (
        replaced('"tagline": "Med', '"title": "Ett annat mål", "tagline": "Med'),
        "plans[0].goals[0].title: duplicate key 'title' in one object",
    ),
    "a duplicate key at the top": (
        replaced('"format": "uppfoljning/1",', '"format": "uppfoljning/1", "format": "x",'),
        "format: duplicate key 'format' in one object",
    ),
    "a year written as a float": (
        replaced('"start_year": 2022', '"start_year": 2022.0'),
        "plans[0].start_year: 2022.0 is not a whole number",
    ),
    "a number written with an exponent": (
        replaced(GOAL_NUMBER, '"number": 5e0,'),
        "plans[0].goals[0].number: 5e0 is not a whole number",
    ),
    "a number with a fraction": (
        replaced(GOAL_NUMBER, '"number": 5.5,'),
        "plans[0].goals[0].number: 5.5 is not a whole number",
    ),
    "a float too large for a float": (
        replaced('"end_year": 2024', '"end_year": 1e400'),
        "plans[0].end_year: 1e400 is not a whole number",
    ),
    "NaN": (
        replaced(GOAL_NUMBER, '"number": NaN,'),
        "plans[0].goals[0].number: NaN is not a JSON value",
    ),
    "Infinity": (
        replaced('"end_year": 2024', '"end_year": -Infinity'),
        "plans[0].end_year: -Infinity is not a JSON value",
    ),
    "an address with a space": (
        changed(with_link("https://exa mple.se")),
        "plans[0].goals[0].links[1].url: 'https://exa mple.se' is not a valid web address",
    ),
    "an address with a port that cannot exist": (
        changed(with_link("http://localhost:99999")),
        "plans[0].goals[0].links[1].url: 'http://localhost:99999' is not a valid web address",
    ),
    "an address with an impossible host name": (
        changed(with_link("https://-bad-.se")),
        "plans[0].goals[0].links[1].url: 'https://-bad-.se' is not a valid web address",
    ),
    "an action's address": (
        changed(
            lambda d: d["plans"][0]["goals"][0].update(
                actions=[{"title": "Gjort"}, {"title": "Länk", "url": "http://"}]
            )
        ),
        "plans[0].goals[0].actions[1].url: 'http://' is not a valid web address",
    ),
    "the organisation's website": (
        changed(lambda d: d["organisation"].update(website="https://uppsala..se/")),
        "organisation.website: 'https://uppsala..se/' is not a valid web address",
    ),
    "bytes that are not UTF-8": (
        SEED_TEXT.encode("utf-8").replace("Mål och".encode(), "Mål och".encode("latin-1"), 1),
        "{path}: not UTF-8 text: byte 0xE5 at line 39, column 17 is not part of any UTF-8 "
        "character",
    ),
    "a byte order mark": (
        b"\xef\xbb\xbf" + SEED_TEXT.encode("utf-8"),
        "{path}: starts with a byte order mark (BOM); the format is UTF-8 without one",
    ),
    "UTF-16": (SEED_TEXT.encode("utf-16"), "{path}: UTF-16 text; the format is UTF-8"),
    "an empty file": (b"", "{path}: empty, there is no JSON document in it"),
    "a file of blanks": (b" \n\t\n", "{path}: empty, there is no JSON document in it"),
    "an array at the top": (
        b"[" + SEED_TEXT.encode("utf-8") + b"]",
        "$: the document must be a JSON object, not an array",
    ),
    "a number at the top": (b"42", "$: the document must be a JSON object, not the number 42"),
    "a string at the top": (b'"{}"', "$: the document must be a JSON object, not a string '{{}}'"),
    "text after the document": (
        SEED_TEXT.encode("utf-8") + b"\n{}",
        "{path}: invalid JSON at line 152, column 1: Extra data",
    ),
    "a truncated file": (
        SEED_TEXT.encode("utf-8")[:200],
        "{path}: invalid JSON at line 11, column 1: Expecting property name",
    ),
}


@pytest.fixture
def seeded():
    """The seed imported, and a snapshot of every row to compare with afterwards."""
    opendata.import_document(copy.deepcopy(SEED))
    return snapshot()


def write(tmp_path, content: bytes):
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("content,expected", FILES.values(), ids=FILES.keys())
def test_load_path_refuses_a_malformed_file_and_says_where(tmp_path, content, expected):
    path = write(tmp_path, content)

    with pytest.raises(opendata.OpenDataError) as caught:
        document = opendata.load_path(path)
        raise opendata.OpenDataError(opendata.validate(document))

    expected = expected.format(path=path)
    assert any(error.startswith(expected) for error in caught.value.errors), caught.value.errors
    # Every message can be printed to a terminal and written to a UTF-8 log.
    str(caught.value).encode("utf-8")


@pytest.mark.parametrize("content,expected", FILES.values(), ids=FILES.keys())
def test_import_plan_refuses_a_malformed_file_and_writes_nothing(
    tmp_path, seeded, content, expected
):
    path = write(tmp_path, content)
    out = io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_plan", str(path), stdout=out)

    message = str(caught.value)
    assert message.startswith(f"{path}: nothing was imported, 1 error")
    assert expected.format(path=path) in message
    assert snapshot() == seeded
    assert out.getvalue() == ""


def test_import_plan_refuses_a_directory(tmp_path, seeded):
    with pytest.raises(CommandError) as caught:
        call_command("import_plan", str(tmp_path))

    assert f"{tmp_path}: is a directory, not a file" in str(caught.value)
    assert snapshot() == seeded


def test_import_plan_reports_every_value_problem_at_once(tmp_path):
    text = (
        SEED_TEXT.replace('"start_year": 2022', '"start_year": 2022.0', 1)
        .replace('"Uppsala kommun"', '"Uppsala\\ud800"', 1)
        .replace('"tagline": "Med', '"title": "Igen", "tagline": "Med', 1)
    )
    path = write(tmp_path, text.encode("utf-8"))

    with pytest.raises(CommandError) as caught:
        call_command("import_plan", str(path))

    assert str(caught.value).splitlines()[1:] == [
        "organisation.name: holds invalid Unicode: an unpaired surrogate \\ud800 at character 8",
        "plans[0].start_year: 2022.0 is not a whole number: the format's numbers are "
        "integers, written without a decimal point or an exponent",
        "plans[0].goals[0].title: duplicate key 'title' in one object (a JSON reader would "
        "keep only the last one)",
    ]


# --------------------------------------------------------------------------- documents in Python


def document_with(dotted: str, value) -> dict:
    document = copy.deepcopy(SEED)
    *parents, last = dotted.split(".")
    target = document
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    return document


DOCUMENTS = {
    "a float year (JSON Schema's integer takes 2022.0)": (
        document_with("plans.0.start_year", 2022.0),
        "plans[0].start_year: 2022.0 is not a whole number",
    ),
    "an integer of 5000 digits": (
        document_with("plans.0.goals.0.number", 10**5000),
        "plans[0].goals[0].number: the number with about 5001 digits is too large",
    ),
    "an integer too large for the database": (
        document_with("plans.0.goals.0.number", 2**40),
        "plans[0].goals[0].number: 1099511627776 is more than the maximum 32767",
    ),
    "an unpaired surrogate": (
        document_with("plans.0.name", "Plan \ud800"),
        "plans[0].name: holds invalid Unicode: an unpaired surrogate \\ud800 at character 6",
    ),
    "a value that is not JSON": (
        document_with("plans.0.goals", ({"number": 1},)),
        "plans[0].goals: tuple is not a JSON value",
    ),
    "a key that is not a string": (
        document_with("organisation", {"name": "Uppsala", 1: "ett"}),
        "organisation: the key 1 is not a string",
    ),
    "nesting that would exhaust the stack": (
        document_with("plans.0.goals.0.tagline", json.loads(nested(5000))),
        "plans[0].goals[0].tagline" + "[0]" * (MAX_DEPTH - 5) + ": arrays and objects nested",
    ),
}


@pytest.mark.parametrize("document,expected", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_import_document_refuses_a_document_built_in_python(seeded, document, expected):
    with pytest.raises(opendata.OpenDataError) as caught:
        opendata.import_document(document)

    assert any(error.startswith(expected) for error in caught.value.errors), caught.value.errors
    assert snapshot() == seeded


def test_a_huge_integer_instead_of_the_document_is_described_not_printed():
    assert opendata.validate(10**5000) == [
        "$: the document must be a JSON object, not the number with about 5001 digits"
    ]


def test_loads_reads_the_seed_text_as_load_path_does():
    assert opendata.loads(SEED_TEXT) == opendata.loads(SEED_TEXT.encode()) == SEED
