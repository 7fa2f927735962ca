## Продление услуги с баланса («Продлить» под уведомлением)

renew-confirm =
    🔄 <b>Продление: { $service }</b>

    { $product }: { $months } мес. за { $price }.
    Сейчас действует до { $expires }; после продления — до { $new_expires }.
    Ваш баланс: { $balance }.
renew-button-card = 🔄 Продлить сейчас · { $price }
renew-button-confirm = ✅ Продлить за { $price }
renew-short =
    🔄 <b>Продление: { $service }</b>

    { $product }: { $months } мес. за { $price }.
    Ваш баланс: { $balance }. Пополните его на { $shortfall }, чтобы продлить.
renew-short-alert = Для продления на балансе не хватает { $shortfall }.
renew-by-card-hint = Автоплатежи включены: { $shortfall } можно списать с карты { $card } сейчас.
renew-button-by-card = 💳 Продлить за { $price } (остаток — с карты)
renew-covered-alert = Баланса уже хватает на продление: нажмите «Продлить».
renew-done =
    ✅ <b>{ $service } продлена</b> до { $expires }.

    { $product }: списано { $price }. Баланс: { $balance }.
renew-already = { $service } уже продлена: теперь действует до { $expires }.
renew-not-renewable = Эту услугу больше нельзя продлить.
