"""A real WordPress for the migration tests: started once per session, fails (never skips) when missing."""

from __future__ import annotations

import pytest

from xinwen.importer.tests.wordpress.site import INSTALL_HINT, WordPress, missing_packages


@pytest.fixture(scope="session")
def wordpress(tmp_path_factory):
    """Debian's WordPress 6.1 on 127.0.0.1, seeded through WordPress itself; `.reference` is its own dump."""
    missing = missing_packages()
    if missing:
        pytest.fail(f"the WordPress migration tests need Debian's packages ({', '.join(missing)} missing): {INSTALL_HINT}",
                    pytrace=False)  # fmt: skip
    site = WordPress(tmp_path_factory.mktemp("wordpress"))
    try:
        site.start()
        site.seed()
        site.reference = site.dump()
    except BaseException:
        site.stop()
        raise
    yield site
    site.stop()
