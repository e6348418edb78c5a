"""Password strength (zxcvbn) and self-service reset by email."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from xinwen.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["qwertyuiop123", "aaaaaaaaaaaa1", "1qaz2wsx3edc", "zxcvbnm,./123"])
def test_keyboard_walks_and_repeats_are_rejected_in_chinese(password):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any("容易被猜到" in message for message in error.value.messages)


@pytest.mark.parametrize("password", ["orbit-violin-sunset-42", "青山绿水 harbor 1987 lantern", "twelve-chars-ok!"])
def test_random_passphrases_are_accepted(password):
    validate_password(password)


@pytest.fixture
def mail_on(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_RESET_BY_EMAIL = True


def test_without_mail_there_is_no_reset(client, settings):
    settings.PASSWORD_RESET_BY_EMAIL = False
    assert client.get("/admin/password_reset/").status_code == 404
    assert "忘记密码" not in client.get(reverse("admin:login")).content.decode()


def test_staff_reset_their_password_by_email(client, mail_on):
    user = make_user("editor", role="编辑")
    user.email = "editor@example.org"
    user.save()
    login_page = client.get(reverse("admin:login")).content.decode()
    assert "忘记密码？" in login_page and "/admin/password_reset/" in login_page

    response = client.post("/admin/password_reset/", {"email": "editor@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["editor@example.org"]
    link = re.search(r"https?://[^/\s]+(/admin/reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "qwertyuiop123", "new_password2": "qwertyuiop123"})
    assert weak.status_code == 200 and "容易被猜到" in weak.content.decode()
    done = client.post(set_url, {"new_password1": "orbit-violin-sunset-42", "new_password2": "orbit-violin-sunset-42"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("orbit-violin-sunset-42")


def test_reset_mails_only_staff(client, mail_on):
    reader = make_user("reader")  # not staff
    reader.email = "reader@example.org"
    reader.save()
    client.post("/admin/password_reset/", {"email": "reader@example.org"})
    assert mail.outbox == []
