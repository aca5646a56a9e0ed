"""Which model to ask and how: read from the project settings, never defaulted to any network address.

`llm_endpoint` is an OpenAI-compatible base URL (Ollama: http://127.0.0.1:11434/v1, llama.cpp's server:
http://127.0.0.1:8080/v1); the API key, if the server wants one, comes from $QCODE_LLM_KEY and is never stored.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from coding.errors import Problem, QcodeError
from coding.store import ProjectStore
from coding.store.settings import get_setting

KEY_VARIABLE = "QCODE_LLM_KEY"
ENDPOINT_EXAMPLE = "qcode config llm_endpoint http://127.0.0.1:11434/v1"

SETTINGS_HELP = {
    "llm_endpoint": "OpenAI-compatible base URL of a local model server, e.g. http://127.0.0.1:11434/v1 (Ollama); "
                    "'none' turns the LLM coder off",
    "llm_model": "model name the server knows, e.g. qwen2.5:7b-instruct",
    "llm_concurrency": "requests in flight at once (default 4)",
    "llm_batch_size": "turns per request (default 1)",
    "llm_timeout": "seconds to wait for one answer before it counts as failed (default 120)",
}
_LIMITS: dict[str, tuple[type, float, float]] = {
    "llm_concurrency": (int, 1, 64), "llm_batch_size": (int, 1, 50), "llm_timeout": (float, 0.1, 3600),
}


class LlmSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    endpoint: str
    model: str
    api_key: str | None = Field(None, repr=False)
    concurrency: int = 4
    batch_size: int = 1
    timeout: float = 120.0
    transport_retries: int = 2  # extra tries after a 429, a 5xx or a timeout, before the turns count as failed

    @property
    def host(self) -> str:
        return urlsplit(self.endpoint).hostname or ""

    @property
    def chat_url(self) -> str:
        return self.endpoint.rstrip("/") + "/chat/completions"

    @property
    def is_local(self) -> bool:
        return is_loopback(self.host)


def is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_endpoint(value: str) -> str:
    """The URL as given if it is an http(s) base URL with a host; a QcodeError saying how to write it otherwise."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise QcodeError(Problem(f"'{value}' is not an http(s) URL of a model server",
                                 hint=f"give the OpenAI-compatible base URL, e.g. {ENDPOINT_EXAMPLE}"))
    if parts.path.rstrip("/").endswith("/chat/completions"):
        raise QcodeError(Problem(f"'{value}' names the chat endpoint itself",
                                 hint="give the base URL that ends before /chat/completions, e.g. .../v1"))
    return value.strip()


def parse_llm_setting(key: str, value: str) -> Any:
    """The stored value of an llm_* setting typed on the command line; a located error if it is out of range."""
    if key == "llm_endpoint":
        return None if value.strip().lower() in ("", "none") else check_endpoint(value)
    if key not in _LIMITS:
        return value.strip()
    kind, low, high = _LIMITS[key]
    try:
        number = kind(value)
    except ValueError:
        raise QcodeError(Problem(f"{key} must be a {'whole ' if kind is int else ''}number, not '{value}'",
                                 hint=f"{SETTINGS_HELP[key]}")) from None
    if not low <= number <= high:
        raise QcodeError(Problem(f"{key} must be between {low:g} and {high:g}, not {value}",
                                 hint=SETTINGS_HELP[key]))
    return number


def llm_settings(store: ProjectStore, model: str | None = None) -> LlmSettings:
    """The project's LLM settings; a QcodeError naming the missing setting when endpoint or model is not set."""
    endpoint = get_setting(store, "llm_endpoint")
    if not endpoint:
        raise QcodeError(Problem("no LLM endpoint is set, so qcode will not contact any model",
                                 hint=f"set one explicitly: {ENDPOINT_EXAMPLE}"))
    model = model or get_setting(store, "llm_model")
    if not model:
        raise QcodeError(Problem("no LLM model is set", hint="e.g. qcode config llm_model qwen2.5:7b-instruct"))
    return LlmSettings(
        endpoint=check_endpoint(endpoint), model=model, api_key=os.environ.get(KEY_VARIABLE) or None,
        concurrency=get_setting(store, "llm_concurrency", 4), batch_size=get_setting(store, "llm_batch_size", 1),
        timeout=get_setting(store, "llm_timeout", 120.0),
    )


def leaving_machine_warning(settings: LlmSettings) -> str | None:
    """One line for a non-loopback endpoint: the transcripts will be sent there."""
    if settings.is_local:
        return None
    return (f"warning: transcripts will leave this machine: turns are sent to {settings.host} "
            f"({settings.endpoint})")
