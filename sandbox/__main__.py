"""`python -m sandbox --host 127.0.0.1 --port 8081 [--token T]`: run the sandbox on its own."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from sandbox.flood import FloodLimits
from sandbox.server import Sandbox


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description="Local Telegram Bot API sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=None, help="bot token (generated when omitted)")
    parser.add_argument("--bot-username", default="sandbox_bot")
    parser.add_argument("--bot-name", default="Sandbox Bot")
    parser.add_argument("--no-flood", action="store_true", help="disable flood control")
    parser.add_argument("--pre-checkout-timeout", type=float, default=10.0)
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    sandbox = Sandbox(args.host, args.port, args.token, bot_username=args.bot_username,
                      bot_first_name=args.bot_name, flood_limits=FloodLimits.off() if args.no_flood else None,
                      pre_checkout_timeout=args.pre_checkout_timeout)
    await sandbox.start()
    print(f"Sandbox Bot API: {sandbox.url}", flush=True)
    print(f"Bot token:       {sandbox.token}", flush=True)
    print(f"Playground:      {sandbox.url}/", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await sandbox.stop()


def main(argv: list[str] | None = None) -> None:
    asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    main()
