"""A Baton all-in-one process on the real Kafka broker and PostgreSQL, for the SDK's tests."""

from __future__ import annotations

import atexit
import json
import os
import secrets
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, Optional

REPO = Path(__file__).resolve().parents[3]
MAIN = REPO / "dist" / "apps" / "baton" / "src" / "main.js"


def required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        # A missing service fails the suite loudly; it never skips.
        raise RuntimeError(f"{name} must be set (the SDK's tests need the real Kafka broker and PostgreSQL)")
    return value


def fresh_database(admin_url: str, name: str) -> str:
    subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return admin_url.rsplit("/", 1)[0] + "/" + name


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Baton:
    """The built all-in-one (``npm run build``) with BATON_EVENT_LOG=kafka: API, engine, projector, default pool."""

    def __init__(self, brokers: str, database_url: str, lease_ms: int) -> None:
        if not MAIN.exists():
            raise RuntimeError(f"{MAIN} is missing: run `npm run build` first")
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.dir = tempfile.mkdtemp(prefix="baton-pysdk-")
        self.log_path = Path(self.dir) / "baton.log"
        env = {
            **os.environ,
            "BATON_EVENT_LOG": "kafka",
            "BATON_KAFKA_BROKERS": brokers,
            "BATON_DATABASE_URL": database_url,
            "BATON_DATA_DIR": self.dir,
            "BATON_PORT": str(self.port),
            "BATON_ADMIN_TOKEN": self.token,
            "BATON_EXAMPLES_DIR": "",
            "BATON_LEASE_MS": str(lease_ms),
            "BATON_LOG_LEVEL": "warn",
        }
        self.log_file = open(self.log_path, "wb")
        self.process = subprocess.Popen(["node", str(MAIN)], cwd=REPO, env=env, stdout=self.log_file, stderr=subprocess.STDOUT)
        # Never outlive the tests: a stray engine in the same consumer groups would take half the partitions.
        atexit.register(self.stop)
        self.url = f"http://127.0.0.1:{self.port}"
        wait_until(self._ready, 120, "the Baton all-in-one to be ready")

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"baton exited with {self.process.returncode}; log: {self.log_path.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{self.url}/health/ready", timeout=2) as answer:
                return bool(answer.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log_file.close()

    def request(self, method: str, path: str, body: Optional[str] = None, content_type: str = "application/json") -> Any:
        data = body.encode() if body is not None else None
        headers = {"authorization": f"Bearer {self.token}", "content-type": content_type}
        req = urllib.request.Request(f"{self.url}/api/v1{path}", data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as answer:
                text = answer.read().decode()
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise RuntimeError(f"{method} {path}: {error.code} {error.read().decode()}") from error
        return json.loads(text) if text else None

    def push(self, yaml: str) -> None:
        self.request("POST", "/workflows", yaml, "application/yaml")

    def start(self, workflow_id: str, params: Optional[Dict[str, Any]] = None) -> str:
        body = json.dumps({"params": params or {}, "requestId": secrets.token_hex(8)})
        answer = self.request("POST", f"/workflows/{workflow_id}/runs", body)
        return str(answer["runId"])

    def run(self, run_id: str) -> Any:
        return self.request("GET", f"/runs/{run_id}")

    def wait_for(self, run_id: str, statuses: tuple[str, ...], timeout_s: float = 90) -> Any:
        seen: Dict[str, Any] = {}

        def ended() -> bool:
            seen["run"] = self.run(run_id)
            return seen["run"] is not None and seen["run"]["status"] in statuses

        wait_until(ended, timeout_s, f"run {run_id} to be {statuses} (last seen {seen.get('run')})")
        return seen["run"]

    def events(self, run_id: str, event_type: Optional[str] = None) -> list[Dict[str, Any]]:
        only = f"&type={event_type}" if event_type else ""
        page = self.request("GET", f"/runs/{run_id}/events?limit=500{only}")
        return list(page["items"]) if page else []

    def metric(self, name: str, labels: str) -> float:
        with urllib.request.urlopen(f"{self.url}/metrics", timeout=5) as answer:
            text = answer.read().decode()
        for line in text.splitlines():
            if line.startswith(f"{name}{{") and labels in line:
                return float(line.rsplit(" ", 1)[1])
        return 0.0


def wait_until(check: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
