"""The image and the compose file ship what production runs: every app of ours, and the multi-process web command."""

import re

from django.apps import apps
from django.conf import settings

DOCKERFILE = (settings.BASE_DIR / "Dockerfile").read_text()
COMPOSE = (settings.BASE_DIR / "docker-compose.yml").read_text()
WEB_COMMAND = "gunicorn -c config/gunicorn.conf.py config.asgi:application"


def test_the_image_copies_every_app_of_ours():
    ours = {config.name.split(".")[0] for config in apps.get_app_configs()
            if (settings.BASE_DIR / config.name.split(".")[0]).is_dir()}
    copied = set(re.findall(r"^COPY --chown=app:app (\w+) \./\1$", DOCKERFILE, flags=re.MULTILINE))
    assert ours <= copied, f"apps missing from the Dockerfile: {sorted(ours - copied)}"
    assert {"config", "templates", "static"} <= copied


def test_the_image_and_compose_run_the_multi_process_web_command():
    assert 'CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.asgi:application"]' in DOCKERFILE
    assert f"exec {WEB_COMMAND}" in COMPOSE
    assert "daphne" not in DOCKERFILE + COMPOSE
