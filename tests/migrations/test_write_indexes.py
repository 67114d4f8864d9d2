"""The tables a bulk import writes a row to per input row keep no index that another index already covers: every
index is one more b-tree to maintain on each insert (issue 16: a 100,000-row feedback import kept 10). Each foreign
key is still the first column of some index, so deleting a plan, touchpoint or response finds its rows."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

BULK_WRITTEN = ["assessments_feedbackresponse", "assessments_feedbackday", "assessments_feedbackplanday",
                "assessments_feedbacktotal", "assessments_verbatimtheme", "assessments_verbatimtag",
                "planning_activity", "listening_mention"]

INDEXES = """
    SELECT i.relname, ix.indisunique, ix.indpred IS NOT NULL,
           ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
                 JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.n)
    FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
    WHERE t.relname = %s AND NOT ix.indisprimary
"""
FOREIGN_KEYS = """
    SELECT a.attname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
    WHERE t.relname = %s AND c.contype = 'f'
"""


def indexes_of(table: str) -> list[tuple[str, bool, bool, list[str]]]:
    with connection.cursor() as cursor:
        cursor.execute(INDEXES, [table])
        return cursor.fetchall()


def foreign_keys_of(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(FOREIGN_KEYS, [table])
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("reads PostgreSQL's catalogue (CI runs it on PostgreSQL)")


@pytest.mark.parametrize("table", BULK_WRITTEN)
def test_no_index_is_a_prefix_of_another(table):
    indexes = indexes_of(table)
    assert indexes, f"{table} not found"
    covered = [
        f"{name} {columns} is the start of {other} {other_columns}"
        for name, unique, partial, columns in indexes if not unique and not partial
        for other, _unique, other_partial, other_columns in indexes
        if other != name and not other_partial and len(other_columns) > len(columns)
        and other_columns[:len(columns)] == columns
    ]
    assert covered == []


@pytest.mark.parametrize("table", BULK_WRITTEN)
def test_every_foreign_key_leads_an_index(table):
    leading = {columns[0] for _name, _unique, partial, columns in indexes_of(table) if not partial}
    assert set(foreign_keys_of(table)) - leading == set()
