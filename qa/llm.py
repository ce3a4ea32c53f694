"""A language model behind any OpenAI-compatible server (llama.cpp, Ollama, vLLM, LM Studio, hosted APIs).

Two calls: `stream` yields an answer's text as the server sends it, and `yes_probability` asks a yes/no
question and reads the probability of "Yes" from the first token's log-probabilities (or from the reply's
words when the server gives none). Every failure — connection refused, a timeout, an HTTP error, a reply
that is not what the protocol promises — becomes one `LLMError` with a short reason.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Iterator

import openai

from qa.errors import QAError
from qa.settings import Settings

YES_NO_ALTERNATIVES = 10  # first-token alternatives asked for when reading P(yes)
ANSWER_TOO_SLOW = "the server did not finish the answer in time"
ANSWER_CUT_SHORT = "the server stopped before the answer was complete"


class LLMError(QAError):
    """The language model could not give an answer; the message says why in a few words."""


def transport_failure(error: Exception, kind: str) -> bool:
    """Whether the HTTP library under the openai client raised its `kind` error: httpx's in openai 1 and 2,
    httpx2's in later releases, which share the class names but not the classes."""
    return any(cls.__name__ == kind and cls.__module__.startswith("httpx") for cls in type(error).__mro__)


def reason(error: Exception) -> str:
    if isinstance(error, openai.APITimeoutError) or transport_failure(error, "TimeoutException"):
        return "the server did not answer in time"
    if isinstance(error, openai.APIConnectionError) or transport_failure(error, "TransportError"):
        return "the server cannot be reached"
    if isinstance(error, openai.NotFoundError):
        return "the server does not know the model or the path (check QA_LLM_MODEL and QA_LLM_BASE_URL)"
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return "the server refused the API key (QA_LLM_API_KEY)"
    if isinstance(error, openai.APIStatusError):
        return f"the server answered HTTP {error.status_code}"
    return f"the server's reply could not be read ({type(error).__name__})"


def closed(chunks) -> None:
    """Close a reply's stream, and end the client's generators over it: left waiting on a closed response,
    each would fail when collected, printing "Exception ignored" with its traceback."""
    chunks.close()
    with contextlib.suppress(Exception):
        for _ in chunks:
            pass


class LLMClient:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = openai.OpenAI(
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key or "none",  # the client insists on one; local servers ignore it
            timeout=settings.llm_timeout_seconds,  # connect, read, write and pool alike
            max_retries=0,  # a retry doubles the wait before the extractive answer is shown
        )
        self.checked_model: str | None = None
        self.logprobs = True  # until the server refuses them

    def model(self) -> str:
        """The model to ask: QA_LLM_MODEL when the server lists it, the server's first model when that is
        empty. Checked against the list once, because llama.cpp's server answers an unknown name with
        whatever it loaded, where others fail with a 404 only at the first question."""
        if self.checked_model is None:
            wanted = self.settings.llm_model
            listed = True
            try:
                available = [model.id for model in self.client.models.list()]
            except openai.NotFoundError:
                available, listed = [], False  # a server without the list: trust the name
            except Exception as error:  # noqa: BLE001
                raise LLMError(reason(error)) from error
            if not wanted and not listed:
                raise LLMError(
                    f"{self.settings.llm_base_url}/models was not found: check QA_LLM_BASE_URL (it usually "
                    "ends in /v1), or name the model in QA_LLM_MODEL"
                )
            if not wanted and not available:
                raise LLMError("QA_LLM_MODEL is empty and the server lists no model")
            if wanted and available and wanted not in available:
                raise LLMError(f"the server has no model named {wanted!r} (it has {', '.join(available[:5])})")
            self.checked_model = wanted or available[0]
        return self.checked_model

    def stream(self, messages: list[dict]) -> Iterator[str]:
        """The reply's text, piece by piece as the server sends it. The whole reply must come within the timeout,
        not only each gap between two pieces, and no more than `llm_max_tokens` pieces are read: a server that
        never ends its stream, or ignores the limit it was sent, would otherwise hold a chat worker for good."""
        model = self.model()
        started = time.monotonic()
        out_of_time = threading.Event()
        pieces = 0
        try:
            chunks = self.client.chat.completions.create(
                model=model,
                messages=messages,
                max_tokens=self.settings.llm_max_tokens,
                temperature=0,
                stream=True,
            )

            def give_up() -> None:
                out_of_time.set()
                chunks.close()  # the read under way fails at once, and its generators end with it

            timer = threading.Timer(max(0.0, self.settings.llm_timeout_seconds - (time.monotonic() - started)), give_up)
            timer.daemon = True
            timer.start()
            try:
                finished = False
                for chunk in chunks:
                    if not getattr(chunk, "choices", None):
                        continue
                    piece = chunk.choices[0].delta.content
                    finished = finished or chunk.choices[0].finish_reason is not None
                    if piece:
                        yield piece
                        pieces += 1
                        if pieces >= self.settings.llm_max_tokens:  # where the server should have stopped
                            finished = True
                            break
            finally:
                timer.cancel()
                closed(chunks)
        except Exception as error:  # noqa: BLE001 - whatever the server or the wire did, one reason
            if out_of_time.is_set():
                raise LLMError(ANSWER_TOO_SLOW) from error
            if pieces:  # a server killed while it writes drops the connection: it was reached
                raise LLMError(ANSWER_CUT_SHORT) from error
            raise LLMError(reason(error)) from error
        if out_of_time.is_set():
            raise LLMError(ANSWER_TOO_SLOW)
        if not finished:  # a server that shuts down cleanly ends the stream without saying the answer is done
            raise LLMError(ANSWER_CUT_SHORT)

    def yes_probability(self, messages: list[dict]) -> float:
        """P(the reply starts with Yes rather than No), from the first token's log-probabilities; 1 or 0 from
        the reply's first word where the server gives none (llama.cpp's server refuses them unless started
        with --logits_all True, which also computes every prompt token's logits: 19 → 15 prompt tokens a second
        for the 1.5B model here)."""
        if self.logprobs:
            try:
                return self.read_yes(self.reply(messages, logprobs=True, top_logprobs=YES_NO_ALTERNATIVES))
            except openai.APIStatusError as error:
                if error.status_code < 400 or error.status_code in (401, 403, 404):
                    raise LLMError(reason(error)) from error
                self.logprobs = False  # the server cannot give them: ask for the word instead from now on
        return self.read_yes(self.reply(messages))

    def reply(self, messages: list[dict], **options):
        model = self.model()
        try:
            return self.client.chat.completions.create(
                model=model, messages=messages, max_tokens=1, temperature=0, **options
            ).choices[0]
        except openai.APIStatusError as error:
            if options:
                raise  # the caller tells a refused option from a failed server
            raise LLMError(reason(error)) from error
        except Exception as error:  # noqa: BLE001
            raise LLMError(reason(error)) from error

    @staticmethod
    def read_yes(choice) -> float:
        content = getattr(choice.logprobs, "content", None) if getattr(choice, "logprobs", None) else None
        if content:
            yes = no = 0.0
            for alternative in content[0].top_logprobs or []:
                word = alternative.token.strip().lower()
                if word in ("yes", "y"):
                    yes += math.exp(alternative.logprob)
                elif word in ("no", "n"):
                    no += math.exp(alternative.logprob)
            if yes + no > 0:
                return yes / (yes + no)
        words = (choice.message.content or "").strip().lower()
        return 1.0 if words.startswith("yes") else 0.0

_shared: dict[tuple, LLMClient] = {}


def shared_client(settings: Settings) -> LLMClient:
    """One client per server and model in a process: connections are reused and the model checked once."""
    key = (
        settings.llm_base_url,
        settings.llm_model,
        settings.llm_api_key,
        settings.llm_timeout_seconds,
        settings.llm_max_tokens,
    )
    if key not in _shared:
        _shared[key] = LLMClient(settings)
    return _shared[key]
