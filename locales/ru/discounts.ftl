## Скидки и промокоды

menu-button-discounts = 🎁 Скидки
discounts-title = <b>Ваши скидки</b> — { $count }
discounts-none =
    <b>Скидки</b>

    Сейчас у вас нет скидок. Есть промокод? Введите его ниже.
discounts-how = Корзина применяет их сама: к каждой позиции — ту, что выгоднее всего.
discounts-item = • { $value } на { $scope }
discounts-item-until = , до { $until }
discounts-item-once = , на один заказ
discounts-more = …и ещё { $count }
discounts-value-percent = { $percent } %
discounts-value-fixed = { $amount }
discounts-scope-all = всё
discounts-scope-product = продукт «{ $product }»
discounts-scope-tariff = тариф { $tariff }
discounts-scope-period = период { $months } мес.
discounts-from-promo = промокод { $code }
discounts-cart-line = 🎁 { $value } ({ $reason }): −{ $amount }
discounts-button-enter-code = 🎟 Ввести промокод
discounts-button-open = 🎁 Мои скидки
discounts-notification-granted =
    🎁 <b>Вам предоставлена скидка</b>: { $kind ->
        [percent] { $percent } %
       *[fixed] { $amount }
    } на { $scope ->
        [product] продукт «{ $target }»
        [tariff] тариф { $target }
        [period] период { $target } мес.
       *[all] всё
    }{ $has_until ->
        [yes] , до { $until }
       *[no] {""}
    }.
    { $reason }

promo-ask = Отправьте промокод.
promo-link-confirm = Применить промокод <b>{ $code }</b>?
promo-button-apply = ✅ Применить
promo-applied-discount = ✅ Промокод <b>{ $code }</b> применён: скидка { $value } на следующий заказ.
promo-applied-credit = ✅ Промокод <b>{ $code }</b> применён: на баланс зачислено { $amount }. Баланс: { $balance }.
promo-error-unknown = Промокода «{ $code }» нет. Проверьте написание и отправьте ещё раз.
promo-error-disabled = Промокод { $code } больше не действует.
promo-error-expired = Срок действия промокода { $code } истёк.
promo-error-used-up = Промокод { $code } использован максимальное число раз.
promo-error-already-used = Вы уже использовали промокод { $code }.
promo-error-first-order = Промокод { $code } — только для первого заказа, а у вас уже были заказы.

discounts-error-usage = Для скидки указано слишком мало.
discounts-error-user = «{ $user }» — не номер клиента (нужно число).
discounts-error-value = «{ $value }» — не сумма и не процент (10% или 5.00).
discounts-error-percent = «{ $value }»: процент должен быть больше 0 и не больше 100.
discounts-error-scope = «{ $scope }» — не область действия: all, product:&lt;код&gt;, tariff:&lt;код&gt; или period:&lt;месяцы&gt;.
discounts-error-date = «{ $value }» — не дата: until:ГГГГ-ММ-ДД.
discounts-error-date-past = «{ $value }» — дата в прошлом.
discounts-error-reason = Укажите причину: клиент её увидит.
discounts-error-reason-long = Причина — не длиннее { $max } символов.
discounts-error-no-customer = Клиента { $user } нет.
discounts-error-product = В каталоге нет продукта «{ $code }».
discounts-error-tariff = В каталоге нет тарифа «{ $code }».
discounts-error-unknown = Действующей скидки #{ $id } нет.
discounts-staff-usage =
    Формат: <code>/discount &lt;user_id&gt; &lt;10% | 5.00&gt; [all | product:&lt;код&gt; | tariff:&lt;код&gt; | period:&lt;месяцы&gt;] [until:ГГГГ-ММ-ДД] &lt;причина&gt;</code>
    Пример: <code>/discount 1001 10% product:ispmanager until:2027-06-30 Постоянный клиент</code>
discounts-staff-granted = ✅ Скидка #{ $id } для клиента { $user }:
    { $discount }
discounts-staff-list-usage = Формат: <code>/discounts &lt;user_id&gt;</code>
discounts-staff-list-empty = У клиента { $user } нет скидок.
discounts-staff-list = <b>Скидки клиента { $user }</b>
discounts-staff-list-item = #{ $id } [{ $status }] { $discount }
discounts-status-active = действует
discounts-status-revoked = отменена
discounts-status-used = использована
discounts-status-expired = истекла
discounts-staff-revoke-usage = Формат: <code>/revoke &lt;discount_id&gt;</code>
discounts-staff-revoked = ✅ Скидка #{ $id } клиента { $user } отменена.

promo-error-usage = Для промокода указано слишком мало.
promo-error-code-format = «{ $code }» не может быть кодом: 3–32 латинские буквы, цифры, _ или -.
promo-error-uses = «{ $value }» — не число использований: uses:N.
promo-error-option = «{ $option }» — неизвестный параметр.
promo-error-credit-scope = У зачисления на баланс нет области действия.
promo-error-exists = Код { $code } уже есть.
promo-staff-usage =
    Формат:
    <code>/promo new &lt;КОД&gt; &lt;10% | 5.00 | credit:5.00&gt; [uses:N] [once] [first] [until:ГГГГ-ММ-ДД] [product:&lt;код&gt; | tariff:&lt;код&gt; | period:&lt;месяцы&gt;]</code>
    <code>/promo list</code>
    <code>/promo off &lt;КОД&gt;</code>
    once: один раз на клиента (зачисления — всегда); first: только до первого заказа.
promo-staff-created = ✅ Промокод создан:
    { $promo }
promo-staff-list = <b>Промокоды</b>
promo-staff-list-empty = Промокодов нет.
promo-staff-item = <b>{ $code }</b>{ $source }: { $what } ({ $limits })
promo-staff-discount = { $value } на { $scope }
promo-staff-credit = { $amount } на баланс
promo-staff-uses = использован { $uses } из { $max }
promo-staff-once = один раз на клиента
promo-staff-first = только первый заказ
promo-staff-until = до { $until }
promo-staff-off = отключён
promo-staff-source-file = {" "}(файл каталога)
promo-staff-disabled = ✅ Промокод { $code } отключён.
