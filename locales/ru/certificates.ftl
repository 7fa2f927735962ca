## SSL-сертификаты: список, подробности, ключ и CSR, проверка домена, файлы, перевыпуск, история

menu-button-certificates = 🔒 Сертификаты

certificate-state = { $state ->
    [csr] 📝 Ждёт CSR
    [validation] ⏳ Ждёт проверки домена
    [issued] ✅ Выпущен
    [expiring] ⚠️ Скоро истекает
    [expired] ⌛ Истёк
    [reissuing] 🔄 Перевыпуск
   *[other] { $state }
}
certificate-list-title = <b>SSL-сертификаты</b> · { $count }
certificate-list-empty = Сертификатов пока нет. Закажите сертификат, и он появится здесь.
certificate-until = оплачен до { $date }

certificate-details-title = <b>Сертификат { $domain }</b>
certificate-field-product = Продукт: { $product } — { $tariff }
certificate-field-names = Имена: { $names }
certificate-field-state = Статус: { $state }
certificate-field-service = Услуга: { $status ->
    [suspended] приостановлена
    [expired] истекла
   *[other] { $status }
}
certificate-field-paid-until = Оплачен до: { $date }
certificate-field-auto-renew = Автопродление: { $on ->
    [yes] включено
   *[no] выключено
}
certificate-field-valid = Действует до: { $date } · серийный номер <code>{ $serial }</code>
certificate-test-ca = ⚠️ Выпущен локальным ТЕСТОВЫМ УЦ: браузеры ему не доверяют.
certificate-key-none = Ключ: ещё не создан
certificate-key = Ключ: { $type ->
    [own] ваш собственный CSR (ключ остаётся у вас)
   *[other] { $type ->
        [ec256] EC P-256
        [rsa2048] RSA 2048
        [rsa3072] RSA 3072
       *[other] { $type }
    }, { $kept ->
        [yes] хранится на сервере в зашифрованном виде
       *[no] на сервере не хранится
    }
}
certificate-next-csr = <b>Следующий шаг:</b> создайте ключ и CSR здесь или пришлите свой CSR.
certificate-next-reissue = <b>Перевыпуск:</b> создайте новый ключ и CSR или пришлите новый CSR. До этого текущий сертификат продолжает действовать.
certificate-field-method = <b>Проверка домена:</b> { $method ->
    [dns] DNS-запись
    [http] HTTP-файл
   *[email] e-mail
}
certificate-dcv-dns =
    Добавьте в DNS домена TXT-запись (нажмите, чтобы скопировать):
    Имя: <code>{ $name }</code>
    Значение: <code>{ $value }</code>
certificate-dcv-http =
    Разместите файл по адресу:
    <code>{ $url }</code>
    с содержимым:
    <code>{ $content }</code>
certificate-dcv-email = Письмо для подтверждения придёт на <code>{ $email }</code>; перейдите по ссылке в нём.
certificate-last-check = Последняя проверка: { $time }

certificate-button-check = 🔍 Проверить сейчас
certificate-button-key = 🔑 Ключ и CSR
certificate-button-method = ✅ Способ проверки
certificate-button-names = 🌐 Дополнительные имена
certificate-button-files = 📁 Файлы
certificate-button-reissue = 🔄 Перевыпустить
certificate-button-reissue-cancel = ↩ Оставить текущий сертификат
certificate-button-history = 📜 История
certificate-button-open = 🔒 Открыть сертификат

certificate-key-choose =
    <b>Ключ и CSR для { $domain }</b>
    Имена: { $names }
    Бот может создать закрытый ключ и CSR для этих имён, или пришлите свой CSR.
certificate-key-type = { $type ->
    [ec256] Создать ключ EC P-256 (рекомендуется)
    [rsa2048] Создать ключ RSA 2048
   *[rsa3072] Создать ключ RSA 3072
}
certificate-button-own-csr = 📄 У меня свой CSR
certificate-key-keep-ask =
    Хранить закрытый ключ на сервере?
    Хранить: он хранится в зашифрованном виде, его (и файл PKCS#12) можно скачать в любой момент.
    Не хранить: вы получите его один раз файлом сейчас, копии на сервере не останется.
certificate-button-keep = 🔐 Хранить в зашифрованном виде
certificate-button-no-keep = 📤 Прислать один раз, не хранить
certificate-key-made = 🔑 Новый ключ { $type ->
    [ec256] EC P-256
    [rsa2048] RSA 2048
    [rsa3072] RSA 3072
   *[other] { $type }
} и CSR{ $kept ->
    [yes] , ключ хранится в зашифрованном виде.
   *[no] , ключ не хранится.
}
certificate-key-once = Ваш закрытый ключ. На сервере копии нет: сохраните файл, повторно он не присылается.
certificate-reissued = ✅ Новый сертификат выпущен.
certificate-ask-csr =
    Вставьте ваш CSR (PEM, начиная с <code>-----BEGIN CERTIFICATE REQUEST-----</code>) или пришлите его файлом.
    В нём должно быть имя { $domain }, допустимы имена: { $names }. Ключи RSA от 2048 бит или EC P-256/P-384.
certificate-csr-refused =
    ❌ Этот CSR не подходит: { $reason }
    Пришлите другой или отмените.
certificate-csr-accepted = ✅ CSR принят.

certificate-csr-error-parse = это не CSR (PEM или DER) или он повреждён.
certificate-csr-error-signature = его подпись не соответствует содержимому.
certificate-csr-error-key-weak = длина его ключа RSA { $bits } бит; нужно не меньше { $min }.
certificate-csr-error-key-curve = его ключ на кривой { $curve }; используйте P-256 или P-384.
certificate-csr-error-key-type = тип его ключа не поддерживается; используйте RSA или EC (P-256, P-384).
certificate-csr-error-domain-missing = в нём нет имени { $domain }.
certificate-csr-error-name-foreign = в нём есть имя { $name }, которого нет в этом сертификате ({ $names }).

certificate-method = { $method ->
    [dns] DNS-запись (TXT)
    [http] HTTP-файл
   *[email] Письмо подтверждающему
}
certificate-method-choose = <b>Как подтвердить владение { $domain }?</b> Способ можно менять до выпуска сертификата.
certificate-approver-choose = Адрес подтверждающего:
certificate-method-set = ✅ Проверка через { $method ->
    [dns] DNS-запись
    [http] HTTP-файл
   *[email] e-mail
}.
certificate-approver-set = ✅ Письмо для подтверждения придёт на { $email }.
certificate-ask-names =
    Пришлите дополнительные имена для { $domain } через запятую или пробел (не больше { $max }, каждое — { $base } или его поддомен) или <code>-</code>, если они не нужны.
    Уже добавлены: { $current }
certificate-names-set = ✅ Имена: { $names }
certificate-names-new-csr = CSR для прежних имён удалён: создайте новый.
certificate-san-outside = { $name } не относится к { $base }, домену, который проверяется.
certificate-san-too-many = В этот сертификат можно добавить не больше { $max } { $max ->
    [one] имени
   *[other] имён
}; вы прислали { $count }.

certificate-check-ok = ✅ Проверка пройдена{ $method ->
    [dns] : TXT-запись на месте
    [http] : файл на месте
   *[other] : подтверждающий ответил
}. Сертификат выпущен.
certificate-check-failed =
    ❌ Домен пока не подтверждён. { $method ->
        [dns] Запрошена TXT-запись <code>{ $where }</code>
        [http] Запрошен адрес <code>{ $where }</code>
       *[other] Ожидается подтверждение от { $where }
    }
    Ожидалось: <code>{ $expected }</code>
certificate-check-found = Найдено: { $count ->
    [0] TXT-записи нет
   *[other] { $found }
}
certificate-check-found-http = Найдено: HTTP { $status }, { $found }
certificate-check-email-waiting = Подтверждающий ещё не ответил.
certificate-check-error = Проверить не удалось: { $error ->
    [timeout] нет ответа вовремя
    [no-answer] DNS-серверы не ответили
    [no-resolver] не настроен DNS-сервер
    [unreachable] сервер недоступен
   *[other] { $error }
}. Попробуйте позже.

certificate-files = <b>Файлы { $domain }</b>: выберите файл, он придёт документом.
certificate-files-no-key = Закрытый ключ не хранится на сервере, поэтому ключа и файла PKCS#12 здесь нет.
certificate-button-private-key = 🔑 Закрытый ключ
certificate-button-p12 = 📦 PKCS#12 (.p12) с паролем
certificate-file-caption = { $file ->
    [bundle] Цепочка УЦ для { $domain } (промежуточный и корневой)
    [chain] Полная цепочка { $domain } (сертификат и промежуточный)
   *[other] Сертификат { $domain }
}
certificate-key-caption = Закрытый ключ { $domain }. Храните его в секрете.
certificate-ask-p12-password =
    Пришлите пароль для файла PKCS#12 { $domain } (от 8 до 64 символов). Сообщение будет удалено сразу после прочтения.
certificate-p12-password = Пароль должен быть от { $min } до { $max } символов, без пробелов в начале и в конце.
certificate-p12-caption = PKCS#12 для { $domain }: сертификат, закрытый ключ и цепочка, защищены вашим паролем.

certificate-reissue-ask =
    Перевыпустить { $domain } с новым ключом и CSR? Имена останутся прежними; текущий сертификат действует, пока не выпущен новый.
certificate-button-reissue-confirm = 🔄 Перевыпустить
certificate-button-reissue-keep = Оставить как есть
certificate-reissue-started = 🔄 Перевыпуск начат: создайте новый ключ и CSR или пришлите новый CSR.

certificate-not-editable = Параметры можно менять только до выпуска сертификата.
certificate-wrong-step = Этот шаг уже пройден; вот сертификат в его текущем состоянии.
certificate-no-key = Закрытый ключ не хранится на сервере.
certificate-service-inactive = Услуга этого сертификата не активна.
certificate-service-deleted = Услуга этого сертификата удалена — осталась только его история.
certificate-method-fixed = Этот сертификат можно подтвердить только { $method ->
    [dns] DNS-записью
    [http] HTTP-файлом
   *[other] по почте
} — выбирать не из чего.

certificate-history-title = <b>История { $domain }</b> · { $count }
certificate-history-line = { $time } · { $actor ->
    [customer] вы
    [staff] поддержка
    [ca] центр сертификации
   *[system] система
} · { $action ->
    [order] заказ
    [renewal] продление
    [auto_renew] автопродление
    [suspended] приостановка
    [expired] истечение срока
    [deleted] удаление
    [delete] удаление
    [ssl-key] созданы ключ и CSR
    [ssl-csr] прислан свой CSR
    [ssl-method] изменён способ проверки
    [ssl-approver] выбран другой адрес для подтверждения
    [ssl-sans] изменены имена
    [ssl-check] проверка домена
    [ssl-issued] сертификат выпущен
    [ssl-renewed] выпущен новый сертификат на оплаченный срок
    [ssl-reissue] начат перевыпуск
    [ssl-key-download] скачан закрытый ключ
    [ssl-p12] скачан PKCS#12
    [ssl-acme-order] открыт заказ в центре сертификации
    [ssl-acme-error] заказ отклонён
    [ssl-acme-answered] запрошена проверка домена
    [ssl-acme-failed] домен не подтверждён
    [ssl-revoked] отозван в центре сертификации
   *[other] { $action }
}
certificate-history-change = { $field ->
    [method] Проверка
    [approver] Подтверждающий
    [names] Дополнительные имена
    [auto_renew] Автопродление
    [status] Услуга
   *[paid] Оплачен до
}: { $old } → { $new }
certificate-method-word = { $method ->
    [dns] DNS
    [http] HTTP
    [email] e-mail
   *[other] { $method }
}
certificate-service-status = { $status ->
    [active] активна
    [suspended] приостановлена
    [expired] истекла
    [deleted] удалена
   *[other] { $status }
}
certificate-history-check = { $ok ->
    [yes] пройдена
   *[no] пока нет
}
certificate-history-issued = серийный номер { $serial }, действует до { $date }

certificate-notification-issued = 🔒 Сертификат для { $domain } выпущен: проверка домена пройдена. Файлы готовы.
certificate-notification-renewed = 🔒 Для { $domain } выпущен новый сертификат на оплаченный срок — действует до { $until }, ключ прежний. Установите новые файлы, пока не истёк старый сертификат.
certificate-http-wildcard = Wildcard-сертификат нельзя подтвердить HTTP-файлом.
