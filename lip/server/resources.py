"""The endpoint of :attr:`Operation.RESOURCE` routes: what a frontend keeps between
requests (a stored response), read or removed with no upstream involved."""

from __future__ import annotations

import logging

from starlette.types import Receive, Scope, Send

from lip.canonical import InternalError, LipError
from lip.protocols.base import Frontend
from lip.server.exchange import Disconnected, read_request, send_reply
from lip.server.requestid import request_id_of
from lip.server.runtime import Runtime

log = logging.getLogger("lip.server")


class ResourceEndpoint:
    """ASGI app for e.g. ``GET /v1/responses/{response_id}``."""

    def __init__(self, frontend: Frontend, runtime: Runtime) -> None:
        self.frontend = frontend
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The middleware's id, so the protocol's header matches x-lip-request-id.
        request_id = request_id_of(scope)
        try:
            context = await read_request(scope, receive, self.runtime)
            await self.runtime.admission.identify(scope, context)
            reply = self.frontend.resource(context)
        except LipError as exc:
            reply = self.frontend.encode_error(exc)
        except Disconnected:
            return
        except Exception:
            log.exception("request %s: %s %s failed", request_id, scope["method"], scope["path"])
            reply = self.frontend.encode_error(InternalError("internal error"))
        await send_reply(send, reply, request_id, self.frontend)


__all__ = ["ResourceEndpoint"]
