"""Business rules and persistence of the client area. Knows nothing of Telegram."""
