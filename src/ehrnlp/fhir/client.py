"""Upload to a FHIR server: POST a transaction (or batch) Bundle with httpx.

    import ehrnlp
    bundle = ehrnlp.to_fhir(doc, patient="Patient/123", bundle_type="transaction")
    response = ehrnlp.fhir.post(bundle, "https://fhir.example.org/R4", auth="TOKEN")

Behaviour:

* the Bundle must be ``transaction`` or ``batch`` (a ``collection`` is not an instruction to a
  server); it is POSTed to the server base URL as ``application/fhir+json``;
* connect errors, timeouts, 5xx and 429 answers are retried ``retries`` times with
  exponential backoff and jitter (honouring ``Retry-After``); ehrnlp's transactions use conditional
  create on deterministic identifiers, so a retried POST does not duplicate resources;
* a 4xx answer raises :class:`FhirHttpError` at once, quoting the server's OperationOutcome
  issues (severity, code, details, expression; each shortened) and never the request body;
* a ``batch`` answered 200 whose entries failed raises :class:`FhirHttpError` listing them;
* the parsed response (a ``transaction-response``/``batch-response`` Bundle) is returned.

Nothing is logged except method, URL, status and attempt number.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from ..errors import FhirError

__all__ = ["post", "post_documents", "FhirHttpError", "outcome_summary"]

log = logging.getLogger("ehrnlp.fhir.client")

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_MAX_ISSUES = 10
_MAX_FIELD = 200
_MAX_RETRY_AFTER = 60.0


class FhirHttpError(FhirError):
    """A FHIR server refused or failed a request.

    ``status_code`` is the HTTP status (None when no answer came), ``url`` the request URL,
    ``outcome`` the server's OperationOutcome (a dict, or None when it sent none).
    """

    def __init__(self, message: str, *, status_code: int | None = None, url: str | None = None,
                 outcome: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.url = url
        self.outcome = outcome


def _short(value: Any) -> str:
    s = " ".join(str(value).split())
    return s if len(s) <= _MAX_FIELD else s[: _MAX_FIELD - 3] + "..."


def outcome_summary(outcome: Mapping[str, Any] | None) -> str:
    """``"error invalid: Missing required property @ Condition.subject; ..."`` for an OperationOutcome."""
    if not isinstance(outcome, Mapping) or outcome.get("resourceType") != "OperationOutcome":
        return "no OperationOutcome in the answer"
    parts = []
    issues = outcome.get("issue") or []
    for issue in issues[:_MAX_ISSUES]:
        if not isinstance(issue, Mapping):
            continue
        raw_details = issue.get("details")
        details: Mapping[str, Any] = raw_details if isinstance(raw_details, Mapping) else {}
        text = details.get("text") or issue.get("diagnostics") or ""
        where = issue.get("expression") or issue.get("location") or []
        part = f"{issue.get('severity', '?')} {issue.get('code', '?')}"
        if text:
            part += f": {_short(text)}"
        if where:
            part += f" @ {_short(', '.join(str(w) for w in where))}"
        parts.append(part)
    if len(issues) > _MAX_ISSUES:
        parts.append(f"... {len(issues) - _MAX_ISSUES} more issue(s)")
    return "; ".join(parts) or "OperationOutcome without issues"


def _bundle_dict(bundle: Any) -> dict[str, Any]:
    if isinstance(bundle, Mapping):
        data = dict(bundle)
    elif isinstance(bundle, (str, bytes, bytearray)):
        try:
            data = json.loads(bundle)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise FhirError("post() got a str/bytes that is not JSON; pass a Bundle dict, JSON or fhir.resources model") from None
    elif callable(getattr(bundle, "model_dump_json", None)):
        data = json.loads(bundle.model_dump_json(exclude_none=True))
    else:
        raise FhirError(f"post() needs a Bundle (dict, JSON or fhir.resources model), got {type(bundle).__name__}")
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise FhirError(f"post() needs a Bundle, got resourceType {data.get('resourceType') if isinstance(data, dict) else None!r}")
    btype = data.get("type")
    if btype not in ("transaction", "batch"):
        raise FhirError(
            f"a {btype!r} Bundle cannot be posted to a FHIR server; build a transaction: "
            "ehrnlp.to_fhir(doc, bundle_type='transaction')"
        )
    return data


def _base(base_url: str) -> str:
    if not isinstance(base_url, str):
        raise FhirError(f"base_url must be a str, got {type(base_url).__name__}")
    url = base_url.strip().rstrip("/")
    parsed = httpx.URL(url) if url else None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise FhirError(f"base_url must be an http(s) URL of a FHIR server base, like https://fhir.example.org/R4; got {base_url!r}")
    return url


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, min(float(value), _MAX_RETRY_AFTER))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, min((when - datetime.now(UTC)).total_seconds(), _MAX_RETRY_AFTER))


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return None


def _auth(auth: Any, headers: dict[str, str]) -> Any:
    """``auth``: an httpx auth, a (user, password) tuple, or a bearer token str."""
    if isinstance(auth, str):
        headers["Authorization"] = f"Bearer {auth}"
        return None
    return auth


def post(
    bundle: Any,
    base_url: str,
    *,
    timeout: float = 60.0,
    retries: int = 3,
    headers: Mapping[str, str] | None = None,
    auth: Any = None,
    backoff: float = 0.5,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    jitter: float = 0.5,
) -> dict[str, Any]:
    """POST a transaction or batch Bundle to ``base_url``; return the response Bundle as a dict.

    ``timeout`` is the per-attempt read/write timeout in seconds (connect: at most 10 s);
    ``retries`` is how many times a failed attempt (connect error, timeout, 429, 5xx) is
    retried, waiting ``backoff * 2**n`` seconds less a random fraction of up to ``jitter`` of it
    (so that many workers that failed together do not retry together; ``jitter=0``: exact
    waits), or the server's ``Retry-After`` (at most 60 s);
    ``headers`` are added to the request; ``auth`` is an httpx auth object, a
    ``(user, password)`` tuple or a bearer token string; ``client`` reuses your own
    ``httpx.Client`` (connection pool, mTLS, proxies).

    Raises :class:`FhirHttpError` (a :class:`ehrnlp.FhirError`) when the server refuses the
    Bundle (4xx, with its OperationOutcome), when every attempt failed, or when a batch entry
    failed.
    """
    data = _bundle_dict(bundle)
    url = _base(base_url)
    if not isinstance(retries, int) or retries < 0:
        raise FhirError(f"retries must be an int >= 0, got {retries!r}")
    if not (isinstance(timeout, (int, float)) and timeout > 0):
        raise FhirError(f"timeout must be a positive number of seconds, got {timeout!r}")
    if not (isinstance(jitter, (int, float)) and 0 <= jitter <= 1):
        raise FhirError(f"jitter must be a fraction between 0 and 1, got {jitter!r}")
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    hdrs = {"Content-Type": "application/fhir+json; charset=utf-8", "Accept": "application/fhir+json"}
    hdrs.update(headers or {})
    auth_obj = _auth(auth, hdrs)
    own = client is None
    http = client or httpx.Client(timeout=httpx.Timeout(timeout, connect=min(10.0, float(timeout))), follow_redirects=False)
    attempts = retries + 1
    last = ""
    last_status: int | None = None
    last_outcome: Any = None
    try:
        for attempt in range(1, attempts + 1):
            wait = backoff * (2 ** (attempt - 1)) * (1.0 - jitter * random.random())
            try:
                kwargs: dict[str, Any] = {"content": body, "headers": hdrs}
                if auth_obj is not None:
                    kwargs["auth"] = auth_obj
                if not own:
                    kwargs["timeout"] = httpx.Timeout(timeout, connect=min(10.0, float(timeout)))
                response = http.post(url, **kwargs)
            except httpx.TimeoutException as exc:
                last, last_status, last_outcome = f"timed out after {timeout:g} s ({type(exc).__name__})", None, None
                log.warning("POST %s attempt %d/%d: %s", url, attempt, attempts, last)
            except httpx.TransportError as exc:
                last, last_status, last_outcome = f"could not connect ({type(exc).__name__}); is the server running and reachable?", None, None
                log.warning("POST %s attempt %d/%d: %s", url, attempt, attempts, type(exc).__name__)
            else:
                status = response.status_code
                log.info("POST %s attempt %d/%d: HTTP %d", url, attempt, attempts, status)
                payload = _json_or_none(response)
                if 200 <= status < 300:
                    return _check_response(payload, data, url, status)
                outcome = payload if isinstance(payload, Mapping) and payload.get("resourceType") == "OperationOutcome" else None
                if status not in _RETRY_STATUS:
                    hint = _hint(status)
                    raise FhirHttpError(
                        f"FHIR server refused the {data['type']} Bundle: HTTP {status} from POST {url}: "
                        f"{outcome_summary(outcome)}{hint}",
                        status_code=status, url=url, outcome=outcome,
                    )
                last, last_status, last_outcome = f"HTTP {status}: {outcome_summary(outcome)}", status, outcome
                ra = _retry_after(response)
                if ra is not None:
                    wait = ra
            if attempt < attempts:
                sleep(wait)
    finally:
        if own:
            http.close()
    raise FhirHttpError(
        f"POST {url} failed after {attempts} attempt(s); last: {last}",
        status_code=last_status, url=url, outcome=last_outcome,
    )


def _hint(status: int) -> str:
    if status in (401, 403):
        return " (check the auth= credentials and the server's access rules)"
    if status == 404:
        return " (is base_url the FHIR base, for example https://host/fhir/R4?)"
    if status == 413:
        return " (the Bundle is too large for this server; post fewer notes per Bundle)"
    return ""


def _check_response(payload: Any, sent: Mapping[str, Any], url: str, status: int) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise FhirHttpError(f"FHIR server answered HTTP {status} to POST {url} without a JSON body", status_code=status, url=url)
    if payload.get("resourceType") != "Bundle":
        raise FhirHttpError(
            f"FHIR server answered HTTP {status} to POST {url} with a {payload.get('resourceType')!r}, not a response Bundle: "
            f"{outcome_summary(payload) if payload.get('resourceType') == 'OperationOutcome' else ''}".rstrip(": "),
            status_code=status, url=url, outcome=payload if payload.get("resourceType") == "OperationOutcome" else None,
        )
    failed = []
    for i, entry in enumerate(payload.get("entry") or ()):
        resp = entry.get("response") if isinstance(entry, Mapping) else None
        code = str(resp.get("status", "")) if isinstance(resp, Mapping) else ""
        digits = code.split(" ", 1)[0]
        if digits.isdigit() and int(digits) >= 400:
            failed.append(f"entry[{i}] HTTP {digits}: {outcome_summary(resp.get('outcome') if isinstance(resp, Mapping) else None)}")
    if failed:
        raise FhirHttpError(
            f"FHIR server rejected {len(failed)} of {len(payload.get('entry') or ())} {sent.get('type')} entries at {url}: "
            + "; ".join(failed[:_MAX_ISSUES]),
            status_code=status, url=url,
        )
    return payload


def post_documents(
    docs: Iterable[Any],
    base_url: str,
    *,
    patient: str | None = None,
    config: Any = None,
    **kwargs: Any,
) -> list[dict[str, Any]]:
    """Post each document's transaction Bundle (one note per transaction); return the responses.

    Keyword arguments other than ``patient``/``config`` go to :func:`post`. This is what
    ``ehrnlp convert ... --post URL`` does.
    """
    from .bundle import bundle_dict

    responses = []
    for doc in docs:
        data = bundle_dict(doc, patient=patient, bundle_type="transaction", config=config)
        responses.append(post(data, base_url, **kwargs))
    return responses
