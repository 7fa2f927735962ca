"""The local test-mode card provider the tests point the official `stripe` library at (sandbox/cards.py)."""

from sandbox.cards import CARDS, sign
from sandbox.cards import LocalCardProvider as FakeStripe

__all__ = ["CARDS", "FakeStripe", "sign"]
