"""A Baton executor-pool member (TASK_PROTOCOL.md, "Joining a pool")."""

from __future__ import annotations

import json
import logging
import signal
import socket
import threading
import time
import uuid
from typing import Any, Callable, Dict, List, Mapping, Optional, Set

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer, TopicPartition

from . import protocol
from .attempt import Attempt, Outcome
from .context import Handler
from .protocol import AttemptId, InvalidTask, StepTask

log = logging.getLogger("baton_worker")


class Worker:
    """Serves one pool: takes its step tasks, runs the registered handlers, reports.

    >>> worker = Worker("python", brokers="127.0.0.1:9092")
    >>> @worker.handler("double")
    ... def double(ctx): return {"value": ctx.params["n"] * 2}
    >>> worker.run()  # until worker.stop() or SIGTERM
    """

    def __init__(
        self,
        pool: str,
        *,
        brokers: str,
        executor_id: Optional[str] = None,
        slots: int = 4,
        grace_seconds: float = 10.0,
        confirm_after_ms: int = 30_000,
        confirm_wait_ms: int = 60_000,
        log_limit_bytes: int = 64 * 1024,
        kafka_config: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self.pool = pool
        self.executor_id = executor_id or f"py-{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
        self.slots = slots
        self.grace_seconds = grace_seconds
        self.confirm_after_ms = confirm_after_ms
        self.confirm_wait_s = confirm_wait_ms / 1000
        self.log_limit = log_limit_bytes
        self._kafka = {"bootstrap.servers": brokers, **(kafka_config or {})}
        self._handlers: Dict[str, Handler] = {}
        self._types: Dict[str, Handler] = {"noop": lambda ctx: {}}
        self._running: Dict[AttemptId, Attempt] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._joined = threading.Event()
        self._error: Optional[BaseException] = None
        self._threads: List[threading.Thread] = []
        self._unconfirmed: Set[int] = set()
        self._producer: Optional[Producer] = None

    # Registration -------------------------------------------------------

    def handler(self, name: str) -> Callable[[Handler], Handler]:
        """Registers the function run for ``type: handler`` steps with ``handler: <name>``."""

        def register(fn: Handler) -> Handler:
            self._handlers[name] = fn
            return fn

        return register

    def step_type(self, step_type: str) -> Callable[[Handler], Handler]:
        """Registers this pool's runtime for a step type (``noop``, ``shell``, ``http``)."""
        if step_type not in protocol.STEP_TYPES or step_type == "handler":
            raise ValueError(f"step type must be one of noop, shell, http, not {step_type!r}")

        def register(fn: Handler) -> Handler:
            self._types[step_type] = fn
            return fn

        return register

    # Life ---------------------------------------------------------------

    def start(self, timeout_s: float = 90) -> None:
        """Runs the worker in a background thread; returns once it has joined the pool (``stop()`` ends it)."""
        thread = threading.Thread(target=self._run_reporting, name=f"baton-worker-{self.pool}", daemon=True)
        thread.start()
        if not self._joined.wait(timeout_s):
            raise TimeoutError(f"the worker did not join pool {self.pool} in {timeout_s} s")
        if self._error is not None:
            raise self._error

    def stop(self, timeout_s: float = 60) -> None:
        """Graceful stop: no new tasks, running steps get ``grace_seconds``, then are failed as platform errors."""
        self._stopping.set()
        if not self._stopped.wait(timeout_s):
            raise TimeoutError(f"the worker of pool {self.pool} did not stop in {timeout_s} s")

    def _run_reporting(self) -> None:
        try:
            self.run()
        except BaseException as error:
            self._error = error
            log.exception("worker failed", extra={"pool": self.pool})
        finally:
            self._joined.set()

    def install_signal_handlers(self) -> None:
        """SIGTERM and SIGINT stop the worker gracefully (call from the main thread)."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self._stopping.set())

    @property
    def running(self) -> int:
        with self._lock:
            return len(self._running)

    def run(self) -> None:
        """Blocks: joins the pool and serves it until ``stop()``."""
        try:
            self._serve()
        finally:
            self._stopped.set()

    def _serve(self) -> None:
        self._producer = Producer(
            {
                **self._kafka,
                # Baton routes run-keyed topics with Kafka's Java default (murmur2 of the key);
                # librdkafka's default (crc32) would send a run's report to another engine.
                "partitioner": "murmur2_random",
                "enable.idempotence": True,
                "acks": "all",
                "linger.ms": 0,
            }
        )
        pump = threading.Thread(target=self._pump, name="baton-producer", daemon=True)
        pump.start()
        control = self._control_consumer()
        control_thread = threading.Thread(target=self._read_control, args=(control,), daemon=True)
        control_thread.start()
        tasks = Consumer(
            {
                **self._kafka,
                "group.id": f"baton-executor.{self.pool}",
                "enable.auto.commit": False,
                "auto.offset.reset": "earliest",
                "isolation.level": "read_committed",
            }
        )
        tasks.subscribe([protocol.step_tasks_topic(self.pool)], on_assign=self._assigned)
        log.info("worker joined pool", extra={"pool": self.pool, "executorId": self.executor_id})
        self._joined.set()
        try:
            self._take_tasks(tasks)
        finally:
            tasks.close()
            self._drain()
            self._stopped_control = True
            control_thread.join(5)
            self._producer.flush(10)

    # Tasks --------------------------------------------------------------

    def _assigned(self, consumer: Consumer, partitions: List[TopicPartition]) -> None:
        # The first task read from a newly assigned partition may have been started by its previous owner.
        self._unconfirmed.update(tp.partition for tp in partitions)

    def _take_tasks(self, tasks: Consumer) -> None:
        paused = False
        while not self._stopping.is_set():
            full = self.running >= self.slots
            if full != paused:
                assignment = tasks.assignment()
                (tasks.pause if full else tasks.resume)(assignment)
                paused = full
            message = tasks.poll(0.2)
            if message is None or message.error():
                continue
            self._take(tasks, message)

    def _take(self, tasks: Consumer, message: Message) -> None:
        text = _text(message.value())
        try:
            task = protocol.parse_task(json.loads(text) if text is not None else None)
        except (ValueError, InvalidTask) as error:
            self._refuse(message, text, error)
            tasks.commit(message=message, asynchronous=False)
            return
        partition = message.partition()
        age_ms = time.time() * 1000 - message.timestamp()[1]
        confirm = partition in self._unconfirmed or age_ms > self.confirm_after_ms
        self._unconfirmed.discard(partition)
        handler = self._handlers.get(task.handler_name or "") if task.type == "handler" else self._types.get(task.type)
        attempt = Attempt(task, handler, self.log_limit, confirm)
        with self._lock:
            self._running[task.id] = attempt
        self._send(protocol.started(task.id, self.executor_id, task.lease_ms, confirm))
        attempt.last_heartbeat_acked = time.monotonic()
        # From here the lease protects the attempt, not the offset: never hold the partition while it runs.
        tasks.commit(message=message, asynchronous=False)
        thread = threading.Thread(target=self._run_attempt, args=(attempt,), daemon=True)
        thread.start()
        self._threads.append(thread)

    def _refuse(self, message: Message, text: Optional[str], error: Exception) -> None:
        reason = f"invalid step task: {error}"
        key = _text(message.key()) or ""
        headers = {pair[0]: _text(pair[1]) or "" for pair in (message.headers() or [])}
        source = (message.topic() or "", message.partition() or 0, message.offset() or 0)
        letter = protocol.dead_letter(reason, *source, key, text, headers)
        self._send_to(protocol.DEAD_LETTERS, key, letter)
        identity = error.identity if isinstance(error, InvalidTask) else None
        if identity is not None:
            # Still names its attempt: fail it as a platform error so the step is retried, not left ready.
            self._send(protocol.started(identity, self.executor_id, 30_000, False))
            self._send(protocol.fail(identity, self.executor_id, "platform", reason))
        log.warning("dead-lettered a task", extra={"pool": self.pool, "reason": reason})

    def _run_attempt(self, attempt: Attempt) -> None:
        outcome = Outcome("failed", kind="platform", message="worker bug")
        try:
            outcome = attempt.run(self.confirm_wait_s)
        finally:
            try:
                self._report(attempt, outcome)
            finally:
                with self._lock:
                    self._running.pop(attempt.task.id, None)

    def _report(self, attempt: Attempt, outcome: Outcome) -> None:
        task, ctx = attempt.task, attempt.ctx
        if outcome.writes_logs:
            self._send_to(protocol.STEP_LOGS, task.run_id, protocol.step_logs(task.id, ctx.stdout, ctx.stderr))
        # _send_to returned, so the tail is acked: the report may say so.
        logs = outcome.writes_logs
        if outcome.status == "succeeded":
            self._send(protocol.complete(task.id, self.executor_id, outcome.result, logs))
        elif outcome.status == "failed" and outcome.kind is not None:
            self._send(protocol.fail(task.id, self.executor_id, outcome.kind, outcome.message, logs))
        # timeout: the engine's own step timer decides; cancelled, refused, lost, unrun: nothing.
        log.info(
            "attempt ended",
            extra={"runId": task.run_id, "stepId": task.step_id, "attempt": task.attempt, "status": outcome.status},
        )

    def _drain(self) -> None:
        deadline = time.monotonic() + self.grace_seconds
        while self.running > 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        with self._lock:
            left = list(self._running.values())
        for attempt in left:
            attempt.forced_stop = True
            attempt.stop("worker stopped")
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(10)

    # Control: cancellations and grants -----------------------------------

    _stopped_control = False

    def _control_consumer(self) -> Consumer:
        consumer = Consumer(
            {
                **self._kafka,
                "group.id": f"baton-executor-cancel.{self.executor_id}",
                "auto.offset.reset": "latest",
                "enable.auto.commit": True,
                "isolation.level": "read_committed",
            }
        )
        assigned = threading.Event()

        def from_end(c: Consumer, partitions: List[TopicPartition]) -> None:
            # "From the latest offset" as a concrete offset, read now: an answer written after this is seen.
            for tp in partitions:
                tp.offset = c.get_watermark_offsets(tp, timeout=10)[1]
            c.assign(partitions)
            assigned.set()

        consumer.subscribe([protocol.STEP_CANCELLATIONS, protocol.STEP_GRANTS], on_assign=from_end)
        # Joined before the task group, so no answer to our first start can be missed.
        deadline = time.monotonic() + 60
        while not assigned.is_set():
            if time.monotonic() > deadline:
                consumer.close()
                raise KafkaException(KafkaError(KafkaError._TIMED_OUT, "no assignment of the cancellation topics in 60 s"))
            consumer.poll(0.1)
        return consumer

    def _read_control(self, consumer: Consumer) -> None:
        try:
            while not self._stopped_control:
                message = consumer.poll(0.1)
                value = None if message is None or message.error() else _text(message.value())
                if message is None or value is None:
                    continue
                try:
                    record = json.loads(value)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    self._control(message.topic() or "", record)
        finally:
            consumer.close()

    def _control(self, topic: str, record: Dict[str, Any]) -> None:
        try:
            key = AttemptId(str(record["runId"]), str(record["stepId"]), int(record["attempt"]))
        except (KeyError, TypeError, ValueError):
            return
        with self._lock:
            attempt = self._running.get(key)
        if attempt is None:
            return
        target = record.get("executorId")
        if topic == protocol.STEP_GRANTS:
            if target == self.executor_id:
                attempt.last_heartbeat_acked = time.monotonic()
                attempt.granted.set()
            return
        if target is not None and target != self.executor_id:
            return  # a refusal of another executor's copy
        if target == self.executor_id:
            attempt.refused = True
        attempt.stop(str(record.get("reason", "cancelled")))

    # Producing and heartbeats ------------------------------------------

    def _pump(self) -> None:
        """Serves delivery reports and sends heartbeats (at least every lease / 3)."""
        assert self._producer is not None
        while not self._stopped.is_set():
            self._producer.poll(0.1)
            now = time.monotonic()
            with self._lock:
                attempts = list(self._running.values())
            for attempt in attempts:
                if attempt.confirm and not attempt.granted.is_set():
                    continue
                lease_s = attempt.task.lease_ms / 1000
                if now - attempt.last_heartbeat_acked > lease_s:
                    # Lease honesty: no heartbeat went through for a whole lease, the engine has retried it.
                    attempt.lost = True
                    attempt.stop("lease lost")
                elif now - attempt.last_heartbeat_sent >= lease_s / 3:
                    attempt.last_heartbeat_sent = now
                    self._heartbeat(attempt)

    def _heartbeat(self, attempt: Attempt) -> None:
        assert self._producer is not None

        def acked(error: Optional[KafkaError], _: Message) -> None:
            if error is None:
                attempt.last_heartbeat_acked = time.monotonic()

        record = protocol.heartbeat(attempt.task.id, self.executor_id)
        self._producer.produce(protocol.RUN_COMMANDS, json.dumps(record), attempt.task.run_id, on_delivery=acked)

    def _send(self, command: Dict[str, Any]) -> None:
        self._send_to(protocol.RUN_COMMANDS, str(command["runId"]), command)

    def _send_to(self, topic: str, key: str, value: Dict[str, Any], timeout_s: float = 30) -> None:
        """Writes one record keyed by ``key`` and waits for the broker's ack."""
        assert self._producer is not None
        done = threading.Event()
        failure: List[KafkaError] = []

        def delivered(error: Optional[KafkaError], _: Message) -> None:
            if error is not None:
                failure.append(error)
            done.set()

        self._producer.produce(topic, json.dumps(value), key, on_delivery=delivered)
        if not done.wait(timeout_s):
            raise KafkaException(KafkaError(KafkaError._TIMED_OUT, f"no ack from {topic} in {timeout_s} s"))
        if failure:
            raise KafkaException(failure[0])


def _text(raw: "str | bytes | None") -> Optional[str]:
    if raw is None or isinstance(raw, str):
        return raw
    return raw.decode("utf-8", errors="replace")
