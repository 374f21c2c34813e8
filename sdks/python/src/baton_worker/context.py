"""What a handler gets and may raise."""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict

from .protocol import JsonValue, StepTask, Tail


class UserError(Exception):
    """The step's own fault (bad input, a target that said no): retried on the step's user budget."""


class PlatformError(Exception):
    """The worker's fault (a dependency it lacks, a bug): retried on the platform budget."""


class StepContext:
    """One attempt as a handler sees it.

    ``cancelled`` is set when the attempt must stop: the run or step was
    cancelled, its timeout elapsed, the lease was lost, or the worker stops
    past its grace period. Python cannot kill a thread, so a long handler
    should look at it (``ctx.cancelled.wait(1)`` instead of ``time.sleep(1)``);
    the worker stops waiting for the handler at once either way and reports
    what the protocol says.
    """

    def __init__(self, task: StepTask, log_limit: int) -> None:
        self.task = task
        self.cancelled = threading.Event()
        self.stdout = Tail(log_limit)
        self.stderr = Tail(log_limit)

    @property
    def params(self) -> Dict[str, Any]:
        return self.task.params

    @property
    def run_id(self) -> str:
        return self.task.run_id

    @property
    def step_id(self) -> str:
        return self.task.step_id

    @property
    def attempt(self) -> int:
        return self.task.attempt

    def log(self, line: str) -> None:
        """A line of the attempt's stdout tail (the API's and web UI's step log)."""
        self.stdout.write(line if line.endswith("\n") else line + "\n")

    def log_error(self, line: str) -> None:
        """A line of the attempt's stderr tail."""
        self.stderr.write(line if line.endswith("\n") else line + "\n")


Handler = Callable[[StepContext], JsonValue]
