"""Reader addresses behind proxies, IPv6 networks, and the keyed fingerprints (pure functions)."""

import pytest

from xinwen.stats.identity import client_address, client_key, network_of, view_fingerprint

UA = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0"


@pytest.mark.parametrize(
    "remote, forwarded, proxies, expected",
    [
        ("203.0.113.7", "", 0, "203.0.113.7"),
        # Without trusted proxies X-Forwarded-For is the client's own claim: ignored.
        ("203.0.113.7", "198.51.100.1", 0, "203.0.113.7"),
        # One proxy: the address it appended, the last one; what the client put before it is ignored.
        ("10.0.0.2", "198.51.100.1", 1, "198.51.100.1"),
        ("10.0.0.2", "1.2.3.4, 198.51.100.1", 1, "198.51.100.1"),
        ("10.0.0.2", "1.2.3.4, 198.51.100.1, 10.0.0.9", 2, "198.51.100.1"),
        ("10.0.0.2", "198.51.100.1:51234", 1, "198.51.100.1"),
        ("10.0.0.2", "[2001:db8::1]:443", 1, "2001:db8::1"),
        ("10.0.0.2", "2001:DB8::1", 1, "2001:db8::1"),
        # Fewer hops than proxies, or garbage: the proxy's address (merges readers, inflates nothing).
        ("10.0.0.2", "", 1, "10.0.0.2"),
        ("10.0.0.2", "198.51.100.1", 2, "10.0.0.2"),
        ("10.0.0.2", "not-an-address", 1, "10.0.0.2"),
        ("10.0.0.2", "<script>", 1, "10.0.0.2"),
        ("", "", 0, ""),
    ],
)
def test_client_address(remote, forwarded, proxies, expected):
    assert client_address(remote, forwarded, proxies) == expected


@pytest.mark.parametrize(
    "address, network",
    [
        ("198.51.100.1", "198.51.100.1"),
        ("2001:db8:1:2:a:b:c:d", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.1", "198.51.100.1"),
        ("", ""),
    ],
)
def test_network_of(address, network):
    assert network_of(address) == network


def test_fingerprint_is_the_same_for_the_same_reader_and_article():
    assert view_fingerprint("k1", "198.51.100.1", UA, 7) == view_fingerprint("k1", "198.51.100.1", UA, 7)


def test_bot_check_ignores_case():
    from xinwen.stats.bots import is_bot

    assert is_bot("Mozilla/5.0 (compatible; BAIDUSPIDER/2.0)") and is_bot("Mozilla/5.0 HEADLESSCHROME/126")


@pytest.mark.parametrize(
    "other",
    [
        ("k2", "198.51.100.1", UA, 7),  # another day's secret
        ("k1", "198.51.100.2", UA, 7),  # another address
        ("k1", "198.51.100.1", UA + " Edg/126", 7),  # another browser
        ("k1", "198.51.100.1", UA, 8),  # another article
    ],
)
def test_fingerprint_differs_when_anything_differs(other):
    assert view_fingerprint("k1", "198.51.100.1", UA, 7) != view_fingerprint(*other)


def test_one_ipv6_network_is_one_reader():
    same = [view_fingerprint("k", network_of(a), UA, 7) for a in ("2001:db8:1:2::1", "2001:db8:1:2:9::9")]
    assert same[0] == same[1]


def test_fingerprints_and_keys_do_not_contain_the_address():
    network = network_of("198.51.100.1")
    for value in (view_fingerprint("k", network, UA, 7), client_key("k", network)):
        assert "198.51.100" not in value and all(c in "0123456789abcdef" for c in value)
