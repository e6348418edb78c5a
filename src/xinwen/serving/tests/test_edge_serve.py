"""`XINWEN_ROLE=edge xinwen serve`, as README's 静态发布 section starts the public side's app process.

Real processes: a site migrated as the CMS, then the edge role's `xinwen serve` on it,
asked over HTTP for what nginx sends it and for what it must not have.
"""

from __future__ import annotations

import urllib.parse

from xinwen.serving.tests.conftest import get, serving


def test_the_edge_role_starts_the_production_server_without_a_back_office(site_env, tmp_path):
    search = "/search/?q=" + urllib.parse.quote("数字化转型")
    with serving({**site_env, "XINWEN_ROLE": "edge"}, tmp_path, ready=search) as (url, _):
        assert get(url + search) == 200
        assert get(url + "/zh-tw/search/?q=" + urllib.parse.quote("數位")) == 200
        assert get(url + "/api/v1/articles") == 200
        assert get(url + "/admin/") == 404
        assert get(url + "/admin/login/") == 404
        assert get(url + "/") == 404  # pages are files on the public side
