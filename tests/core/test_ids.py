"""UUIDv7 ids: valid version/variant, creation-ordered, carry their millisecond time."""

import uuid

from hypothesis import given, strategies as st

from sessionstudio.core.ids import now_ms, uuid7, uuid7_time_ms


def test_version_variant_and_time():
    before = now_ms()
    value = uuid7()
    after = now_ms()
    u = uuid.UUID(value)
    assert u.version == 7 and u.variant == uuid.RFC_4122
    assert before <= uuid7_time_ms(value) <= after


def test_ids_made_in_a_burst_sort_in_creation_order_and_are_unique():
    ids = [uuid7() for _ in range(20000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


@given(st.integers(min_value=0, max_value=2**48 - 1))
def test_explicit_time_round_trips(ms):
    assert uuid7_time_ms(uuid7(ms)) == ms
