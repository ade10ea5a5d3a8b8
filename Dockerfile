# SEPEDA BARU in a container: the same program as docs/deploy.md, for offices that use Docker.
# Not built or run in this project's CI (its machines cannot pull images); the guide is the
# tested path. Web: `sepeda serve`; worker: `sepeda worker` (see compose.yaml).
FROM python:3.11-slim-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng poppler-utils postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /srv/sepeda --create-home sepeda

COPY . /opt/sepeda-baru
RUN pip install --no-cache-dir /opt/sepeda-baru

USER sepeda
WORKDIR /srv/sepeda
ENV SEPEDA_DATA_DIR=/srv/sepeda/data \
    SEPEDA_LOG_FORMAT=json
VOLUME /srv/sepeda/data
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health')"
CMD ["sepeda", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--no-worker"]
