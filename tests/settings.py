"""Settings for the test suite: the project's own, with a test-only secret and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from uppfoljning.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Static files straight from the source folders: the suite needs no collectstatic run.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The test client speaks plain HTTP; tests/test_security.py checks the HTTPS redirect itself.
SECURE_SSL_REDIRECT = False

# The page cache stays off so that every test sees its own data (tests/test_pagecache.py
# turns it on); the cache is this process's own memory, never the files or Redis of a server.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PAGE_CACHE_SECONDS = 0
