## Корзина и оплата

menu-button-cart = 🧺 Корзина
cart-empty = Корзина пуста.
cart-title = <b>Корзина</b> — { $count } { $count ->
    [one] позиция
    [few] позиции
   *[other] позиций
}
cart-line = <b>{ $number }. { $product } — { $tariff }</b>, { $months } { $months ->
    [one] месяц
    [few] месяца
   *[other] месяцев
}
cart-for-licence = для лицензии #{ $licence }
cart-line-unavailable = больше не продаётся — удалите, чтобы оплатить
cart-line-discounted = { $price } <s>{ $list_price }</s>
cart-discount = Скидка: −{ $discount }
cart-total = <b>Итого: { $total }</b>
cart-remove = ✖ { $number }
cart-change-period = ✏ Период { $number }
cart-clear = 🗑 Очистить корзину
cart-pay = 💳 Оплатить { $total }
cart-removed = Удалено из корзины.
cart-choose-period = <b>{ $product } { $tariff }</b> — новый период:
cart-clear-confirm = Удалить из корзины всё?
cart-clear-yes = Да, очистить
cart-clear-no = Нет, оставить
cart-cleared = Корзина очищена.
cart-changed = Корзина изменилась с тех пор, как вы её открыли. Вот она сейчас — проверьте и нажмите «Оплатить» ещё раз.
cart-already-paid = Эта корзина уже оплачена { $paid } (заказ №{ $order }): повторно ничего не списано.
cart-full = В корзине может быть не больше { $max } позиций.
cart-item-unavailable = Что-то в корзине больше не продаётся. Удалите это и оплатите остальное.
checkout-paid = ✅ <b>Оплачено</b> — заказ #{ $order }, { $total }. Баланс: { $balance }.
checkout-service = • #{ $id } { $kind } { $what } — до { $expires }
checkout-setup-certificate = 🔐 Настроить сертификат для { $domain }
checkout-short =
    На балансе не хватает денег для этой корзины.
    Итого: { $total }
    Баланс: { $balance }
    <b>Не хватает: { $shortfall }</b>

    Пополните ровно на недостающую сумму — корзина оплатится, как только придёт платёж.
checkout-topup-shortfall = Пополнить на { $amount }
checkout-auto-failed = Пополнение пришло, но оплатить корзину автоматически не удалось: { $reason }
billing-insufficient-funds = На балансе не хватает денег: недостаёт { $shortfall }.
