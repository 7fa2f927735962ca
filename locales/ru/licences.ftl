## Лицензии и модули: список, подробности, название, IP-адрес, ключ активации, тариф, автопродление, удаление, история

menu-button-licences = 🔑 Лицензии

licence-status = { $status ->
    [active] ✅ Действует
    [suspended] ⏸ Действие приостановлено
    [expired] ⌛ Срок истёк
    [deleted] 🗑 В удалённых
   *[other] { $status }
}
licence-filter = { $filter ->
    [active] Активные
    [suspended] Приостановленные
    [expired] Истёкшие
    [deleted] Удалённые
   *[all] Все
}
licence-list-title = <b>Лицензии</b> · { $filter } · { $count }
module-list-title = <b>Модули</b> · { $filter } · { $count }
licence-list-empty = Здесь нет лицензий.
module-list-empty = Здесь нет модулей.
licence-on-licence = на { $licence }
licence-until = до { $date }
licence-button-filter = 🗂 Статус: { $filter }
licence-button-modules = 🧩 Модули
licence-button-licences = 🔑 Лицензии
licence-choose-filter = Какие услуги показать?

licence-details-title-licence = <b>Лицензия { $title }</b>
licence-details-title-module = <b>Модуль { $title }</b>
licence-field-product = Продукт: { $value }
licence-field-tariff = Тариф: { $value }
licence-field-name = Название: { $value }
licence-field-ip = IP-адрес: { $value }
licence-field-licence = Лицензия: { $value }
licence-field-status = Статус: { $value }
licence-field-period = Период: { $months } { $months ->
    [one] месяц
    [few] месяца
   *[other] месяцев
}
licence-field-ordered = Дата заказа: { $value }
licence-field-expires = Действует до: { $value }
licence-field-auto-renew = Автопродление: { $on ->
    [yes] включено
   *[no] выключено
}
licence-modules = <b>Модули ({ $count })</b>

licence-button-rename = ✏ Переименовать
licence-button-ip = 🌐 Сменить IP
licence-button-key = 🔑 Новый ключ активации
licence-button-tariff = 📦 Сменить тариф
licence-button-auto-renew = { $on ->
    [yes] 🔁 Автопродление: вкл.
   *[no] 🔁 Автопродление: выкл.
}
licence-button-history = 📜 История
licence-button-delete = 🗑 Удалить
licence-button-support = 💬 Написать в поддержку

licence-ask-name =
    Отправьте новое название для { $title } (от 1 до 64 символов).
    Текущее название: { $current }
licence-renamed = ✅ Название изменено.

licence-ask-ip =
    Отправьте новый публичный IPv4-адрес для { $title }, например <code>93.184.216.34</code>.
    Текущий адрес: { $current }
    Адрес можно менять раз в календарный месяц.
licence-ip-changed = ✅ IP-адрес изменён на { $ip }.
licence-ip-same = { $value } — это и есть текущий адрес лицензии.
licence-ip-limited =
    IP-адрес этой лицензии уже меняли в этом месяце. Следующая смена возможна с { $date }.
    Нужно раньше? Напишите в поддержку.

licence-key-confirm =
    Новый ключ активации для { $title }. Текущий ключ сразу перестанет действовать, панель нужно будет активировать новым.
    Новый ключ можно получить раз в 30 дней.
licence-button-key-confirm = 🔑 Получить новый ключ
licence-key-new =
    Новый ключ активации для { $title }:

    <code>{ $key }</code>

    Нажмите, чтобы скопировать. Старый ключ больше не действует; новый можно снова посмотреть кнопкой «Показать ключ» в карточке лицензии.
licence-button-show-key = 🔑 Показать ключ
licence-button-show-key-of = 🔑 Ключ лицензии { $service }
licence-key-current =
    Ключ активации { $title }:

    <code>{ $key }</code>

    Нажмите, чтобы скопировать. Храните его в надёжном месте: с ним можно активировать панель.
licence-notification-key = 🔑 Лицензия { $service } ({ $product }) готова. Нажмите «Показать ключ», чтобы увидеть ключ активации; в карточке лицензии его можно посмотреть снова в любой момент.
licence-key-limited =
    Новый ключ активации уже получали меньше 30 дней назад. Следующий возможен с { $date }.
    Нужно раньше? Напишите в поддержку.

licence-tariff-choose =
    <b>Смена тарифа { $title }</b> (сейчас { $tariff })
    За оставшиеся { $days } { $days ->
        [one] день
        [few] дня
       *[other] дней
    } до { $expires }: неиспользованная часть текущего тарифа возвращается, новый тариф списывается.
licence-tariff-none = Других тарифов у этого продукта нет.
licence-tariff-pay = к оплате { $amount }
licence-tariff-credit = { $amount } вернётся на баланс
licence-tariff-free = без доплаты
licence-tariff-confirm =
    <b>Перевести { $title } с { $old } на { $new }?</b>

    Осталось: { $days } { $days ->
        [one] день
        [few] дня
       *[other] дней
    } (до { $expires })
    Неиспользованная часть { $old }: −{ $unused }
    { $new } за оставшиеся дни: { $cost }
    Разница: { $total }
    Баланс: { $balance }
licence-tariff-short = На балансе не хватает { $shortfall }. Пополните баланс и смените тариф.
licence-button-tariff-confirm = ✅ Перейти на { $tariff }
licence-tariff-quote-changed = Цена изменилась с момента показа. Вот актуальная.
licence-tariff-already-changed = Тариф этой лицензии уже изменён { $changed }: повторно ничего не списано.
licence-tariff-covered = Баланса уже хватает на смену тарифа: пополнять не нужно.
licence-tariff-changed = ✅ Тариф изменён на { $tariff }: { $total }. Баланс: { $balance }.
licence-not-active = Изменить можно только активную услугу.

licence-auto-renew-set = { $on ->
    [yes] ✅ Автопродление включено: услуга продлевается с баланса до окончания срока.
   *[no] Автопродление выключено.
}
licence-auto-renew-state = { $on ->
    [yes] включено
   *[no] выключено
}

licence-delete-confirm-licence = <b>Удалить лицензию { $title } ({ $tariff })?</b> Лицензия перестанет работать и исчезнет из списка; история сохранится.
licence-delete-confirm-module = <b>Удалить модуль { $title } ({ $tariff })?</b> Модуль перестанет работать и исчезнет из списка; история сохранится.
licence-delete-modules = Вместе с ней { $count ->
    [one] будет удалён { $count } модуль
    [few] будут удалены { $count } модуля
   *[other] будут удалены { $count } модулей
}.
licence-delete-no-refund = Оплаченный период не возвращается.
licence-delete-refund = Неиспользованные дни, { $amount }, вернутся на баланс.
licence-button-delete-confirm = 🗑 Да, удалить { $title }
licence-button-delete-keep = Нет, оставить
licence-deleted = 🗑 Услуга { $title } удалена.
licence-deleted-refund = На баланс зачислено { $amount }.

licence-history-title = <b>История { $title }</b> · { $count }
licence-history-line = <i>{ $time }</i> · { $actor ->
    [customer] вы
    [staff] поддержка
   *[system] система
}: { $action ->
    [order] заказ
    [rename] переименование
    [ip] смена IP-адреса
    [key] новый ключ активации
    [tariff] смена тарифа
    [auto_renew] автопродление
    [renewal] продление
    [delete] удаление
    [suspended] приостановка
    [expired] истечение срока
    [deleted] удаление
   *[other] { $action }
}
licence-history-order = Тариф: { $tariff }, { $months } { $months ->
    [one] месяц
    [few] месяца
   *[other] месяцев
}, { $price }
licence-history-change = { $field ->
    [name] Название
    [ip] IP-адрес
    [tariff] Тариф
    [auto_renew] Автопродление
    [status] Статус
   *[expires] Оплачено до
}: { $old } → { $new }
licence-history-charged = Списано { $price }
licence-history-key = { $first ->
    [yes] Создан первый ключ активации.
   *[no] Прежний ключ активации перестал действовать.
}
