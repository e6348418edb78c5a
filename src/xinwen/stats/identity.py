"""Who is reading, as far as counting needs to know: a client address and a keyed hash (pure).

Nothing here stores anything. The fingerprint of a view is an HMAC whose key is the day's
random secret, so it cannot be turned back into an address once that secret is deleted,
and fingerprints of different days cannot be linked.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

__all__ = ["client_address", "network_of", "view_fingerprint", "client_key"]

# IPv6 clients usually hold a whole /64 and can pick any address in it: one reader, one network.
IPV6_PREFIX = 64


def client_address(remote_addr: str, forwarded_for: str, proxy_count: int) -> str:
    """The reader's address: REMOTE_ADDR, or with `proxy_count` trusted proxies in front, the
    X-Forwarded-For entry that the outermost of them appended.

    Entries to the left of that one come from the client and can be forged, so they are ignored.
    An unusable value falls back to REMOTE_ADDR (the proxy), which merges readers but inflates nothing.
    """
    if proxy_count > 0 and forwarded_for:
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        if len(hops) >= proxy_count:
            candidate = _parse(hops[-proxy_count])
            if candidate is not None:
                return candidate
    return _parse(remote_addr) or ""


def _parse(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.9:51234
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def network_of(address: str) -> str:
    """IPv4 address as is; IPv6 reduced to its /64 (IPv4-mapped IPv6 back to IPv4)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


def view_fingerprint(secret: str, network: str, user_agent: str, article_id: int) -> str:
    """hex HMAC-SHA256 of (reader network, see network_of; user agent; article) under the day's secret."""
    message = "\x1f".join([network, user_agent[:512], str(article_id)])
    return hmac.new(secret.encode(), message.encode("utf-8", "replace"), hashlib.sha256).hexdigest()


def client_key(secret: str, network: str) -> str:
    """A keyed hash of the reader's network alone, for rate limiting."""
    return hmac.new(secret.encode(), b"rate\x1f" + network.encode(), hashlib.sha256).hexdigest()[:32]
