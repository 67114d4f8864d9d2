"""The benchmark suite (`make bench`): a generated data set, cases measured against baselines in the same run,
and a Markdown + JSON report in bench/results/.

- dataset.py   the deterministic data set (also `manage.py bench_dataset`);
- run.py       the command line: builds or reuses the data set, runs every case, writes the report;
- measure.py   timing (warm-up, median, p95, interleaved runs), query counting, profiles;
- report.py    rows, targets and the Markdown/JSON output;
- cases/       one module per group of figures;
- settings.py, urls.py   what the bench runs Django and gunicorn with (a no-op view beside the product's URLs).
"""
