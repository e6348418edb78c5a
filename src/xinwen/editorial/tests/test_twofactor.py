"""The second factor: who must have one, enrolment, codes, recovery codes, reset."""

import re
import time
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinwen.conftest import make_article, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-2026"


def password_login(client, username):
    response = client.post(reverse("admin:login"), {"username": username, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def after_a_wrong_code():
    """A wrong code makes the device wait (django-otp's throttling): step past that wait."""
    return time_machine.travel(time.time() + 5, tick=True)


@pytest.mark.parametrize("role, superuser", [("编辑", False), ("管理员", False), (None, True)])
def test_editors_admins_and_superusers_must_enrol_before_any_admin_page(client, role, superuser):
    make_user("staff", role=role, superuser=superuser, password=PASSWORD)
    password_login(client, "staff")
    for url in ["/admin/", reverse("admin:news_article_changelist"), reverse("admin:news_article_upload_image"),
                reverse("admin:auth_user_changelist"), reverse("admin:password_change")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("otp-enrol")), url
    assert client.post(reverse("admin:news_article_upload_image")).status_code == 302


def test_enrolment_shows_qr_and_secret_then_ten_recovery_codes_once(client):
    user = make_user("editor", role="编辑", password=PASSWORD)
    password_login(client, "editor")
    page = client.get(reverse("otp-enrol"), {"next": "/admin/news/article/"})
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "绑定两步验证" in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'data-secret="([A-Z2-7]+)"', html).group(1)
    assert client.get(reverse("otp-enrol")).content.decode().count(secret) >= 1  # a reload keeps the secret

    wrong = client.post(reverse("otp-enrol"), {"code": "000000"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    with after_a_wrong_code():
        done = client.post(reverse("otp-enrol"), {"code": code_for(device), "next": "/admin/news/article/"})
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    assert done.status_code == 200 and len(codes) == 10 and "no-store" in done["Cache-Control"]
    assert client.get(reverse("admin:news_article_changelist")).status_code == 200
    # Enrolment is over: the page does not show a new secret to this session again.
    assert client.get(reverse("otp-enrol")).status_code == 302


def test_a_user_with_a_device_is_asked_for_a_code_or_a_recovery_code(client):
    user = make_user("editor", role="编辑", password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    password_login(client, "editor")
    assert client.get("/admin/")["Location"].startswith(reverse("otp-verify"))
    # Having a device, the session may not enrol another one to get around it.
    assert client.get(reverse("otp-enrol"))["Location"].startswith(reverse("otp-verify"))
    assert client.post(reverse("otp-verify"), {"code": "123456"}).status_code == 400
    with after_a_wrong_code():
        response = client.post(reverse("otp-verify"), {"code": code_for(device), "next": "/admin/news/article/"})
    assert response.status_code == 302 and response["Location"] == "/admin/news/article/"
    assert client.get("/admin/").status_code == 200


def test_recovery_codes_work_once(client):
    from xinwen.editorial.twofactor import recovery_codes_replace

    user = make_user("editor", role="编辑", password=PASSWORD)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    code = recovery_codes_replace(user=user)[0]
    password_login(client, "editor")
    assert client.post(reverse("otp-verify"), {"code": code.upper()}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    password_login(client, "editor")
    assert client.post(reverse("otp-verify"), {"code": code}).status_code == 400


def test_next_never_leaves_the_site(client):
    user = make_user("editor", role="编辑", password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    password_login(client, "editor")
    response = client.post(reverse("otp-verify"), {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_authors_may_skip_the_second_factor_unless_the_setting_requires_it(client, settings):
    make_user("writer", role="作者", password=PASSWORD)
    password_login(client, "writer")
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("otp-enrol")).status_code == 200  # optional enrolment is offered
    settings.OTP_REQUIRED_FOR_AUTHORS = True
    assert client.get("/admin/")["Location"].startswith(reverse("otp-enrol"))


def test_a_password_alone_shows_no_draft_preview_on_the_public_site(client, tree):
    editor = make_user("editor", role="编辑", password=PASSWORD)
    draft = make_article(category=tree["company"], title="草稿预览", status="draft")
    client.force_login(editor, second_factor=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_the_api_stays_public_and_read_only(client):
    make_user("editor", role="编辑", password=PASSWORD)
    assert client.get("/api/v1/articles").status_code == 200
    password_login(client, "editor")  # a password-only staff session changes nothing there
    assert client.get("/api/v1/articles").status_code == 200
    assert client.post("/api/v1/articles", {}).status_code in (403, 405)


def test_otp_reset_command_removes_devices_so_the_user_enrols_again(client):
    user = make_user("editor", role="编辑", password=PASSWORD)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    out = StringIO()
    call_command("otp_reset", "editor", stdout=out)
    assert "2" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=user).exists() and not StaticDevice.objects.filter(user=user).exists()
    password_login(client, "editor")
    assert client.get("/admin/")["Location"].startswith(reverse("otp-enrol"))


def test_otp_reset_of_an_unknown_user_says_so():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有账号"):
        call_command("otp_reset", "nobody")
