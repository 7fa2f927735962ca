## Discounts and promo codes

menu-button-discounts = 🎁 Discounts
discounts-title = <b>Your discounts</b> — { $count }
discounts-none =
    <b>Discounts</b>

    You have no discounts right now. Got a promo code? Enter it below.
discounts-how = The cart applies them by itself: each item gets the one that saves you most.
discounts-item = • { $value } off { $scope }
discounts-item-until = , until { $until }
discounts-item-once = , for one order
discounts-more = …and { $count } more
discounts-value-percent = { $percent } %
discounts-value-fixed = { $amount }
discounts-scope-all = everything
discounts-scope-product = { $product }
discounts-scope-tariff = the { $tariff } tariff
discounts-scope-period = { $months }-month periods
discounts-from-promo = promo code { $code }
discounts-cart-line = 🎁 { $value } ({ $reason }): −{ $amount }
discounts-button-enter-code = 🎟 Enter a promo code
discounts-button-open = 🎁 My discounts
discounts-notification-granted =
    🎁 <b>You have a new discount</b>: { $kind ->
        [percent] { $percent } %
       *[fixed] { $amount }
    } off { $scope ->
        [product] { $target }
        [tariff] the { $target } tariff
        [period] { $target }-month periods
       *[all] everything
    }{ $has_until ->
        [yes] , until { $until }
       *[no] {""}
    }.
    { $reason }

promo-ask = Send the promo code.
promo-link-confirm = Apply the promo code <b>{ $code }</b>?
promo-button-apply = ✅ Apply the code
promo-applied-discount = ✅ Code <b>{ $code }</b> applied: { $value } off your next order.
promo-applied-credit = ✅ Code <b>{ $code }</b> applied: { $amount } added to your balance. Balance: { $balance }.
promo-error-unknown = There is no promo code “{ $code }”. Check the spelling and send it again.
promo-error-disabled = The promo code { $code } is no longer valid.
promo-error-expired = The promo code { $code } has expired.
promo-error-used-up = The promo code { $code } has been used as many times as allowed.
promo-error-already-used = You have already used the promo code { $code }.
promo-error-first-order = The promo code { $code } is only for a first order, and you have ordered before.

discounts-error-usage = Not enough for a discount.
discounts-error-user = “{ $user }” is not a customer id (a number).
discounts-error-value = “{ $value }” is not an amount or a percentage (10% or 5.00).
discounts-error-percent = “{ $value }” must be more than 0 % and at most 100 %.
discounts-error-scope = “{ $scope }” is not a scope: all, product:&lt;code&gt;, tariff:&lt;code&gt; or period:&lt;months&gt;.
discounts-error-date = “{ $value }” is not a date: until:YYYY-MM-DD.
discounts-error-date-past = “{ $value }” is in the past.
discounts-error-reason = Give a reason: the customer sees it.
discounts-error-reason-long = The reason can be at most { $max } characters.
discounts-error-no-customer = There is no customer { $user }.
discounts-error-product = There is no product “{ $code }” in the catalogue.
discounts-error-tariff = There is no tariff “{ $code }” in the catalogue.
discounts-error-unknown = There is no active discount #{ $id }.
discounts-staff-usage =
    Usage: <code>/discount &lt;user_id&gt; &lt;10% | 5.00&gt; [all | product:&lt;code&gt; | tariff:&lt;code&gt; | period:&lt;months&gt;] [until:YYYY-MM-DD] &lt;reason&gt;</code>
    Example: <code>/discount 1001 10% product:ispmanager until:2027-06-30 Loyal customer</code>
discounts-staff-granted = ✅ Discount #{ $id } for customer { $user }:
    { $discount }
discounts-staff-list-usage = Usage: <code>/discounts &lt;user_id&gt;</code>
discounts-staff-list-empty = Customer { $user } has no discounts.
discounts-staff-list = <b>Discounts of customer { $user }</b>
discounts-staff-list-item = #{ $id } [{ $status }] { $discount }
discounts-status-active = active
discounts-status-revoked = revoked
discounts-status-used = used
discounts-status-expired = expired
discounts-staff-revoke-usage = Usage: <code>/revoke &lt;discount_id&gt;</code>
discounts-staff-revoked = ✅ Discount #{ $id } of customer { $user } is revoked.

promo-error-usage = Not enough for a promo code.
promo-error-code-format = “{ $code }” cannot be a code: 3-32 letters, digits, _ or -.
promo-error-uses = “{ $value }” is not a number of uses: uses:N.
promo-error-option = “{ $option }” is not an option.
promo-error-credit-scope = A balance credit has no scope.
promo-error-exists = The code { $code } exists already.
promo-staff-usage =
    Usage:
    <code>/promo new &lt;CODE&gt; &lt;10% | 5.00 | credit:5.00&gt; [uses:N] [once] [first] [until:YYYY-MM-DD] [product:&lt;code&gt; | tariff:&lt;code&gt; | period:&lt;months&gt;]</code>
    <code>/promo list</code>
    <code>/promo off &lt;CODE&gt;</code>
    once: once per customer (credits always are); first: only before a first order.
promo-staff-created = ✅ Promo code created:
    { $promo }
promo-staff-list = <b>Promo codes</b>
promo-staff-list-empty = There are no promo codes.
promo-staff-item = <b>{ $code }</b>{ $source }: { $what } ({ $limits })
promo-staff-discount = { $value } off { $scope }
promo-staff-credit = { $amount } to the balance
promo-staff-uses = used { $uses } of { $max }
promo-staff-once = once per customer
promo-staff-first = first order only
promo-staff-until = until { $until }
promo-staff-off = switched off
promo-staff-source-file = {" "}(catalogue file)
promo-staff-disabled = ✅ The promo code { $code } is switched off.
