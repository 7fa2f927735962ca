## Client -> Payers

payers-button = 🧾 Payers
payers-title = <b>Payers</b>
payers-none =
    You have no payers: you pay as a private person.
    Add a payer to pay as a sole trader or a company, or to get invoices in another name.
payers-intro = ★ marks the default payer, ⏸ a disabled one. Choose a payer to see or change it.
payers-add = ➕ Add a payer
payers-kind-individual = Individual
payers-kind-sole = Sole trader
payers-kind-legal = Legal entity
payers-not-given = not given
payers-field-name = { $kind ->
    [legal] Company name
   *[other] Full name
}
payers-field-country = Country
payers-field-address = { $kind ->
    [legal] Legal address
   *[other] Address
}
payers-field-tax-number = { $kind ->
    [legal] VAT / tax number
   *[other] Tax number
}
payers-field-reg-number = Registration number
payers-field-contact = Contact person
payers-field-email = E-mail for invoices
payers-ask-name = { $kind ->
    [legal] Send the company's full legal name, e.g. <i>ACME GmbH</i>.
   *[other] Send the full name, e.g. <i>Anna Lee</i>.
}
payers-ask-country = Send the country: its name (<i>Germany</i>) or ISO code (<i>DE</i>).
payers-ask-address = { $kind ->
    [legal] Send the legal address (street, city, postcode).
    [individual] Send the address (street, city, postcode), or skip it.
   *[other] Send the address (street, city, postcode).
}
payers-ask-tax-number = { $kind ->
    [legal] Send the VAT or tax number (in the EU the VAT number, e.g. <i>DE136695976</i>; in Russia the INN, optionally as INN/KPP).
   *[other] Send the tax number (in Russia the 12-digit INN; in the EU the VAT number).
}
payers-ask-reg-number = Send the company registration number (in Russia the OGRN).
payers-ask-contact = Send the contact person's name.
payers-ask-email = Send the e-mail address to print on the invoices.
payers-step = <b>New payer: { $kind }</b> — step { $step } of { $steps }
payers-current = Current: { $value }
payers-current-none = Not given yet.
payers-skip = Skip
payers-summary =
    <b>New payer: { $kind }</b>
    Please check the details and save.
payers-save = ✅ Save
payers-saved = ✅ Payer saved.
payers-updated = ✅ Changed.
payers-default = ★ Default payer
payers-disabled = ⏸ Disabled: not offered for new payments
payers-edit = ✏ Edit
payers-make-default = ★ Make default
payers-default-set = ★ This is now your default payer.
payers-disable = ⏸ Disable
payers-enable = ▶ Enable
payers-enabled = ▶ Enabled.
payers-disabled-done = ⏸ Disabled. It stays on your records but is not offered for new payments.
payers-delete = 🗑 Delete
payers-delete-confirm = Delete the payer <b>{ $name }</b>?
payers-delete-yes = Yes, delete
payers-delete-no = No, keep it
payers-deleted = 🗑 Payer deleted.
payers-choose-kind = Who is the new payer?
payers-choose-field = What do you want to change for <b>{ $name }</b>?
payers-clear = Remove it
payers-pick = Which payer pays? (★ is your default)
payers-dialog-over = This dialog is over. Please start again from the menu.
payers-error-in-use = Something has been paid or invoiced for this payer, so it stays on the records: it cannot be deleted, only disabled.
payers-error-missing = This detail is required for this type of payer.
payers-error-name = Please send a name of 2 to { $limit } characters.
payers-error-contact = Please send the contact person's name, 2 to { $limit } characters.
payers-error-address = Please send an address of 5 to { $limit } characters.
payers-error-country = I do not know the country “{ $value }”. Send its name in English or Russian, or its ISO code (e.g. DE).
payers-error-tax-number = “{ $value }” is not a valid tax number for this country. Please check it.
payers-error-reg-number = “{ $value }” is not a valid registration number for this country. Please check it.
payers-error-country-numbers = The payer's numbers do not fit that country's formats. Change the numbers first, or add a new payer.
payers-error-too-many = You can have at most { $max } payers.
payers-error-disabled = This payer is disabled. Enable it first, or choose another one.
