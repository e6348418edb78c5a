"""Test settings come from the environment like everywhere else; these are the test defaults."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinwen.settings")
os.environ.setdefault("SECRET_KEY", "test-only-" + "k" * 40 + "-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("HTTPS", "0")
# The page cache would make one test's pages another test's answers; its own tests switch it on.
os.environ.setdefault("PAGE_CACHE", "0")
os.environ.setdefault("VAR_DIR", os.path.join(os.path.dirname(__file__), "var", "test"))

import django  # noqa: E402

django.setup()
