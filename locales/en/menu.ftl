## Main menu, help and navigation

menu-text =
    <b>Client area</b>

    Hello, { $name }! Here you manage your licences, certificates, payments and support requests.
    Choose a section.
menu-button-help = ❓ Help
button-back = « Back
button-main-menu = ☰ Main menu
button-cancel = ✖ Cancel

help-text =
    <b>Help</b>

    Use the buttons under the messages to move around; every screen has a way back.
    When the bot asks you to type something, /cancel stops and returns to the screen you started from.

    Commands:
    /start — open the client area
    /menu — main menu
    /settings — your settings and two-step authentication
    /support — support and notifications
    /help — this help
    /cancel — leave the current dialog

cancel-done = Cancelled. Nothing was changed.
cancel-nothing = There is nothing to cancel.
start-link-unknown = This link is not valid (any more). Here is the main menu.
unknown-text = I did not understand that. Please use the menu buttons below.
dialog-unexpected-input = I expected something else here. Please answer the question above, or send /cancel to stop.

command-start = Open the client area
command-menu = Main menu
command-help = Help
command-cancel = Leave the current dialog
