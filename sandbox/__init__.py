"""A local Telegram Bot API emulator for tests, benchmarks and manual play."""

from sandbox.clock import ClockMove
from sandbox.config import SandboxConfig
from sandbox.core import BotError
from sandbox.driver import GroupDriver, UserDriver
from sandbox.errors import ApiError, SandboxError
from sandbox.faults import FaultRule, Faults
from sandbox.flood import FloodLimits
from sandbox.images import make_png
from sandbox.models import Subscription
from sandbox.server import Sandbox
from sandbox.views import Button, CallbackAnswer, MessageView, PaymentResult, TopicView

__all__ = [
    "ApiError",
    "BotError",
    "Button",
    "CallbackAnswer",
    "ClockMove",
    "FaultRule",
    "Faults",
    "FloodLimits",
    "GroupDriver",
    "MessageView",
    "PaymentResult",
    "Sandbox",
    "SandboxConfig",
    "SandboxError",
    "Subscription",
    "TopicView",
    "UserDriver",
    "make_png",
]
