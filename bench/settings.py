"""The project's settings for serving the portal over plain HTTP on 127.0.0.1.

Used by `make bench` and by the tests that run real server processes. Everything else is
production's: DEBUG comes from the environment (off unless set), the page cache is on.
"""

import os
from pathlib import Path

from uppfoljning.settings import *  # noqa: F403
from uppfoljning.settings import PAGE_CACHE_EXCLUDED_PATHS, STORAGES

ROOT_URLCONF = "bench.urls"

# Plain HTTP on the loopback interface: no redirect to HTTPS.
SECURE_SSL_REDIRECT = False

# The benchmark measures pages without the cache by sending this header, and its own
# /bench/ping/ view (the cost of Django itself) is never cached.
PAGE_CACHE_BYPASS_HEADER = "X-Bench-Bypass-Cache"
PAGE_CACHE_EXCLUDED_PATHS = [*PAGE_CACHE_EXCLUDED_PATHS, "/bench/"]

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
