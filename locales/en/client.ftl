## Client: payers, payment methods, discounts

menu-button-client = 👤 Client
client-text =
    <b>Client</b>

    Who you are to us: the payers that pay and get invoices, saved payment methods, your discounts.
