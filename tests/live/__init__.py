"""Real server processes of the portal (gunicorn on 127.0.0.1), for the tests that need more
than one process and for `make bench`: servers.py starts them, settings.py and urls.py are
what they serve."""
