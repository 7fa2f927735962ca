"""The CA's problem documents as typed domain errors: each says, in the customer's language, what happened and
what to do next. `problem_error` picks the class for an RFC 8555 error code; the CA's own words stay in `detail`
for the history (staff read them), never in what the customer is shown."""

from __future__ import annotations

from typing import Any

from domain.acme.port import Problem
from domain.errors import DomainError


class AcmeError(DomainError):
    """Anything the ACME CA refused or could not do; `code` is the RFC 8555 error code (or ours: unreachable,
    timeout), `detail` the CA's text."""

    message_id = "acme-error-other"

    def __init__(self, problem: Problem | None = None, **args: Any) -> None:
        self.problem = problem or Problem("other")
        args.setdefault("name", self.problem.name or "")
        super().__init__(None, **args)

    @property
    def code(self) -> str:
        return self.problem.code

    @property
    def detail(self) -> str:
        return self.problem.detail


class RateLimited(AcmeError):
    message_id = "acme-error-rate-limited"


class RejectedIdentifier(AcmeError):
    message_id = "acme-error-rejected-identifier"


class CaaForbids(AcmeError):
    message_id = "acme-error-caa"


class DnsProblem(AcmeError):
    message_id = "acme-error-dns"


class ConnectionProblem(AcmeError):
    message_id = "acme-error-connection"


class Unauthorized(AcmeError):
    """The CA looked and did not find what the challenge asked for (the record or the file changed)."""

    message_id = "acme-error-unauthorized"


class BadCsr(AcmeError):
    message_id = "acme-error-bad-csr"


class CaServerError(AcmeError):
    message_id = "acme-error-server"


class CaUnreachable(AcmeError):
    message_id = "acme-error-unreachable"


class ValidationTimeout(AcmeError):
    message_id = "acme-error-timeout"


class AccountProblem(AcmeError):
    """The CA refuses the vendor's ACME account (EAB missing or wrong, contact refused): the operator's to fix."""

    message_id = "acme-error-account"


ERRORS: dict[str, type[AcmeError]] = {
    "rateLimited": RateLimited,
    "rejectedIdentifier": RejectedIdentifier,
    "unsupportedIdentifier": RejectedIdentifier,
    "caa": CaaForbids,
    "dns": DnsProblem,
    "connection": ConnectionProblem,
    "tls": ConnectionProblem,
    "unauthorized": Unauthorized,
    "incorrectResponse": Unauthorized,
    "badCSR": BadCsr,
    "serverInternal": CaServerError,
    "badNonce": CaServerError,  # still refused after the retries
    "unreachable": CaUnreachable,
    "timeout": ValidationTimeout,
    "externalAccountRequired": AccountProblem,
    "accountDoesNotExist": AccountProblem,
    "invalidContact": AccountProblem,
    "unsupportedContact": AccountProblem,
    "userActionRequired": AccountProblem,
}


def problem_error(problem: Problem) -> AcmeError:
    return ERRORS.get(problem.code, AcmeError)(problem)
