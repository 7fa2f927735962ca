## Licences and modules: list, details, rename, IP address, activation key, tariff, auto-renewal, delete, history

menu-button-licences = 🔑 Licences

licence-status = { $status ->
    [active] ✅ Active
    [suspended] ⏸ Suspended
    [expired] ⌛ Expired
    [deleted] 🗑 Deleted
   *[other] { $status }
}
licence-filter = { $filter ->
    [active] Active
    [suspended] Suspended
    [expired] Expired
    [deleted] Deleted
   *[all] All
}
licence-list-title = <b>Licences</b> · { $filter } · { $count }
module-list-title = <b>Modules</b> · { $filter } · { $count }
licence-list-empty = No licences here.
module-list-empty = No modules here.
licence-on-licence = on { $licence }
licence-until = until { $date }
licence-button-filter = 🗂 Status: { $filter }
licence-button-modules = 🧩 Modules
licence-button-licences = 🔑 Licences
licence-choose-filter = Which services to show?

licence-details-title-licence = <b>Licence { $title }</b>
licence-details-title-module = <b>Module { $title }</b>
licence-field-product = Product: { $value }
licence-field-tariff = Tariff: { $value }
licence-field-name = Name: { $value }
licence-field-ip = IP address: { $value }
licence-field-licence = Licence: { $value }
licence-field-status = Status: { $value }
licence-field-period = Period: { $months } { $months ->
    [one] month
   *[other] months
}
licence-field-ordered = Ordered: { $value }
licence-field-expires = Expires: { $value }
licence-field-auto-renew = Auto-renewal: { $on ->
    [yes] on
   *[no] off
}
licence-modules = <b>Modules ({ $count })</b>

licence-button-rename = ✏ Rename
licence-button-ip = 🌐 Change IP
licence-button-key = 🔑 New activation key
licence-button-tariff = 📦 Change tariff
licence-button-auto-renew = { $on ->
    [yes] 🔁 Auto-renewal: on
   *[no] 🔁 Auto-renewal: off
}
licence-button-history = 📜 History
licence-button-delete = 🗑 Delete
licence-button-support = 💬 Contact support

licence-ask-name =
    Send a new name for { $title } (1 to 64 characters).
    Current name: { $current }
licence-renamed = ✅ Renamed.

licence-ask-ip =
    Send the new public IPv4 address for { $title }, e.g. <code>93.184.216.34</code>.
    Current address: { $current }
    The address can be changed once a calendar month.
licence-ip-changed = ✅ IP address changed to { $ip }.
licence-ip-same = { $value } is already this licence's address.
licence-ip-limited =
    The IP address of this licence was already changed this month. The next change is possible from { $date }.
    Need it sooner? Contact support.

licence-key-confirm =
    A new activation key for { $title }. The current key stops working at once and the panel has to be activated with the new one.
    A new key can be generated once in 30 days.
licence-button-key-confirm = 🔑 Generate a new key
licence-key-new =
    New activation key for { $title }:

    <code>{ $key }</code>

    Tap it to copy. The old key no longer works; “Show key” on the licence card shows this one again.
licence-button-show-key = 🔑 Show key
licence-button-show-key-of = 🔑 Key of licence { $service }
licence-key-current =
    Activation key of { $title }:

    <code>{ $key }</code>

    Tap it to copy. Keep it safe: anyone with it can activate the panel.
licence-notification-key = 🔑 Licence { $service } ({ $product }) is ready. Tap “Show key” for its activation key; the licence card shows it again whenever you need it.
licence-key-limited =
    A new activation key was generated less than 30 days ago. The next one is possible from { $date }.
    Need it sooner? Contact support.

licence-tariff-choose =
    <b>Change tariff of { $title }</b> (now { $tariff })
    For the remaining { $days } { $days ->
        [one] day
       *[other] days
    } until { $expires }: the unused part of the current tariff is credited, the new one charged.
licence-tariff-none = There is no other tariff for this product.
licence-tariff-pay = pay { $amount }
licence-tariff-credit = { $amount } back to the balance
licence-tariff-free = no charge
licence-tariff-confirm =
    <b>Switch { $title } from { $old } to { $new }?</b>

    Remaining: { $days } { $days ->
        [one] day
       *[other] days
    } (until { $expires })
    Unused { $old }: −{ $unused }
    { $new } for the remaining days: { $cost }
    Difference: { $total }
    Balance: { $balance }
licence-tariff-short = Your balance is short by { $shortfall }. Top up, then change the tariff.
licence-button-tariff-confirm = ✅ Switch to { $tariff }
licence-tariff-quote-changed = The price changed since it was shown. Here is the current one.
licence-tariff-already-changed = This licence's tariff was already changed on { $changed }: nothing was charged again.
licence-tariff-covered = Your balance already covers this tariff change: no top-up is needed.
licence-tariff-changed = ✅ Tariff changed to { $tariff }: { $total }. Balance: { $balance }.
licence-not-active = Only an active service can be changed.

licence-auto-renew-set = { $on ->
    [yes] ✅ Auto-renewal is on: the service is renewed from the balance before it expires.
   *[no] Auto-renewal is off.
}
licence-auto-renew-state = { $on ->
    [yes] on
   *[no] off
}

licence-delete-confirm-licence = <b>Delete licence { $title } ({ $tariff })?</b> The licence stops working and leaves the list; its history is kept.
licence-delete-confirm-module = <b>Delete module { $title } ({ $tariff })?</b> The module stops working and leaves the list; its history is kept.
licence-delete-modules = Its { $count } { $count ->
    [one] module is
   *[other] modules are
} deleted too.
licence-delete-no-refund = The paid period is not refunded.
licence-delete-refund = The unused days, { $amount }, go back to your balance.
licence-button-delete-confirm = 🗑 Yes, delete { $title }
licence-button-delete-keep = No, keep it
licence-deleted = 🗑 { $title } deleted.
licence-deleted-refund = { $amount } credited to the balance.

licence-history-title = <b>History of { $title }</b> · { $count }
licence-history-line = <i>{ $time }</i> · { $actor ->
    [customer] you
    [staff] support
   *[system] system
}: { $action ->
    [order] ordered
    [rename] renamed
    [ip] IP address changed
    [key] new activation key
    [tariff] tariff changed
    [auto_renew] auto-renewal switched
    [renewal] renewed
    [delete] deleted
    [suspended] suspended
    [expired] expired
    [deleted] deleted
   *[other] { $action }
}
licence-history-order = Tariff: { $tariff }, { $months } { $months ->
    [one] month
   *[other] months
}, { $price }
licence-history-change = { $field ->
    [name] Name
    [ip] IP address
    [tariff] Tariff
    [auto_renew] Auto-renewal
    [status] Status
   *[expires] Paid until
}: { $old } → { $new }
licence-history-charged = Charged { $price }
licence-history-key = { $first ->
    [yes] The first activation key was made.
   *[no] The previous activation key stopped working.
}
