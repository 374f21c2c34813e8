"""Baton worker SDK: join a Baton executor pool from Python."""

from .context import Handler, PlatformError, StepContext, UserError
from .partitioning import murmur2, partition_for
from .protocol import StepTask
from .worker import Worker

__all__ = ["Handler", "PlatformError", "StepContext", "StepTask", "UserError", "Worker", "murmur2", "partition_for"]
