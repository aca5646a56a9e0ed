"""A minimal client for OpenAI-compatible chat completions (httpx, one pooled connection per concurrent request).

Only `settings.chat_url` is contacted: redirects are not followed and proxy variables are ignored. Rate limits
(429) and server errors (5xx) and timeouts are tried again after a pause (Retry-After when the server gives one);
when tries run out, the request fails and its turns are recorded as failed. A server that cannot be reached or
refuses the key or the model stops the whole run with an error saying what to fix.
"""

from __future__ import annotations

import threading
import time

import httpx

from coding.errors import Problem, QcodeError
from coding.llm.answers import InvalidAnswer
from coding.llm.settings import KEY_VARIABLE, LlmSettings

MAX_PAUSE_S = 30.0


class RequestFailed(Exception):
    """One request gave no answer (timeouts, 429/5xx after every try, a 4xx for this request only)."""


class EndpointError(QcodeError):
    """The server cannot be used at all (unreachable, key refused, model or URL unknown): stop the run."""


class ChatClient:
    def __init__(self, settings: LlmSettings, stop: threading.Event | None = None):
        self.settings = settings
        self.stop = stop or threading.Event()
        headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
        self._http = httpx.Client(
            timeout=httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0)),
            limits=httpx.Limits(max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency),
            headers=headers, follow_redirects=False, trust_env=False)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def complete(self, body: dict) -> tuple[str | None, float]:
        """The answer's message content and the seconds the answering request took."""
        tries = 1 + self.settings.transport_retries
        for attempt in range(tries):
            started = time.perf_counter()
            try:
                response = self._http.post(self.settings.chat_url, json=body)
            except httpx.TimeoutException:
                problem = f"no answer within {self.settings.timeout:g} s (llm_timeout)"
                pause = 0.0
            except httpx.ConnectError as error:
                raise EndpointError(Problem(f"cannot reach the model server at {self.settings.endpoint}: {error}",
                                            hint="start it (e.g. 'ollama serve') or fix llm_endpoint")) from None
            except httpx.TransportError as error:
                problem, pause = f"the connection failed: {error}", 0.0
            else:
                seconds = time.perf_counter() - started
                if response.status_code == 200:
                    return _content(response), seconds
                problem = f"HTTP {response.status_code} from the model server: {_clip(response.text)}"
                if response.status_code not in (429, 500, 502, 503, 504):
                    self._raise_for_status(response, problem)
                pause = _retry_after(response, attempt)
            if attempt + 1 < tries and not self.stop.wait(pause):
                continue
            break
        raise RequestFailed(f"{problem} ({tries} tries)" if tries > 1 else problem)

    def _raise_for_status(self, response: httpx.Response, problem: str) -> None:
        status = response.status_code
        if status in (401, 403):
            raise EndpointError(Problem(f"{problem} (the server refused the request's key)",
                                        hint=f"set the key the server expects in ${KEY_VARIABLE}"))
        if status in (404, 405):
            raise EndpointError(Problem(f"{problem} (unknown URL or model '{self.settings.model}')",
                                        hint="llm_endpoint must be the base URL ending in /v1, and llm_model a "
                                             "model the server has (e.g. 'ollama list')"))
        raise RequestFailed(problem)  # 400, 413, 422: this request (e.g. a turn too long for the context) only


def _content(response: httpx.Response) -> str | None:
    try:
        body = response.json()
        message = body["choices"][0]["message"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise InvalidAnswer(f"the server's reply is not a chat completion: {_clip(response.text)}") from None
    content = message.get("content") if isinstance(message, dict) else None
    return content if isinstance(content, str) else None


def _retry_after(response: httpx.Response, attempt: int) -> float:
    value = response.headers.get("Retry-After", "")
    try:
        return min(max(float(value), 0.0), MAX_PAUSE_S)
    except ValueError:
        return min(0.5 * 2 ** attempt, MAX_PAUSE_S)


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."
