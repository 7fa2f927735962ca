## Клиент -> Плательщики

payers-button = 🧾 Плательщики
payers-title = <b>Плательщики</b>
payers-none =
    У вас нет плательщиков: вы платите как частное лицо.
    Добавьте плательщика, чтобы платить как ИП или компания или получать счета на другое имя.
payers-intro = ★ — плательщик по умолчанию, ⏸ — отключённый. Выберите плательщика, чтобы посмотреть или изменить его.
payers-add = ➕ Добавить плательщика
payers-kind-individual = Физическое лицо
payers-kind-sole = ИП
payers-kind-legal = Юридическое лицо
payers-not-given = не указано
payers-field-name = { $kind ->
    [legal] Название компании
   *[other] ФИО
}
payers-field-country = Страна
payers-field-address = { $kind ->
    [legal] Юридический адрес
   *[other] Адрес
}
payers-field-tax-number = { $kind ->
    [legal] ИНН / номер НДС
   *[other] ИНН
}
payers-field-reg-number = Регистрационный номер
payers-field-contact = Контактное лицо
payers-field-email = E-mail для счетов
payers-ask-name = { $kind ->
    [legal] Отправьте полное название компании, например <i>ООО «Ромашка»</i>.
   *[other] Отправьте ФИО полностью, например <i>Иванов Иван Иванович</i>.
}
payers-ask-country = Отправьте страну: название (<i>Россия</i>) или код ISO (<i>RU</i>).
payers-ask-address = { $kind ->
    [legal] Отправьте юридический адрес (индекс, город, улица).
    [individual] Отправьте адрес (индекс, город, улица) или пропустите этот шаг.
   *[other] Отправьте адрес (индекс, город, улица).
}
payers-ask-tax-number = { $kind ->
    [legal] Отправьте ИНН (можно как ИНН/КПП) или номер плательщика НДС в ЕС, например <i>DE136695976</i>.
   *[other] Отправьте ИНН (в России 12 цифр; в ЕС — номер плательщика НДС).
}
payers-ask-reg-number = Отправьте регистрационный номер компании (в России — ОГРН).
payers-ask-contact = Отправьте имя контактного лица.
payers-ask-email = Отправьте адрес e-mail — он будет указан в счетах.
payers-step = <b>Новый плательщик: { $kind }</b> — шаг { $step } из { $steps }
payers-current = Сейчас указано: { $value }
payers-current-none = Пока не указано.
payers-skip = Пропустить
payers-summary =
    <b>Новый плательщик: { $kind }</b>
    Проверьте данные и сохраните.
payers-save = ✅ Сохранить
payers-saved = ✅ Плательщик сохранён.
payers-updated = ✅ Изменено.
payers-default = ★ Плательщик по умолчанию
payers-disabled = ⏸ Отключён: не предлагается для новых платежей
payers-edit = ✏ Изменить
payers-make-default = ★ Использовать по умолчанию
payers-default-set = ★ Теперь это ваш плательщик по умолчанию.
payers-disable = ⏸ Отключить
payers-enable = ▶ Включить
payers-enabled = ▶ Включён.
payers-disabled-done = ⏸ Отключён. Он остаётся в документах, но не предлагается для новых платежей.
payers-delete = 🗑 Удалить
payers-delete-confirm = Удалить плательщика <b>{ $name }</b>?
payers-delete-yes = Да, удалить
payers-delete-no = Нет, оставить
payers-deleted = 🗑 Плательщик удалён.
payers-choose-kind = Кто новый плательщик?
payers-choose-field = Что изменить у плательщика <b>{ $name }</b>?
payers-clear = Удалить значение
payers-pick = Кто платит? (★ — плательщик по умолчанию)
payers-dialog-over = Этот диалог уже завершён. Начните заново из меню.
payers-error-in-use = По этому плательщику уже были оплаты или счета, поэтому он остаётся в документах: удалить его нельзя, только отключить.
payers-error-missing = Для этого типа плательщика это обязательное поле.
payers-error-name = Отправьте имя длиной от 2 до { $limit } символов.
payers-error-contact = Отправьте имя контактного лица длиной от 2 до { $limit } символов.
payers-error-address = Отправьте адрес длиной от 5 до { $limit } символов.
payers-error-country = Страна «{ $value }» мне неизвестна. Отправьте название по-русски или по-английски либо код ISO (например, RU).
payers-error-tax-number = «{ $value }» — неверный налоговый номер для этой страны. Проверьте его.
payers-error-reg-number = «{ $value }» — неверный регистрационный номер для этой страны. Проверьте его.
payers-error-country-numbers = Номера плательщика не подходят к форматам этой страны. Сначала измените номера или добавьте нового плательщика.
payers-error-too-many = Можно добавить не больше { $max } плательщиков.
payers-error-disabled = Этот плательщик отключён. Включите его или выберите другого.
