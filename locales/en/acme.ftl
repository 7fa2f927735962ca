## Certificates from an ACME CA (Let's Encrypt and the like): what to publish, the order's state, the CA's refusals

acme-order-state = { $state ->
    [none] The order at the CA is not open yet: press “Check now”.
    [awaiting] Publish the values below, then press “Check now”.
    [validating] The CA is checking your records now. Nothing to do: you will be told when the certificate is out.
    [ready] Every name is confirmed; the CA is about to sign the certificate.
    [finalizing] The CA is signing the certificate. It takes a minute at most.
    [done] The certificate is issued.
    [failed] The CA did not issue the certificate.
   *[other] { $state }
}
acme-publish-dns = { $name }: a TXT record <code>{ $where }</code> with the value <code>{ $value }</code>
acme-publish-http = { $name }: a file at <code>{ $where }</code> whose content is <code>{ $value }</code>
acme-publish-valid = { $name }: confirmed ✅
acme-untrusted = ⚠️ Issued by { $ca }, a test or staging certificate authority: browsers do not trust it.
acme-publish-after-csr = The values to publish appear here once the key and CSR are in: the certificate authority hands them out for the CSR's names.
acme-publish-wildcard-note = A wildcard and its base domain need two TXT records of the same name, one with each value: add the second, do not replace the first.
acme-method-unavailable = This certificate authority does not offer validation by { $method ->
    [email] e-mail
    [http] HTTP file
   *[other] { $method }
}. Choose a DNS record or an HTTP file.

acme-error-other = The certificate authority refused the request. Try again in a few minutes; if it happens again, write to support and quote the certificate's history.
acme-error-rate-limited = The certificate authority has issued as many certificates for { $name } as it allows for now (rate limit). Nothing is wrong with your records: try again in an hour, or in a few days if it repeats.
acme-error-rejected-identifier = The certificate authority will not issue a certificate for { $name }: it refuses this name by its policy. Check the spelling; if the name is right, write to support.
acme-error-caa = A CAA record of { $name } forbids this certificate authority to issue for it. Add a CAA record allowing it (or remove the CAA records), wait a few minutes, then try again.
acme-error-dns = The certificate authority could not read the DNS of { $name } (no answer, or an error from its name servers). Check that the domain's name servers work, then try again.
acme-error-connection = The certificate authority could not connect to { $name } to fetch the validation file. Check that the site answers on port 80 from the internet (firewall, DNS A/AAAA records), then try again.
acme-error-unauthorized = The certificate authority did not find the expected value for { $name }: the record or the file changed or vanished before it looked. Publish the new values shown and check again.
acme-error-bad-csr = The certificate authority refused the certificate request (CSR): its key or names do not fit. Make a new key or upload another CSR.
acme-error-server = The certificate authority had an internal error. Nothing is wrong on your side: the bot tries again by itself.
acme-error-unreachable = The certificate authority cannot be reached right now. Your records are kept: the bot tries again by itself.
acme-error-timeout = The certificate authority did not finish the order in time. Press “Try again” to start a fresh one.
acme-error-account = The certificate authority refuses our account. This is for us to fix: support has been told; please write to them if it lasts.

acme-notification-failed = ⚠️ The certificate for { $domain } was not issued: the certificate authority refused the validation. Open the certificate to see why and try again.
acme-notification-renewal-validation = 🔒 The certificate for { $domain } is due for renewal and the certificate authority asks to confirm the domain again. Open the certificate, publish the new values and press “Check now”.
acme-button-retry = 🔁 Try again
acme-button-file = 📄 Validation file
acme-file-caption = The validation file: publish it at <code>{ $url }</code>, under exactly this name and with this content.

acme-check-passed = ✅ <code>{ $where }</code>: the expected value is there.
acme-check-submitted = ✅ Everything is in place: the certificate authority is validating now. Nothing more to do: you will get a message when the certificate is issued.
acme-check-in-progress = ⏳ The certificate authority is validating already. Nothing to do: you will get a message when the certificate is issued.
acme-retried = 🔁 A fresh order is open at the certificate authority: publish the new values below, then press “Check now”.

acme-history-order = { $purpose ->
    [reissue] for the reissue
    [renew] for the renewal
   *[other] for the certificate
}: { $names } · <code>{ $url }</code>
acme-history-answered = { $method ->
    [http] HTTP file
   *[other] DNS record
} · <code>{ $url }</code>
acme-history-revoked = serial { $serial } · { $reason ->
    [superseded] replaced by a new certificate
   *[other] the service ended
}
