from __future__ import annotations

import json
import uuid

from confluent_kafka import Consumer, Producer

from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from baton_worker import partition_for

# Computed with Baton's own `partitionForKey` (kafkajs's Java-compatible default partitioner).
BATON_VECTORS = [
    ("r1", 4, 0, 6),
    ("58dbe43b-4d03-88df-88f1-12ea46e2838c", 5, 1, 8),
    ("a", 4, 0, 5),
    ("sales.daily", 0, 0, 4),
    ("日本語-run", 1, 1, 3),
    ("\u0000baton.applied-input.3", 7, 3, 3),
]


def test_partition_for_agrees_with_baton_on_every_vector() -> None:
    for key, of8, of4, of13 in BATON_VECTORS:
        assert (partition_for(key, 8), partition_for(key, 4), partition_for(key, 13)) == (of8, of4, of13), key


def test_the_worker_producer_config_puts_keyed_records_where_murmur2_says(brokers: str) -> None:
    topic = f"baton-pysdk-partitioning-{uuid.uuid4().hex[:8]}"
    admin = AdminClient({"bootstrap.servers": brokers})
    admin.create_topics([NewTopic(topic, num_partitions=8, replication_factor=1)])[topic].result(30)
    producer = Producer({"bootstrap.servers": brokers, "partitioner": "murmur2_random"})
    keys = [str(uuid.uuid4()) for _ in range(40)]
    landed: dict[str, int] = {}

    def delivered(error: object, message: object) -> None:
        assert error is None
        landed[message.key().decode()] = message.partition()  # type: ignore[attr-defined]

    for key in keys:
        producer.produce(topic, json.dumps({"k": key}), key, on_delivery=delivered)
    producer.flush(30)

    assert landed == {key: partition_for(key, 8) for key in keys}
    consumer = Consumer({"bootstrap.servers": brokers, "group.id": topic})
    assert len(consumer.list_topics(topic).topics[topic].partitions) == 8
    consumer.close()
    admin.delete_topics([topic])
