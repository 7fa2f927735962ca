## Billing: balance, top-ups, payments, expenses

menu-button-billing = 💰 Billing
billing-text =
    <b>Billing</b>

    Balance: <b>{ $balance }</b>
billing-topup = ➕ Top up
billing-payments = Payments
billing-expenses = Expenses
billing-export = 📄 Export a month (CSV)
topup-choose =
    <b>Top up the balance</b> ({ $method })
    Choose an amount or enter your own, from { $minimum } to { $maximum }.
topup-method-telegram-stars = paid in Telegram Stars
topup-method-telegram-provider = paid by card through Telegram
topup-custom = Another amount
topup-ask-amount = Send the amount, from { $minimum } to { $maximum }, e.g. <code>25</code> or <code>12.50</code>.
topup-error-not-amount = “{ $value }” is not an amount. Send a number, e.g. 25 or 12.50.
topup-error-too-small = The smallest top-up is { $minimum }.
topup-error-too-large = The largest top-up is { $maximum }.
topup-credited = ✅ Payment received: { $amount } added. Balance: { $balance }.
invoice-title = Balance top-up
invoice-description = Top-up of your client area balance by { $amount }.
invoice-description-checkout = Top-up of { $amount } to pay for your cart; the cart is paid as soon as this payment arrives.
invoice-description-invoice = Payment of invoice { $number }: { $total }; { $amount } goes to your balance.
invoice-label = Top-up { $amount }
payment-rejected = This payment cannot be accepted.
payment-rejected-unknown = This invoice is unknown or not yours. Please request a new one in the bot.
payment-rejected-paid = This invoice has already been paid.
payment-rejected-cart-paid = The cart this top-up was for is already paid (order #{ $order }): nothing was charged.
payment-rejected-amount = The amount differs from the invoice. Please request a new one in the bot.
payment-duplicate-charge = This invoice was already paid with another charge; support will sort it out.
billing-payments-title = Payments
billing-expenses-title = Expenses
billing-payments-none = No payments yet.
billing-expenses-none = No expenses yet.
billing-export-none = Nothing to export yet.
billing-export-choose = Which month? (times in your time zone)
billing-export-caption = Ledger for { $month }: { $count } { $count ->
    [one] entry
   *[other] entries
}.
ledger-kind-topup = Top-up
ledger-kind-charge = Charge
ledger-kind-refund = Refund
ledger-kind-adjustment = Adjustment
billing-entry-charge = ↳ Telegram charge id: <code>{ $charge }</code>
refund-usage = Usage: /refund &lt;telegram_payment_charge_id&gt;
refund-unknown = No payment with charge id { $charge }.
refund-not-stars = Only Telegram Stars payments can be refunded through the bot.
refund-already = This payment has already been refunded.
refund-balance-spent = The customer has already spent the money: balance { $balance }, payment { $amount }.
refund-telegram-refused = Telegram refused the refund: { $reason }
refund-confirm = ↩️ Refund { $stars } ⭐ to customer { $user }? { $amount } is taken off their balance and Telegram gives the Stars back. Charge id: <code>{ $charge }</code>
refund-button = ↩️ Refund { $amount }
staff-money-drop = ✖ Do nothing
staff-money-dropped = Nothing was done.
staff-money-gone = This no longer exists: nothing was done.
refund-done = Refunded { $amount } to customer { $user }; the ledger entry is written.
refund-customer = ↩️ Your payment of { $amount } has been refunded, so your balance went down by { $amount }. Balance now: { $balance }.
topup-credited-note = Payment received: { $amount } added to your balance.
payment-rejected-in-progress = This invoice is being paid right now. If that payment did not go through, try again in two minutes.
topup-cart-covered = Your balance already covers the cart: open the cart and press Pay.
payment-extra-staff = ⚠️ A second payment arrived for an invoice that was already paid: customer { $user }, { $amount } (charge id <code>{ $charge }</code>). It was credited to the customer's balance; refund it with /refund { $charge } if the customer asks.
payment-unmatched-staff = ⚠️ A payment arrived that matches no invoice: customer { $user }, { $total } { $currency } (charge id <code>{ $charge }</code>). Nothing was credited; refund it with /refund { $charge }.
payment-extra-customer = This invoice had already been paid, so this payment of { $amount } went to your balance. Balance: { $balance }. Support has been told; if you did not mean to pay twice, open a ticket and we will refund it.
payment-unmatched-customer = We received your payment but cannot match it to an invoice. Support has been told and will sort it out; nothing is lost.
