"""The SDK against the real broker and a Baton engine: one worker per test, pool unique to the test."""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Iterator

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from baton import Baton, wait_until
from baton_worker import StepContext, UserError, Worker


@pytest.fixture()
def worker(brokers: str, tag: str) -> Iterator[Worker]:
    sut = Worker(f"py-{tag}", brokers=brokers, slots=4, grace_seconds=2)
    yield sut
    sut.stop()


def steps_of(run: Any) -> dict[str, Any]:
    return {step["stepId"]: step for step in run["steps"]}


def test_one_workflow_mixes_batons_own_executor_and_the_python_pool(baton: Baton, worker: Worker, tag: str) -> None:
    @worker.handler("double")
    def double(ctx: StepContext) -> Any:
        ctx.log(f"doubling {ctx.params['n']}")
        return {"value": int(ctx.params["n"]) * 2}

    worker.start()
    baton.push(f"""
id: pysdk.mixed-{tag}
steps:
  - id: seed
    type: shell
    command: [sh, -c, 'echo "{{\\"n\\": 21}}" > "$BATON_OUTPUT_FILE"']
    outputs: {{ n: result.output.n }}
  - id: double
    type: handler
    handler: double
    pool: py-{tag}
    depends_on: [seed]
    params: {{ n: "${{steps.seed.outputs.n}}" }}
    outputs: {{ value: result.value }}
  - id: check
    type: shell
    depends_on: [double]
    params: {{ value: "${{steps.double.outputs.value}}" }}
    command: [sh, -c, 'test "$BATON_PARAM_VALUE" = 42']
""")
    run = baton.wait_for(baton.start(f"pysdk.mixed-{tag}"), ("succeeded", "failed"))

    assert run["status"] == "succeeded", run

    def logged() -> bool:
        logs = baton.request("GET", f"/runs/{run['runId']}/steps/double/logs")
        return logs is not None and "doubling 21" in logs["stdoutTail"]

    wait_until(logged, 30, "the python step's log tail in the API")


def test_a_user_error_is_retried_on_the_user_budget(baton: Baton, worker: Worker, tag: str) -> None:
    calls: list[int] = []

    @worker.handler("flaky")
    def flaky(ctx: StepContext) -> Any:
        calls.append(ctx.attempt)
        if ctx.attempt == 1:
            raise UserError("first time fails")
        return {"attempt": ctx.attempt}

    worker.start()
    baton.push(f"""
id: pysdk.retry-{tag}
steps:
  - id: flaky
    type: handler
    handler: flaky
    pool: py-{tag}
    retry_policy: {{ user_error_limit: 2, backoff: {{ type: fixed, delay: 1s }} }}
""")
    run = baton.wait_for(baton.start(f"pysdk.retry-{tag}"), ("succeeded", "failed"))

    assert run["status"] == "succeeded"
    assert calls == [1, 2]


def test_heartbeats_keep_a_step_longer_than_its_lease_on_its_first_attempt(
    baton: Baton, worker: Worker, tag: str
) -> None:
    @worker.handler("slow")
    def slow(ctx: StepContext) -> Any:
        ctx.cancelled.wait(8)  # the lease is 3 s
        return {"attempt": ctx.attempt}

    worker.start()
    baton.push(f"""
id: pysdk.long-{tag}
steps:
  - {{ id: slow, type: handler, handler: slow, pool: py-{tag} }}
""")
    run = baton.wait_for(baton.start(f"pysdk.long-{tag}"), ("succeeded", "failed"))

    assert run["status"] == "succeeded"
    assert steps_of(run)["slow"]["attempt"] == 1


def test_a_cancelled_run_sets_the_handlers_cancelled_event(baton: Baton, worker: Worker, tag: str) -> None:
    seen = threading.Event()
    began = threading.Event()

    @worker.handler("wait")
    def wait(ctx: StepContext) -> Any:
        began.set()
        if ctx.cancelled.wait(60):
            seen.set()
        return {}

    worker.start()
    baton.push(f"""
id: pysdk.cancel-{tag}
steps:
  - {{ id: wait, type: handler, handler: wait, pool: py-{tag} }}
""")
    run_id = baton.start(f"pysdk.cancel-{tag}")
    assert began.wait(60)
    baton.request("POST", f"/runs/{run_id}/cancel", '{"reason": "test"}')

    assert baton.wait_for(run_id, ("cancelled",))["status"] == "cancelled"
    assert seen.wait(15)
    wait_until(lambda: worker.running == 0, 15, "the attempt to leave the worker")


def test_a_timeout_ends_the_attempt_and_the_engine_decides(baton: Baton, worker: Worker, tag: str) -> None:
    stopped = threading.Event()

    @worker.handler("stuck")
    def stuck(ctx: StepContext) -> Any:
        if ctx.cancelled.wait(60):
            stopped.set()
        return {}

    worker.start()
    baton.push(f"""
id: pysdk.timeout-{tag}
steps:
  - {{ id: stuck, type: handler, handler: stuck, pool: py-{tag}, timeout: 2s }}
""")
    run = baton.wait_for(baton.start(f"pysdk.timeout-{tag}"), ("succeeded", "failed"))

    assert run["status"] == "failed"
    assert steps_of(run)["stuck"]["errorKind"] == "timeout"
    assert stopped.wait(15)


def test_a_graceful_stop_fails_what_outlives_the_grace_and_another_worker_retries_it(
    baton: Baton, brokers: str, tag: str
) -> None:
    pool = f"py-{tag}"
    first = Worker(pool, brokers=brokers, grace_seconds=1)
    began = threading.Event()

    @first.handler("job")
    def hang(ctx: StepContext) -> Any:
        began.set()
        ctx.cancelled.wait(60)
        return {"by": "first"}

    first.start()
    baton.push(f"""
id: pysdk.stop-{tag}
steps:
  - id: job
    type: handler
    handler: job
    pool: {pool}
    retry_policy: {{ platform_error_limit: 2, backoff: {{ type: fixed, delay: 1s }} }}
    outputs: {{ by: result.by }}
""")
    run_id = baton.start(f"pysdk.stop-{tag}")
    assert began.wait(60)
    started = time.monotonic()
    first.stop()
    assert time.monotonic() - started < 20

    second = Worker(pool, brokers=brokers)
    second.handler("job")(lambda ctx: {"by": "second"})
    second.start()
    try:
        run = baton.wait_for(run_id, ("succeeded", "failed"))
    finally:
        second.stop()
    assert run["status"] == "succeeded"
    assert steps_of(run)["job"]["attempt"] == 2


def test_a_record_that_is_not_a_task_is_dead_lettered_and_the_pool_goes_on(
    baton: Baton, brokers: str, worker: Worker, tag: str
) -> None:
    letters = Consumer({"bootstrap.servers": brokers, "group.id": f"pysdk-letters-{tag}"})
    end = letters.get_watermark_offsets(TopicPartition("baton.dead-letters", 0), timeout=10)[1]
    letters.assign([TopicPartition("baton.dead-letters", 0, end)])
    worker.handler("ok")(lambda ctx: {"ok": True})
    worker.start()
    baton.push(f"""
id: pysdk.after-garbage-{tag}
steps:
  - {{ id: ok, type: handler, handler: ok, pool: py-{tag} }}
""")
    # The first run makes the engine create the pool's topic (the broker creates none by itself).
    assert baton.wait_for(baton.start(f"pysdk.after-garbage-{tag}"), ("succeeded", "failed"))["status"] == "succeeded"
    producer = Producer({"bootstrap.servers": brokers, "partitioner": "murmur2_random"})
    producer.produce(f"baton.step-tasks.py-{tag}", "not a task", f"garbage-{tag}")
    assert producer.flush(30) == 0

    assert baton.wait_for(baton.start(f"pysdk.after-garbage-{tag}"), ("succeeded", "failed"))["status"] == "succeeded"
    found: list[dict[str, Any]] = []

    def dead_lettered() -> bool:
        message = letters.poll(0.2)
        value = None if message is None or message.error() else message.value()
        if value is not None:
            letter = json.loads(value)
            if letter["source"]["key"] == f"garbage-{tag}":
                found.append(letter)
        return len(found) > 0

    wait_until(dead_lettered, 30, "the garbage record in baton.dead-letters")
    letters.close()
    assert found[0]["value"] == "not a task"
    assert found[0]["reason"].startswith("invalid step task")
