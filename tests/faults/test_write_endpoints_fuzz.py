"""A fuzzed corpus of JSON bodies (hypothesis) sent to the write endpoints of the API router as the demo owner and
viewer: no answer is a 5xx. The hand-picked hostile bodies are in test_write_endpoints_bad_input.py."""

import json
import uuid

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.faults.test_write_endpoints_bad_input import (
    RELATIONS,
    TEXT_FIELDS,
    _models_by_prefix,
    concrete_path,
    write_operations,
)

SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30))
VALUES = st.recursive(SCALARS, lambda children: st.lists(children, max_size=4)
                      | st.dictionaries(st.text(max_size=8), children, max_size=4), max_leaves=12)
NAMES = st.sampled_from([*TEXT_FIELDS, *RELATIONS, "version", "score", "items", "answers", "data", "format"])
BODIES = st.dictionaries(NAMES | st.text(max_size=12), VALUES, max_size=8) | st.lists(
    st.dictionaries(NAMES, VALUES, max_size=5), max_size=3) | VALUES


def test_fuzzed_bodies_never_get_a_server_error(demo):
    models = _models_by_prefix()
    operations = [(method, concrete_path(path, models)) for method, path in write_operations()]
    failures = []

    @given(role=st.sampled_from(sorted(demo)), operation=st.sampled_from(operations), body=BODIES)
    @settings(max_examples=300, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    def check(role, operation, body):
        method, url = operation
        try:
            with transaction.atomic():
                response = demo[role].generic(method.upper(), url, json.dumps(body), content_type="application/json",
                                              HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001  (the test client re-raises what answered 500)
            failures.append(f"{role} {method.upper()} {url} {body!r:.200}: {type(error).__name__}: {error!s:.150}")
            return
        if response.status_code >= 500:
            failures.append(f"{role} {method.upper()} {url} {body!r:.200}: {response.status_code}")

    check()
    assert not failures, "\n".join(failures)
