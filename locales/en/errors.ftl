## Errors shown to the user

error-unexpected =
    Sorry, something went wrong on our side. Nothing was changed; please try again.
    If it happens again, tell support this reference: <code>{ $ref }</code>
error-generic = This cannot be done right now.
error-not-found = Not found. It may have been removed, or it is not yours.
error-invalid-input = That does not look right. Please check and try again.
error-unknown-locale = The language “{ $locale }” is not available.
throttled = You are going a little fast. Please wait a second and try again.
error-secret-unreadable = A stored secret cannot be read with the current encryption key. Please contact support.
