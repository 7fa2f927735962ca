## Настройки: телефон, e-mail, аватар, язык, часовой пояс; двухэтапная аутентификация и защищённые действия

menu-button-settings = ⚙️ Настройки
command-settings = Настройки: телефон, язык, часовой пояс, 2FA
language-self-name = Русский

settings-text =
    ⚙️ <b>Настройки</b>

    📱 Телефон: { $phone }
    ✉️ E-mail: { $email }
    🖼 Аватар: { $avatar }
    🌐 Язык: { $language }
    🕒 Часовой пояс: { $zone } (сейчас { $now })
    🔐 Двухэтапная аутентификация: { $twofa }
settings-not-set = не указан
settings-avatar-set = есть
settings-avatar-none = нет
settings-twofa-on = включена
settings-twofa-off = выключена

settings-button-phone = 📱 Телефон
settings-button-email = ✉️ E-mail
settings-button-avatar = 🖼 Аватар
settings-button-language = 🌐 Язык
settings-button-time-zone = 🕒 Часовой пояс
settings-button-twofa = 🔐 Двухэтапная аутентификация
settings-button-reply-cancel = ✖ Отмена

settings-phone-ask =
    📱 <b>Телефон</b>

    Текущий номер: { $current }
    Поделитесь контактом кнопкой ниже или введите номер в международном формате, например +7 900 123-45-67.
settings-phone-keyboard = ⬇️ Кнопка ниже отправит номер вашего аккаунта Telegram.
settings-button-share-contact = 📱 Отправить мой контакт
settings-button-phone-remove = 🗑 Удалить телефон
settings-phone-invalid = Это не похоже на номер телефона. Введите его с кодом страны, например +7 900 123-45-67.
settings-phone-foreign-contact = Это чужой контакт. Отправьте свой контакт или введите свой номер.
settings-phone-saved = ✅ Телефон сохранён: { $phone }
settings-phone-removed = ✅ Телефон удалён.

settings-email-ask =
    ✉️ <b>E-mail</b>

    Адрес указывается в счетах, если плательщик не выбран, и виден поддержке в ваших обращениях. Писем бот не отправляет.
    Текущий адрес: { $current }
    Отправьте новый адрес.
settings-button-email-remove = 🗑 Удалить e-mail
settings-email-invalid = Это не похоже на адрес e-mail. Проверьте и отправьте ещё раз, например name@example.com.
settings-email-saved = ✅ E-mail сохранён: { $email }
settings-email-removed = ✅ E-mail удалён.

settings-avatar-ask =
    🖼 <b>Аватар</b>

    Отправьте фото или изображение файлом: PNG, JPEG или WebP, до { $limit_mb } МБ.
settings-button-avatar-remove = 🗑 Удалить аватар
settings-avatar-current = Сейчас у вас этот аватар. Отправьте другое изображение, чтобы заменить его, или удалите аватар.
settings-avatar-current-none = Аватара пока нет.
settings-avatar-too-big = Файл слишком большой: аватар — не больше { $limit_mb } МБ.
settings-avatar-not-image = Это не изображение PNG, JPEG или WebP. Отправьте фото.
settings-avatar-bad-size = Каждая сторона изображения должна быть от { $min } до { $max } пикселей.
settings-avatar-saved = ✅ Аватар сохранён.
settings-avatar-removed = ✅ Аватар удалён.

settings-language-text =
    🌐 <b>Язык</b>

    Язык интерфейса: { $language }. Можно выбрать другой:
settings-language-saved = ✅ Язык изменён.

settings-tz-text =
    🕒 <b>Часовой пояс</b>

    Ваш часовой пояс: { $zone }, местное время { $now }.
    Все даты бот показывает в этом поясе. Выберите регион, введите город или название пояса (например, Москва или Europe/Moscow) либо отправьте геопозицию.
settings-tz-region-text = 🕒 <b>{ $region }</b> · страница { $page } из { $pages }
settings-tz-region-europe = Европа
settings-tz-region-asia = Азия
settings-tz-region-america = Америка
settings-tz-region-africa = Африка
settings-tz-region-oceania = Австралия и Океания
settings-tz-region-other = UTC и острова
settings-button-location = 📍 Отправить геопозицию
settings-button-share-location = 📍 Отправить мою геопозицию
settings-tz-location-keyboard = ⬇️ Кнопка ниже отправит геопозицию; сохраняется только часовой пояс.
settings-tz-location-unknown = Для этого места часовой пояс неизвестен. Выберите его из списка или введите город.
settings-tz-not-found = Нет часового пояса для «{ $query }». Попробуйте крупный город поблизости или название пояса, например Europe/Moscow.
settings-tz-choose = Под «{ $query }» подходит несколько поясов. Выберите:
settings-tz-unknown = «{ $query }» — не часовой пояс.
settings-tz-saved = ✅ Часовой пояс: { $zone }, местное время { $now }.

## Двухэтапная аутентификация

twofa-text-off =
    🔐 <b>Двухэтапная аутентификация</b> выключена.

    Когда она включена, удаление услуг, новые ключи активации, закрытые ключи, способы оплаты и e-mail требуют кода из приложения-аутентификатора (Google Authenticator, Aegis, 1Password…): одного украденного аккаунта Telegram будет мало.
twofa-text-on =
    🔐 <b>Двухэтапная аутентификация</b> включена.

    Важные действия требуют кода из приложения. Неиспользованных резервных кодов: { $left }.
twofa-button-enable = 🔐 Включить
twofa-button-disable = 🚫 Выключить
twofa-button-disable-confirm = 🚫 Да, выключить
twofa-button-new-codes = 🔑 Новые резервные коды
twofa-button-saved = ✅ Я их сохранил
twofa-setup =
    🔐 <b>Включение двухэтапной аутентификации</b>

    1. Отсканируйте QR-код приложением-аутентификатором или введите ключ вручную:
    <code>{ $secret }</code>
    2. Отправьте 6-значный код из приложения.
twofa-enabled = ✅ Двухэтапная аутентификация включена.
twofa-recovery-codes =
    🔑 <b>Резервные коды</b>

    Если потеряете телефон, каждый из этих кодов ({ $count }) сработает один раз вместо кода из приложения. Они показаны только сейчас: сохраните их в надёжном месте.

    { $codes }
twofa-disable-ask = Выключить двухэтапную аутентификацию? Важные действия больше не будут требовать кода.
twofa-disabled = ✅ Двухэтапная аутентификация выключена.
twofa-code-wrong = ❌ Неверный код. { $left ->
    [one] Ещё один неверный код заблокирует ввод на 15 минут.
   *[other] Осталось попыток: { $left }.
}
twofa-code-reused = ❌ Этот код уже использован. Дождитесь следующего кода в приложении.
twofa-setup-code-wrong = ❌ Код не подходит. Проверьте, что время на телефоне выставлено верно, и отправьте самый свежий код из приложения.
twofa-code-malformed = Отправьте 6-значный код из приложения-аутентификатора или резервный код.
twofa-locked = 🔒 Слишком много неверных кодов: ввод заблокирован до { $until }.
twofa-locked-now = 🔒 Слишком много неверных кодов: ввод заблокирован до { $until }. Если это были не вы, вашим аккаунтом Telegram, возможно, пользуется кто-то другой.
twofa-recovery-used = 🔑 Использован резервный код; осталось { $left }.
twofa-error-already-on = Двухэтапная аутентификация уже включена.
twofa-error-off = Двухэтапная аутентификация выключена.
twofa-error-code-required = Сначала нужен код из приложения-аутентификатора.

guard-ask-code =
    🔐 <b>Нужно подтверждение</b>

    Отправьте 6-значный код из приложения-аутентификатора или резервный код.
guard-unlocked = ✅ Код принят. Следующие { $minutes } мин. важные действия не потребуют кода.
guard-button-continue = ▶️ Продолжить
guard-repeat = Повторите, пожалуйста, то, что вы делали.

## Уведомления безопасности (первая строка — заголовок во входящих)

notification-security-enabled =
    🔐 <b>Двухэтапная аутентификация включена</b>

    Включена { $at }.
notification-security-disabled =
    🔓 <b>Двухэтапная аутентификация выключена</b>

    Выключена { $at }. Если это были не вы, сразу напишите в поддержку.
notification-security-lockout =
    🔒 <b>Ввод кодов заблокирован</b>

    Пять неверных кодов подряд: ввод заблокирован до { $until }. Если это были не вы, вашим аккаунтом Telegram, возможно, пользуется кто-то другой.
notification-security-recovery-regenerated =
    🔑 <b>Новые резервные коды</b>

    Новые резервные коды созданы { $at }; старые больше не действуют.
notification-security-recovery-used =
    🔑 <b>Использован резервный код</b>

    Резервный код использован { $at }. Осталось кодов: { $left }.
