"""The Content-Security-Policy header on every page Django renders, DEBUG or not.

The policy itself is `CONTENT_SECURITY_POLICY` in settings; django-csp builds and sends it.
This subclass changes one thing: django-csp leaves 404 and 500 answers without a header
when DEBUG is on (so that Django's technical error pages may run their inline script).
`xinwen demo` runs with DEBUG on and readers see those pages, so they get the same policy
as every other page; Django's technical pages then show unstyled, with all their text.
"""

from __future__ import annotations

from dataclasses import asdict

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

__all__ = ["ContentSecurityPolicyMiddleware", "nonce_in"]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        response = super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500) and HEADER not in response:
            if not getattr(response, "_csp_exempt", False):
                response[HEADER] = build_policy(**asdict(self.get_policy_parts(request=request, response=response)))
        return response


def nonce_in(policy: str) -> bool:
    """Whether a Content-Security-Policy value names a nonce, i.e. holds for one response only."""
    return "'nonce-" in policy
