## SSL certificates: list, details, key and CSR, validation, files, reissue, history

menu-button-certificates = 🔒 Certificates

certificate-state = { $state ->
    [csr] 📝 Awaiting CSR
    [validation] ⏳ Awaiting validation
    [issued] ✅ Issued
    [expiring] ⚠️ Expiring
    [expired] ⌛ Expired
    [reissuing] 🔄 Reissuing
   *[other] { $state }
}
certificate-list-title = <b>SSL certificates</b> · { $count }
certificate-list-empty = No certificates yet. Order one and it appears here.
certificate-until = paid until { $date }

certificate-details-title = <b>Certificate { $domain }</b>
certificate-field-product = Product: { $product } — { $tariff }
certificate-field-names = Names: { $names }
certificate-field-state = Status: { $state }
certificate-field-service = Service: { $status ->
    [suspended] suspended
    [expired] expired
   *[other] { $status }
}
certificate-field-paid-until = Paid until: { $date }
certificate-field-auto-renew = Auto-renewal: { $on ->
    [yes] on
   *[no] off
}
certificate-field-valid = Valid until: { $date } · serial <code>{ $serial }</code>
certificate-test-ca = ⚠️ Issued by the local TEST CA: browsers do not trust it.
certificate-key-none = Key: not made yet
certificate-key = Key: { $type ->
    [own] your own CSR (the key stays with you)
   *[other] { $type ->
        [ec256] EC P-256
        [rsa2048] RSA 2048
        [rsa3072] RSA 3072
       *[other] { $type }
    }, { $kept ->
        [yes] kept on the server, encrypted
       *[no] not kept on the server
    }
}
certificate-next-csr = <b>Next step:</b> make a key and CSR here, or send your own CSR.
certificate-next-reissue = <b>Reissue:</b> make a new key and CSR, or send a new CSR. The current certificate stays valid until then.
certificate-field-method = <b>Validation:</b> { $method ->
    [dns] DNS record
    [http] HTTP file
   *[email] e-mail
}
certificate-dcv-dns =
    Add this TXT record to the domain's DNS (tap to copy):
    Name: <code>{ $name }</code>
    Value: <code>{ $value }</code>
certificate-dcv-http =
    Publish a file at this address:
    <code>{ $url }</code>
    with this content:
    <code>{ $content }</code>
certificate-dcv-email = The approval e-mail goes to <code>{ $email }</code>; follow the link in it.
certificate-last-check = Last check: { $time }

certificate-button-check = 🔍 Check now
certificate-button-key = 🔑 Key and CSR
certificate-button-method = ✅ Validation method
certificate-button-names = 🌐 Additional names
certificate-button-files = 📁 Files
certificate-button-reissue = 🔄 Reissue
certificate-button-reissue-cancel = ↩ Keep the current certificate
certificate-button-history = 📜 History
certificate-button-open = 🔒 Open the certificate

certificate-key-choose =
    <b>Key and CSR for { $domain }</b>
    Names: { $names }
    The bot can make a private key and a CSR for these names, or you send your own CSR.
certificate-key-type = { $type ->
    [ec256] Make an EC P-256 key (recommended)
    [rsa2048] Make an RSA 2048 key
   *[rsa3072] Make an RSA 3072 key
}
certificate-button-own-csr = 📄 I have my own CSR
certificate-key-keep-ask =
    Keep the private key on the server?
    Kept: it is stored encrypted and you can download it (and a PKCS#12 file) any time.
    Not kept: you get it once as a file now and the server keeps no copy.
certificate-button-keep = 🔐 Keep it, encrypted
certificate-button-no-keep = 📤 Send it once, keep no copy
certificate-key-made = 🔑 New { $type ->
    [ec256] EC P-256
    [rsa2048] RSA 2048
    [rsa3072] RSA 3072
   *[other] { $type }
} key and CSR{ $kept ->
    [yes] , key kept encrypted.
   *[no] , key not kept.
}
certificate-key-once = Your private key. The server keeps no copy: store this file safely, it is not sent again.
certificate-reissued = ✅ The new certificate is issued.
certificate-ask-csr =
    Paste your CSR (PEM, from <code>-----BEGIN CERTIFICATE REQUEST-----</code>) or send it as a file.
    It must name { $domain } and may name: { $names }. RSA keys of 2048 bits or more, or EC P-256/P-384.
certificate-csr-refused =
    ❌ This CSR cannot be used: { $reason }
    Send another one, or cancel.
certificate-csr-accepted = ✅ CSR accepted.

certificate-csr-error-parse = it is not a CSR (PEM or DER) or it is damaged.
certificate-csr-error-signature = its signature does not match its contents.
certificate-csr-error-key-weak = its RSA key has { $bits } bits; at least { $min } are needed.
certificate-csr-error-key-curve = its key uses the curve { $curve }; use P-256 or P-384.
certificate-csr-error-key-type = its key type is not supported; use RSA or EC (P-256, P-384).
certificate-csr-error-domain-missing = it does not name { $domain }.
certificate-csr-error-name-foreign = it names { $name }, which is not in this certificate ({ $names }).

certificate-method = { $method ->
    [dns] DNS record (TXT)
    [http] HTTP file
   *[email] E-mail to an approver
}
certificate-method-choose = <b>How to prove control of { $domain }?</b> It can be changed until the certificate is issued.
certificate-approver-choose = Approver address:
certificate-method-set = ✅ Validation by { $method ->
    [dns] DNS record
    [http] HTTP file
   *[email] e-mail
}.
certificate-approver-set = ✅ The approval e-mail goes to { $email }.
certificate-ask-names =
    Send the additional names for { $domain }, separated by commas or spaces (at most { $max }, each { $base } or under it), or <code>-</code> for none.
    Names added so far: { $current }
certificate-names-set = ✅ Names: { $names }
certificate-names-new-csr = The CSR made for the old names was dropped: make a new one.
certificate-san-outside = { $name } is not under { $base }, the domain being validated.
certificate-san-too-many = This certificate takes at most { $max } additional { $max ->
    [one] name
   *[other] names
}; you sent { $count }.

certificate-check-ok = ✅ Validation passed{ $method ->
    [dns] : the TXT record is there
    [http] : the file is there
   *[other] : the approver confirmed
}. The certificate is issued.
certificate-check-failed =
    ❌ Not validated yet. { $method ->
        [dns] Looked up TXT <code>{ $where }</code>
        [http] Fetched <code>{ $where }</code>
       *[other] Asked for the approval by { $where }
    }
    Expected: <code>{ $expected }</code>
certificate-check-found = Found: { $count ->
    [0] no TXT record
   *[other] { $found }
}
certificate-check-found-http = Found: HTTP { $status }, { $found }
certificate-check-email-waiting = The approver has not confirmed yet.
certificate-check-error = The check failed: { $error ->
    [timeout] no answer in time
    [no-answer] the DNS servers did not answer
    [no-resolver] no DNS server is configured
    [unreachable] the server could not be reached
   *[other] { $error }
}. Try again later.

certificate-files = <b>Files of { $domain }</b>: choose one; it comes as a document.
certificate-files-no-key = The private key is not kept on the server, so there is no key or PKCS#12 file here.
certificate-button-private-key = 🔑 Private key
certificate-button-p12 = 📦 PKCS#12 (.p12) with a password
certificate-file-caption = { $file ->
    [bundle] CA bundle of { $domain } (intermediate and root)
    [chain] Full chain of { $domain } (certificate and intermediate)
   *[other] Certificate of { $domain }
}
certificate-key-caption = Private key of { $domain }. Keep it secret.
certificate-ask-p12-password =
    Send a password for the PKCS#12 file of { $domain } (8 to 64 characters). The message is deleted right after reading.
certificate-p12-password = The password must be { $min } to { $max } characters, without spaces at either end.
certificate-p12-caption = PKCS#12 of { $domain }: certificate, private key and chain, protected by your password.

certificate-reissue-ask =
    Reissue { $domain } with a new key and CSR? The names stay; the current certificate keeps working until the new one is issued.
certificate-button-reissue-confirm = 🔄 Reissue
certificate-button-reissue-keep = Keep as it is
certificate-reissue-started = 🔄 Reissue started: make a new key and CSR, or send a new CSR.

certificate-not-editable = The parameters can be changed only before the certificate is issued.
certificate-wrong-step = This step is done already; here is the certificate as it is now.
certificate-no-key = The private key is not kept on the server.
certificate-service-inactive = This certificate's service is not active.
certificate-service-deleted = This certificate's service is deleted: only its history is left.
certificate-method-fixed = This certificate can be validated only by { $method ->
    [dns] a DNS record
    [http] an HTTP file
   *[other] e-mail
}: there is nothing to choose.

certificate-history-title = <b>History of { $domain }</b> · { $count }
certificate-history-line = { $time } · { $actor ->
    [customer] you
    [staff] support
    [ca] the CA
   *[system] system
} · { $action ->
    [order] ordered
    [renewal] renewed
    [auto_renew] auto-renewal switched
    [suspended] suspended
    [expired] expired
    [deleted] deleted
    [delete] deleted
    [ssl-key] key and CSR made
    [ssl-csr] own CSR sent
    [ssl-method] validation method changed
    [ssl-approver] approver changed
    [ssl-sans] names changed
    [ssl-check] validation checked
    [ssl-issued] certificate issued
    [ssl-renewed] new certificate for the paid term issued
    [ssl-reissue] reissue started
    [ssl-key-download] private key downloaded
    [ssl-p12] PKCS#12 downloaded
    [ssl-acme-order] order opened at the CA
    [ssl-acme-error] refused the order
    [ssl-acme-answered] asked to validate
    [ssl-acme-failed] refused the validation
    [ssl-revoked] revoked at the CA
   *[other] { $action }
}
certificate-history-change = { $field ->
    [method] Validation
    [approver] Approver
    [names] Additional names
    [auto_renew] Auto-renewal
    [status] Service
   *[paid] Paid until
}: { $old } → { $new }
certificate-method-word = { $method ->
    [dns] DNS
    [http] HTTP
    [email] e-mail
   *[other] { $method }
}
certificate-service-status = { $status ->
    [active] active
    [suspended] suspended
    [expired] expired
    [deleted] deleted
   *[other] { $status }
}
certificate-history-check = { $ok ->
    [yes] passed
   *[no] not yet
}
certificate-history-issued = serial { $serial }, valid until { $date }

certificate-notification-issued = 🔒 The certificate for { $domain } is issued: validation passed. Its files are ready.
certificate-notification-renewed = 🔒 A new certificate for { $domain } is issued for the term you paid, valid until { $until }, with the same key. Install the new files before the old certificate runs out.
certificate-http-wildcard = A wildcard certificate cannot be validated with an HTTP file.
