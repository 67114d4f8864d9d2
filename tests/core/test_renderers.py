"""The orjson renderer writes the JSON DRF's own renderer writes, and the API still answers browsers in HTML."""

import datetime
import decimal
import json
import uuid

from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from core.api.renderers import ORJSONRenderer

PARIS = datetime.timezone(datetime.timedelta(hours=1))

SAMPLES = [
    {"count": 2, "next": None, "results": [{"id": 1, "name": "Café “Crème”", "tags": ["a", "b"]}, {"id": 2}]},
    {"at": datetime.datetime(2027, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC),
     "local": datetime.datetime(2027, 3, 1, 9, 30, tzinfo=PARIS), "day": datetime.date(2027, 3, 1),
     "time": datetime.time(9, 30, 15, 500000), "span": datetime.timedelta(minutes=90)},
    {"share": decimal.Decimal("12.50"), "id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"detail": gettext_lazy("Not found."), "ids": {3, 1, 2}, "pairs": (1, 2)},
    {1: "integer keys", "line": "one\u2028two\u2029three", "emoji": "🚲", "float": 0.1, "big": 10**15},
    [],
]


def test_orjson_renderer_writes_what_drf_writes():
    for data in SAMPLES:
        assert ORJSONRenderer().render(data) == JSONRenderer().render(data), data


def test_nothing_renders_as_an_empty_body():
    assert ORJSONRenderer().render(None) == b""


def test_indented_json_is_left_to_drf():
    data = {"a": [1, 2]}
    rendered = ORJSONRenderer().render(data, "application/json; indent=2")
    assert rendered == JSONRenderer().render(data, "application/json; indent=2")
    assert b"\n  " in rendered


def test_what_orjson_refuses_falls_back_to_drf():
    data = {"huge": 2**70}
    assert json.loads(ORJSONRenderer().render(data)) == {"huge": 2**70}


def test_api_answers_json_to_clients_and_html_to_browsers(api_for, client_for, people, plan):
    response = api_for(people["editor"]).get("/api/v1/plans/")
    assert response["Content-Type"] == "application/json"
    assert [row["name"] for row in json.loads(response.content)["results"]] == ["Omnichannel 2027"]

    page = client_for(people["editor"]).get("/api/v1/plans/", HTTP_ACCEPT="text/html")
    assert page["Content-Type"].startswith("text/html")
    assert "Omnichannel 2027" in page.content.decode()
