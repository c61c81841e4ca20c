import json
import logging

import pytest

from config.integrations.logging import JsonFormatter


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_its_request_id(client, caplog):
    caplog.set_level(logging.INFO, logger="portal.request")
    response = client.get("/healthz", HTTP_X_REQUEST_ID="trace-abcdef123")

    assert response["X-Request-ID"] == "trace-abcdef123"
    records = [r for r in caplog.records if r.name == "portal.request"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == "trace-abcdef123"
    assert line["path"] == "/healthz"
    assert line["status"] == 200


def test_a_request_id_that_does_not_look_like_one_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32
