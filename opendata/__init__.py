"""The uppfoljning/1 open-data format: schema, validation, import, export, the JSON view.

The room's modules:

- ``document.py``: the format's name, schema path, canonical text and OpenDataError;
- ``export.py``: the published portal as a document;
- ``validation.py``: reading a file strictly, and checking a document against the
  schema (``uppfoljning-1.schema.json``, beside it) and the rules beyond it;
- ``importer.py``: writing a valid document, with the memory of what earlier imports
  wrote (``models.py``) so that a re-import never silently undoes work done in the portal;
- ``views.py``, ``urls.py``: ``/oppna-data/uppfoljning.json``;
- ``management/commands/``: ``import_plan`` and ``export_plan``.

Public API, for the rest of the portal and the tests: import it from the package
(``import opendata`` or ``from opendata import import_document``), not from the modules.

- ``export_document()``: the published portal as a document (a dict);
- ``dumps(document)``: its canonical text;
- ``load_path(path)`` / ``loads(text)``: read a document from a file or a text, strictly;
- ``validate(document)``: every problem of a document, each "json.path: message";
- ``import_document(document, overwrite=False, dry_run=False)``: validate and write it,
  all or nothing, returning an ``ImportReport`` (its ``changes`` are ``Change`` records);
- ``import_path(path, ...)``: load_path and import_document;
- ``OpenDataError``: raised with every problem found (``errors``), each with where it is;
- ``FORMAT``, ``SCHEMA_PATH``.

The names are loaded on first use (PEP 562), because the package itself is imported while
Django is still loading the apps, before any model can be.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what __getattr__ below loads, for type checkers and editors
    from opendata.document import FORMAT as FORMAT
    from opendata.document import SCHEMA_PATH as SCHEMA_PATH
    from opendata.document import OpenDataError as OpenDataError
    from opendata.document import dumps as dumps
    from opendata.export import export_document as export_document
    from opendata.importer import Change as Change
    from opendata.importer import ImportReport as ImportReport
    from opendata.importer import import_document as import_document
    from opendata.importer import import_path as import_path
    from opendata.validation import load_path as load_path
    from opendata.validation import loads as loads
    from opendata.validation import validate as validate

_PUBLIC = {
    "FORMAT": "opendata.document",
    "SCHEMA_PATH": "opendata.document",
    "OpenDataError": "opendata.document",
    "dumps": "opendata.document",
    "export_document": "opendata.export",
    "load_path": "opendata.validation",
    "loads": "opendata.validation",
    "validate": "opendata.validation",
    "Change": "opendata.importer",
    "ImportReport": "opendata.importer",
    "import_document": "opendata.importer",
    "import_path": "opendata.importer",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})
