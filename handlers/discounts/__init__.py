"""Client -> Discounts and promo codes. How a discount reads wherever it shows: `cart_discount_line` under a
cart line, `discount_text`, `value_text` and `scope_text` in staff replies, `fit` for a list that must fit one
message."""

from handlers.discounts.keyboards import DISCOUNTS
from handlers.discounts.router import router
from handlers.discounts.views import cart_discount_line, discount_text, fit, scope_text, value_text

__all__ = ["DISCOUNTS", "cart_discount_line", "discount_text", "fit", "router", "scope_text", "value_text"]
