## Обращения в поддержку (Поддержка -> Обращения, Новое обращение, Архив) и группа сотрудников

tickets-button-list = { $active ->
    [0] 🎫 Обращения
   *[other] 🎫 Обращения (активных: { $active })
}
tickets-button-new = ✍️ Новое обращение
tickets-button-archive = 🗄 Архив обращений
tickets-button-question = ❓ Вопрос
tickets-status = { $status ->
    [open] 🆕 Открыто
    [answered] 💬 Есть ответ
    [awaiting] ⏳ Ждёт ответа поддержки
    [closed] ✅ Закрыто
    [archived] 🗄 В архиве
   *[other] { $status }
}
tickets-department = { $department ->
    [billing] Бухгалтерия
    [technical] Техническая поддержка
    [sales] Отдел продаж
   *[other] { $department }
}
tickets-service-kind = { $kind ->
    [licence] лицензия
    [module] модуль
    [ssl] SSL-сертификат
   *[other] { $kind }
}

tickets-list-empty =
    <b>Обращения</b>

    Обращений пока нет. Напишите нам через «Новое обращение».
tickets-list-title =
    <b>Обращения</b> — { $total } (страница { $page } из { $pages })

    Активные и недавно закрытые, сначала последние.
tickets-archive-empty =
    <b>Архив обращений</b>

    В архиве пока ничего нет.
tickets-archive-title =
    <b>Архив обращений</b> — { $total } (страница { $page } из { $pages })

    Закрытые обращения для справки, только для чтения.
tickets-list-item = #{ $ticket } { $subject } · { $status } · { $date }

tickets-ticket-title = 🎫 <b>Обращение #{ $ticket }</b> — { $subject }
tickets-ticket-info = Отдел: { $department } · Статус: { $status }
tickets-ticket-service = Услуга: { $service }
tickets-ticket-dates = Открыто: { $opened } · Последняя активность: { $activity }
tickets-ticket-rating = Ваша оценка: { $stars }
tickets-ticket-earlier = … ещё сообщений раньше: { $count }
tickets-ticket-archived = 🗄 Обращение в архиве и доступно только для чтения. Если нужна помощь, создайте новое.
tickets-message = <b>{ $author }</b>, { $time }:
    { $text }
tickets-author-you = Вы
tickets-author-staff = Поддержка
tickets-author-staff-named = Поддержка ({ $name })
tickets-attachment-photo = 🖼 Фото
tickets-attachment-document = 📄 { $name }

tickets-button-reply = ✏️ Ответить
tickets-button-close = ✅ Закрыть обращение
tickets-button-reopen = 🔄 Открыть снова
tickets-button-done = ✔️ Готово
tickets-button-open = 🎫 Открыть обращение
tickets-button-rate = ⭐ Оценить ответ
tickets-button-close-confirm = ✅ Да, закрыть
tickets-button-keep = « Оставить открытым
tickets-button-send = 📨 Отправить обращение
tickets-button-no-service = Без привязки к услуге

tickets-reply-ask =
    <b>Ответ в обращении #{ $ticket }</b> — { $subject }

    Напишите сообщение. Фото и документы тоже отправятся. Когда закончите, нажмите «Готово».
tickets-reply-sent = ✅ Отправлено в поддержку (обращение #{ $ticket }). Напишите ещё или нажмите «Готово».
tickets-close-confirm = Закрыть обращение #{ $ticket } «{ $subject }»? Его можно будет открыть снова в течение нескольких дней.
tickets-closed = ✅ Обращение закрыто. Как мы справились? Оцените ответ ниже.
tickets-reopened = 🔄 Обращение снова открыто.
tickets-rated = ⭐ Спасибо! Ваша оценка: { $rating } из 5.
tickets-created = ✅ Обращение #{ $ticket } создано. Ответ придёт сюда, в этот чат.

tickets-new-department = <b>Новое обращение</b>

    В какой отдел?
tickets-new-service = К какой из ваших услуг относится вопрос?
tickets-new-subject = Напишите тему одной строкой (до 100 символов).
tickets-new-body = Опишите вопрос или проблему.
tickets-new-files = Приложите до { $limit } фото или документов, если нужно, или нажмите «Отправить обращение».
tickets-new-attached = 📎 Приложено { $count } из { $limit }. Добавьте ещё или нажмите «Отправить обращение».
tickets-new-expired = Эта форма уже закрыта. Создайте обращение заново в разделе «Поддержка».

tickets-error-department = Выберите один из предложенных отделов.
tickets-error-subject = Тема — одна строка от 1 до { $limit } символов.
tickets-error-body = Сообщение должно быть от 1 до { $limit } символов.
tickets-error-too-many = Не больше { $limit } вложений. Нажмите «Отправить обращение».
tickets-error-closed = Обращение закрыто. Откройте его снова или создайте новое.
tickets-error-reopen-expired = Обращение можно открыть снова в течение { $days } { $days ->
    [one] дня
   *[other] дней
} после закрытия. Создайте новое обращение.
tickets-error-unsupported = В поддержку можно отправить только текст, фото и документы.
tickets-error-rating = Выберите от 1 до 5 звёзд.
tickets-error-rate-open = Оценить ответ можно после закрытия обращения.

tickets-answer = 💬 <b>Поддержка</b> · обращение #{ $ticket } «{ $subject }»
tickets-answer-named = 💬 <b>Поддержка ({ $name })</b> · обращение #{ $ticket } «{ $subject }»
tickets-notify-reply = 💬 Поддержка ответила в обращении #{ $ticket } «{ $subject }».
tickets-notify-closed =
    ✅ Поддержка закрыла обращение #{ $ticket } «{ $subject }».

    Пожалуйста, оцените ответ — это помогает нам стать лучше.
tickets-news = 📰 <b>Новости:</b> { $text }

## Группа сотрудников (на языке по умолчанию)

tickets-header-title = 🎫 <b>#{ $ticket } { $subject }</b> · { $department }
tickets-header-customer = 👤 { $name } ({ $username }, id { $id })
tickets-header-language = 🌐 Язык: { $language }
tickets-header-contacts = ☎️ { $phone } · ✉️ { $email }
tickets-header-payer = 🧾 Плательщик: { $payer } ({ $kind }, { $country }, ИНН/налоговый номер { $tax })
tickets-header-balance = 💰 Баланс: { $balance }
tickets-header-charge = 💳 { $time } · { $amount }{ $currency ->
    [XTR] {" "}({ $stars } ⭐)
   *[other] {""}
} · charge <code>{ $charge }</code>{ $refunded ->
    [1] {" "}· возвращён
   *[other] {""}
}
tickets-header-services = 📦 Услуг: { $count }
tickets-header-service = • { $name } ({ $kind ->
    [licence] лицензия
    [module] модуль
    [ssl] SSL-сертификат
   *[other] { $kind }
}) — { $status }, до { $expires }, { $ip }
tickets-header-linked = 🔗 <b>По услуге:</b>
tickets-header-history = Последние действия:
tickets-header-event = · { $time } — { $actor }: { $action }
tickets-group-customer = 👤 <b>{ $name }</b> · #{ $ticket }
    { $text }
tickets-group-customer-file = 👤 <b>{ $name }</b> · #{ $ticket } { $text }
tickets-group-closed-by-customer = ✅ Клиент закрыл обращение #{ $ticket }.
tickets-group-reopened-by-customer = 🔄 Клиент снова открыл обращение #{ $ticket }.
tickets-group-rated = ⭐ Клиент оценил ответ в обращении #{ $ticket }: { $rating } из 5.

staff-help =
    🛠 <b>Команды поддержки</b> (🔒 — только для администраторов)

    <b>В теме обращения</b> (в группе без тем — ответом на сообщение обращения)
    Любой текст, фото или документ уходит клиенту.
    /close — закрыть обращение; /reopen — открыть снова
    /note &lt;текст&gt; — внутренняя заметка, клиент её не видит
    /assign @username — кто ведёт обращение

    <b>В общей теме</b>
    /news &lt;текст&gt; — новость всем клиентам, после предпросмотра

    <b>В любом месте группы</b>
    /discounts &lt;user_id&gt; — скидки клиента
    🔒 /discount &lt;user_id&gt; &lt;10% | 5.00&gt; … &lt;причина&gt; — дать скидку
    🔒 /revoke &lt;discount_id&gt; — отменить скидку
    /promo list — промокоды
    🔒 /promo new &lt;КОД&gt; … — новый промокод; 🔒 /promo off &lt;КОД&gt; — отключить промокод
    🔒 /paid &lt;номер счёта&gt; — пришёл банковский перевод (с подтверждением)
    🔒 /refund &lt;charge id&gt; — вернуть платёж звёздами (с подтверждением)
    /help — этот список
tickets-staff-no-ticket = Команда работает в теме обращения (или ответом на сообщение обращения).
staff-admins-only = Это могут только администраторы группы: команда касается денег или цен.
tickets-staff-closed = Обращение закрыто, ничего не отправлено. Сначала /reopen.
tickets-staff-undelivered = ⚠️ Не доставлено: клиент сейчас недоступен. Ответ сохранён в его уведомлениях.
tickets-staff-unsupported = Не отправлено: клиенту доходят только тексты, фото и документы.
tickets-staff-already-closed = Обращение уже закрыто.
tickets-staff-closed-done = ✅ Обращение #{ $ticket } закрыто ({ $name }). Клиента попросили оценить ответ.
tickets-staff-reopened = 🔄 Обращение #{ $ticket } снова открыто.
tickets-staff-already-open = Обращение #{ $ticket } открыто.
tickets-staff-note-usage = Использование: /note &lt;текст&gt; — внутренняя заметка, клиенту не отправляется.
tickets-staff-noted = 📝 Заметка сохранена. Клиент её не видит.
tickets-staff-assign-usage = Использование: /assign @username
tickets-staff-assigned = 👷 Обращение #{ $ticket } назначено на @{ $username }.
tickets-news-general-only = Новости публикуются из темы General.
tickets-news-usage = Использование: /news &lt;текст&gt; — после предпросмотра уйдёт всем клиентам.
tickets-news-preview =
    📰 <b>Предпросмотр новости</b>

    { $text }

    Отправить всем клиентам?
tickets-news-button-send = 📨 Отправить всем
tickets-news-button-drop = ✖️ Отмена
tickets-news-expired = Предпросмотр устарел. Отправьте /news ещё раз.
tickets-news-dropped = ✖️ Новость отменена.
tickets-news-sent =
    📨 Новость отправлена { $count } { $count ->
        [one] клиенту
       *[other] клиентам
    }.

    { $text }
