"""The project as a whole: migrations, settings, translations, admin."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_it_has_no_pending_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_it_translates_every_interface_text_to_swedish():
    po = (ROOT / "locale/sv/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]
    # An empty msgstr not continued on the next line is an untranslated text.
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""$(?!\n")', e, re.M)]
    assert untranslated == []
    assert "#, fuzzy" not in po


def test_it_ships_the_compiled_catalogue_of_the_current_translations(tmp_path):
    compiled = tmp_path / "django.mo"
    po = ROOT / "locale/sv/LC_MESSAGES/django.po"
    shipped = ROOT / "locale/sv/LC_MESSAGES/django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(po)], capture_output=True, text=True
    )
    if result.returncode == 127:  # pragma: no cover
        pytest.skip("GNU gettext is not installed")
    assert result.returncode == 0, result.stderr
    assert compiled.read_bytes() == shipped.read_bytes(), "run `make messages`"


def run_settings(env: dict, show: str = "settings.DEBUG") -> subprocess.CompletedProcess:
    """Starts Django in a fresh process with only `env` set and prints `show`."""
    code = f"import django; django.setup(); from django.conf import settings; print({show})"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "uppfoljning.settings", **env},
        capture_output=True,
        text=True,
    )


def test_it_refuses_to_start_without_a_secret_key_in_production():
    result = run_settings({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_starts_with_a_development_key_when_debugging():
    result = run_settings({"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_it_uses_the_database_url():
    result = run_settings(
        {"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://portal@db.example:5432/uppfoljning"},
        show="*(settings.DATABASES['default'][key] for key in ('ENGINE', 'NAME', 'HOST'))",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "uppfoljning", "db.example"]
