"""Shared by the schemathesis tests (tests/core/test_schemathesis.py, tests/faults/test_schemathesis_roles.py): the
WSGI app called in the test's own database transaction, and generated ids pointed at a seeded plan's objects."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@pytest.fixture(autouse=True)
def connection_kept_open():
    """The WSGI app closes the database connection after each request, which would end the test's transaction;
    Django's own test client disconnects the same signal handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _resource(path: str) -> str:
    """"/api/v1/touchpoints/{id}/" -> "touchpoint"; "/api/v1/plans/{id}/scoring/" -> "plan"."""
    plural = path.split("/")[3]
    return {"feedback-responses": "feedback", "stages": "stage", "journeys": "journey"}.get(plural, plural[:-1])


def point_at_real_objects(case, ids) -> None:
    """Half of the generated ids, and the related objects of a body, are replaced by the seeded objects' ids, so
    the operations are exercised past their 404s and 400s too."""
    path_id = (case.path_parameters or {}).get("id")
    if isinstance(path_id, int) and path_id % 2 == 0 and _resource(case.operation.path) in ids:
        case.path_parameters["id"] = ids[_resource(case.operation.path)]
    if isinstance(case.body, dict):
        for name in ("organisation", "plan", "channel", "persona", "journey", "stage", "touchpoint", "team"):
            if name in case.body and (not isinstance(case.body[name], int) or case.body[name] % 2 == 0):
                case.body[name] = ids[name]
