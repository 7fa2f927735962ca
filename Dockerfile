# syntax=docker/dockerfile:1
# Multi-stage: build wheels of the dependencies, then a slim runtime image that runs as a non-root user.

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY domain ./domain
COPY sandbox ./sandbox
COPY migrations ./migrations
RUN pip wheel --wheel-dir /wheels .

FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    DATA_DIR=/data SECRET_KEY_FILE=/keys/secret.key DATABASE_URL=sqlite+aiosqlite:////data/bot.db WEBHOOK_HOST=0.0.0.0 WEBHOOK_PORT=8080
RUN groupadd --system bot && useradd --system --gid bot --home-dir /app --shell /usr/sbin/nologin bot \
    && mkdir -p /data /keys && chown bot:bot /data /keys
WORKDIR /app
COPY --from=build /wheels /wheels
# Dependencies from the wheels; the project itself stays a source tree so locales/ and migrations/ sit beside it.
RUN pip install /wheels/*.whl && pip uninstall -y client-area-bot && rm -rf /wheels
COPY --chown=bot:bot pyproject.toml alembic.ini README.md ./
COPY --chown=bot:bot bot ./bot
COPY --chown=bot:bot handlers ./handlers
COPY --chown=bot:bot domain ./domain
COPY --chown=bot:bot sandbox ./sandbox
COPY --chown=bot:bot migrations ./migrations
COPY --chown=bot:bot locales ./locales
COPY --chown=bot:bot catalogue ./catalogue
USER bot
# The generated secrets key lives apart from the data: back up the two volumes separately.
VOLUME ["/data", "/keys"]
EXPOSE 8080
# Migrations run on every start (bot/app.py upgrades the database before serving).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os,urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('WEBHOOK_PORT','8080'), timeout=4).status == 200 else 1)"
ENTRYPOINT ["python", "-m", "bot"]
CMD ["webhook"]
