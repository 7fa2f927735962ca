"""SSL certificates: the list, a certificate's screen with what its validation needs, and what can be done with it."""

from handlers.certificates.keyboards import CertAction, CertCb, CertListCb
from handlers.certificates.router import router

__all__ = ["CertAction", "CertCb", "CertListCb", "router"]
