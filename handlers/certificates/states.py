"""Certificates: dialog states and their typed data."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from handlers.common.dialogs import DialogData


class CertForm(StatesGroup):
    """A CSR pasted or sent as a file, the additional names, the password of a PKCS#12 file."""

    csr = State()
    sans = State()
    p12 = State()


class CsrData(DialogData):
    """The certificate a CSR is asked for."""

    service: int


class NamesData(DialogData):
    """The certificate whose additional names are asked for."""

    service: int


class Pkcs12Data(DialogData):
    """The certificate whose PKCS#12 file is asked for (the password itself is never stored)."""

    service: int
