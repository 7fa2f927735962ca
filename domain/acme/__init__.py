"""ACME (RFC 8555) certificate authorities: the port (port.py), its adapter over the `acme` library (client.py),
the orders kept in the database (orders.py) and the CA's problems as typed errors (errors.py)."""

from domain.acme.errors import AcmeError, problem_error
from domain.acme.port import Account, AcmeAuthority, Authorization, Challenge, Order, Problem

__all__ = ["Account", "AcmeAuthority", "AcmeError", "Authorization", "Challenge", "Order", "Problem",
           "problem_error"]
