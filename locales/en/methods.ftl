## Payment methods (Client -> Payment methods) and automatic payments (Billing -> Automatic payments)

methods-button = 💳 Payment methods
methods-title = <b>Payment methods</b>
methods-none = No saved payment methods yet. Add one to pay faster.
methods-card-label = { $brand } •••• { $last4 }
methods-telegram-label = Telegram Payments
methods-line-card = 💳 { $label }, valid until { $expires }
methods-line-telegram = ✈️ { $label }: each payment opens Telegram's payment form
methods-default-mark = ★ default
methods-add = ➕ Add
methods-add-title =
    <b>Add a payment method</b>

    How would you like to pay?
methods-add-card = 💳 Bank card (Stripe)
methods-add-telegram = ✈️ Telegram Payments
methods-add-bank = 🏦 Bank transfer (companies)
methods-card-open-text =
    💳 <b>Add a card</b>

    Open Stripe's secure page and enter your card there. The card stays at Stripe: we keep only Stripe's reference to it.
    You will get a message here as soon as it is saved.
methods-card-open-button = 🔒 Open the secure page
methods-telegram-added = ✈️ Telegram Payments added. Nothing is stored: each payment opens Telegram's own payment form.
methods-bank-text =
    🏦 <b>Bank transfer</b>

    For companies: pay by invoice. Create an invoice in Billing → Invoices for a legal-entity payer and pay it by bank transfer; the balance is credited when the transfer arrives.
methods-bank-needs-payer =
    🏦 <b>Bank transfer</b>

    Bank transfer is for legal entities and sole traders. Add such a payer first (Client → Payers); then issue an invoice to it in Billing → Invoices and pay it by transfer.
methods-bank-invoices = 🧾 Invoices
methods-bank-add-payer = 👤 Add a payer
methods-detail =
    <b>{ $label }</b>{ $default ->
        [yes] {" "}★
       *[no] {""}
    }
    { $details }
methods-detail-card = { $brand } card ending in { $last4 }, valid until { $expires }.
methods-detail-telegram = Every payment opens Telegram's payment form; nothing is stored.
methods-rename = ✏️ Rename
methods-make-default = ★ Make default
methods-remove = 🗑 Remove
methods-rename-ask = Send a new name for { $label } (up to { $max } characters).
methods-renamed = ✅ Renamed.
methods-default-set = ★ { $label } is now your default payment method.
methods-remove-confirm = Remove { $label }? Automatic payments with it stop.
methods-remove-yes = 🗑 Yes, remove
methods-remove-no = ✖ No, keep it
methods-removed = 🗑 { $label } removed.
methods-removed-autopay-off = 🗑 { $label } removed. Automatic payments with it are now off.
methods-card-saved-note = 💳 Card { $brand } •••• { $last4 } saved. You can now turn on automatic payments in Billing.
methods-error-stripe = Stripe is not answering right now. Please try again in a few minutes.
methods-error-no-cards = Cards are not accepted here.
methods-error-too-many = You can keep at most { $max } payment methods. Remove one first.
methods-error-name-empty = The name cannot be empty.
methods-error-name-long = The name can be at most { $max } characters long.

## Automatic payments

methods-autopay-billing-button = 🔁 Automatic payments
methods-autopay-text-off =
    🔁 <b>Automatic payments: off</b>

    When a renewal or a checkout finds your balance short, the missing amount can be charged to your saved card automatically, up to a monthly limit.
methods-autopay-text-on =
    🔁 <b>Automatic payments: on</b>

    Card: { $card }
    Monthly limit: { $limit } (used this month: { $used })
    After { $max } declined charges in a row automatic payments turn off.
methods-autopay-need-card = Automatic payments need a saved card. Add one first.
methods-autopay-button-on = ✅ Turn on
methods-autopay-button-off = ⏸ Turn off
methods-autopay-button-limit = ✏️ Monthly limit
methods-autopay-button-card = 💳 Change card
methods-autopay-button-add-card = ➕ Add a card
methods-autopay-choose-card = Which card should be charged?
methods-autopay-ask-limit = Send the monthly limit for automatic payments, e.g. 50 or 99.90.
methods-autopay-enabled = ✅ Automatic payments are on.
methods-autopay-disabled = ⏸ Automatic payments are off.
methods-autopay-error-no-card = Automatic payments need a saved card.
methods-autopay-error-limit = The monthly limit must be a positive amount.
methods-autopay-button-topup = 💳 Top up { $amount }
methods-autopay-charged-note = 💳 { $amount } charged to { $brand } •••• { $last4 } { $reason ->
        [renewal] for the renewal of { $service }
       *[checkout] for your order
    }.
methods-autopay-failed-note =
    ⚠️ Automatic payment of { $amount } { $reason ->
        [renewal] for the renewal of { $service }
       *[checkout] for your order
    } failed: { $brand } •••• { $last4 } { $error ->
        [authentication_required] needs your confirmation, which cannot be given automatically
        [expired_card] has expired
        [insufficient_funds] has insufficient funds
       *[other] was declined
    }.
    Top up by hand to keep your services running.
methods-autopay-off-note = ⏸ Automatic payments are now off after { $failures } declined charges to { $brand } •••• { $last4 }. Turn them on again in Billing → Automatic payments.
methods-autopay-limit-note = ⚠️ An automatic payment of { $amount } would pass your monthly limit of { $limit }, so it was not made. Top up by hand or raise the limit.
methods-checkout-charged = 💳 { $amount } charged to { $card }.
methods-checkout-declined = ⚠️ The automatic payment to { $card } did not go through.
methods-checkout-limit = ⚠️ The automatic payment would pass your monthly limit.
