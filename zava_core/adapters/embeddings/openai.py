"""OpenAI and Azure OpenAI embeddings through the ``openai`` package.

Requests go out in batches; rate limits (429), timeouts, connection errors and 5xx answers are
retried by tenacity with jittered exponential back-off that honours ``Retry-After``. The client's
own retries are off, so there is one retry policy, not two multiplied. Errors that retrying
cannot fix become clear ``ConfigurationError``s naming the setting to change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import openai
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from zava_core.domain.errors import ConfigurationError, ResourceLimitExceeded, ValidationError

__all__ = ["DEFAULT_OPENAI_MODEL", "KNOWN_DIMENSIONS", "OpenAIEmbeddingProvider"]

DEFAULT_OPENAI_MODEL = "text-embedding-3-small"
KNOWN_DIMENSIONS = {"text-embedding-3-small": 1536, "text-embedding-3-large": 3072, "text-embedding-ada-002": 1536}
#: The API takes up to 2048 inputs per request; 256 keeps each request well under its token cap.
DEFAULT_BATCH = 256
_RETRYABLE = (openai.RateLimitError, openai.APITimeoutError, openai.APIConnectionError, openai.InternalServerError)


class _Backoff:
    """Wait what the server asked for (``Retry-After``), else jittered exponential back-off."""

    def __init__(self, initial: float, maximum: float) -> None:
        self._exponential = wait_random_exponential(multiplier=initial, max=maximum)
        self._maximum = maximum

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        response = getattr(exc, "response", None)
        header = response.headers.get("retry-after") if response is not None else None
        if header is not None:
            try:
                return min(max(float(header), 0.0), self._maximum)
            except ValueError:
                pass
        return float(self._exponential(state))


class OpenAIEmbeddingProvider:
    """Embeds through ``client`` (an ``AsyncOpenAI`` or ``AsyncAzureOpenAI``).

    ``model`` is what the request names: the model for OpenAI, the deployment for Azure.
    ``model_id`` records the model itself, so that switching between OpenAI and Azure for the
    same model keeps the stored vectors valid.
    """

    def __init__(
        self,
        client: Any,
        *,
        model: str,
        model_id: str,
        dimensions: int,
        request_dimensions: bool = False,
        batch_size: int = DEFAULT_BATCH,
        max_attempts: int = 6,
        initial_wait: float = 0.5,
        max_wait: float = 30.0,
        service: str = "OpenAI",
    ) -> None:
        self._client = client
        self._model = model
        self._model_id = model_id
        self._dimensions = dimensions
        self._request_dimensions = request_dimensions
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._wait = _Backoff(initial_wait, max_wait)
        self._service = service

    @classmethod
    def for_openai(
        cls,
        *,
        api_key: str | None,
        base_url: str | None = None,
        model: str | None = None,
        dimensions: int | None = None,
        **options: Any,
    ) -> OpenAIEmbeddingProvider:
        if not api_key:
            raise ConfigurationError(
                "The OpenAI embedding provider needs an API key.",
                hint="Set ZAVA_OPENAI_API_KEY, or ZAVA_EMBEDDING_PROVIDER=local for the bundled offline model.",
            )
        model = model or DEFAULT_OPENAI_MODEL
        client = openai.AsyncOpenAI(api_key=api_key, base_url=base_url, max_retries=0, timeout=30.0)
        dims, explicit = _dimensions(model, dimensions)
        return cls(
            client, model=model, model_id=f"openai/{model}", dimensions=dims, request_dimensions=explicit, **options
        )

    @classmethod
    def for_azure(
        cls,
        *,
        endpoint: str | None,
        api_key: str | None,
        api_version: str,
        deployment: str | None,
        model: str | None = None,
        dimensions: int | None = None,
        **options: Any,
    ) -> OpenAIEmbeddingProvider:
        missing = [
            name
            for name, value in (
                ("ZAVA_AZURE_OPENAI_ENDPOINT", endpoint),
                ("ZAVA_AZURE_OPENAI_DEPLOYMENT", deployment),
                ("ZAVA_OPENAI_API_KEY", api_key),
            )
            if not value
        ]
        if missing:
            raise ConfigurationError(
                f"The Azure OpenAI embedding provider needs {', '.join(missing)}.",
                hint="Set them, or ZAVA_EMBEDDING_PROVIDER=local for the bundled offline model.",
            )
        model = model or DEFAULT_OPENAI_MODEL
        client = openai.AsyncAzureOpenAI(
            azure_endpoint=endpoint or "", api_key=api_key, api_version=api_version, max_retries=0, timeout=30.0
        )
        dims, explicit = _dimensions(model, dimensions)
        return cls(
            client,
            model=deployment or model,
            model_id=f"openai/{model}",
            dimensions=dims,
            request_dimensions=explicit,
            service="Azure OpenAI",
            **options,
        )

    @property
    def model_id(self) -> str:
        return self._model_id if not self._request_dimensions else f"{self._model_id}@{self._dimensions}"

    @property
    def dimensions(self) -> int:
        return self._dimensions

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self._batch_size):
            vectors.extend(await self._embed_batch(list(texts[start : start + self._batch_size])))
        return vectors

    async def _embed_batch(self, batch: list[str]) -> list[list[float]]:
        options: dict[str, Any] = {"dimensions": self._dimensions} if self._request_dimensions else {}
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(_RETRYABLE),
            wait=self._wait,
            stop=stop_after_attempt(self._max_attempts),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    response = await self._client.embeddings.create(input=batch, model=self._model, **options)
        except openai.AuthenticationError:
            raise ConfigurationError(
                f"{self._service} refused the API key (401 Unauthorized).",
                hint="Check ZAVA_OPENAI_API_KEY (and for Azure, that the key belongs to ZAVA_AZURE_OPENAI_ENDPOINT).",
            ) from None
        except openai.PermissionDeniedError:
            raise ConfigurationError(
                f"{self._service} denied access to {self._model!r} (403).", hint="Give the key access to the model."
            ) from None
        except openai.NotFoundError:
            raise ConfigurationError(
                f"{self._service} does not know the model or deployment {self._model!r} (404).",
                hint="Check ZAVA_EMBEDDING_MODEL (OpenAI) or ZAVA_AZURE_OPENAI_DEPLOYMENT (Azure), and the base URL.",
            ) from None
        except openai.RateLimitError:
            raise ResourceLimitExceeded(
                f"{self._service} kept answering 429 (rate limit) after {self._max_attempts} attempts.",
                hint="Wait a minute and retry, or raise the deployment's tokens-per-minute quota.",
            ) from None
        except (openai.APITimeoutError, openai.APIConnectionError, openai.InternalServerError):
            raise ConfigurationError(
                f"{self._service} could not be reached after {self._max_attempts} attempts.",
                hint="Check the network and ZAVA_OPENAI_BASE_URL / ZAVA_AZURE_OPENAI_ENDPOINT.",
            ) from None
        except openai.BadRequestError as exc:
            raise ValidationError(f"{self._service} refused the embedding request: {exc.message}") from None
        data = sorted(response.data, key=lambda item: item.index)
        vectors = [list(item.embedding) for item in data]
        if len(vectors) != len(batch) or any(len(v) != self._dimensions for v in vectors):
            raise ConfigurationError(
                f"{self._service} returned vectors of {len(vectors[0]) if vectors else 0} dimensions for "
                f"{self._model!r}; {self._dimensions} were expected.",
                hint="Set ZAVA_EMBEDDING_DIMENSIONS to the model's size.",
            )
        return vectors


def _dimensions(model: str, configured: int | None) -> tuple[int, bool]:
    """The vector size, and whether to ask the API for it (text-embedding-3 models shorten)."""
    native = KNOWN_DIMENSIONS.get(model)
    if configured is None:
        if native is None:
            raise ConfigurationError(
                f"The size of {model!r}'s vectors is unknown.", hint="Set ZAVA_EMBEDDING_DIMENSIONS."
            )
        if native > 2000:
            raise ConfigurationError(
                f"{model!r} makes {native}-dimensional vectors; pgvector's HNSW index takes at most 2000.",
                hint="Set ZAVA_EMBEDDING_DIMENSIONS=1536 (text-embedding-3 models can shorten their vectors).",
            )
        return native, False
    if native is None or configured == native:
        return configured, False
    if not model.startswith("text-embedding-3"):
        raise ConfigurationError(
            f"Only text-embedding-3 models can shorten their vectors; {model!r} makes {native}.",
            hint="Unset ZAVA_EMBEDDING_DIMENSIONS.",
        )
    return configured, True
