## Ordering: product -> tariff -> period -> parameters -> summary -> cart

menu-button-order = 🛒 Order
order-choose-product = <b>Order</b> — choose a product:
order-choose-tariff = <b>{ $product }</b> — choose a tariff:
order-price-per-month = { $price }/month
order-price-per-year = { $price }/year
order-period-option = { $months } { $months ->
    [one] month
   *[other] months
} — { $price }
order-period-discount = (−{ $percent }%)
order-choose-period = <b>{ $product } { $tariff }</b> — choose the period:
order-module-needs-licence = A module is installed on one of your ispmanager licences, and you have no active licence yet. Order a licence first.
order-module-licence-in-cart = A module is installed on an active ispmanager licence. Your licence is still in the cart: pay the cart, and once the licence is active, order the module for it here.
order-licence-first = Order a licence
order-choose-licence = Which licence is the module for?
order-ask-name =
    Give the licence a name to tell it apart (up to 64 characters), or skip.
    Current name: { $current }
order-skip-name = Skip
order-ask-ip = Send the public IPv4 address of the server the licence is for, e.g. <code>93.184.216.34</code>.
order-ask-domain = Send the domain name for the certificate, e.g. <code>example.com</code> (international names are fine).
order-ask-domain-wildcard = Send the domain for the wildcard certificate starting with <code>*.</code>, e.g. <code>*.example.com</code>.
order-param-name = Name: { $name }
order-param-ip = IP address: { $ip }
order-param-domain = Domain: { $domain }
order-param-licence = For licence #{ $licence }
order-summary =
    <b>Your order</b>

    { $product } — { $tariff }
    Period: { $months } { $months ->
        [one] month
       *[other] months
    }
    { $params }
order-summary-price = Price: { $list_price }
order-summary-discount = Discount: −{ $discount }
order-summary-total = <b>Total: { $total }</b>
order-to-cart = ✅ To cart
order-added = Added to the cart. The cart has { $count } { $count ->
    [one] item
   *[other] items
} for { $total }.
order-more = ➕ Order more
order-tariff-unavailable = This tariff is no longer sold. Please choose another one.
order-period-unavailable = A period of { $months } months is not available for this product.
order-licence-not-active = That licence is not active, so a module cannot be added to it.

ip-error-malformed = “{ $value }” is not an IPv4 address. It should look like 203.0.113.10.
ip-error-ipv6 = “{ $value }” is an IPv6 address; the licence needs the server's IPv4 address.
ip-error-unspecified = { $value } is the “any address”, not a server's address.
ip-error-loopback = { $value } is a loopback address (this machine only). Send the server's public address.
ip-error-link-local = { $value } is a link-local address, valid only on a local network segment.
ip-error-multicast = { $value } is a multicast address, not a single server.
ip-error-broadcast = { $value } is the broadcast address.
ip-error-private = { $value } is a private address (like 10.x, 172.16–31.x, 192.168.x). Send the server's public address.
ip-error-shared = { $value } is a carrier-grade NAT address (100.64.0.0/10), not reachable from the internet.
ip-error-documentation = { $value } is reserved for documentation and examples.
ip-error-reserved = { $value } is a reserved address, not a public one.
domain-error-url = Send only the domain name, without http:// or a path.
domain-error-malformed = “{ $value }” is not a valid domain name.
domain-error-ip = “{ $value }” is an IP address; a certificate here is issued for a domain name.
domain-error-wildcard-needed = A wildcard certificate needs a name starting with *., e.g. *.example.com.
domain-error-wildcard-not-allowed = “{ $value }” is a wildcard name; choose the Wildcard tariff for it, or send a plain domain.
domain-error-wildcard-position = The * may only stand alone as the first part: *.example.com.
name-error-empty = The name is empty.
name-error-too-long = The name is too long: { $length } characters, at most { $max }.
service-kind-licence = Licence
service-kind-module = Module
service-kind-ssl = SSL certificate
