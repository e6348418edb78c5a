"""Every app and model the back office lists has a Chinese name, third-party ones included."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from xinwen.conftest import make_user

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def superuser_client(client):
    client.force_login(make_user("root", superuser=True))
    return client


def test_every_label_in_the_admin_index_is_chinese(superuser_client):
    """What a superuser sees on /admin/ (and in the sidebar, built from the same list)."""
    response = superuser_client.get(reverse("admin:index"))

    assert response.status_code == 200
    labels = [str(app["name"]) for app in response.context["app_list"]]
    labels += [str(model["name"]) for app in response.context["app_list"] for model in app["models"]]
    assert len(labels) > 20
    assert [label for label in labels if not CJK.search(label)] == []


@pytest.mark.parametrize(
    "app_label, model, name",
    [
        ("axes", "accessattempt", "登录尝试"),
        ("axes", "accesslog", "登录记录"),
        ("axes", "accessfailurelog", "登录失败"),
        ("otp_totp", "totpdevice", "验证器应用"),
        ("otp_static", "staticdevice", "恢复码"),
    ],
)
def test_third_party_changelists_carry_the_chinese_names(superuser_client, app_label, model, name):
    response = superuser_client.get(reverse(f"admin:{app_label}_{model}_changelist"))

    assert response.status_code == 200
    assert name in response.content.decode()
    assert str(response.context["cl"].opts.verbose_name_plural) == name


def test_renaming_needs_no_migration():
    """The names are set at runtime; the libraries' migrations still describe their models."""
    call_command("makemigrations", "axes", "otp_totp", "otp_static", check=True, dry_run=True, verbosity=0)
