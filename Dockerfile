# coveragebot: one image for bot shards and import workers (see compose.yaml).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml setup.py README.md ./
COPY coveragebot coveragebot
COPY bot bot
COPY index index
COPY config config
RUN pip install --no-cache-dir .
# Each container keeps its own search index (a replica of the store) under /data.
ENV XDG_DATA_HOME=/data
VOLUME /data
ENTRYPOINT ["coveragebot"]
CMD ["run"]
