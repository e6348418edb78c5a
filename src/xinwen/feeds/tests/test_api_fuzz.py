"""The API fuzzed by schemathesis against its own OpenAPI description: no 500, every answer as described.

The description is read from the app in-process (WSGI), once, when the tests are collected;
each operation then gets a bounded number of generated requests against the newsroom data.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = pytest.mark.django_db

# Loaded at collection (it needs no database): schemathesis.pytest.from_fixture, the lazy loader,
# breaks under pytest 9 (it sets the private Function._nodeid).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def in_process_requests():
    """The WSGI handler closes "old" database connections around each request, which would end the
    test's transaction; Django's own test client switches that off in the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def valid_input_is_accepted(ctx, response, case):
    """schemathesis's positive_data_acceptance, with the one rule OpenAPI cannot state.

    A date range that ends before it starts is schema-valid (two valid dates) and still a
    mistake: the API answers it with 400 invalid_date_range, and only then.
    """
    if response.status_code == 429:  # valid, but the client's search budget ran out
        assert json.loads(response.content)["error"]["code"] == "rate_limited"
        return True
    if response.status_code == 400 and json.loads(response.content)["error"]["code"] == "invalid_date_range":
        assert date.fromisoformat(case.query["date_from"]) > date.fromisoformat(case.query["date_to"])
        return True
    return positive_data_acceptance(ctx, response, case)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_description(case, newsroom, in_process_requests):
    case.call_and_validate(excluded_checks=[positive_data_acceptance], additional_checks=[valid_input_is_accepted])
