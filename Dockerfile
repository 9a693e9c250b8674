# The Zava MCP server over streamable HTTP, for a team's own PostgreSQL (no embedded database).
#   docker build -t zava .                                        # embeddings from OpenAI/Azure
#   docker build -t zava --build-arg EXTRAS=local-embeddings --build-arg TORCH_INDEX=<cpu wheels> .
# Configuration: environment variables, see docs/operations.md. Run migrations from a checkout
# (`zava db migrate` with the administrator URL); the image serves only.

FROM python:3.11-slim AS build
ARG EXTRAS=openai
# With the local model, the package index of PyTorch's CPU-only wheels: an unpinned torch from
# the default index can be a multi-gigabyte GPU build.
ARG TORCH_INDEX=
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY zava_core ./zava_core
COPY zava_mcp_adapter ./zava_mcp_adapter
RUN python -m venv /opt/zava \
 && if [ "$EXTRAS" = "local-embeddings" ]; then \
      if [ -n "$TORCH_INDEX" ]; then /opt/zava/bin/pip install --index-url "$TORCH_INDEX" torch; fi; \
    fi \
 && /opt/zava/bin/pip install ".[${EXTRAS}]"

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /home/zava --create-home zava
COPY --from=build /opt/zava /opt/zava
ENV PATH=/opt/zava/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    ZAVA_HOST=0.0.0.0 \
    ZAVA_PORT=8000 \
    ZAVA_LOG_FORMAT=json \
    ZAVA_DATA_DIR=/home/zava/data
USER zava
WORKDIR /home/zava
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=3).status == 200 else 1)"
CMD ["zava", "serve"]
