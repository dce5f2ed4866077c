# syntax=docker/dockerfile:1
# SCO Trade API image: `docker compose up` runs it with PostgreSQL (see docker-compose.yml).
# Two stages: the builder makes a virtualenv pinned by constraints.txt; the final image gets
# that venv and the source tree, and no compiler, pip cache or build backend.

FROM python:3.11-slim-bookworm AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
WORKDIR /app
# Dependencies first, so that a code change does not reinstall them: the project metadata and
# an empty `app` package are enough for pip to resolve and install every runtime dependency.
# Editable install: the venv only points at /app/app, where the final stage puts the source,
# so app/db/migrations.py finds migrations/ beside app/ (its PROJECT_ROOT is /app), and
# app/seed.py finds seed_data/ the same way. Runtime dependencies only (no `[dev]`), every
# version pinned by constraints.txt.
COPY pyproject.toml constraints.txt README.md ./
RUN mkdir app && touch app/__init__.py \
    && pip install --constraint constraints.txt --editable . \
    && pip uninstall --yes pip setuptools wheel

FROM python:3.11-slim-bookworm AS runtime
LABEL org.opencontainers.image.title="sco-trade-api" \
      org.opencontainers.image.description="Open-data REST API for SCO trade statistics and trade meetings" \
      org.opencontainers.image.licenses="MIT"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PORT=8000 \
    SCO_WORKERS=2
# A fixed numeric id, so that orchestrators can check `runAsNonRoot` without reading /etc/passwd.
RUN groupadd --system --gid 10001 sco \
    && useradd --system --uid 10001 --gid sco --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin sco
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
# The code stays owned by root (the server cannot rewrite it); only data/ (the SQLite default,
# when no DATABASE_URL is given) is the server's to write.
COPY alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY seed_data ./seed_data
RUN python -m compileall -q app migrations \
    && mkdir data && chown sco:sco data
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "app.entrypoint", "healthcheck"]
ENTRYPOINT ["python", "-m", "app.entrypoint"]
CMD ["serve"]
