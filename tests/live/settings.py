"""The project's settings for serving the portal over plain HTTP on 127.0.0.1.

Used by the tests that run real server processes (tests/live/servers.py) and by `make bench`.
Everything else is production's: DEBUG comes from the environment (off unless set), the page
cache is on.
"""

import os
from pathlib import Path

from tests.live.servers import BYPASS_CACHE_HEADER, PING_PATH
from uppfoljning.settings import *  # noqa: F403
from uppfoljning.settings import PAGE_CACHE_EXCLUDED_PATHS, STORAGES

ROOT_URLCONF = "tests.live.urls"

# Plain HTTP on the loopback interface: no redirect to HTTPS.
SECURE_SSL_REDIRECT = False

# A request with this header skips the page cache (the benchmark measures pages uncached),
# and the ping view (the cost of Django itself) is never cached.
PAGE_CACHE_BYPASS_HEADER = BYPASS_CACHE_HEADER
PAGE_CACHE_EXCLUDED_PATHS = [*PAGE_CACHE_EXCLUDED_PATHS, PING_PATH]

# Static files as production serves them when BENCH_STATIC_ROOT holds a collectstatic run
# (compressed, hashed names); straight from the source folders otherwise.
if os.getenv("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
    STORAGES = {
        **STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
else:
    STORAGES = {
        **STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    WHITENOISE_USE_FINDERS = True
