## Settings: phone, e-mail, avatar, language, time zone; two-step authentication and guarded actions

menu-button-settings = ⚙️ Settings
command-settings = Settings: phone, language, time zone, 2FA
language-self-name = English

settings-text =
    ⚙️ <b>Settings</b>

    📱 Phone: { $phone }
    ✉️ E-mail: { $email }
    🖼 Avatar: { $avatar }
    🌐 Language: { $language }
    🕒 Time zone: { $zone } (now { $now })
    🔐 Two-step authentication: { $twofa }
settings-not-set = not set
settings-avatar-set = set
settings-avatar-none = none
settings-twofa-on = on
settings-twofa-off = off

settings-button-phone = 📱 Phone
settings-button-email = ✉️ E-mail
settings-button-avatar = 🖼 Avatar
settings-button-language = 🌐 Language
settings-button-time-zone = 🕒 Time zone
settings-button-twofa = 🔐 Two-step authentication
settings-button-reply-cancel = ✖ Cancel

settings-phone-ask =
    📱 <b>Phone</b>

    Current number: { $current }
    Share your contact with the button below, or type the number in international format, e.g. +44 7911 123456.
settings-phone-keyboard = ⬇️ The button below shares the number of your Telegram account.
settings-button-share-contact = 📱 Share my contact
settings-button-phone-remove = 🗑 Remove phone
settings-phone-invalid = This is not a valid phone number. Type it with the country code, e.g. +44 7911 123456.
settings-phone-foreign-contact = This is somebody else’s contact. Please share your own contact or type your number.
settings-phone-saved = ✅ Phone saved: { $phone }
settings-phone-removed = ✅ Phone removed.

settings-email-ask =
    ✉️ <b>E-mail</b>

    The address is printed on your invoices when no payer is chosen, and support sees it in your tickets. The bot sends no e-mail.
    Current address: { $current }
    Send the new address.
settings-button-email-remove = 🗑 Remove e-mail
settings-email-invalid = This does not look like an e-mail address. Please check it and send it again, e.g. name@example.com.
settings-email-saved = ✅ E-mail saved: { $email }
settings-email-removed = ✅ E-mail removed.

settings-avatar-ask =
    🖼 <b>Avatar</b>

    Send a photo, or an image as a file: PNG, JPEG or WebP, up to { $limit_mb } MB.
settings-button-avatar-remove = 🗑 Remove avatar
settings-avatar-current = Your avatar now is the picture above. Send another one to replace it, or remove it.
settings-avatar-current-none = You have no avatar yet.
settings-avatar-too-big = This file is too big: an avatar can be up to { $limit_mb } MB.
settings-avatar-not-image = This is not a PNG, JPEG or WebP image. Please send a photo.
settings-avatar-bad-size = The image must be at least { $min } and at most { $max } pixels on each side.
settings-avatar-saved = ✅ Avatar saved.
settings-avatar-removed = ✅ Avatar removed.

settings-language-text =
    🌐 <b>Language</b>

    Interface language: { $language }. Choose another one:
settings-language-saved = ✅ Language changed.

settings-tz-text =
    🕒 <b>Time zone</b>

    Your time zone: { $zone }, local time { $now }.
    Every date the bot shows is in this time zone. Choose a region, type a city or a zone name (e.g. Berlin or Europe/Berlin), or share your location.
settings-tz-region-text = 🕒 <b>{ $region }</b> · page { $page } of { $pages }
settings-tz-region-europe = Europe
settings-tz-region-asia = Asia
settings-tz-region-america = Americas
settings-tz-region-africa = Africa
settings-tz-region-oceania = Australia and Oceania
settings-tz-region-other = UTC and islands
settings-button-location = 📍 Share location
settings-button-share-location = 📍 Send my location
settings-tz-location-keyboard = ⬇️ The button below sends your location; only its time zone is kept.
settings-tz-location-unknown = No time zone is known for that place. Please choose one from the list or type a city.
settings-tz-not-found = No time zone matches “{ $query }”. Try a larger city nearby or a zone name, e.g. Europe/Berlin.
settings-tz-choose = Several time zones match “{ $query }”. Choose one:
settings-tz-unknown = “{ $query }” is not a time zone.
settings-tz-saved = ✅ Time zone: { $zone }, local time { $now }.

## Two-step authentication

twofa-text-off =
    🔐 <b>Two-step authentication</b> is off.

    With it on, deleting services, new activation keys, private keys, payment methods and your e-mail need a code from an authenticator app (Google Authenticator, Aegis, 1Password…), so a stolen Telegram account alone is not enough.
twofa-text-on =
    🔐 <b>Two-step authentication</b> is on.

    Sensitive actions ask for a code from your authenticator app. Unused recovery codes: { $left }.
twofa-button-enable = 🔐 Enable
twofa-button-disable = 🚫 Disable
twofa-button-disable-confirm = 🚫 Yes, disable
twofa-button-new-codes = 🔑 New recovery codes
twofa-button-saved = ✅ I have saved them
twofa-setup =
    🔐 <b>Enable two-step authentication</b>

    1. Scan this QR code with your authenticator app, or enter the key by hand:
    <code>{ $secret }</code>
    2. Send the 6-digit code the app shows.
twofa-enabled = ✅ Two-step authentication is on.
twofa-recovery-codes =
    🔑 <b>Recovery codes</b>

    If you lose your phone, each of these { $count } codes works once instead of an app code. They are shown only now: save them somewhere safe.

    { $codes }
twofa-disable-ask = Disable two-step authentication? Sensitive actions will no longer ask for a code.
twofa-disabled = ✅ Two-step authentication is off.
twofa-code-wrong = ❌ Wrong code. { $left ->
    [one] One more wrong code locks code entry for 15 minutes.
   *[other] Attempts left: { $left }.
}
twofa-code-reused = ❌ This code has already been used. Wait for the next code in your app.
twofa-setup-code-wrong = ❌ That code does not match. Check that the time on your phone is right and send the newest code from the app.
twofa-code-malformed = Send the 6-digit code from your authenticator app, or a recovery code.
twofa-locked = 🔒 Too many wrong codes: code entry is locked until { $until }.
twofa-locked-now = 🔒 Too many wrong codes: code entry is locked until { $until }. If this was not you, your Telegram account may be in someone else’s hands.
twofa-recovery-used = 🔑 A recovery code was used; { $left } left.
twofa-error-already-on = Two-step authentication is already on.
twofa-error-off = Two-step authentication is off.
twofa-error-code-required = This needs a code from your authenticator app first.

guard-ask-code =
    🔐 <b>Confirmation needed</b>

    Send the 6-digit code from your authenticator app, or a recovery code.
guard-unlocked = ✅ Code accepted. Sensitive actions need no code for the next { $minutes } minutes.
guard-button-continue = ▶️ Continue
guard-repeat = Please repeat what you were doing.

## Security notifications (first line: the title in the inbox)

notification-security-enabled =
    🔐 <b>Two-step authentication enabled</b>

    It was turned on { $at }.
notification-security-disabled =
    🔓 <b>Two-step authentication disabled</b>

    It was turned off { $at }. If this was not you, contact support at once.
notification-security-lockout =
    🔒 <b>Code entry locked</b>

    Five wrong two-step authentication codes in a row: code entry is locked until { $until }. If this was not you, someone may be using your Telegram account.
notification-security-recovery-regenerated =
    🔑 <b>New recovery codes</b>

    New recovery codes were made { $at }; the old ones no longer work.
notification-security-recovery-used =
    🔑 <b>Recovery code used</b>

    A recovery code was used { $at }. Codes left: { $left }.
