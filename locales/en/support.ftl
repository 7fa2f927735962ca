## Support section

menu-button-support = 💬 Support
support-text =
    <b>Support</b>

    Notifications about your services, payments and requests, and help from our team.
support-button-notifications = { $unread ->
    [0] 🔔 Notifications
   *[other] 🔔 Notifications ({ $unread } new)
}
