"""Tunable behaviour of a sandbox instance."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from sandbox.flood import FloodLimits


@dataclass
class SandboxConfig:
    settle: float = 0.1
    """Seconds without bot API requests (other than getUpdates) after which the bot counts as quiet."""
    response_grace: float = 1.0
    """After the bot takes an update, how long a wait keeps waiting for its first API call before counting a
    silent bot as quiet (a bot that ignores an update costs this long in a wait)."""
    wait_timeout: float = field(default_factory=lambda: float(os.environ.get("SANDBOX_WAIT_TIMEOUT", "5")))
    """Default timeout of driver actions waiting for the bot (SANDBOX_WAIT_TIMEOUT, for slow machines)."""
    pre_checkout_timeout: float = 10.0
    """Seconds the bot has to answer a pre_checkout_query."""
    privacy_mode: bool = True
    """Like Telegram's bot privacy mode: in groups where it is no admin the bot sees commands and replies only."""
    flood_limits: FloodLimits = field(default_factory=FloodLimits)
    reencode_photos: bool = True
    """Like Telegram, keep photos as JPEGs in several sizes (needs Pillow; without it photos stay as uploaded)."""
    webhook_retry_delays: tuple[float, ...] = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0)
    webhook_timeout: float = 10.0
    max_text_length: int = 4096
    max_caption_length: int = 1024
    max_upload_size: int = 50 * 1024 * 1024
