"""The production web command on every core: gunicorn with uvicorn workers (config/gunicorn.conf.py, ASGI) serving the
journey map page and an API list, with one process and with two, at the same concurrency, in the same run.

Ratio = requests/s with two processes ÷ with one: near 2 on two idle cores; 1 would mean one core serves everything
(as a single daphne process did)."""

from contextlib import nullcontext

from bench.cases.http_load import _get, gunicorn, load, session_cookie, targets_of
from bench.report import Row

PROCESSES = (1, 2)
CONCURRENCY = 8
OPTIONS = ("-c", "config/gunicorn.conf.py")


def run(ctx) -> list[Row]:
    cookie, targets = session_cookie(ctx), targets_of(ctx)
    requests, seconds = (8, 3) if ctx.ci else (300, 15)
    results: dict[tuple[str, int], dict] = {}
    for processes in PROCESSES:
        with _server(ctx, processes) as url:
            for name, path in targets:
                assert _get(url, path, cookie) == 200, (path, processes)
                load(url, path, cookie, concurrency=CONCURRENCY, requests=processes * 8, seconds=seconds)  # warm-up
                ctx.log(f"  ASGI, {processes} process(es): {name}")
                results[name, processes] = load(url, path, cookie, concurrency=CONCURRENCY, requests=requests,
                                                seconds=seconds)
    rows = []
    for name, _path in targets:
        one, two = results[name, 1], results[name, 2]
        errors = one["errors"] + two["errors"]
        rows.append(Row(
            case=f"ASGI web command{' (in-process test server)' if ctx.server_url else ''}, 2 processes vs 1, "
                 f"concurrency {CONCURRENCY}: {name}",
            figure=f"{two['rps']:.1f} req/s · p95 {two['p95'] * 1000:.0f} ms ({two['count']} requests)"
                   + (f" · {errors} errors" if errors else ""),
            baseline=f"1 process: {one['rps']:.1f} req/s · p95 {one['p95'] * 1000:.0f} ms ({one['count']} requests)",
            ratio=two["rps"] / one["rps"] if one["rps"] else None,
            target="—" if ctx.ci else "≥ 1.5× (2 cores)",
            met=None if ctx.ci else (not errors and two["rps"] >= 1.5 * one["rps"]),
            details={"one": one, "two": two, "concurrency": CONCURRENCY},
        ))
    return rows


def _server(ctx, processes: int):
    """The production command with `processes` workers; the smoke test's in-process server when it gives one."""
    if ctx.server_url:
        return nullcontext(ctx.server_url)
    return gunicorn(ctx, app="config.asgi:application", options=OPTIONS, workers=processes)
