"""Settings: the customer's own details, language, time zone, notification preferences and two-step
authentication, and the code a guarded action asks for. Other sections link the settings screen with
`SETTINGS`."""

from handlers.settings.keyboards import SETTINGS, SettingsAction, SettingsCb
from handlers.settings.router import router

__all__ = ["SETTINGS", "SettingsAction", "SettingsCb", "router"]
