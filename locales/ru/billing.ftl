## Финансы: баланс, пополнения, платежи, расходы

menu-button-billing = 💰 Финансы
billing-text =
    <b>Финансы</b>

    Баланс: <b>{ $balance }</b>
billing-topup = ➕ Пополнить
billing-payments = Платежи
billing-expenses = Расходы
billing-export = 📄 Выгрузить месяц (CSV)
topup-choose =
    <b>Пополнение баланса</b> ({ $method })
    Выберите сумму или введите свою, от { $minimum } до { $maximum }.
topup-method-telegram-stars = оплата звёздами Telegram
topup-method-telegram-provider = оплата картой через Telegram
topup-custom = Другая сумма
topup-ask-amount = Отправьте сумму от { $minimum } до { $maximum }, например <code>25</code> или <code>12,50</code>.
topup-error-not-amount = «{ $value }» — не сумма. Отправьте число, например 25 или 12,50.
topup-error-too-small = Минимальное пополнение — { $minimum }.
topup-error-too-large = Максимальное пополнение — { $maximum }.
topup-credited = ✅ Платёж получен: зачислено { $amount }. Баланс: { $balance }.
invoice-title = Пополнение баланса
invoice-description = Пополнение баланса личного кабинета на { $amount }.
invoice-description-checkout = Пополнение на { $amount } для оплаты корзины; корзина оплатится, как только придёт платёж.
invoice-description-invoice = Оплата счёта { $number }: { $total }; на баланс поступит { $amount }.
invoice-label = Пополнение { $amount }
payment-rejected = Этот платёж не может быть принят.
payment-rejected-unknown = Счёт неизвестен или не ваш. Запросите новый в боте.
payment-rejected-paid = Этот счёт уже оплачен.
payment-rejected-cart-paid = Корзина, для которой было это пополнение, уже оплачена (заказ №{ $order }): ничего не списано.
payment-rejected-amount = Сумма не совпадает со счётом. Запросите новый в боте.
payment-duplicate-charge = Этот счёт уже оплачен другим платежом; поддержка разберётся.
billing-payments-title = Платежи
billing-expenses-title = Расходы
billing-payments-none = Платежей пока нет.
billing-expenses-none = Расходов пока нет.
billing-export-none = Выгружать пока нечего.
billing-export-choose = За какой месяц? (время — в вашем часовом поясе)
billing-export-caption = Операции за { $month }: { $count } { $count ->
    [one] запись
    [few] записи
   *[other] записей
}.
ledger-kind-topup = Пополнение
ledger-kind-charge = Списание
ledger-kind-refund = Возврат
ledger-kind-adjustment = Корректировка
billing-entry-charge = ↳ номер платежа в Telegram: <code>{ $charge }</code>
refund-usage = Использование: /refund &lt;telegram_payment_charge_id&gt;
refund-unknown = Платёж с charge id { $charge } не найден.
refund-not-stars = Через бота можно вернуть только платежи звёздами Telegram.
refund-already = Этот платёж уже возвращён.
refund-balance-spent = Клиент уже потратил деньги: баланс { $balance }, платёж { $amount }.
refund-telegram-refused = Telegram отказал в возврате: { $reason }
refund-confirm = ↩️ Вернуть { $stars } ⭐ клиенту { $user }? С его баланса спишется { $amount }, а Telegram вернёт звёзды. Charge id: <code>{ $charge }</code>
refund-button = ↩️ Вернуть { $amount }
staff-money-drop = ✖ Ничего не делать
staff-money-dropped = Ничего не сделано.
staff-money-gone = Этого больше нет: ничего не сделано.
refund-done = Возвращено { $amount } клиенту { $user }; запись в журнале создана.
refund-customer = ↩️ Ваш платёж на { $amount } возвращён, поэтому баланс уменьшился на { $amount }. Теперь на балансе { $balance }.
topup-credited-note = Платёж получен: на баланс зачислено { $amount }.
payment-rejected-in-progress = Этот счёт сейчас оплачивается. Если тот платёж не прошёл, попробуйте снова через две минуты.
topup-cart-covered = Баланса уже хватает на корзину: откройте корзину и нажмите «Оплатить».
payment-extra-staff = ⚠️ Пришёл второй платёж по уже оплаченному счёту: клиент { $user }, { $amount } (charge id <code>{ $charge }</code>). Он зачислен на баланс клиента; если клиент попросит, верните его командой /refund { $charge }.
payment-unmatched-staff = ⚠️ Пришёл платёж, который не подходит ни к одному счёту: клиент { $user }, { $total } { $currency } (charge id <code>{ $charge }</code>). Ничего не зачислено; вернуть его можно командой /refund { $charge }.
payment-extra-customer = Этот счёт уже был оплачен, поэтому платёж на { $amount } зачислен на ваш баланс. Баланс: { $balance }. Поддержка в курсе; если вы не собирались платить дважды, напишите в поддержку — мы вернём деньги.
payment-unmatched-customer = Мы получили ваш платёж, но не смогли сопоставить его со счётом. Поддержка уже в курсе и разберётся; ничего не потеряно.
