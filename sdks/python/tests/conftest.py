from __future__ import annotations

import secrets
from typing import Iterator

import pytest

from baton import Baton, fresh_database, required_env

LEASE_MS = 3_000


@pytest.fixture(scope="session")
def brokers() -> str:
    return required_env("BATON_KAFKA_BROKERS")


@pytest.fixture(scope="session")
def baton(brokers: str) -> Iterator[Baton]:
    database = fresh_database(required_env("BATON_TEST_DATABASE_URL"), f"baton_pysdk_{secrets.token_hex(4)}")
    process = Baton(brokers, database, LEASE_MS)
    yield process
    process.stop()


@pytest.fixture()
def tag() -> str:
    """Unique per test: topics persist on the broker across suites and runs."""
    return secrets.token_hex(4)
