## Входящие уведомления (Поддержка -> Уведомления)

notifications-category-all = Все
notifications-category-services = Услуги
notifications-category-finance = Финансы
notifications-category-support = Поддержка
notifications-category-news = Новости
notifications-category-security = Безопасность

notifications-empty =
    🔔 <b>Уведомления</b> · { $filter }

    Здесь пока ничего нет.
notifications-list =
    🔔 <b>Уведомления</b> · { $filter }

    Непрочитанных: { $unread } из { $total }. Страница { $page } из { $pages }.
    Нажмите на уведомление, чтобы открыть его.
notifications-item-unread = 🔵 { $date } · { $title }
notifications-item = { $date } · { $title }
notifications-button-newer = ‹ Новее
notifications-button-older = Старше ›
notifications-button-filter = 🗂 Фильтр
notifications-button-read-all = ✓ Прочитать все
notifications-filter-text = Показывать уведомления:
notifications-filter-chosen = ✓ { $name }
notifications-detail =
    <b>{ $category }</b> · { $date }

    { $text }

## Сами уведомления: первая строка — заголовок в списке

notification-news =
    📰 <b>{ $title }</b>

    { $text }
notification-service-expiring =
    ⏳ <b>{ $service }: { $days ->
        [0] срок истекает сегодня
        [one] срок истекает через { $days } день
        [few] срок истекает через { $days } дня
       *[other] срок истекает через { $days } дней
    }</b>

    Дата окончания: { $expires }
    Продление: { $price }, ваш баланс: { $balance }.
notification-button-renew = 🔄 Продлить
notification-button-top-up = 💳 Пополнить на { $amount }
notifications-button-preferences = ⚙️ Настройки уведомлений
notifications-preferences-text =
    ⚙️ <b>Настройки уведомлений</b>

    Нажмите на категорию, чтобы отключить или снова включить её сообщения. Отключённые уведомления по-прежнему попадают во входящие, но без сообщения в чате.
    Финансовые уведомления и уведомления безопасности обязательны и не отключаются.
notifications-pref-on = 🔔 { $name }
notifications-pref-muted = 🔕 { $name } (отключено)
notifications-pref-required = 🔒 { $name } (обязательно)
notifications-error-not-mutable = Эту категорию нельзя отключить.

## Окончание срока и продление услуг

notification-expiry-reminder-covered =
    ⏳ <b>{ $service }: { $days ->
        [0] срок истекает сегодня
        [one] срок истекает через { $days } день
        [few] срок истекает через { $days } дня
       *[other] срок истекает через { $days } дней
    }</b>

    { $product }, действует до { $expires }.
    Продление: { $price }, ваш баланс: { $balance }. Баланса хватает на продление.
notification-expiry-reminder-short =
    ⏳ <b>{ $service }: { $days ->
        [0] срок истекает сегодня
        [one] срок истекает через { $days } день
        [few] срок истекает через { $days } дня
       *[other] срок истекает через { $days } дней
    }</b>

    { $product }, действует до { $expires }.
    Продление: { $price }, ваш баланс: { $balance }. Пополните баланс на { $shortfall }, чтобы продлить.
notification-renewal-done =
    ✅ <b>{ $service }: срок продлён</b>

    { $product }: { $months } мес. за { $price }, теперь до { $expires }.
    Баланс: { $balance }.
notification-renewal-failed =
    ⚠️ <b>{ $service }: не удалось продлить</b>

    Автопродление ({ $product }) стоит { $price }, а на балансе { $balance }.
    Пополните баланс на { $shortfall }: мы будем пробовать каждый день до { $expires }.
notification-service-suspended =
    ⛔ <b>{ $service }: услуга приостановлена</b>

    { $product }: срок истёк { $expired }, услуга не продлена.
    Продлите её до { $delete_on }, иначе она будет удалена.
notification-service-deleted =
    🗑 <b>{ $service }: услуга удалена</b>

    { $product }: срок истёк { $expired }, услуга не была продлена.
notifications-unreadable = (Это уведомление не удаётся показать.)
