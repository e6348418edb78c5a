"""A populated throw-away site and its archive, made once per session; and empty sites to restore into."""

from __future__ import annotations

import pytest

from .sites import POPULATE, Site, drop_database, new_database_url


@pytest.fixture
def make_site(tmp_path_factory):
    """Make empty sites (a new VAR_DIR, and a new database on PostgreSQL); dropped after the test."""
    urls = []

    def make(prefix: str = "site") -> Site:
        url = new_database_url()
        urls.append(url)
        return Site(var_dir=tmp_path_factory.mktemp(prefix), database_url=url)

    yield make
    for url in urls:
        drop_database(url)


@pytest.fixture(scope="session")
def source(tmp_path_factory):
    """A site with users, categories, articles (microsecond publish times), revisions, audit entries, an image and an attachment, and its archive."""
    url = new_database_url()
    site = Site(var_dir=tmp_path_factory.mktemp("source"), database_url=url)
    site.xinwen("migrate", "--no-input", "--verbosity", "0")
    site.python(POPULATE)
    archive = site.var_dir.parent / "source-backup.tar"
    result = site.xinwen("backup", str(archive))
    yield site, archive, result
    drop_database(url)
