"""Reports the engine cannot decide where they land must never strand a step silently."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from confluent_kafka import Consumer, Producer

from baton import Baton, wait_until
from baton_worker import partition_for


def take_task(brokers: str, pool: str) -> dict[str, Any]:
    consumer = Consumer({"bootstrap.servers": brokers, "group.id": f"baton-executor.{pool}", "auto.offset.reset": "earliest"})
    consumer.subscribe([f"baton.step-tasks.{pool}"])
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            message = consumer.poll(0.5)
            value = None if message is None or message.error() else message.value()
            if value is not None:
                return dict(json.loads(value))
        raise AssertionError(f"no task on pool {pool}")
    finally:
        consumer.close()


def report(kind: str, task: dict[str, Any], **fields: Any) -> str:
    return json.dumps(
        {
            "type": kind,
            "runId": task["runId"],
            "stepId": task["stepId"],
            "attempt": task["attempt"],
            **fields,
            "metadata": {"commandId": str(uuid.uuid4()), "at": 0},
        }
    )


def push_manual(baton: Baton, tag: str) -> tuple[str, str]:
    pool = f"manual-{tag}"
    baton.push(f"""
id: pysdk.manual-{tag}
steps:
  - {{ id: work, type: noop, pool: {pool} }}
""")
    return pool, baton.start(f"pysdk.manual-{tag}")


def test_a_report_on_the_wrong_partition_is_rerouted_to_the_engine_that_owns_the_run(
    baton: Baton, brokers: str, tag: str
) -> None:
    pool, run_id = push_manual(baton, tag)
    task = take_task(brokers, pool)
    producer = Producer({"bootstrap.servers": brokers})
    partitions = len(producer.list_topics("baton.run-commands").topics["baton.run-commands"].partitions)
    wrong = (partition_for(run_id, partitions) + 1) % partitions
    before = baton.metric("baton_engine_rejected_reports_total", 'reason="wrong_partition"')

    executor = {"executorId": "pytest"}
    producer.produce("baton.run-commands", report("ReportStepStarted", task, leaseDurationMs=60_000, **executor), run_id, partition=wrong)
    producer.produce("baton.run-commands", report("CompleteStep", task, result={"ok": True}, **executor), run_id, partition=wrong)
    producer.flush(30)

    assert baton.wait_for(run_id, ("succeeded", "failed"))["status"] == "succeeded"
    assert baton.metric("baton_engine_rejected_reports_total", 'reason="wrong_partition"') >= before + 2


def test_a_malformed_report_is_recorded_on_its_run_and_counted(baton: Baton, brokers: str, tag: str) -> None:
    pool, run_id = push_manual(baton, tag)
    task = take_task(brokers, pool)
    before = baton.metric("baton_engine_rejected_reports_total", 'reason="invalid"')
    producer = Producer({"bootstrap.servers": brokers, "partitioner": "murmur2_random"})

    # CompleteStep without executorId: refused by the engine's validation.
    producer.produce("baton.run-commands", report("CompleteStep", task, result={}), run_id)
    producer.flush(30)

    def rejected() -> bool:
        return any(e["payload"].get("code") == "InvalidCommand" for e in baton.events(run_id, "CommandRejected"))

    wait_until(rejected, 60, "a CommandRejected InvalidCommand on the run (GET /runs/{id}/events?type=CommandRejected)")
    [event] = baton.events(run_id, "CommandRejected")
    assert "$.executorId" in event["payload"]["message"]
    assert baton.metric("baton_engine_rejected_reports_total", 'reason="invalid"') >= before + 1
    baton.request("POST", f"/runs/{run_id}/cancel", '{"reason": "done"}')
