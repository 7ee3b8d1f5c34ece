"""Security and privacy: headers, cookies, login protection, error pages, deploy checks."""

import ast
import functools
import re
import secrets
import subprocess
import sys

import pytest
from axes.helpers import get_client_ip_address
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import Client, override_settings

from tests.factories import seed_portal
from tests.pages import ENGLISH, NOT_FOUND, browser_pages, public_pages
from tests.test_project import ROOT, run_settings
from uppfoljning.settings import envbool


def public_urls() -> list[str]:
    """Every public page type with the seed's data, and the portal's own 404 page."""
    return [*public_pages(seed_portal()).values(), NOT_FOUND]


def html_pages() -> list[str]:
    """What a browser shows: every public page but the open-data document, and the 404."""
    return list(browser_pages(seed_portal()).values())


def test_it_passes_the_deploy_checks_with_production_settings():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "uppfoljning.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "uppfoljning.example.se",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_it_sends_the_security_headers_on_every_page(client, seed):
    for url in public_urls():
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'none'" in csp, url
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_it_has_no_inline_scripts_or_styles(client, seed):
    for url in html_pages():
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_it_sets_no_cookie_for_a_citizen(client, seed):
    for url in public_urls():
        response = client.get(url)
        assert response.cookies == {}, (url, response.cookies)
        assert "Set-Cookie" not in response.headers


def test_it_sends_hsts_over_https_only(client, seed):
    assert "Strict-Transport-Security" not in client.get("/")
    hsts = client.get("/", secure=True)["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains; preload"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_it_redirects_plain_http_to_https(client, db):
    response = client.get("/ansvariga/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/ansvariga/"


@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)
def test_it_trusts_the_proxys_forwarded_proto_when_configured(client, db):
    response = client.get("/ansvariga/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_it_reads_the_proxy_and_framing_settings_from_the_environment():
    base = {"SECRET_KEY": "x" * 50}
    trusted = run_settings(
        {**base, "TRUST_X_FORWARDED_PROTO": "1"}, "settings.SECURE_PROXY_SSL_HEADER"
    )
    assert trusted.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
    untrusted = run_settings(base, "getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)")
    assert untrusted.stdout.strip() == "None"
    framed = run_settings(
        {**base, "FRAME_ANCESTORS": "https://www.kommun.se, https://cms.kommun.se"},
        "[str(v) for v in settings.SECURE_CSP['frame-ancestors']], "
        "'django.middleware.clickjacking.XFrameOptionsMiddleware' in settings.MIDDLEWARE",
    )
    # The sites may frame only the embeddable views (tests/test_exports_cms.py): every
    # other page stays unframeable.
    assert framed.stdout.strip() == "[\"'none'\"] True"


def test_it_gives_staff_cookies_that_are_secure_httponly_and_samesite(db):
    User.objects.create_superuser("admin", password="rätt-lösenord-123")
    client = Client(enforce_csrf_checks=True)
    login_page = client.get("/admin/login/")
    csrf = login_page.cookies["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.content.decode())
    response = client.post(
        "/admin/login/",
        {"username": "admin", "password": "rätt-lösenord-123", "csrfmiddlewaretoken": token[1]},
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    for cookie in (csrf, session):
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_it_locks_out_a_password_guesser(db):
    User.objects.create_superuser("admin", password="rätt-lösenord-123")
    client = Client()
    for attempt in range(4):
        response = client.post("/admin/login/", {"username": "admin", "password": f"fel{attempt}"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "admin", "password": "fel5"})
    assert response.status_code == 429  # the fifth failure locks
    response = client.post("/admin/login/", {"username": "admin", "password": "rätt-lösenord-123"})
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


ADDRESS_SETTINGS = [
    "AXES_IPWARE_META_PRECEDENCE_ORDER",
    "AXES_IPWARE_PROXY_ORDER",
    "AXES_IPWARE_PROXY_COUNT",
    "IPWARE_STRICT",
]


def use_address_settings(settings, **env: str) -> None:
    """Give this process the client-address settings the project makes of `env`."""
    for name, value in address_settings(tuple(sorted(env.items()))).items():
        setattr(settings, name, value)


@functools.cache
def address_settings(env: tuple[tuple[str, str], ...]) -> dict:
    show = f"{{name: getattr(settings, name, None) for name in {ADDRESS_SETTINGS!r}}}"
    result = run_settings({"SECRET_KEY": "x" * 50, **dict(env)}, show)
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip())


def log_in(client: Client, password: str, address: str):
    return client.post(
        "/admin/login/",
        {"username": "admin", "password": password},
        headers={"X-Forwarded-For": address},
    )


def test_it_locks_out_per_client_address_behind_the_proxy(db, settings):
    use_address_settings(settings, TRUST_X_FORWARDED_PROTO="1", TRUST_X_FORWARDED_FOR="1")
    User.objects.create_superuser("admin", password="rätt-lösenord-123")
    guesser = Client()
    for attempt in range(4):
        assert log_in(guesser, f"fel{attempt}", "203.0.113.5").status_code == 200
    assert log_in(guesser, "fel5", "203.0.113.5").status_code == 429
    # What a client writes in front of the address the proxy appends changes nothing.
    assert log_in(guesser, "rätt-lösenord-123", "198.51.100.7, 203.0.113.5").status_code == 429

    colleague = Client()  # the same user elsewhere, through the same proxy
    assert log_in(colleague, "rätt-lösenord-123", "198.51.100.7").status_code == 302
    assert "_auth_user_id" in colleague.session


def test_it_ignores_x_forwarded_for_unless_told_to_trust_it(db, settings):
    use_address_settings(settings, TRUST_X_FORWARDED_PROTO="1")
    User.objects.create_superuser("admin", password="rätt-lösenord-123")
    for attempt in range(5):
        log_in(Client(), f"fel{attempt}", "203.0.113.5")
    # Another X-Forwarded-For from the same connection's address: still locked out.
    assert log_in(Client(), "rätt-lösenord-123", "198.51.100.7").status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "client"),
    [
        ("1", "203.0.113.5", "203.0.113.5"),
        ("1", "198.51.100.7, 203.0.113.5", "203.0.113.5"),
        ("1", "nonsens, 203.0.113.5", "203.0.113.5"),
        ("2", "203.0.113.5, 10.0.0.2", "203.0.113.5"),
        ("2", "198.51.100.7, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        ("1", "", "192.0.2.1"),  # not through the proxy: the connection's address
    ],
)
def test_it_reads_the_client_address_the_outermost_proxy_saw(
    settings, rf, proxies, forwarded_for, client
):
    use_address_settings(settings, TRUST_X_FORWARDED_FOR="1", PROXY_COUNT=proxies)
    request = rf.post("/admin/login/", REMOTE_ADDR="192.0.2.1")
    if forwarded_for:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert get_client_ip_address(request) == client


def test_it_refuses_a_proxy_count_below_one():
    env = {"SECRET_KEY": "x" * 50, "TRUST_X_FORWARDED_FOR": "1", "PROXY_COUNT": "0"}
    result = run_settings(env)
    assert result.returncode != 0
    assert "PROXY_COUNT" in result.stderr


def test_it_reads_yes_or_no_settings_and_refuses_anything_else(monkeypatch):
    for word, meaning in [("1", True), ("true", True), (" Yes ", True), ("ON", True)]:
        monkeypatch.setenv("A_SETTING", word)
        assert envbool("A_SETTING", "False") is meaning, word
    for word in ["0", "false", "No", " off"]:
        monkeypatch.setenv("A_SETTING", word)
        assert envbool("A_SETTING", "True") is False, word
    for typo in ["ture", "flase", "2", "ja", "enabled"]:
        monkeypatch.setenv("A_SETTING", typo)
        with pytest.raises(ImproperlyConfigured, match="A_SETTING"):
            envbool("A_SETTING", "False")
    monkeypatch.setenv("A_SETTING", " ")  # empty: the default, as when unset
    assert envbool("A_SETTING", "True") is True
    monkeypatch.delenv("A_SETTING")
    assert envbool("A_SETTING", "False") is False


def test_it_refuses_to_start_with_a_misspelt_yes_or_no():
    result = run_settings({"SECRET_KEY": "x" * 50, "SECURE_SSL_REDIRECT": "ture"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECURE_SSL_REDIRECT" in result.stderr


def test_it_demands_strong_passwords():
    for weak in ["kort", "password1234", "123456789012"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Långt-och-ovanligt-lösenord-2026")


@override_settings(ROOT_URLCONF="tests.urls_errors", DEBUG=False)
@pytest.mark.parametrize(
    ("url", "status", "headline"),
    [
        ("/test/broken/", 500, "Något gick fel hos oss"),
        ("/test/forbidden/", 403, "Du har inte åtkomst till den här sidan"),
        ("/finns-inte/", 404, "Sidan kunde inte hittas"),
    ],
)
def test_it_shows_its_own_swedish_error_pages(db, url, status, headline):
    client = Client(raise_request_exception=False)
    response = client.get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert headline in html
    assert '<html lang="sv">' in html
    assert "Traceback" not in html and "secret detail" not in html


def test_it_shows_its_own_page_for_a_bad_request(db):
    response = Client().get("/", headers={"Host": "angripare.example"})
    assert response.status_code == 400
    assert "Begäran kunde inte förstås" in response.content.decode()


def test_it_links_the_accessibility_statement_and_cookie_page_from_every_page(client, seed):
    for url in html_pages():
        html = client.get(url).content.decode()
        prefix = ENGLISH if url.startswith(ENGLISH + "/") else ""
        assert f'href="{prefix}/tillganglighet/"' in html, url
        assert f'href="{prefix}/om-kakor/"' in html, url


def test_it_publishes_an_accessibility_statement(client, seed):
    html = client.get("/tillganglighet/").content.decode()
    for part in [
        "Tillgänglighetsredogörelse",
        "Hur tillgänglig är webbplatsen?",
        "Innehåll som inte är tillgängligt",
        "Rapportera brister",
        "Myndigheten för digital förvaltning",
        "https://www.digg.se/tdosanmalan",
        "Uppsala kommun",
    ]:
        assert part in html


@override_settings(ACCESSIBILITY_CONTACT_EMAIL="tillganglighet@kommun.se")
def test_it_names_the_contact_for_accessibility_problems(client, db):
    html = client.get("/tillganglighet/").content.decode()
    assert 'href="mailto:tillganglighet@kommun.se"' in html


def test_it_explains_cookies(client, db):
    html = client.get("/om-kakor/").content.decode()
    assert "sätter inga kakor alls när du läser den" in html
    assert "sessionid" in html and "csrftoken" in html
