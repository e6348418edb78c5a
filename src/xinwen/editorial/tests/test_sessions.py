"""Back-office sessions end after SESSION_IDLE_MINUTES idle and SESSION_MAX_HOURS after login."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from xinwen.conftest import make_user

pytestmark = pytest.mark.django_db


def logged_out(response) -> bool:
    return response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_idle_session_is_logged_out(client, settings):
    settings.SESSION_IDLE_MINUTES = 120
    client.force_login(make_user("editor", role="编辑"))
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=119), tick=False):
        assert client.get("/admin/").status_code == 200  # still within the idle limit; counts as activity
    with time_machine.travel(start + timedelta(minutes=119 + 121), tick=False):
        assert logged_out(client.get("/admin/"))
        assert "_auth_user_id" not in client.session


def test_an_active_session_still_ends_after_the_absolute_lifetime(client, settings):
    settings.SESSION_IDLE_MINUTES = 120
    settings.SESSION_MAX_HOURS = 12
    client.force_login(make_user("editor", role="编辑"))
    start = timezone.now()
    for hour in range(1, 12):
        with time_machine.travel(start + timedelta(hours=hour), tick=False):
            assert client.get("/admin/").status_code == 200, hour
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        assert logged_out(client.get("/admin/"))


def test_the_session_cookie_lives_no_longer_than_the_absolute_lifetime(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_MAX_HOURS * 3600 <= 12 * 3600
