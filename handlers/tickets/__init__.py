"""Support -> Tickets, and the ticket's side in the staff group (its topic and the relay into it).

Other sections open a ticket about one of the customer's services with a button to `question(service_id)`
(licences: "Question" and "Contact support" after a refused key; SSL certificates the same way). The staff
section answers with `answer_markup` and shows a ticket's status in its topic's name with `rename_topic`.
"""

from handlers.tickets.group import place_ticket, relay_customer, rename_topic, staff_group
from handlers.tickets.keyboards import TicketAction, TkCb, answer_markup, question
from handlers.tickets.router import router
from handlers.tickets.views import topic_title

__all__ = ["TicketAction", "TkCb", "answer_markup", "place_ticket", "question", "relay_customer", "rename_topic",
           "router", "staff_group", "topic_title"]
