## Финансы -> Счета (экраны, PDF, команда сотрудников /paid)

invoices-button = 🧾 Счета
invoices-title = <b>Счета</b>
invoices-none = Счетов пока нет. Получите счёт на пополнение или на корзину.
invoices-intro = Новые сверху. Выберите счёт, чтобы посмотреть его, получить PDF или отменить.
invoices-list-item = { $number } · { $total } · { $status }
invoices-status-awaiting = ожидает оплаты
invoices-status-issued = выставлен
invoices-status-paid = оплачен
invoices-status-cancelled = отменён
invoices-new-topup = ➕ Счёт на пополнение
invoices-new-cart = ➕ Счёт на корзину
invoices-ask-amount = Отправьте сумму пополнения для счёта, от { $minimum } до { $maximum } (без НДС), например <code>250</code>.
invoices-head = <b>Счёт { $number }</b> — { $status }
invoices-total-line = <b>Итого: { $total }</b>
invoices-awaiting-hint = Оплатите банковским переводом по реквизитам из PDF, указав номер <b>{ $number }</b>. Баланс пополнится, как только поступит перевод.
invoices-issued-hint = Нажмите «Оплатить», чтобы оплатить его в боте; счёт — ваш документ.
invoices-pay = 💳 Оплатить { $total }
invoices-error-bank-transfer = Этот счёт оплачивается банковским переводом по реквизитам из PDF.
invoices-paid-in-bot = Счёт { $number } оплачен.
invoices-open = 🧾 Счёт { $number }
invoices-cart-changed = Корзина изменилась с тех пор, как был показан этот список. Нажмите «Счёт на корзину» ещё раз — счёт будет на корзину в её нынешнем виде.
invoices-pdf = 📄 PDF
invoices-pdf-caption = Счёт { $number }
invoices-cancel = ✖ Отменить счёт
invoices-cancel-confirm = Отменить счёт <b>{ $number }</b>? После отмены не оплачивайте его.
invoices-cancel-yes = Да, отменить
invoices-cancel-no = Нет, оставить
invoices-error-already-paid = Счёт { $number } уже оплачен { $paid }: повторно ничего не списано.
invoices-error-not-open = Этот счёт уже оплачен или отменён.
invoices-error-not-bank-transfer = Этот счёт оплачивается не переводом: клиент оплачивает его в боте.
invoices-pdf-title = Счёт { $number }
invoices-issued = Дата: { $date }
invoices-due = Оплатить до: { $date }
invoices-status-line = Статус: { $status }
invoices-seller = Продавец
invoices-buyer = Покупатель
invoices-vendor-tax-id = ИНН / VAT: { $value }
invoices-implied-payer = частное лицо
invoices-column-description = Наименование
invoices-column-amount = Сумма
invoices-line-topup = Пополнение баланса личного кабинета
invoices-line-item = { $product } — { $tariff }, { $months ->
    [one] { $months } месяц
    [few] { $months } месяца
   *[other] { $months } месяцев
}
invoices-subtotal = Сумма без НДС
invoices-vat = НДС { $rate }%
invoices-vat-none = НДС не облагается.
invoices-total = Итого
invoices-pay-by-transfer = Оплатите банковским переводом, указав в назначении платежа номер счёта { $number }:
invoices-pay-in-bot = Оплата в боте личного кабинета.
invoices-staff-usage = Использование: /paid &lt;номер счёта&gt;, например /paid 2026-000123
invoices-staff-unknown = Счёта с номером { $number } нет.
invoices-staff-already-paid = Счёт { $number } уже оплачен; повторно ничего не зачислено.
invoices-staff-confirm = Отметить счёт { $number } оплаченным? На баланс клиента { $user } поступит { $amount }{ $cart ->
    [1] , и из них оплатится корзина, под которую выставлен счёт.
   *[other] .
}
invoices-staff-button-paid = ✅ Оплачен: зачислить { $amount }
invoices-staff-paid = Счёт { $number } отмечен оплаченным: { $amount } зачислено клиенту { $user }.
invoices-staff-order = Корзина оплачена: заказ #{ $order }.
invoices-staff-cart-not-paid = Корзина изменилась или не может быть оплачена сейчас; деньги остались на балансе клиента.
invoices-paid-note = ✅ Перевод по счёту { $number } поступил: { $amount } зачислено на баланс.
invoices-order-note = ✅ Корзина по счёту { $number } оплачена: заказ #{ $order }, услуг: { $count }.
invoices-cart-not-paid-note = Корзина изменилась после счёта { $number }, поэтому не оплачена автоматически. Деньги на балансе: откройте корзину, чтобы оплатить.
