"""The changes feed's order without a lock around writes: (transaction id, row id), read below a horizon.

Row ids come from a sequence when a row is inserted, so two concurrent transactions can commit out of id order: a
reader paging by id could step past a row that commits later with a lower id. Every Activity row also records the
64-bit id of the transaction that wrote it (`Activity.transaction`, PostgreSQL's pg_current_xact_id()). The feed
is ordered by (transaction, id) and only shows rows whose transaction lies below a *horizon*: the lowest
transaction id still running in this database (or, if none, the next id to be assigned). A row that becomes
visible later belongs to a transaction that was running (at or above the horizon) or had not started (above it),
so it can only ever sort after what a reader has already been shown.

The horizon is computed in two steps, in this order: the server's snapshot (pg_current_snapshot: the running
transactions of the whole cluster, and the next id), then this database's running transactions
(pg_stat_activity.backend_xid). A transaction of this database that started before the snapshot and is still
running is in both; the lowest of those, or the snapshot's next id, is the horizon. Transactions of other
databases on the same server are ignored, so they never hold the feed back. The reader's own transaction is left
out too, and its own rows shown (only tests read the feed in the transaction that wrote).

A long write (an import of 100,000 rows) holds the horizon at its own id until it commits: changes made meanwhile
by others are committed and answered at once, but appear in the feed after the import's rows, when it ends.

SQLite serialises writers: every row's transaction is 0 and the order is the id's; there is no horizon.
"""

from django.db import connection

NO_HORIZON = None


def feed_horizon() -> tuple[int | None, int | None]:
    """(horizon, own transaction id or None): rows with transaction < horizon, or = own, are final.

    (None, None) on databases other than PostgreSQL: every committed row is final.
    """
    if connection.vendor != "postgresql":
        return NO_HORIZON, None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmax(s)::text::bigint, ARRAY(SELECT pg_snapshot_xip(s)::text::bigint), "
                       "pg_current_xact_id_if_assigned()::text::bigint FROM pg_current_snapshot() AS s")
        next_id, running, own = cursor.fetchone()
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # pg_stat_activity is read once per transaction
        cursor.execute("SELECT backend_xid::text::bigint FROM pg_stat_activity "
                       "WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()")
        here = {row[0] for row in cursor.fetchall()}  # 32-bit ids: compared with the low 32 bits of the 64-bit ones
    running_here = [xid for xid in running if xid % 2**32 in here and xid != own]
    return min([next_id, *running_here]), own
