"""Prometheus metrics served on /metrics in webhook mode."""

from prometheus_client import Counter, Histogram

UPDATES = Counter("bot_updates_total", "Updates handled, by type", ["type"])
UPDATE_SECONDS = Histogram("bot_update_seconds", "Time to handle one update, by type", ["type"])
ERRORS = Counter("bot_errors_total", "Updates that ended in an unexpected error")
THROTTLED = Counter("bot_throttled_total", "Customer actions refused by throttling")
PUSHED_BACK = Counter("bot_webhook_pushed_back_total", "Webhook updates answered 503 at the in-flight bound")
NOTIFICATIONS = Counter("bot_notifications_total", "Push messages by outcome (sent, retried, failed, dropped, "
                        "flood_wait)", ["outcome"])
