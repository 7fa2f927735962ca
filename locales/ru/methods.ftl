## Способы оплаты (Клиент -> Способы оплаты) и автоплатежи (Финансы -> Автоплатежи)

methods-button = 💳 Способы оплаты
methods-title = <b>Способы оплаты</b>
methods-none = Сохранённых способов оплаты пока нет. Добавьте способ, чтобы платить быстрее.
methods-card-label = { $brand } •••• { $last4 }
methods-telegram-label = Telegram Payments
methods-line-card = 💳 { $label }, действует до { $expires }
methods-line-telegram = ✈️ { $label }: каждый платёж открывает платёжную форму Telegram
methods-default-mark = ★ по умолчанию
methods-add = ➕ Добавить
methods-add-title =
    <b>Новый способ оплаты</b>

    Как вы хотите платить?
methods-add-card = 💳 Банковская карта (Stripe)
methods-add-telegram = ✈️ Telegram Payments
methods-add-bank = 🏦 Банковский перевод (для организаций)
methods-card-open-text =
    💳 <b>Добавить карту</b>

    Откройте защищённую страницу Stripe и введите там данные карты. Карта хранится в Stripe: у нас остаётся только ссылка Stripe на неё.
    Как только карта будет сохранена, здесь придёт сообщение.
methods-card-open-button = 🔒 Открыть защищённую страницу
methods-telegram-added = ✈️ Telegram Payments добавлен. Ничего не хранится: каждый платёж открывает платёжную форму Telegram.
methods-bank-text =
    🏦 <b>Банковский перевод</b>

    Для организаций: оплата по счёту. Выставьте счёт в разделе Финансы → Счета на плательщика-юрлицо и оплатите его переводом; баланс пополнится, когда поступят деньги.
methods-bank-needs-payer =
    🏦 <b>Банковский перевод</b>

    Оплата переводом — для юридических лиц и ИП. Сначала добавьте такого плательщика (Клиент → Плательщики), затем выставьте на него счёт в разделе Финансы → Счета и оплатите его переводом.
methods-bank-invoices = 🧾 Счета
methods-bank-add-payer = 👤 Добавить плательщика
methods-detail =
    <b>{ $label }</b>{ $default ->
        [yes] {" "}★
       *[no] {""}
    }
    { $details }
methods-detail-card = Карта { $brand } с последними цифрами { $last4 }, действует до { $expires }.
methods-detail-telegram = Каждый платёж открывает платёжную форму Telegram; ничего не хранится.
methods-rename = ✏️ Переименовать
methods-make-default = ★ Использовать по умолчанию
methods-remove = 🗑 Удалить
methods-rename-ask = Отправьте новое название для { $label } (до { $max } символов).
methods-renamed = ✅ Переименовано.
methods-default-set = ★ Теперь по умолчанию используется { $label }.
methods-remove-confirm = Удалить { $label }? Автоплатежи с него прекратятся.
methods-remove-yes = 🗑 Да, удалить
methods-remove-no = ✖ Нет, оставить
methods-removed = 🗑 { $label } удалён.
methods-removed-autopay-off = 🗑 { $label } удалён. Автоплатежи с него отключены.
methods-card-saved-note = 💳 Карта { $brand } •••• { $last4 } сохранена. Теперь можно включить автоплатежи в разделе Финансы.
methods-error-stripe = Stripe сейчас не отвечает. Попробуйте через несколько минут.
methods-error-no-cards = Оплата картой здесь не принимается.
methods-error-too-many = Можно хранить не больше { $max } способов оплаты. Сначала удалите один.
methods-error-name-empty = Название не может быть пустым.
methods-error-name-long = Название может быть не длиннее { $max } символов.

## Автоплатежи

methods-autopay-billing-button = 🔁 Автоплатежи
methods-autopay-text-off =
    🔁 <b>Автоплатежи: выключены</b>

    Если при продлении или оформлении заказа баланса не хватает, недостающая сумма может списываться с сохранённой карты автоматически — в пределах месячного лимита.
methods-autopay-text-on =
    🔁 <b>Автоплатежи: включены</b>

    Карта: { $card }
    Месячный лимит: { $limit } (в этом месяце списано: { $used })
    После { $max } отклонённых списаний подряд автоплатежи отключатся.
methods-autopay-need-card = Для автоплатежей нужна сохранённая карта. Сначала добавьте её.
methods-autopay-button-on = ✅ Включить
methods-autopay-button-off = ⏸ Выключить
methods-autopay-button-limit = ✏️ Месячный лимит
methods-autopay-button-card = 💳 Другая карта
methods-autopay-button-add-card = ➕ Добавить карту
methods-autopay-choose-card = С какой карты списывать?
methods-autopay-ask-limit = Отправьте месячный лимит автоплатежей, например 50 или 99,90.
methods-autopay-enabled = ✅ Автоплатежи включены.
methods-autopay-disabled = ⏸ Автоплатежи выключены.
methods-autopay-error-no-card = Для автоплатежей нужна сохранённая карта.
methods-autopay-error-limit = Месячный лимит должен быть положительной суммой.
methods-autopay-button-topup = 💳 Пополнить на { $amount }
methods-autopay-charged-note = 💳 С карты { $brand } •••• { $last4 } списано { $amount } { $reason ->
        [renewal] за продление { $service }
       *[checkout] за заказ
    }.
methods-autopay-failed-note =
    ⚠️ Автоплатёж { $amount } { $reason ->
        [renewal] за продление { $service }
       *[checkout] за заказ
    } не прошёл: { $error ->
        [authentication_required] карта { $brand } •••• { $last4 } требует подтверждения, которое нельзя дать автоматически
        [expired_card] срок действия карты { $brand } •••• { $last4 } истёк
        [insufficient_funds] на карте { $brand } •••• { $last4 } недостаточно средств
       *[other] карта { $brand } •••• { $last4 } отклонена
    }.
    Пополните баланс вручную, чтобы услуги продолжали работать.
methods-autopay-off-note = ⏸ Автоплатежи отключены после { $failures } отклонённых списаний с карты { $brand } •••• { $last4 }. Включить их снова можно в разделе Финансы → Автоплатежи.
methods-autopay-limit-note = ⚠️ Автоплатёж { $amount } превысил бы месячный лимит { $limit }, поэтому он не выполнен. Пополните баланс вручную или увеличьте лимит.
methods-checkout-charged = 💳 С карты { $card } списано { $amount }.
methods-checkout-declined = ⚠️ Автоплатёж с карты { $card } не прошёл.
methods-checkout-limit = ⚠️ Автоплатёж превысил бы месячный лимит.
