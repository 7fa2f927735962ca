## Client: payers, payment methods, discounts

menu-button-client = 👤 Client
client-text =
    <b>Client</b>

    Your payers (invoices are made out to them), saved payment methods and discounts.
