## Cart and checkout

menu-button-cart = 🧺 Cart
cart-empty = Your cart is empty.
cart-title = <b>Cart</b> — { $count } { $count ->
    [one] item
   *[other] items
}
cart-line = <b>{ $number }. { $product } — { $tariff }</b>, { $months } { $months ->
    [one] month
   *[other] months
}
cart-for-licence = for licence #{ $licence }
cart-line-unavailable = no longer sold — remove it to pay
cart-line-discounted = { $price } <s>{ $list_price }</s>
cart-discount = Discount: −{ $discount }
cart-total = <b>Total: { $total }</b>
cart-remove = ✖ { $number }
cart-change-period = ✏ Period { $number }
cart-clear = 🗑 Clear the cart
cart-pay = 💳 Pay { $total }
cart-removed = Removed from the cart.
cart-choose-period = <b>{ $product } { $tariff }</b> — new period:
cart-clear-confirm = Remove everything from the cart?
cart-clear-yes = Yes, clear it
cart-clear-no = No, keep it
cart-cleared = The cart is cleared.
cart-changed = The cart changed since you opened it. Here it is as it is now — check it and press Pay again.
cart-already-paid = This cart was already paid on { $paid } (order #{ $order }): nothing was charged again.
cart-full = The cart holds at most { $max } items.
cart-item-unavailable = Something in the cart is no longer sold. Remove it and pay for the rest.
checkout-paid = ✅ <b>Paid</b> — order #{ $order }, { $total }. Balance: { $balance }.
checkout-service = • #{ $id } { $kind } { $what } — until { $expires }
checkout-setup-certificate = 🔐 Set up the certificate for { $domain }
checkout-short =
    Your balance is not enough for this cart.
    Total: { $total }
    Balance: { $balance }
    <b>Missing: { $shortfall }</b>

    Top up exactly the missing amount and the cart is paid as soon as the payment arrives.
checkout-topup-shortfall = Top up { $amount }
checkout-auto-failed = The top-up arrived, but the cart could not be paid automatically: { $reason }
billing-insufficient-funds = Not enough money on the balance: { $shortfall } missing.
