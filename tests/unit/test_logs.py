from __future__ import annotations

import json
import logging

import pytest

from bot.logs import setup_logging

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"


def test_token_and_secrets_never_reach_the_log(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("INFO", "json", secrets=["s3cret-webhook"])
    log = logging.getLogger("test")
    log.info("calling https://api.telegram.org/bot%s/getMe with s3cret-webhook", TOKEN)
    try:
        raise RuntimeError(f"boom {TOKEN}")
    except RuntimeError:
        log.exception("failed", extra={"update_id": 7})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert lines[0]["message"] == "calling https://api.telegram.org/bot<token>/getMe with <redacted>"
    assert lines[1]["update_id"] == 7 and "<token>" in lines[1]["exc_info"]
    assert all(TOKEN not in json.dumps(line) for line in lines)


def test_text_format(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("WARNING", "text")
    logging.getLogger("x").warning("hello %s", "world")
    assert capsys.readouterr().err.rstrip().endswith("WARNING x: hello world")
