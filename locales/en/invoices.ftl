## Billing -> Invoices (screens, the PDF, the staff command /paid)

invoices-button = 🧾 Invoices
invoices-title = <b>Invoices</b>
invoices-none = No invoices yet. Get one for a top-up or for your cart.
invoices-intro = Newest first. Choose one to see it, get its PDF or cancel it.
invoices-list-item = { $number } · { $total } · { $status }
invoices-status-awaiting = awaiting payment
invoices-status-issued = issued
invoices-status-paid = paid
invoices-status-cancelled = cancelled
invoices-new-topup = ➕ Invoice for a top-up
invoices-new-cart = ➕ Invoice for the cart
invoices-ask-amount = Send the top-up amount for the invoice, from { $minimum } to { $maximum } (before VAT), e.g. <code>250</code>.
invoices-head = <b>Invoice { $number }</b> — { $status }
invoices-total-line = <b>Total: { $total }</b>
invoices-awaiting-hint = Pay by bank transfer with the details in the PDF, quoting <b>{ $number }</b>. The balance is credited as soon as the transfer arrives.
invoices-issued-hint = Press Pay to pay it in the bot; this invoice is your document.
invoices-pay = 💳 Pay { $total }
invoices-error-bank-transfer = This invoice is paid by bank transfer with the details in its PDF.
invoices-paid-in-bot = Invoice { $number } is paid.
invoices-open = 🧾 Invoice { $number }
invoices-cart-changed = The cart changed since this list was shown. Press “Invoice for the cart” again for the cart as it is now.
invoices-pdf = 📄 PDF
invoices-pdf-caption = Invoice { $number }
invoices-cancel = ✖ Cancel the invoice
invoices-cancel-confirm = Cancel invoice <b>{ $number }</b>? Do not pay it after cancelling.
invoices-cancel-yes = Yes, cancel it
invoices-cancel-no = No, keep it
invoices-error-already-paid = Invoice { $number } was already paid on { $paid }: nothing was charged again.
invoices-error-not-open = This invoice is already paid or cancelled.
invoices-error-not-bank-transfer = This invoice is not paid by bank transfer: the customer pays it in the bot.
invoices-pdf-title = Invoice { $number }
invoices-issued = Issued: { $date }
invoices-due = Due: { $date }
invoices-status-line = Status: { $status }
invoices-seller = Seller
invoices-buyer = Buyer
invoices-vendor-tax-id = Tax ID: { $value }
invoices-implied-payer = private person
invoices-column-description = Description
invoices-column-amount = Amount
invoices-line-topup = Top-up of the client area balance
invoices-line-item = { $product } — { $tariff }, { $months ->
    [one] { $months } month
   *[other] { $months } months
}
invoices-subtotal = Subtotal
invoices-vat = VAT { $rate }%
invoices-vat-none = VAT not applicable.
invoices-total = Total
invoices-pay-by-transfer = Please pay by bank transfer, quoting the invoice number { $number } as the payment reference:
invoices-pay-in-bot = Payable in the client area bot.
invoices-staff-usage = Usage: /paid &lt;invoice number&gt;, e.g. /paid 2026-000123
invoices-staff-unknown = No invoice with the number { $number }.
invoices-staff-already-paid = Invoice { $number } is already paid; nothing was credited again.
invoices-staff-confirm = Mark invoice { $number } paid? { $amount } goes to the balance of customer { $user }{ $cart ->
    [1] , and the cart the invoice was issued for is paid from it.
   *[other] .
}
invoices-staff-button-paid = ✅ Paid: credit { $amount }
invoices-staff-paid = Invoice { $number } marked paid: { $amount } credited to customer { $user }.
invoices-staff-order = The cart was paid: order #{ $order }.
invoices-staff-cart-not-paid = The cart has changed or cannot be paid now; the money stays on the customer's balance.
invoices-paid-note = ✅ Your bank transfer for invoice { $number } has arrived: { $amount } added to your balance.
invoices-order-note = ✅ The cart of invoice { $number } is paid: order #{ $order }, { $count ->
    [one] { $count } service
   *[other] { $count } services
} ready.
invoices-cart-not-paid-note = Your cart has changed since invoice { $number }, so it was not paid automatically. The money is on your balance: open the cart to pay.
