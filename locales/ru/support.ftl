## Раздел «Поддержка»

menu-button-support = 💬 Поддержка
support-text =
    <b>Поддержка</b>

    Уведомления об услугах, платежах и обращениях, а также связь с нашей командой.
support-button-notifications = { $unread ->
    [0] 🔔 Уведомления
   *[other] 🔔 Уведомления (новых: { $unread })
}
