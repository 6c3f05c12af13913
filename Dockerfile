# One image for every part: bot, api, scheduler, migrate.
FROM python:3.11-slim AS build
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml README.md babel.cfg ./
COPY src ./src
COPY locales ./locales
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install . \
 && /opt/venv/bin/pybabel compile -d locales -D messages

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 wzt
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app/locales ./locales
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    WZT_LOCALES_DIR=/app/locales \
    WZT_API_HOST=0.0.0.0 \
    WZT_LOG_JSON=true
USER wzt
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=3)" || exit 1
ENTRYPOINT ["wzt-bot"]
CMD ["run"]
