# syntax=docker/dockerfile:1
# SCO Trade API image: `docker compose up` runs it with PostgreSQL (see docker-compose.yml).
# Two stages: the builder installs the package into a virtualenv, every dependency pinned by
# constraints.txt; the final image gets that venv alone, and no source tree, compiler, pip
# cache or build backend.

FROM python:3.11-slim-bookworm AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
WORKDIR /src
# Dependencies first, so that a code change does not reinstall them: the runtime dependencies
# listed in pyproject.toml (no `[dev]`), every version pinned by constraints.txt.
COPY pyproject.toml constraints.txt ./
RUN python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"], sep="\n")' > requirements.txt \
    && pip install --constraint constraints.txt --requirement requirements.txt
# Then the package itself, as a normal (not editable) install: the migrations and the seed
# data travel inside it (pyproject.toml maps them into `app`), so it needs no source tree.
COPY README.md ./
COPY app ./app
COPY migrations ./migrations
COPY seed_data ./seed_data
RUN pip install --no-deps . \
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
# The package (code, migrations, seed data) is in the venv, owned by root: the server cannot
# rewrite it. /app is the working folder; only its data/ (the SQLite default, when no
# DATABASE_URL is given) is the server's to write.
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
RUN mkdir data && chown sco:sco data
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "app.entrypoint", "healthcheck"]
ENTRYPOINT ["python", "-m", "app.entrypoint"]
CMD ["serve"]
