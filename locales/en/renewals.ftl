## Renewing a service from the balance ("Renew now" under a notification)

renew-confirm =
    🔄 <b>Renew { $service }</b>

    { $product }: { $months } { $months ->
        [one] month
       *[other] months
    } for { $price }.
    Now until { $expires }; after renewal until { $new_expires }.
    Your balance: { $balance }.
renew-button-card = 🔄 Renew now · { $price }
renew-button-confirm = ✅ Renew for { $price }
renew-short =
    🔄 <b>Renew { $service }</b>

    { $product }: { $months } { $months ->
        [one] month
       *[other] months
    } for { $price }.
    Your balance: { $balance }. Top up { $shortfall } to renew.
renew-short-alert = Your balance is { $shortfall } short of the renewal.
renew-by-card-hint = Automatic payments are on: { $shortfall } can be charged to { $card } now.
renew-button-by-card = 💳 Renew for { $price } (card pays the rest)
renew-covered-alert = Your balance already covers the renewal: tap “Renew now”.
renew-done =
    ✅ <b>{ $service } renewed</b> until { $expires }.

    { $product }: charged { $price }. Balance: { $balance }.
renew-already = { $service } has already been renewed: it is now valid until { $expires }.
renew-not-renewable = This service can no longer be renewed.
