"""How texts become what Telegram shows: refusals with their arguments escaped and shortened in one place,
long inserted values, plain whole numbers, and texts cut to Telegram's limits with their HTML kept whole."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.i18n import create_core
from domain.errors import InvalidInput
from domain.values import Money
from handlers.common.errors import ECHO_LIMIT, core_error_text
from handlers.common.fit import CAPTION_LIMIT, MESSAGE_LIMIT, fit_html, fit_plain, plain_units

ROOT = Path(__file__).resolve().parents[2]
core = create_core("en")
core.locales = core.find_locales()


def test_an_echoed_input_is_escaped_and_shortened() -> None:
    text = core_error_text(core, "en", InvalidInput("ip-error-malformed", value='<b>x</b> </code> <a href="x">'))
    assert "&lt;b&gt;x&lt;/b&gt; &lt;/code&gt; &lt;a href=&quot;x&quot;&gt;" in text
    link = core_error_text(core, "en", InvalidInput("certificate-csr-error-name-foreign",
                                                    name='<a href="tg://user?id=1002">bob</a>.example', names="a"))
    assert "<a " not in link and "&lt;a href=" in link
    long = core_error_text(core, "ru", InvalidInput("ip-error-malformed", value="9" * 4096))
    assert "9" * (ECHO_LIMIT - 1) + "…" in long and "9" * ECHO_LIMIT not in long


def test_money_in_a_refusal_is_the_readers_money() -> None:
    error = InvalidInput("topup-error-too-small", minimum=Money(500, "EUR"))
    assert core_error_text(core, "en", error) == "The smallest top-up is €5.00."
    assert "5,00\xa0€" in core_error_text(core, "ru", error)


def test_values_longer_than_fluent_takes_are_put_in_whole() -> None:
    body = "&amp;" * 800  # 4,000 characters: fluent.runtime alone refuses more than 2,500
    assert core.get("tickets-group-customer", "en", name="Ann", ticket=1, text=body).endswith(body)


def test_whole_numbers_have_no_thousands_separator() -> None:
    text = core.get("checkout-paid", "en", order=123456, total="€1.00", balance="€0.00")
    assert "#123456" in text


def test_a_long_text_is_cut_with_its_markup_whole() -> None:
    html = "<b>" + "&amp;" * 5000 + "</b>"
    cut = fit_html(html, MESSAGE_LIMIT)
    assert plain_units(cut) == MESSAGE_LIMIT and cut.endswith("…</b>") and cut.count("&amp;") == MESSAGE_LIMIT - 1
    nested = "<blockquote><i>" + "é" * 2000 + "</i></blockquote>"
    assert fit_html(nested, CAPTION_LIMIT).endswith("…</i></blockquote>")
    assert fit_html("<b>short</b>", MESSAGE_LIMIT) == "<b>short</b>"
    emoji = "🙂" * 3000  # two UTF-16 units each, as Telegram counts
    assert plain_units(fit_html(emoji, MESSAGE_LIMIT)) <= MESSAGE_LIMIT
    assert len(fit_plain("x" * 5000, MESSAGE_LIMIT)) == MESSAGE_LIMIT


def test_no_handler_formats_an_errors_arguments_itself() -> None:
    """Every refusal goes through handlers/errors.py, so escaping cannot be forgotten."""
    offenders = []
    for path in (ROOT / "handlers").rglob("*.py"):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "args_":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
