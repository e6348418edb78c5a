"""The Content-Security-Policy header on every page Django renders, DEBUG or not.

The policy itself is `CONTENT_SECURITY_POLICY` in settings; django-csp builds and sends it.
This subclass changes two things. django-csp leaves 404 and 500 answers without a header
when DEBUG is on (so that Django's technical error pages may run their inline script);
`xinwen demo` runs with DEBUG on and readers see those pages, so they get the same policy
as every other page, and Django's technical pages then show unstyled, with all their text.
And the directives are written in one fixed order.
"""

from __future__ import annotations

from dataclasses import asdict

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

__all__ = ["ContentSecurityPolicyMiddleware", "in_settings_order", "nonce_in"]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        own = HEADER in response  # a view's own policy (uploads) is left exactly as it is
        response = super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500) and HEADER not in response:
            if not getattr(response, "_csp_exempt", False):
                response[HEADER] = build_policy(**asdict(self.get_policy_parts(request=request, response=response)))
        if not own and HEADER in response:
            response[HEADER] = in_settings_order(response[HEADER])
        return response


def in_settings_order(policy: str) -> str:
    """The directives in the order of CONTENT_SECURITY_POLICY, others after them.

    django-csp joins them in set order, which differs between processes; one order makes the
    header the same from every worker, and the same as README says.
    """
    order = list(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    parts = [part.strip() for part in policy.split(";") if part.strip()]

    def rank(part: str) -> int:
        name = part.split(" ", 1)[0]
        return order.index(name) if name in order else len(order)

    return "; ".join(sorted(parts, key=rank))


def nonce_in(policy: str) -> bool:
    """Whether a Content-Security-Policy value names a nonce, i.e. holds for one response only."""
    return "'nonce-" in policy
