"""What export, validation and import share: the format's name, its schema, its text, errors.

No database access here and no models: every other module of the room imports this one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

FORMAT = "uppfoljning/1"
SCHEMA_PATH = Path(__file__).resolve().parent / "uppfoljning-1.schema.json"

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class OpenDataError(Exception):
    """A document that cannot be read, exported or imported; ``errors`` lists every reason.

    Each reason starts with where it is: a JSON path such as ``plans[0].goals[1].title``
    ("$" for the whole document), or the file name and a line and column when the text
    itself cannot be read.
    """

    def __init__(self, errors: Iterable[str]):
        self.errors: list[str] = list(errors)
        super().__init__("\n".join(self.errors))

    def __str__(self) -> str:
        return "\n".join(self.errors)


def dumps(document: dict) -> str:
    """The canonical text of a document.

    No newline is added after the closing brace: the reference example
    (fixtures/uppsala-goal5.json) has none, and import-then-export reproduces it byte
    for byte.
    """
    return json.dumps(document, ensure_ascii=False, indent=2)


def json_path(parts: Iterable[str | int]) -> str:
    """["plans", 0, "goals", 1] -> "plans[0].goals[1]"; the root is "$".

    A key that is not a plain name (a typo with a space, a control character, an unpaired
    surrogate) is written as a quoted, ASCII-escaped string: ``$["bad key"]``.
    """
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            path += f".{part}" if path else part
        else:
            path += f"[{json.dumps(part)}]" if path else f"$[{json.dumps(part)}]"
    return path or "$"
