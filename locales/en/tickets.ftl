## Support tickets (Support -> Tickets, New ticket, Archived tickets) and the staff group

tickets-button-list = { $active ->
    [0] 🎫 Tickets
   *[other] 🎫 Tickets ({ $active } active)
}
tickets-button-new = ✍️ New ticket
tickets-button-archive = 🗄 Archived tickets
tickets-button-question = ❓ Question
tickets-status = { $status ->
    [open] 🆕 Open
    [answered] 💬 Answered
    [awaiting] ⏳ Awaiting support
    [closed] ✅ Closed
    [archived] 🗄 Archived
   *[other] { $status }
}
tickets-department = { $department ->
    [billing] Billing
    [technical] Technical
    [sales] Sales
   *[other] { $department }
}
tickets-service-kind = { $kind ->
    [licence] licence
    [module] module
    [ssl] SSL certificate
   *[other] { $kind }
}

tickets-list-empty =
    <b>Tickets</b>

    You have no tickets yet. Write to us with “New ticket”.
tickets-list-title =
    <b>Tickets</b> — { $total } (page { $page } of { $pages })

    Active and recently closed, latest activity first.
tickets-archive-empty =
    <b>Archived tickets</b>

    Nothing archived yet.
tickets-archive-title =
    <b>Archived tickets</b> — { $total } (page { $page } of { $pages })

    Closed requests kept for reference; they are read-only.
tickets-list-item = #{ $ticket } { $subject } · { $status } · { $date }

tickets-ticket-title = 🎫 <b>Ticket #{ $ticket }</b> — { $subject }
tickets-ticket-info = Department: { $department } · Status: { $status }
tickets-ticket-service = Service: { $service }
tickets-ticket-dates = Opened: { $opened } · Last activity: { $activity }
tickets-ticket-rating = Your rating: { $stars }
tickets-ticket-earlier = … { $count } earlier messages
tickets-ticket-archived = 🗄 This ticket is archived and read-only. Open a new ticket if you need more help.
tickets-message = <b>{ $author }</b>, { $time }:
    { $text }
tickets-author-you = You
tickets-author-staff = Support
tickets-author-staff-named = Support ({ $name })
tickets-attachment-photo = 🖼 Photo
tickets-attachment-document = 📄 { $name }

tickets-button-reply = ✏️ Reply
tickets-button-close = ✅ Close ticket
tickets-button-reopen = 🔄 Reopen
tickets-button-done = ✔️ Done
tickets-button-open = 🎫 Open ticket
tickets-button-rate = ⭐ Rate the answer
tickets-button-close-confirm = ✅ Yes, close it
tickets-button-keep = « Keep it open
tickets-button-send = 📨 Send ticket
tickets-button-no-service = No particular service

tickets-reply-ask =
    <b>Reply to ticket #{ $ticket }</b> — { $subject }

    Write your message. Photos and documents are sent too. Press “Done” when you have finished.
tickets-reply-sent = ✅ Sent to support (ticket #{ $ticket }). Write more, or press “Done”.
tickets-close-confirm = Close ticket #{ $ticket } “{ $subject }”? You can reopen it for a few days after closing.
tickets-closed = ✅ The ticket is closed. How did we do? Rate the answer below.
tickets-reopened = 🔄 The ticket is open again.
tickets-rated = ⭐ Thank you! Your rating: { $rating } of 5.
tickets-created = ✅ Ticket #{ $ticket } is filed. We will answer here; you will get a message when we do.

tickets-new-department = <b>New ticket</b>

    Which department is it for?
tickets-new-service = Which of your services is it about?
tickets-new-subject = Type the subject in one line (up to 100 characters).
tickets-new-body = Describe your question or problem.
tickets-new-files = Attach up to { $limit } photos or documents if they help, or press “Send ticket”.
tickets-new-attached = 📎 Attached { $count } of { $limit }. Add more, or press “Send ticket”.
tickets-new-expired = This form is no longer open. Start a new ticket from Support.

tickets-error-department = Choose one of the departments offered.
tickets-error-subject = The subject must be one line of 1 to { $limit } characters.
tickets-error-body = The message must be 1 to { $limit } characters long.
tickets-error-too-many = At most { $limit } attachments. Press “Send ticket” to file it.
tickets-error-closed = This ticket is closed. Reopen it, or open a new ticket.
tickets-error-reopen-expired = A ticket can be reopened within { $days } days after closing. Please open a new ticket.
tickets-error-unsupported = Only text, photos and documents can be sent to support.
tickets-error-rating = Choose from 1 to 5 stars.
tickets-error-rate-open = You can rate the answer once the ticket is closed.

tickets-answer = 💬 <b>Support</b> · ticket #{ $ticket } “{ $subject }”
tickets-answer-named = 💬 <b>Support ({ $name })</b> · ticket #{ $ticket } “{ $subject }”
tickets-notify-reply = 💬 Support answered in ticket #{ $ticket } “{ $subject }”.
tickets-notify-closed =
    ✅ Ticket #{ $ticket } “{ $subject }” was closed by support.

    Please rate the answer — it helps us improve.
tickets-news = 📰 <b>News:</b> { $text }

## The staff group (shown in the default language)

tickets-header-title = 🎫 <b>#{ $ticket } { $subject }</b> · { $department }
tickets-header-customer = 👤 { $name } ({ $username }, id { $id })
tickets-header-language = 🌐 Language: { $language }
tickets-header-contacts = ☎️ { $phone } · ✉️ { $email }
tickets-header-payer = 🧾 Payer: { $payer } ({ $kind }, { $country }, tax number { $tax })
tickets-header-balance = 💰 Balance: { $balance }
tickets-header-charge = 💳 { $time } · { $amount }{ $currency ->
    [XTR] {" "}({ $stars } ⭐)
   *[other] {""}
} · charge <code>{ $charge }</code>{ $refunded ->
    [1] {" "}· refunded
   *[other] {""}
}
tickets-header-services = 📦 Services: { $count }
tickets-header-service = • { $name } ({ $kind }) — { $status }, until { $expires }, { $ip }
tickets-header-linked = 🔗 <b>About this service:</b>
tickets-header-history = Recent history:
tickets-header-event = · { $time } — { $actor }: { $action }
tickets-group-customer = 👤 <b>{ $name }</b> · #{ $ticket }
    { $text }
tickets-group-customer-file = 👤 <b>{ $name }</b> · #{ $ticket } { $text }
tickets-group-closed-by-customer = ✅ The customer closed ticket #{ $ticket }.
tickets-group-reopened-by-customer = 🔄 The customer reopened ticket #{ $ticket }.
tickets-group-rated = ⭐ The customer rated the answer to ticket #{ $ticket }: { $rating } of 5.

staff-help =
    🛠 <b>Staff commands</b> (🔒 administrators only)

    <b>In a ticket's topic</b> (without topics: as a reply to a ticket's message)
    Any text, photo or document goes to the customer.
    /close — close the ticket; /reopen — open it again
    /note &lt;text&gt; — an internal note the customer does not see
    /assign @username — who handles the ticket

    <b>In the General topic</b>
    /news &lt;text&gt; — news to every customer, after a preview

    <b>Anywhere in the group</b>
    /discounts &lt;user_id&gt; — a customer's discounts
    🔒 /discount &lt;user_id&gt; &lt;10% | 5.00&gt; … &lt;reason&gt; — give a discount
    🔒 /revoke &lt;discount_id&gt; — take a discount back
    /promo list — promo codes
    🔒 /promo new &lt;CODE&gt; … — a new promo code; 🔒 /promo off &lt;CODE&gt; — switch one off
    🔒 /paid &lt;invoice number&gt; — a bank transfer arrived (asks to confirm)
    🔒 /refund &lt;charge id&gt; — give a Stars payment back (asks to confirm)
    /help — this list
tickets-staff-no-ticket = Use this in a ticket's topic (or as a reply to a ticket's message).
staff-admins-only = Only the group's administrators can do this: it moves money or prices.
tickets-staff-closed = This ticket is closed: nothing was sent. /reopen it first.
tickets-staff-undelivered = ⚠️ Not delivered: the customer cannot be reached now. The answer is in their inbox.
tickets-staff-unsupported = Not sent: only texts, photos and documents reach the customer.
tickets-staff-already-closed = This ticket is already closed.
tickets-staff-closed-done = ✅ Ticket #{ $ticket } closed by { $name }. The customer was asked to rate the answer.
tickets-staff-reopened = 🔄 Ticket #{ $ticket } is open again.
tickets-staff-already-open = Ticket #{ $ticket } is open.
tickets-staff-note-usage = Usage: /note &lt;text&gt; — an internal note, never sent to the customer.
tickets-staff-noted = 📝 Note saved. The customer does not see it.
tickets-staff-assign-usage = Usage: /assign @username
tickets-staff-assigned = 👷 Ticket #{ $ticket } is assigned to @{ $username }.
tickets-news-general-only = Post news from the General topic.
tickets-news-usage = Usage: /news &lt;text&gt; — sent to every customer after a preview.
tickets-news-preview =
    📰 <b>News preview</b>

    { $text }

    Send it to every customer?
tickets-news-button-send = 📨 Send to everyone
tickets-news-button-drop = ✖️ Cancel
tickets-news-expired = This preview is no longer valid. Post /news again.
tickets-news-dropped = ✖️ News cancelled.
tickets-news-sent =
    📨 News sent to { $count } { $count ->
        [one] customer
       *[other] customers
    }.

    { $text }
