# syntax=docker/dockerfile:1
# One image for the web processes (gunicorn + uvicorn, ASGI) and the Celery workers; see docker-compose.yml.

# Compile the translations (.po -> .mo) without shipping gettext in the final image.
FROM python:3.11-slim AS messages
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The wildcard lets the build succeed even when locale/ does not exist.
COPY locale[e] ./locale/
RUN mkdir -p locale \
    && find locale -name '*.po' | while read -r po; do msgfmt --check-format -o "${po%.po}.mo" "$po"; done

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    DJANGO_MEDIA_ROOT=/app/media

# Shared libraries WeasyPrint loads at run time (Pango, HarfBuzz subsetting) and a font for the PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 app
WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

# Only the application is copied: no .venv, .env, SQLite database or media from the build machine.
# Every app of INSTALLED_APPS is listed (tests/core/test_deploy_files.py checks it).
COPY --chown=app:app manage.py ./
COPY --chown=app:app config ./config
COPY --chown=app:app core ./core
COPY --chown=app:app tenancy ./tenancy
COPY --chown=app:app planning ./planning
COPY --chown=app:app assessments ./assessments
COPY --chown=app:app listening ./listening
COPY --chown=app:app experience ./experience
COPY --chown=app:app kpis ./kpis
COPY --chown=app:app roadmaps ./roadmaps
COPY --chown=app:app workshops ./workshops
COPY --chown=app:app sync ./sync
COPY --chown=app:app sharing ./sharing
COPY --chown=app:app versions ./versions
COPY --chown=app:app library ./library
COPY --chown=app:app sso ./sso
COPY --chown=app:app demo ./demo
COPY --chown=app:app identity ./identity
COPY --chown=app:app templates ./templates
COPY --chown=app:app static ./static
COPY --from=messages --chown=app:app /src/locale ./locale

# staticfiles/ is written by collectstatic when the web container starts; media/ is a shared volume.
RUN mkdir -p /app/staticfiles /app/media && chown app:app /app /app/staticfiles /app/media

USER app
EXPOSE 8000
# Several ASGI processes (uvicorn workers under gunicorn; WEB_CONCURRENCY, default one per core): config/gunicorn.conf.py.
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.asgi:application"]
