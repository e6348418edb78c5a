"""The Content-Security-Policy header on every page Django renders, DEBUG or not.

The policy itself is `CONTENT_SECURITY_POLICY` in settings; django-csp builds and sends it.
This subclass changes two things. django-csp leaves 404 and 500 answers without a header
when DEBUG is on (so that Django's technical error pages may run their inline script);
`xinwen demo` runs with DEBUG on and readers see those pages, so they get the same policy
as every other page, and Django's technical pages then show unstyled, with all their text.
And the directives are written in one fixed order.

A response with no nonce drawn and none of django-csp's per-view settings (the common
case: every public page) gets headers that depend on settings alone. They are built once
per process, as django-csp builds them, and set as they are: building them took about
0.1 ms of every page Django renders.
"""

from __future__ import annotations

from dataclasses import asdict

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = ["ContentSecurityPolicyMiddleware", "in_settings_order", "nonce_in"]


# What a view can give a response to change its policy (django-csp's decorators).
PER_RESPONSE = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
    "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro",
)  # fmt: skip
_built: dict[str, tuple[str | None, str | None]] = {}  # "headers": (policy, report-only policy) of settings alone


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _built.clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if not self._of_settings_alone(request, response):
            return self._process_response(request, response)
        headers = _built.get("headers")
        if headers is None:
            response = self._process_response(request, response)
            _built["headers"] = (response.get(HEADER), response.get(HEADER_REPORT_ONLY))
            return response
        for name, value in zip((HEADER, HEADER_REPORT_ONLY), headers, strict=True):
            if value is not None:
                response[name] = value
        # As django-csp does: a nonce drawn after the header is written would be in no policy.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _of_settings_alone(request, response) -> bool:
        """Whether this response's headers are those of every response like it: no nonce, no per-view policy."""
        if getattr(request, "_csp_nonce", None) is not None or HEADER in response or HEADER_REPORT_ONLY in response:
            return False
        if settings.DEBUG and response.status_code in (404, 500):
            return False
        if any(hasattr(response, name) for name in PER_RESPONSE):
            return False
        policies = (getattr(settings, "CONTENT_SECURITY_POLICY", None), getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None))
        return not any((policy or {}).get("EXCLUDE_URL_PREFIXES") for policy in policies)

    def _process_response(self, request, response):
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
