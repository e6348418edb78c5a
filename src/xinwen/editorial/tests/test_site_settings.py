"""The 站点设置 screen: one change view, for 管理员 only, saving through the write path."""

from __future__ import annotations

import pytest

from xinwen.conftest import make_user
from xinwen.news.models import AuditEntry, SiteSettings

pytestmark = pytest.mark.django_db

URL = "/admin/news/sitesettings/1/change/"
FORM = {
    "site_name": "示例集团",
    "organizer": "示例集团有限公司",
    "operator": "",
    "address": "",
    "phone": "",
    "email": "",
    "icp_number": "京ICP备00000000号-1",
    "police_number": "",
    "site_code": "",
    "friendly_links": "示例 https://www.example.org/",
    # The watermark fieldset as a browser sends it untouched: no watermark.
    "watermark_text": "",
    "watermark_position": "bottom-right",
    "watermark_opacity": "50",
    "palette": "red",  # a select always sends its choice
}


@pytest.fixture
def manager(db):
    return make_user("manager", role="管理员")


def test_the_admin_role_edits_the_one_row_and_the_footer_shows_it(client, tree, manager):
    client.force_login(manager)
    assert client.get("/admin/news/sitesettings/").url == URL  # no list of one row
    assert client.get(URL).status_code == 200  # before anything was saved
    response = client.post(URL, FORM)
    assert response.status_code == 302
    assert SiteSettings.objects.get().organizer == "示例集团有限公司"
    assert AuditEntry.objects.filter(content_type__model="sitesettings", username="manager").exists()
    client.logout()
    assert "主办单位：示例集团有限公司" in client.get("/").content.decode()


def test_a_bad_friendly_link_is_shown_at_its_field_and_nothing_is_saved(client, tree, manager):
    client.force_login(manager)
    response = client.post(URL, {**FORM, "friendly_links": "示例 ftp://example.org/"})
    assert response.status_code == 200
    assert "第 1 行" in response.content.decode()
    assert not SiteSettings.objects.exists()


@pytest.mark.parametrize("path", ["/admin/news/sitesettings/add/", "/admin/news/sitesettings/1/delete/", "/admin/news/sitesettings/2/change/"])
def test_there_is_no_second_row_and_no_deleting_the_first(client, tree, manager, path):
    client.force_login(manager)
    response = client.get(path)
    assert response.status_code in {302, 403}
    assert not SiteSettings.objects.exists()


def test_editors_cannot_change_the_site_settings(client, tree):
    client.force_login(make_user("editor", role="编辑"))
    assert client.get(URL).status_code == 403
    assert client.post(URL, FORM).status_code == 403
    assert not SiteSettings.objects.exists()
