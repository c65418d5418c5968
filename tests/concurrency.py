"""Run calls at the same moment in threads with their own PostgreSQL connections (race tests)."""

import threading
import time

from django.db import connection, transaction


def waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing the first snapshot of pg_stat_activity.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def race(calls, *, hold_row=None):
    """Run the calls in threads with their own connections, released together by a barrier.
    With `hold_row` (a queryset of one row), the main thread holds that row locked until every
    thread is blocked on it: all of them are provably at the deciding statement together."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - the outcome is what we test
            results[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    if hold_row is None:
        for t in threads:
            t.start()
    else:
        with transaction.atomic():
            hold_row.select_for_update().get()
            for t in threads:
                t.start()
            deadline = time.monotonic() + 10
            while waiting_on_locks() < len(calls):
                assert time.monotonic() < deadline, "threads never met at the lock"
                time.sleep(0.005)
    for t in threads:
        t.join(timeout=30)
        assert not t.is_alive()
    return results
