"""A local test-mode card provider: the few Stripe endpoints the bot calls, for the official `stripe` library
pointed at it (STRIPE_API_BASE), and a hosted card page. The tests use it, and the token-less demo starts it so
cards and automatic payments can be tried without Stripe.

Form-encoded requests, JSON objects shaped like Stripe's, idempotent replays on `Idempotency-Key`. The hosted
setup page (`/pay/<session>`) takes a card number — or a test completes it with `complete_setup` — and the
provider posts a signed webhook event (`Stripe-Signature: t=<ts>,v1=<hmac-sha256(secret, "<ts>.<payload>")>`) to
the bot's endpoint, as Stripe does.

Test cards (the numbers of Stripe's own test mode): 4242424242424242 succeeds, 4000000000000002 is declined
(card_declined), 4000002760003184 needs authentication off-session (authentication_required).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

CARDS = {
    "4242424242424242": ("visa", None),
    "5555555555554444": ("mastercard", None),
    "4000000000000002": ("visa", "card_declined"),
    "4000002760003184": ("visa", "authentication_required"),
}


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


@dataclass
class LocalCardProvider:
    secret_key: str = "sk_test_fake"
    webhook_secret: str = "whsec_fake"
    webhook_url: str | None = None
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    setup_intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    payment_methods: dict[str, dict[str, Any]] = field(default_factory=dict)
    payment_intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    down: bool = False  # answer 500 to everything: Stripe unavailable
    last_event: dict[str, Any] | None = None
    _replays: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    _ids: Any = field(default_factory=itertools.count)
    _runner: web.AppRunner | None = None
    url: str = ""

    def _id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):06d}fake"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> LocalCardProvider:
        app = web.Application()
        app.router.add_post("/v1/customers", self._customers)
        app.router.add_post("/v1/checkout/sessions", self._sessions)
        app.router.add_get("/v1/setup_intents/{id}", self._setup_intent)
        app.router.add_get("/v1/payment_methods/{id}", self._payment_method)
        app.router.add_post("/v1/payment_methods/{id}/detach", self._detach)
        app.router.add_post("/v1/payment_intents", self._payment_intents)
        app.router.add_get("/pay/{id}", self._hosted_page)
        app.router.add_post("/pay/{id}", self._hosted_submit)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # the port bound for 0
        self.url = f"http://{host}:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what a test does ---------------------------------------------------------------------------------

    @property
    def charges(self) -> list[dict[str, Any]]:
        return list(self.payment_intents.values())

    def last_session(self) -> dict[str, Any]:
        return list(self.sessions.values())[-1]

    async def complete_setup(self, session_id: str, card: str = "4242424242424242", *,
                             event: str = "checkout.session.completed", exp: tuple[int, int] = (12, 2030),
                             secret: str | None = None) -> int:
        """The customer enters `card` on the hosted page: the card is saved and the webhook event posted."""
        session = self.sessions[session_id]
        brand, _ = CARDS[card]
        pm = self._id("pm")
        self.payment_methods[pm] = {
            "id": pm, "object": "payment_method", "type": "card", "customer": session["customer"],
            "card": {"brand": brand, "last4": card[-4:], "exp_month": exp[0], "exp_year": exp[1], "country": "US"},
            "created": int(time.time()), "livemode": False, "metadata": {}, "_number": card,
        }
        seti = self._id("seti")
        self.setup_intents[seti] = {
            "id": seti, "object": "setup_intent", "status": "succeeded", "customer": session["customer"],
            "payment_method": pm, "usage": "off_session", "metadata": session.get("setup_intent_metadata", {}),
            "livemode": False,
        }
        session.update(status="complete", setup_intent=seti)
        obj = self.setup_intents[seti] if event == "setup_intent.succeeded" else session
        return await self.send_event(event, obj, secret=secret)

    async def send_event(self, event_type: str, obj: dict[str, Any], *, secret: str | None = None,
                         event_id: str | None = None, signature: str | None = None) -> int:
        """POST an event to the bot's endpoint, signed with `secret` (the right one by default); without a
        `webhook_url` the event is only kept in `last_event` (a test hands it to the domain itself)."""
        event = {"id": event_id or self._id("evt"), "object": "event", "type": event_type,
                 "api_version": "2025-01-01", "created": int(time.time()), "livemode": False,
                 "data": {"object": {k: v for k, v in obj.items() if not k.startswith("_")}}}
        payload = json.dumps(event).encode()
        header = signature or sign(payload, secret or self.webhook_secret)
        self.last_event = event
        if self.webhook_url is None:
            return 0
        async with aiohttp.ClientSession() as http, http.post(
                self.webhook_url, data=payload,
                headers={"Stripe-Signature": header, "Content-Type": "application/json"}) as response:
            return response.status

    # --- the endpoints ------------------------------------------------------------------------------------

    async def _form(self, request: web.Request) -> dict[str, str]:
        if request.headers.get("Authorization") != f"Bearer {self.secret_key}":
            raise web.HTTPUnauthorized(text=json.dumps({"error": {"type": "invalid_request_error",
                                                                  "message": "Invalid API Key provided"}}),
                                       content_type="application/json")
        if self.down:
            raise web.HTTPInternalServerError(text=json.dumps({"error": {"type": "api_error",
                                                                         "message": "down"}}),
                                              content_type="application/json")
        self.requests.append((request.method, request.path))
        if request.method == "GET":
            return dict(request.query)
        return {k: str(v) for k, v in (await request.post()).items()}

    def _replay(self, request: web.Request) -> web.Response | None:
        key = request.headers.get("Idempotency-Key")
        if key and key in self._replays:
            status, body = self._replays[key]
            return web.json_response(body, status=status, headers={"Idempotent-Replayed": "true"})
        return None

    def _answer(self, request: web.Request, body: dict[str, Any], status: int = 200) -> web.Response:
        key = request.headers.get("Idempotency-Key")
        if key:
            self._replays[key] = (status, body)
        return web.json_response(body, status=status)

    @staticmethod
    def _metadata(form: dict[str, str], prefix: str = "metadata") -> dict[str, str]:
        return {k[len(prefix) + 1 : -1]: v for k, v in form.items() if k.startswith(prefix + "[") and "][" not in k}

    async def _customers(self, request: web.Request) -> web.Response:
        form = await self._form(request)
        if (replay := self._replay(request)) is not None:
            return replay
        cid = self._id("cus")
        self.customers[cid] = {"id": cid, "object": "customer", "metadata": self._metadata(form),
                               "livemode": False}
        return self._answer(request, self.customers[cid])

    async def _sessions(self, request: web.Request) -> web.Response:
        form = await self._form(request)
        if form.get("mode") != "setup" or form.get("customer") not in self.customers:
            return web.json_response({"error": {"type": "invalid_request_error", "message": "bad session"}},
                                     status=400)
        sid = self._id("cs_test")
        self.sessions[sid] = {
            "id": sid, "object": "checkout.session", "mode": "setup", "status": "open",
            "customer": form["customer"], "client_reference_id": form.get("client_reference_id"),
            "metadata": self._metadata(form), "setup_intent": None, "url": f"{self.url}/pay/{sid}",
            "success_url": form.get("success_url"), "cancel_url": form.get("cancel_url"), "livemode": False,
            "setup_intent_metadata": {k[len("setup_intent_data[metadata]["):-1]: v for k, v in form.items()
                                      if k.startswith("setup_intent_data[metadata][")},
        }
        return self._answer(request, {k: v for k, v in self.sessions[sid].items() if k != "setup_intent_metadata"})

    async def _setup_intent(self, request: web.Request) -> web.Response:
        form = await self._form(request)
        intent = self.setup_intents.get(request.match_info["id"])
        if intent is None:
            return web.json_response({"error": {"type": "invalid_request_error", "message": "No such setupintent"}},
                                     status=404)
        body = dict(intent)
        if "payment_method" in form.values():  # expand[0]=payment_method
            body["payment_method"] = self._public(self.payment_methods[intent["payment_method"]])
        return web.json_response(body)

    @staticmethod
    def _public(obj: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in obj.items() if not k.startswith("_")}

    async def _payment_method(self, request: web.Request) -> web.Response:
        await self._form(request)
        method = self.payment_methods.get(request.match_info["id"])
        if method is None:
            return web.json_response({"error": {"type": "invalid_request_error"}}, status=404)
        return web.json_response(self._public(method))

    async def _detach(self, request: web.Request) -> web.Response:
        await self._form(request)
        method = self.payment_methods.get(request.match_info["id"])
        if method is None:
            return web.json_response({"error": {"type": "invalid_request_error"}}, status=404)
        method["customer"] = None
        return web.json_response(self._public(method))

    async def _payment_intents(self, request: web.Request) -> web.Response:
        form = await self._form(request)
        if (replay := self._replay(request)) is not None:
            return replay
        method = self.payment_methods.get(form.get("payment_method", ""))
        if method is None or method["customer"] != form.get("customer"):
            return self._answer(request, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                                                    "message": "No such PaymentMethod"}}, 400)
        pid = self._id("pi")
        _, decline = CARDS[method["_number"]]
        intent = {"id": pid, "object": "payment_intent", "amount": int(form["amount"]),
                  "currency": form["currency"], "customer": form["customer"], "payment_method": method["id"],
                  "description": form.get("description"), "off_session": form.get("off_session") == "true",
                  "status": "succeeded" if decline is None else "requires_payment_method",
                  "idempotency_key": request.headers.get("Idempotency-Key"), "livemode": False}
        self.payment_intents[pid] = intent
        if decline is None:
            return self._answer(request, intent)
        return self._answer(request, {"error": {
            "type": "card_error", "code": decline, "message": "Your card was declined.",
            "decline_code": "generic_decline" if decline == "card_declined" else None, "payment_intent": intent}},
            402)

    # --- the hosted card page -----------------------------------------------------------------------------

    async def _hosted_page(self, request: web.Request) -> web.Response:
        session = self.sessions.get(request.match_info["id"])
        if session is None:
            raise web.HTTPNotFound(text="No such checkout session")
        if session["status"] == "complete":
            return web.Response(text=_PAGE.format(body="<p>This card is saved. You can close this page.</p>"),
                                content_type="text/html")
        options = "".join(f'<option value="{number}">{number} · {brand}{" (declined)" if decline else ""}</option>'
                          for number, (brand, decline) in CARDS.items())
        body = (f'<form method="post"><label>Card number <select name="card">{options}</select></label>'
                '<button type="submit">Save the card</button></form>'
                "<p>Test mode: no real card is asked for and no money moves.</p>")
        return web.Response(text=_PAGE.format(body=body), content_type="text/html")

    async def _hosted_submit(self, request: web.Request) -> web.Response:
        session = self.sessions.get(request.match_info["id"])
        form = await request.post()
        card = str(form.get("card", ""))
        if session is None or card not in CARDS:
            raise web.HTTPBadRequest(text="Unknown session or card")
        if session["status"] != "complete":
            await self.complete_setup(session["id"], card)
        raise web.HTTPFound(session.get("success_url") or f"/pay/{session['id']}")


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Test card page</title><style>body{{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}}
select,button{{font-size:1rem;margin:.5rem 0;display:block}}</style></head>
<body><h1>Add a card (test mode)</h1>{body}</body></html>"""
