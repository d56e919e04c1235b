"""ehrnlp.fhir.client.post: retries, timeouts, OperationOutcome errors (httpx mock transport)."""

from __future__ import annotations

import json

import httpx
import pytest

from ehrnlp import FhirError
from ehrnlp.fhir.client import FhirHttpError, outcome_summary, post

SECRET = "Zorblax Quintavelle"  # invented; stands for note text inside the Bundle
BASE = "https://fhir.test/R4"


def tx_bundle(n: int = 2) -> dict:
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": f"urn:uuid:00000000-0000-4000-8000-{i:012d}",
                "resource": {"resourceType": "Condition", "code": {"text": SECRET}, "subject": {"reference": "Patient/p1"}},
                "request": {"method": "POST", "url": "Condition"},
            }
            for i in range(n)
        ],
    }


def response_bundle(n: int = 2, status: str = "201 Created") -> dict:
    return {
        "resourceType": "Bundle",
        "type": "transaction-response",
        "entry": [{"response": {"status": status, "location": f"Condition/c{i}/_history/1"}} for i in range(n)],
    }


OUTCOME = {
    "resourceType": "OperationOutcome",
    "issue": [
        {"severity": "error", "code": "required", "details": {"text": "Missing required property"}, "expression": ["Condition.subject"]},
        {"severity": "error", "code": "invariant", "diagnostics": "Constraint con-4 not met", "expression": ["Condition"]},
    ],
}


class Recorder:
    def __init__(self, *responses):
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        r = self.responses.pop(0)
        if isinstance(r, Exception):
            raise r
        return r


def client_for(rec: Recorder) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(rec))


def fhir_json(status: int, body: dict, **headers) -> httpx.Response:
    return httpx.Response(status, json=body, headers={"content-type": "application/fhir+json", **headers})


def test_posts_to_base_with_fhir_json_and_returns_response():
    rec = Recorder(fhir_json(200, response_bundle()))
    out = post(tx_bundle(), BASE + "/", client=client_for(rec), headers={"X-Trace": "t1"}, auth="tok")
    assert out["type"] == "transaction-response"
    [req] = rec.requests
    assert req.method == "POST" and str(req.url) == BASE
    assert req.headers["content-type"].startswith("application/fhir+json")
    assert req.headers["accept"] == "application/fhir+json"
    assert req.headers["x-trace"] == "t1"
    assert req.headers["authorization"] == "Bearer tok"
    assert json.loads(req.content) == tx_bundle()


def test_accepts_fhir_resources_bundle_and_json_text():
    from fhir.resources.R4B.bundle import Bundle

    rec = Recorder(fhir_json(200, response_bundle()), fhir_json(200, response_bundle()))
    post(Bundle.model_validate(tx_bundle()), BASE, client=client_for(rec))
    post(json.dumps(tx_bundle()), BASE, client=client_for(rec))
    assert json.loads(rec.requests[0].content)["entry"][0]["request"] == {"method": "POST", "url": "Condition"}
    assert json.loads(rec.requests[1].content) == tx_bundle()


def test_basic_auth_tuple():
    rec = Recorder(fhir_json(200, response_bundle()))
    post(tx_bundle(), BASE, client=client_for(rec), auth=("user", "pw"))
    assert rec.requests[0].headers["authorization"].startswith("Basic ")


def test_retries_5xx_and_connect_errors_with_backoff_then_succeeds():
    waits = []
    rec = Recorder(
        fhir_json(503, OUTCOME),
        httpx.ConnectError("refused"),
        fhir_json(502, {"resourceType": "OperationOutcome", "issue": []}),
        fhir_json(200, response_bundle()),
    )
    out = post(tx_bundle(), BASE, client=client_for(rec), retries=3, backoff=0.25, sleep=waits.append,
               jitter=0)
    assert out["type"] == "transaction-response"
    assert len(rec.requests) == 4
    assert waits == [0.25, 0.5, 1.0]


def test_backoff_has_jitter_below_the_exponential_wait():
    waits = []
    rec = Recorder(*[fhir_json(503, OUTCOME) for _ in range(4)], fhir_json(200, response_bundle()))
    post(tx_bundle(), BASE, client=client_for(rec), retries=4, backoff=1.0, sleep=waits.append, jitter=0.5)
    assert len(waits) == 4
    for n, w in enumerate(waits):
        assert 0.5 * 2**n <= w <= 2**n
    assert len(set(waits)) > 1  # random, not a fixed schedule
    with pytest.raises(FhirError, match="jitter"):
        post(tx_bundle(), BASE, client=client_for(Recorder()), jitter=2)


def test_retry_after_header_is_honoured_and_capped():
    waits = []
    rec = Recorder(fhir_json(429, OUTCOME, **{"retry-after": "3"}), fhir_json(503, OUTCOME, **{"retry-after": "9999"}),
                   fhir_json(200, response_bundle()))
    post(tx_bundle(), BASE, client=client_for(rec), retries=2, sleep=waits.append)
    assert waits == [3.0, 60.0]


def test_gives_up_after_retries_with_last_outcome():
    waits = []
    rec = Recorder(*[fhir_json(500, OUTCOME) for _ in range(3)])
    with pytest.raises(FhirHttpError) as info:
        post(tx_bundle(), BASE, client=client_for(rec), retries=2, sleep=waits.append)
    err = info.value
    assert len(rec.requests) == 3 and len(waits) == 2
    assert err.status_code == 500 and err.outcome == OUTCOME and err.url == BASE
    assert "after 3 attempt(s)" in str(err) and "Missing required property @ Condition.subject" in str(err)
    assert isinstance(err, FhirError)


def test_timeouts_are_retried_then_reported():
    rec = Recorder(httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow"))
    with pytest.raises(FhirHttpError, match=r"timed out after 2 s") as info:
        post(tx_bundle(), BASE, client=client_for(rec), retries=1, timeout=2, sleep=lambda s: None)
    assert info.value.status_code is None


def test_4xx_raises_at_once_quoting_the_outcome_not_the_bundle():
    rec = Recorder(fhir_json(400, OUTCOME))
    with pytest.raises(FhirHttpError) as info:
        post(tx_bundle(), BASE, client=client_for(rec), retries=3, sleep=lambda s: pytest.fail("4xx must not be retried"))
    msg = str(info.value)
    assert len(rec.requests) == 1
    assert info.value.status_code == 400
    assert "HTTP 400" in msg
    assert "error required: Missing required property @ Condition.subject" in msg
    assert "error invariant: Constraint con-4 not met @ Condition" in msg
    assert SECRET not in msg


@pytest.mark.parametrize("status, hint", [(401, "auth="), (403, "auth="), (404, "FHIR base"), (413, "fewer notes"), (422, "")])
def test_4xx_hints(status, hint):
    rec = Recorder(httpx.Response(status, text="<html>nope</html>"))
    with pytest.raises(FhirHttpError, match=f"HTTP {status}") as info:
        post(tx_bundle(), BASE, client=client_for(rec))
    assert hint in str(info.value)
    assert "no OperationOutcome" in str(info.value)
    assert info.value.outcome is None


def test_batch_entry_failures_are_reported():
    bundle = tx_bundle() | {"type": "batch"}
    resp = response_bundle(2)
    resp["type"] = "batch-response"
    resp["entry"][1]["response"] = {"status": "400 Bad Request", "outcome": OUTCOME}
    rec = Recorder(fhir_json(200, resp))
    with pytest.raises(FhirHttpError, match=r"rejected 1 of 2 batch entries.*entry\[1\] HTTP 400: error required"):
        post(bundle, BASE, client=client_for(rec))


def test_success_without_bundle_is_an_error():
    rec = Recorder(httpx.Response(200, text="ok"), fhir_json(200, OUTCOME))
    with pytest.raises(FhirHttpError, match="without a JSON body"):
        post(tx_bundle(), BASE, client=client_for(rec))
    with pytest.raises(FhirHttpError, match="'OperationOutcome', not a response Bundle"):
        post(tx_bundle(), BASE, client=client_for(rec))


@pytest.mark.parametrize(
    "bundle, base, kwargs, match",
    [
        (tx_bundle() | {"type": "collection"}, BASE, {}, "cannot be posted.*bundle_type='transaction'"),
        ({"resourceType": "Condition"}, BASE, {}, "needs a Bundle"),
        ("not json", BASE, {}, "not JSON"),
        (42, BASE, {}, "needs a Bundle"),
        (tx_bundle(), "fhir.test/R4", {}, "http\\(s\\) URL"),
        (tx_bundle(), "ftp://fhir.test", {}, "http\\(s\\) URL"),
        (tx_bundle(), BASE, {"retries": -1}, "retries"),
        (tx_bundle(), BASE, {"timeout": 0}, "timeout"),
    ],
)
def test_bad_arguments(bundle, base, kwargs, match):
    with pytest.raises(FhirError, match=match):
        post(bundle, base, **kwargs)


def test_real_socket_connection_refused_is_clear():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    with pytest.raises(FhirHttpError, match="could not connect.*is the server running"):
        post(tx_bundle(), f"http://127.0.0.1:{port}/fhir", retries=1, backoff=0.01)


def test_outcome_summary_limits():
    many = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "invalid", "details": {"text": "x" * 500}}] * 12}
    s = outcome_summary(many)
    assert "... 2 more issue(s)" in s
    assert max(len(p) for p in s.split("; ")) < 260
    assert outcome_summary(None) == "no OperationOutcome in the answer"
