"""Settings the bench runs with (in-process and under gunicorn): production-like, plus the bench URLs.

The database is DATABASE_URL (PostgreSQL) or, by default, a SQLite file of its own in bench/results/ — never the
development database. DEBUG is off (it keeps every query in memory), throttling stays on but with rates a load
test never reaches, so its cost is measured without 429s.
"""

import os
import tempfile
from pathlib import Path

BENCH_SQLITE = Path(__file__).resolve().parent / "results" / "bench.sqlite3"
BENCH_SQLITE.parent.mkdir(exist_ok=True)  # bench/results/ is not in git: a fresh clone has none
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_SQLITE}")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "journeys-bench-media"))

from config.settings.base import *  # noqa: E402, F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
API_THROTTLE_ANON = API_THROTTLE_USER = API_THROTTLE_TOKEN = "100000000/min"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
