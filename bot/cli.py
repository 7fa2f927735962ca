"""`client-area-bot [run|webhook|scheduler|migrate]`: the operator's entry point."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.config import ConfigError, Settings, load_settings, resolve_secret_key
from bot.logs import setup_logging

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="client-area-bot", description="Client Area Bot for Telegram")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="long polling + scheduler (the default); without BOT_TOKEN: the local sandbox")
    sub.add_parser("webhook", help="aiohttp webhook server with /healthz and /metrics")
    sub.add_parser("scheduler", help="only the background jobs and push delivery (no updates), for scale-out")
    sub.add_parser("migrate", help="upgrade the database to the latest revision and exit")
    return parser


async def _migrate(settings: Settings) -> None:
    from bot.app import open_database

    engine, _ = await open_database(settings)
    await engine.dispose()
    print("database is at the latest revision")


def _secrets_of(settings: Settings) -> list[str]:
    values = [settings.bot_token, settings.webhook_secret, settings.secret_key]
    return [v.get_secret_value() for v in values if v is not None]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
        setup_logging(settings.log_level, settings.log_format, _secrets_of(settings))
        _, generated = resolve_secret_key(settings)
        if generated:
            log.warning("SECRET_KEY is not set: generated one into %s. Back it up, apart from the database: "
                        "without it encrypted secrets (2FA, private keys) cannot be read.", settings.secret_key_file)
        if command == "migrate":
            asyncio.run(_migrate(settings))
        elif command == "scheduler":
            from bot.runner import run_scheduler

            asyncio.run(run_scheduler(settings))
        elif command == "webhook":
            from bot.runner import run_webhook

            asyncio.run(run_webhook(settings))
        else:
            from bot.runner import run_polling

            asyncio.run(run_polling(settings))
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
