"""The staff group's side: ticket commands and answers in a ticket's topic, news, discount and promo code
commands; and who counts as staff (`StaffGate`, registered on the staff branch for every handler under it).
`staff_may` is the same rule for a staff command that lives outside the staff branch."""

from handlers.staff.gate import StaffGate, member_status, staff_may
from handlers.staff.router import router

__all__ = ["StaffGate", "member_status", "router", "staff_may"]
