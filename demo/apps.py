from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`seed_demo` (the demo organisation) and `bench_dataset` (the benchmark data set): commands that fill every
    app, so they sit on top of all of them."""

    name = "demo"
    verbose_name = "Demo data"
