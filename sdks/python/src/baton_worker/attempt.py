"""One attempt's life on a worker: wait for a grant if asked, run, end, report."""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass
from typing import Callable, Optional

from .context import Handler, PlatformError, StepContext, UserError
from .protocol import ErrorKind, JsonValue, StepTask


@dataclass
class Outcome:
    """How an attempt ended; ``report`` says what the engine hears of it."""

    status: str  # succeeded | failed | timeout | cancelled | refused | lost | unrun
    result: JsonValue = None
    kind: Optional[ErrorKind] = None
    message: str = ""

    @property
    def writes_logs(self) -> bool:
        # A refused or lost copy says nothing: another executor may hold the attempt.
        return self.status in ("succeeded", "failed", "timeout", "cancelled")


class Attempt:
    """State shared between the worker's threads for one running attempt."""

    def __init__(self, task: StepTask, handler: Optional[Handler], log_limit: int, confirm: bool) -> None:
        self.task = task
        self.handler = handler
        self.ctx = StepContext(task, log_limit)
        self.confirm = confirm
        self.granted = threading.Event()
        self.refused = False
        self.lost = False
        self.cancel_reason: Optional[str] = None
        self.forced_stop = False
        self.last_heartbeat_sent = time.monotonic()
        self.last_heartbeat_acked = time.monotonic()
        self._finished = threading.Event()
        self._outcome: Optional[Outcome] = None

    def stop(self, reason: str) -> None:
        """Cancellation, start refused, lease lost or forced stop: the attempt ends now."""
        if self.cancel_reason is None:
            self.cancel_reason = reason
        self.ctx.cancelled.set()
        self.granted.set()

    def run(self, confirm_wait_s: float) -> Outcome:
        if self.confirm and not self.granted.wait(confirm_wait_s):
            return Outcome("unrun", message="no grant arrived")
        if self.refused:
            return Outcome("refused")
        if self.ctx.cancelled.is_set():
            return self._stopped()
        threading.Thread(target=self._call, name=f"baton-step-{self.task.step_id}", daemon=True).start()
        deadline = None if self.task.timeout_ms is None else time.monotonic() + self.task.timeout_ms / 1000
        while not self._finished.wait(0.05):
            if self.ctx.cancelled.is_set():
                return self._stopped()
            if deadline is not None and time.monotonic() >= deadline:
                self.ctx.cancelled.set()
                return Outcome("timeout", message=f"timed out after {self.task.timeout_ms} ms")
        if self.cancel_reason is not None:
            return self._stopped()  # told to stop: whatever the handler returned after that does not count
        assert self._outcome is not None
        return self._outcome

    def _stopped(self) -> Outcome:
        if self.refused:
            return Outcome("refused")
        if self.lost:
            return Outcome("lost")
        if self.forced_stop:
            return Outcome("failed", kind="platform", message="the worker stopped before the step ended")
        return Outcome("cancelled", message=self.cancel_reason or "cancelled")

    def _call(self) -> None:
        self._outcome = call_handler(self.handler, self.ctx)
        self._finished.set()


def call_handler(handler: Optional[Callable[[StepContext], JsonValue]], ctx: StepContext) -> Outcome:
    task = ctx.task
    if handler is None:
        if task.type == "handler":
            return Outcome("failed", kind="user", message=f"no handler '{task.handler_name}' in pool {task.pool}")
        return Outcome("failed", kind="platform", message=f"this worker does not run {task.type} steps")
    try:
        return Outcome("succeeded", result=handler(ctx))
    except UserError as error:
        return _failed(ctx, "user", error)
    except PlatformError as error:
        return _failed(ctx, "platform", error)
    except Exception as error:  # a handler's bug is the step's fault, as in Baton's own handler runtime
        return _failed(ctx, "user", error)


def _failed(ctx: StepContext, kind: ErrorKind, error: BaseException) -> Outcome:
    ctx.stderr.write("".join(traceback.format_exception(type(error), error, error.__traceback__)))
    return Outcome("failed", kind=kind, message=str(error) or type(error).__name__)
