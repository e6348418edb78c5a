"""Login throttling behind a reverse proxy: the client address, per-(user, address) locks, spraying."""

import pytest
from django.urls import reverse

from xinwen.conftest import make_user

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"  # the reverse proxy: every request arrives from it
PASSWORD = "the-right-password-2026"


@pytest.fixture
def behind_proxy(settings):
    settings.PROXY_COUNT = 1


def attempt(client, username, password, *, via):
    """A login through one proxy that appends the client's address to X-Forwarded-For.

    `via` is the X-Forwarded-For header as the proxy passes it on: anything the client sent,
    then the address the proxy saw.
    """
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=via,
    )


def test_forged_address_failures_do_not_lock_the_real_user_out(client, behind_proxy, settings):
    make_user("editor", role="编辑", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        # The attacker forges an X-Forwarded-For entry; the proxy appends the attacker's real address.
        attempt(client, "editor", "wrong-password", via="198.51.100.7, 203.0.113.66")
    response = attempt(client, "editor", PASSWORD, via="192.0.2.10")
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


def test_failures_lock_that_user_name_from_that_address(client, behind_proxy, settings):
    make_user("editor", role="编辑", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "editor", "wrong-password", via="203.0.113.66").status_code == 200
    assert attempt(client, "editor", "wrong-password", via="203.0.113.66").status_code == 429
    locked = attempt(client, "editor", PASSWORD, via="203.0.113.66")
    assert locked.status_code == 429
    assert "登录已暂时锁定" in locked.content.decode()
    # A forged entry to the left of the proxy's own does not get the attacker out of the lock.
    assert attempt(client, "editor", PASSWORD, via="192.0.2.99, 203.0.113.66").status_code == 429
    # Another user name from the same address is not locked by these failures.
    make_user("author", role="作者", password=PASSWORD)
    assert attempt(client, "author", PASSWORD, via="203.0.113.66").status_code == 302


def test_password_spraying_blocks_the_address(client, behind_proxy, settings):
    make_user("editor", role="编辑", password=PASSWORD)
    statuses = [attempt(client, f"user{n:02d}", "Spring2026!", via="203.0.113.66").status_code for n in range(25)]
    assert statuses[: settings.LOGIN_SPRAY_LIMIT - 1] == [200] * (settings.LOGIN_SPRAY_LIMIT - 1)
    assert set(statuses[settings.LOGIN_SPRAY_LIMIT - 1 :]) == {429}
    # The address is blocked even for a right password of another account ...
    assert attempt(client, "editor", PASSWORD, via="203.0.113.66").status_code == 429
    # ... and nobody else is: the same account logs in from its own address.
    assert attempt(client, "editor", PASSWORD, via="192.0.2.10").status_code == 302


def test_ipv6_clients_are_throttled_per_network(client, behind_proxy, settings):
    make_user("editor", role="编辑", password=PASSWORD)
    for n in range(settings.AXES_FAILURE_LIMIT):
        # One subscriber holds a whole /64 and could pick a new address for every try.
        attempt(client, "editor", "wrong-password", via=f"2001:db8:1:2::{n + 1:x}")
    assert attempt(client, "editor", PASSWORD, via="2001:db8:1:2::ff").status_code == 429
