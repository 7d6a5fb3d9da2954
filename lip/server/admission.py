"""Who is calling and how much they may: one request's access and limits.

Every endpoint first asks :meth:`Admission.identify` who the request speaks
for (:mod:`lip.access`: open, client keys or OIDC; a 401 otherwise). A
generate call is then :meth:`Admission.admit`-ted: the principal may use the
model and route it names (a 403 otherwise), its budget is not spent, and its
rate, token and concurrency limits have room (:mod:`lip.limits`; a 429 with a
retry hint otherwise). The :class:`Pass` it returns takes the reply's
usage; when the call ends, :meth:`Pass.close` settles the token estimate
against the real count, charges the budget and frees the concurrency slot.
All errors are canonical, so each endpoint answers in its client's protocol.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.types import Scope

from lip.access import Access, Principal
from lip.canonical import Call, Usage, estimate_input_tokens
from lip.limits import Budgets, Limiter, Ticket
from lip.protocols.base import RequestContext
from lip.server.requestid import record_of

log = logging.getLogger("lip.server")


class Admission:
    """The access policy, limiter and budgets of one running server."""

    def __init__(self, access: Access, limiter: Limiter, budgets: Budgets) -> None:
        self.access = access
        self.limiter = limiter
        self.budgets = budgets
        # Settling in-process stores never suspends, so nothing can interrupt
        # it; a remote store's settle is shielded (a task of its own).
        self.shield = limiter.remote or budgets.remote

    async def identify(self, scope: Scope, context: RequestContext) -> Principal:
        """The request's principal, noted as the client of its record (when
        observed); raises ``AuthenticationError`` (401)."""
        client = scope.get("client")
        principal = await self.access.authenticate(
            context.headers, context.query, client[0] if client else None
        )
        record = record_of(scope)
        if record is not None:
            record.client = principal.subject
        return principal

    def allows(self, principal: Principal, model: str) -> bool:
        """May ``principal`` use ``model`` (for model listings)?"""
        try:
            self.access.authorize(principal, model, None)
        except Exception:
            return False
        return True

    async def admit(self, principal: Principal, call: Call) -> Pass | None:
        """Check ``call`` against the principal's rights, budget and limits;
        ``None`` when nothing about it needs settling afterwards."""
        self.access.authorize(principal, call.model, call.route)
        limits, budget = principal.limits, principal.budget
        if limits is None and budget is None:
            return None
        subject = principal.subject
        if budget is not None:
            await self.budgets.check(subject, budget)
        ticket: Ticket | None = None
        if limits is not None:
            estimate = estimate_input_tokens(call) if limits.tpm is not None else 0
            ticket = await self.limiter.admit(subject, limits, estimate)
        return Pass(self, subject, ticket, charged=budget is not None, model=call.model)

    async def aclose(self) -> None:
        await self.limiter.aclose()
        await self.budgets.aclose()


class Pass:
    """An admitted call's ticket and the usage its reply reported."""

    __slots__ = ("_admission", "_charged", "_closed", "_subject", "_ticket", "model", "usage")

    def __init__(
        self,
        admission: Admission,
        subject: str,
        ticket: Ticket | None,
        *,
        charged: bool,
        model: str,
    ) -> None:
        self._admission = admission
        self._subject = subject
        self._ticket = ticket
        self._charged = charged
        self._closed = False
        self.model = model
        """The model the reply named (priced by the budget), else the one asked for."""
        self.usage: Usage | None = None

    def take(self, usage: Usage | None, model: str | None) -> None:
        """Take note of the usage a batch of the reply reported and the model
        it named (either may be absent)."""
        if usage is not None:
            self.usage = usage if self.usage is None else self.usage.merged(usage)
        if model:
            self.model = model

    async def close(self) -> None:
        """Settle, charge and release; never raises (the reply is already out)."""
        if self._closed:
            return
        self._closed = True
        if self._admission.shield:
            # A client that leaves (or a shutdown) cancels the exchange, and an
            # interrupted release would hold a concurrency slot.
            await asyncio.shield(self._settle())
        else:
            await self._settle()

    async def _settle(self) -> None:
        admission, ticket, usage = self._admission, self._ticket, self.usage
        try:
            if ticket is not None:
                total = None if usage is None else usage.total_tokens or 0
                await admission.limiter.finish(ticket, total)
            if self._charged and usage is not None:
                await admission.budgets.charge(self._subject, self.model, usage)
        except Exception:
            log.exception("settling the limits of %s failed", self._subject)


__all__ = ["Admission", "Pass"]
