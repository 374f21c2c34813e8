"""The records of Baton's task protocol (libs/executor/TASK_PROTOCOL.md).

Shapes follow the JSON Schemas in the repository's ``schemas/`` directory,
which are generated from the DTOs the engine validates with; a field the
engine does not know is refused there, so nothing here adds one.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any, Dict, Literal, Mapping, Optional, Union

JsonValue = Union[None, bool, int, float, str, list[Any], Dict[str, Any]]

RUN_COMMANDS = "baton.run-commands"
STEP_LOGS = "baton.step-logs"
STEP_CANCELLATIONS = "baton.step-cancellations"
STEP_GRANTS = "baton.step-grants"
DEAD_LETTERS = "baton.dead-letters"
SCHEMA_VERSION = 1
STEP_TYPES = ("noop", "shell", "http", "handler")

ErrorKind = Literal["user", "platform"]


def step_tasks_topic(pool: str) -> str:
    return f"baton.step-tasks.{pool}"


class InvalidTask(ValueError):
    """A task record that is not a task; ``identity`` names its attempt when it still can."""

    def __init__(self, reason: str, identity: Optional["AttemptId"]) -> None:
        super().__init__(reason)
        self.identity = identity


@dataclass(frozen=True)
class AttemptId:
    run_id: str
    step_id: str
    attempt: int


@dataclass(frozen=True)
class StepTask:
    """One step attempt for this pool (TASK_PROTOCOL.md, "The task")."""

    run_id: str
    workflow_id: str
    workflow_version: int
    step_id: str
    attempt: int
    pool: str
    type: str
    params: Dict[str, Any]
    lease_ms: int
    spec: Dict[str, Any]
    timeout_ms: Optional[int] = None

    @property
    def id(self) -> AttemptId:
        return AttemptId(self.run_id, self.step_id, self.attempt)

    @property
    def handler_name(self) -> Optional[str]:
        name = self.spec.get("name")
        return name if self.type == "handler" and isinstance(name, str) else None


def parse_task(plain: Any) -> StepTask:
    """Checks the fields a worker relies on; raises ``InvalidTask`` with the reason."""
    identity = _identity(plain)
    if not isinstance(plain, dict):
        raise InvalidTask("value must be a JSON object", None)
    if plain.get("schemaVersion") != SCHEMA_VERSION:
        raise InvalidTask(f"unknown schemaVersion {plain.get('schemaVersion')!r}", identity)
    if identity is None:
        raise InvalidTask("runId, stepId or attempt missing", None)
    if plain.get("type") not in STEP_TYPES:
        raise InvalidTask(f"unknown step type {plain.get('type')!r}", identity)
    lease = plain.get("leaseMs")
    timeout = plain.get("timeoutMs")
    if not isinstance(lease, int) or lease < 1:
        raise InvalidTask("leaseMs must be a positive integer", identity)
    if timeout is not None and (not isinstance(timeout, int) or timeout < 1):
        raise InvalidTask("timeoutMs must be a positive integer", identity)
    params, spec = plain.get("params"), plain.get("spec")
    if not isinstance(params, dict) or not isinstance(spec, dict):
        raise InvalidTask("params and spec must be objects", identity)
    return StepTask(
        run_id=identity.run_id,
        workflow_id=str(plain.get("workflowId")),
        workflow_version=int(plain.get("workflowVersion") or 0),
        step_id=identity.step_id,
        attempt=identity.attempt,
        pool=str(plain.get("pool")),
        type=str(plain["type"]),
        params=params,
        lease_ms=lease,
        spec=spec,
        timeout_ms=timeout,
    )


def _identity(plain: Any) -> Optional[AttemptId]:
    if not isinstance(plain, dict):
        return None
    run_id, step_id, attempt = plain.get("runId"), plain.get("stepId"), plain.get("attempt")
    if not isinstance(run_id, str) or not run_id or len(run_id) > 200:
        return None
    if not isinstance(step_id, str) or not step_id:
        return None
    if not isinstance(attempt, int) or isinstance(attempt, bool) or attempt < 1:
        return None
    return AttemptId(run_id, step_id, attempt)


def _report(kind: str, attempt: AttemptId, executor_id: str, **fields: Any) -> Dict[str, Any]:
    # metadata.at is the sender's clock; the engine stamps its own time over it.
    return {
        "type": kind,
        "runId": attempt.run_id,
        "stepId": attempt.step_id,
        "attempt": attempt.attempt,
        "executorId": executor_id,
        **fields,
        "metadata": {"commandId": str(uuid.uuid4()), "at": int(time.time() * 1000)},
    }


def started(attempt: AttemptId, executor_id: str, lease_ms: int, confirm: bool) -> Dict[str, Any]:
    extra: Dict[str, Any] = {"confirm": True} if confirm else {}
    return _report("ReportStepStarted", attempt, executor_id, leaseDurationMs=lease_ms, **extra)


def heartbeat(attempt: AttemptId, executor_id: str) -> Dict[str, Any]:
    return _report("ReportStepHeartbeat", attempt, executor_id)


def _logs(logs_written: bool) -> Dict[str, Any]:
    # Only when the StepLogs record was acked: the read model then holds the run's end until the tail is in.
    return {"logsWritten": True} if logs_written else {}


def complete(attempt: AttemptId, executor_id: str, result: JsonValue, logs_written: bool = False) -> Dict[str, Any]:
    return _report("CompleteStep", attempt, executor_id, result=result, **_logs(logs_written))


def fail(
    attempt: AttemptId, executor_id: str, kind: ErrorKind, message: str, logs_written: bool = False
) -> Dict[str, Any]:
    # FailStep carries no result (the engine refuses one); at most 64 KiB of message.
    return _report(
        "FailStep", attempt, executor_id, errorKind=kind, message=message[: 64 * 1024], **_logs(logs_written)
    )


def step_logs(attempt: AttemptId, stdout: "Tail", stderr: "Tail") -> Dict[str, Any]:
    return {
        "schemaVersion": SCHEMA_VERSION,
        "runId": attempt.run_id,
        "stepId": attempt.step_id,
        "attempt": attempt.attempt,
        "stdout": stdout.text(),
        "stderr": stderr.text(),
        "truncatedBytes": {"stdout": stdout.dropped, "stderr": stderr.dropped},
    }


def dead_letter(
    reason: str, topic: str, partition: int, offset: int, key: str, value: Optional[str], headers: Mapping[str, str]
) -> Dict[str, Any]:
    return {
        "schemaVersion": SCHEMA_VERSION,
        "reason": reason,
        "problems": [],
        "source": {"topic": topic, "partition": partition, "offset": offset, "key": key},
        "value": value,
        "headers": dict(headers),
        "at": int(time.time() * 1000),
    }


class Tail:
    """The last ``limit`` bytes of a stream, starting on a UTF-8 character boundary."""

    def __init__(self, limit: int = 64 * 1024) -> None:
        self.limit = limit
        self.dropped = 0
        self._buffer = bytearray()

    def write(self, text: str) -> None:
        self._buffer += text.encode("utf-8")
        excess = len(self._buffer) - self.limit
        if excess > 0:
            # Never start inside a multi-byte character: skip its continuation bytes too.
            while excess < len(self._buffer) and (self._buffer[excess] & 0xC0) == 0x80:
                excess += 1
            del self._buffer[:excess]
            self.dropped += excess

    def text(self) -> str:
        return self._buffer.decode("utf-8", errors="replace")
