## Notification inbox (Support -> Notifications)

notifications-category-all = All
notifications-category-services = Services
notifications-category-finance = Finance
notifications-category-support = Support
notifications-category-news = News
notifications-category-security = Security

notifications-empty =
    🔔 <b>Notifications</b> · { $filter }

    Nothing here yet.
notifications-list =
    🔔 <b>Notifications</b> · { $filter }

    Unread: { $unread } of { $total }. Page { $page } of { $pages }.
    Tap a notification to open it.
notifications-item-unread = 🔵 { $date } · { $title }
notifications-item = { $date } · { $title }
notifications-button-newer = ‹ Newer
notifications-button-older = Older ›
notifications-button-filter = 🗂 Filter
notifications-button-read-all = ✓ Mark all read
notifications-filter-text = Show notifications about:
notifications-filter-chosen = ✓ { $name }
notifications-detail =
    <b>{ $category }</b> · { $date }

    { $text }

## Notifications themselves: the first line is the title shown in the inbox list

notification-news =
    📰 <b>{ $title }</b>

    { $text }
notification-service-expiring =
    ⏳ <b>{ $service } expires { $days ->
        [0] today
        [one] tomorrow
       *[other] in { $days } days
    }</b>

    Expiry date: { $expires }
    Renewal: { $price }, your balance: { $balance }.
notification-button-renew = 🔄 Renew now
notification-button-top-up = 💳 Top up { $amount }
notifications-button-preferences = ⚙️ Preferences
notifications-preferences-text =
    ⚙️ <b>Notification preferences</b>

    Tap a category to mute it or have it pushed again. Muted notifications still arrive in the inbox, without a message.
    Finance and security notices are required and cannot be muted.
notifications-pref-on = 🔔 { $name }
notifications-pref-muted = 🔕 { $name } (muted)
notifications-pref-required = 🔒 { $name } (required)
notifications-error-not-mutable = This category cannot be muted.

## Service expiry and renewal

notification-expiry-reminder-covered =
    ⏳ <b>{ $service } expires { $days ->
        [0] today
        [one] tomorrow
       *[other] in { $days } days
    }</b>

    { $product }, until { $expires }.
    Renewal: { $price }, your balance: { $balance }. Your balance covers the renewal.
notification-expiry-reminder-short =
    ⏳ <b>{ $service } expires { $days ->
        [0] today
        [one] tomorrow
       *[other] in { $days } days
    }</b>

    { $product }, until { $expires }.
    Renewal: { $price }, your balance: { $balance }. Top up { $shortfall } to renew.
notification-renewal-done =
    ✅ <b>{ $service } renewed</b>

    { $product }: { $months } { $months ->
        [one] month
       *[other] months
    } for { $price }, now until { $expires }.
    Balance: { $balance }.
notification-renewal-failed =
    ⚠️ <b>{ $service } could not be renewed</b>

    Auto-renewal of { $product } needs { $price }; your balance is { $balance }.
    Top up { $shortfall }: we try again every day until { $expires }.
notification-service-suspended =
    ⛔ <b>{ $service } is suspended</b>

    { $product } expired on { $expired } and was not renewed.
    Renew it before { $delete_on }, or it will be deleted.
notification-service-deleted =
    🗑 <b>{ $service } was deleted</b>

    { $product } expired on { $expired } and was not renewed.
notifications-unreadable = (This notification cannot be shown.)
