"""An HTTP request lives only as long as its client: ASGI middleware that cancels the handling of
a request when the client disconnects, and ends a request whose body never arrives.

uvicorn does not cancel an application when its client goes away; it only answers the next
``receive()`` with ``http.disconnect``. Nobody calls ``receive()`` while a tool runs, so a query
would run on for as long as the statement timeout allows and keep the principal's slots. This
middleware reads the body itself (with a deadline), hands it to the application, and then watches
the connection: a disconnect cancels the application, and cancelling the awaiting task cancels the
query in PostgreSQL (asyncpg sends the server a cancel request).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from contextvars import ContextVar
from typing import TypeVar

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CancelOnDisconnect", "client_gone", "until_client_gone"]

T = TypeVar("T")

#: Set while an HTTP request is handled: the event fires when its client disconnects. The SDK
#: carries context variables from the request's task to the handler's task with each message.
client_gone: ContextVar[anyio.Event | None] = ContextVar("zava_client_gone", default=None)

#: A request body that has not fully arrived by then is abandoned (a short body held open).
BODY_DEADLINE_SECONDS = 10.0


class CancelOnDisconnect:
    def __init__(self, app: ASGIApp, body_deadline_seconds: float = BODY_DEADLINE_SECONDS) -> None:
        self._app = app
        self._body_deadline = body_deadline_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        body: list[Message] = []
        with anyio.move_on_after(self._body_deadline) as deadline:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return  # gone before it finished asking: nothing to do
                body.append(message)
                if not message.get("more_body", False):
                    break
        if deadline.cancelled_caught:
            await _request_timeout(send)
            return
        gone = anyio.Event()
        reset = client_gone.set(gone)

        async def replay() -> Message:
            if body:
                return body.pop(0)
            await gone.wait()
            return {"type": "http.disconnect"}

        async with anyio.create_task_group() as group:

            async def watch() -> None:
                while (await receive())["type"] != "http.disconnect":
                    pass
                gone.set()
                group.cancel_scope.cancel()

            group.start_soon(watch)
            try:
                await self._app(scope, replay, send)
            finally:
                client_gone.reset(reset)
            group.cancel_scope.cancel()


async def until_client_gone(work: Awaitable[T]) -> T:
    """Await ``work``, cancelling it if this HTTP request's client disconnects first.

    One plain asyncio cancellation of the task that runs it, so the unit of work can still roll
    back and hand its connection back; the driver cancels the running query in PostgreSQL.
    Outside an HTTP request (stdio, tests) this is just ``await work``.
    """
    gone = client_gone.get()
    if gone is None:
        return await work
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(gone.wait())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
    if not task.done():
        task.cancel()
    return await task


async def _request_timeout(send: Send) -> None:
    payload = {
        "jsonrpc": "2.0",
        "id": None,
        "error": {"code": -32600, "message": "The request body did not arrive in time; send the whole body."},
    }
    content = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 408,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(content)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": content})
