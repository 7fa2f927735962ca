## Заказ: продукт -> тариф -> период -> параметры -> итог -> корзина

menu-button-order = 🛒 Заказать
order-choose-product = <b>Заказ</b> — выберите продукт:
order-choose-tariff = <b>{ $product }</b> — выберите тариф:
order-price-per-month = { $price }/мес.
order-price-per-year = { $price }/год
order-period-option = { $months } { $months ->
    [one] месяц
    [few] месяца
   *[other] месяцев
} — { $price }
order-period-discount = (−{ $percent }%)
order-choose-period = <b>{ $product } { $tariff }</b> — выберите период:
order-module-needs-licence = Модуль устанавливается на одну из ваших лицензий ispmanager, а активных лицензий у вас пока нет. Сначала закажите лицензию.
order-module-licence-in-cart = Модуль устанавливается на действующую лицензию ispmanager, а ваша лицензия пока в корзине. Оплатите корзину — когда лицензия заработает, закажите модуль для неё здесь.
order-licence-first = Заказать лицензию
order-choose-licence = Для какой лицензии модуль?
order-ask-name =
    Дайте лицензии название, чтобы отличать её (до 64 символов), или пропустите.
    Текущее название: { $current }
order-skip-name = Пропустить
order-ask-ip = Отправьте публичный IPv4-адрес сервера для лицензии, например <code>93.184.216.34</code>.
order-ask-domain = Отправьте доменное имя для сертификата, например <code>example.com</code> (можно на кириллице).
order-ask-domain-wildcard = Отправьте домен для wildcard-сертификата, начиная с <code>*.</code>, например <code>*.example.com</code>.
order-param-name = Название: { $name }
order-param-ip = IP-адрес: { $ip }
order-param-domain = Домен: { $domain }
order-param-licence = Для лицензии #{ $licence }
order-summary =
    <b>Ваш заказ</b>

    { $product } — { $tariff }
    Период: { $months } { $months ->
        [one] месяц
        [few] месяца
       *[other] месяцев
    }
    { $params }
order-summary-price = Цена: { $list_price }
order-summary-discount = Скидка: −{ $discount }
order-summary-total = <b>Итого: { $total }</b>
order-to-cart = ✅ В корзину
order-added = Добавлено в корзину. В корзине { $count } { $count ->
    [one] позиция
    [few] позиции
   *[other] позиций
} на { $total }.
order-more = ➕ Заказать ещё
order-tariff-unavailable = Этот тариф больше не продаётся. Выберите другой.
order-period-unavailable = Период { $months } мес. недоступен для этого продукта.
order-licence-not-active = Эта лицензия не активна, модуль к ней добавить нельзя.

ip-error-malformed = «{ $value }» — не IPv4-адрес. Он выглядит так: 203.0.113.10.
ip-error-ipv6 = «{ $value }» — это IPv6-адрес, а для лицензии нужен IPv4-адрес сервера.
ip-error-unspecified = { $value } — «любой адрес», а не адрес сервера.
ip-error-loopback = { $value } — адрес обратной петли (только этот компьютер). Отправьте публичный адрес сервера.
ip-error-link-local = { $value } — локальный адрес канала, действует только внутри сегмента сети.
ip-error-multicast = { $value } — групповой (multicast) адрес, а не адрес сервера.
ip-error-broadcast = { $value } — широковещательный адрес.
ip-error-private = { $value } — частный адрес (вроде 10.x, 172.16–31.x, 192.168.x). Отправьте публичный адрес сервера.
ip-error-shared = { $value } — адрес операторского NAT (100.64.0.0/10), недоступный из интернета.
ip-error-documentation = { $value } зарезервирован для документации и примеров.
ip-error-reserved = { $value } — зарезервированный, а не публичный адрес.
domain-error-url = Отправьте только доменное имя, без http:// и пути.
domain-error-malformed = «{ $value }» — некорректное доменное имя.
domain-error-ip = «{ $value }» — это IP-адрес, а сертификат выпускается на доменное имя.
domain-error-wildcard-needed = Для wildcard-сертификата имя должно начинаться с *., например *.example.com.
domain-error-wildcard-not-allowed = «{ $value }» — wildcard-имя; выберите для него тариф Wildcard или отправьте обычный домен.
domain-error-wildcard-position = Символ * может стоять только отдельно в начале: *.example.com.
name-error-empty = Название пустое.
name-error-too-long = Название слишком длинное: { $length } символов, максимум { $max }.
service-kind-licence = Лицензия
service-kind-module = Модуль
service-kind-ssl = SSL-сертификат
