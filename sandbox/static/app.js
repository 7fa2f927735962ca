/* Telegram sandbox playground: a tiny Telegram-like client for the local Bot API emulator.
 * Plain JS, no build step, no external resources. All data comes from the JSON control API
 * (/sandbox/...), live updates from Server-Sent Events (/playground/events). */
(() => {
  "use strict";

  const $ = (sel) => document.querySelector(sel);
  const MESSAGE_LIMIT = 200;
  // Places to share as a location; a custom latitude/longitude can be typed too.
  const CITIES = [
    { name: "London", latitude: 51.500729, longitude: -0.124625 },
    { name: "Riga", latitude: 56.949649, longitude: 24.105186 },
    { name: "Berlin", latitude: 52.520008, longitude: 13.404954 },
    { name: "New York", latitude: 40.712776, longitude: -74.005974 },
    { name: "Tokyo", latitude: 35.676192, longitude: 139.650311 },
    { name: "Sydney", latitude: -33.868820, longitude: 151.209290 },
  ];
  const LANGUAGES = ["en", "ru", "de", "fr", "es", "it", "lv", "lt", "et", "uk", "pl", "pt"];

  const S = {
    users: [],
    groups: [],
    sel: null,            // {kind: "user", chatId, userId} | {kind: "group", chatId, threadId}
    speaker: null,        // user id speaking in the selected group
    unread: {},           // chat_id -> count of new messages while not open
    seenAnswer: {},       // chat_id -> key of the last callback answer already shown
    payResults: {},       // "chat:message" -> {status, text}
    editMarks: {},        // "chat:message" -> edit_date last rendered
    replyTo: null,        // {message_id, preview}
    kbKey: "",            // identity of the reply keyboard currently shown
    kbHidden: false,
    renderKey: "",        // identity of the rendered message list
    stickBottom: true,    // keep the view scrolled to the newest message
    messages: [],
    fetchSeq: 0,
    loaded: false,
    menu: null,           // {commands, menu_button} for the selected chat and speaker
    clock: null,          // the sandbox clock: {now, offset, ...}
  };

  /* ------------------------------------------------------------------ helpers */

  async function api(method, path, body) {
    const opts = { method, headers: { Accept: "application/json" } };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const resp = await fetch(path, opts);
    const type = resp.headers.get("content-type") || "";
    const data = type.includes("json") ? await resp.json().catch(() => null) : await resp.text();
    if (!resp.ok) {
      let msg = `${resp.status} ${resp.statusText}`;
      if (data && typeof data === "object") msg = data.error || data.description || data.message || msg;
      else if (typeof data === "string" && data.trim()) msg = data.trim().slice(0, 300);
      throw new Error(msg);
    }
    return data;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === "class") node.className = v;
        else if (k === "text") node.textContent = v;
        else if (k === "dataset") Object.assign(node.dataset, v);
        else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? "" : String(v));
      }
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  const same = (a, b) => a !== undefined && a !== null && b !== undefined && b !== null && String(a) === String(b);
  const chatIdOfUser = (u) => (u.chat_id !== undefined && u.chat_id !== null ? u.chat_id : u.id);
  const chatIdOfGroup = (g) => (g.chat_id !== undefined && g.chat_id !== null ? g.chat_id : g.id);
  const topicsOf = (g) => g.topics || g.forum_topics || [];
  const isForum = (g) => Boolean(g.is_forum || g.forum || topicsOf(g).length);
  const userName = (u) => (u ? [u.first_name, u.last_name].filter(Boolean).join(" ") || u.username || `#${u.id}` : "");

  function initials(name) {
    const parts = String(name || "?").trim().split(/\s+/).filter(Boolean);
    return ((parts[0] || "?")[0] + (parts[1] ? parts[1][0] : "")).toUpperCase();
  }

  function avatar(name, id, small) {
    const n = Math.abs(Number(id) || 0) % 7;
    return el("div", { class: `avatar c${n}${small ? " small" : ""}`, "aria-hidden": "true" }, initials(name));
  }

  function toDate(value) {
    if (value === undefined || value === null || value === "") return null;
    const d = typeof value === "number" ? new Date(value * 1000) : new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }

  const fmtTime = (d) => d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const fmtDay = (d) => d.toLocaleDateString([], { day: "numeric", month: "long", year: "numeric" });

  function fmtSize(n) {
    n = Number(n);
    if (!Number.isFinite(n) || n <= 0) return "";
    const units = ["B", "KB", "MB", "GB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
    return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
  }

  function fmtPrice(amount, currency) {
    amount = Number(amount) || 0;
    currency = String(currency || "").toUpperCase();
    if (currency === "XTR") return `★ ${amount}`;
    try {
      const nf = new Intl.NumberFormat(undefined, { style: "currency", currency });
      const digits = nf.resolvedOptions().maximumFractionDigits;
      return nf.format(amount / 10 ** digits);
    } catch (e) {
      return `${(amount / 100).toFixed(2)} ${currency}`;
    }
  }

  function fileToBase64(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => {
        const s = String(reader.result || "");
        resolve(s.slice(s.indexOf(",") + 1));
      };
      reader.onerror = () => reject(reader.error || new Error("cannot read file"));
      reader.readAsDataURL(file);
    });
  }

  const ICONS = {
    file: '<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/><path d="M14 3v5h5M9 13h6M9 17h4" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>',
    media: '<rect x="3" y="5" width="18" height="14" rx="2" fill="none" stroke="currentColor" stroke-width="2"/><path d="M10 9l5 3-5 3z" fill="currentColor"/>',
    person: '<circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" stroke-width="2"/><path d="M4 21a8 8 0 0 1 16 0" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>',
    pin: '<path d="M12 22s7-6.6 7-12a7 7 0 0 0-14 0c0 5.4 7 12 7 12z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/><circle cx="12" cy="10" r="2.5" fill="currentColor"/>',
  };

  // Icons are static strings defined above, never user data.
  function svgIcon(name) {
    const span = el("span", { class: `ico ico-${name}`, "aria-hidden": "true" });
    span.innerHTML = `<svg viewBox="0 0 24 24" width="1em" height="1em">${ICONS[name] || ""}</svg>`;
    return span;
  }

  /* ------------------------------------------------------------- safe HTML */

  // Telegram's HTML subset. Everything else is unwrapped to its text; dangerous
  // containers are dropped together with their content.
  const ALLOWED_TAGS = new Set([
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a",
    "blockquote", "tg-spoiler", "span", "br", "tg-emoji",
  ]);
  const DROP_TAGS = new Set(["script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math", "title", "head"]);

  function safeHref(href) {
    if (!href) return null;
    try {
      const url = new URL(href, window.location.href);
      if (url.protocol === "http:" || url.protocol === "https:" || url.protocol === "tg:") return url.href;
    } catch (e) { /* invalid */ }
    return null;
  }

  function sanitizeInto(target, html) {
    const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}</body>`, "text/html");
    const walk = (src, dst) => {
      for (const node of Array.from(src.childNodes)) {
        if (node.nodeType === Node.TEXT_NODE) {
          dst.append(document.createTextNode(node.nodeValue));
          continue;
        }
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        const tag = node.tagName.toLowerCase();
        if (DROP_TAGS.has(tag)) continue;
        if (!ALLOWED_TAGS.has(tag)) { walk(node, dst); continue; }
        let out;
        if (tag === "tg-spoiler" || (tag === "span" && node.classList.contains("tg-spoiler"))) {
          out = el("span", { class: "spoiler", title: "Spoiler: click to reveal" });
        } else if (tag === "span" || tag === "tg-emoji") {
          walk(node, dst);
          continue;
        } else if (tag === "a") {
          const href = safeHref(node.getAttribute("href"));
          if (!href) { walk(node, dst); continue; }
          out = el("a", { href, target: "_blank", rel: "noopener noreferrer nofollow" });
        } else if (tag === "code") {
          out = el("code");
          const cls = node.getAttribute("class") || "";
          if (/^language-[\w+#.-]{1,32}$/.test(cls)) out.className = cls;
        } else if (tag === "blockquote") {
          out = el("blockquote");
          if (node.hasAttribute("expandable")) {
            out.className = "expandable collapsed";
            out.title = "Click to expand";
          }
        } else {
          out = document.createElement(tag);
        }
        dst.append(out);
        walk(node, out);
      }
    };
    walk(doc.body, target);
    return target;
  }

  /* ------------------------------------------------------------- toast & modal */

  function toast(text, opts = {}) {
    const box = el("div", { class: `toast${opts.error ? " error" : ""}`, role: "status" }, text);
    if (opts.url) {
      const href = safeHref(opts.url);
      if (href) box.append(" ", el("a", { href, target: "_blank", rel: "noopener noreferrer" }, "open"));
    }
    $("#toasts").append(box);
    setTimeout(() => box.remove(), opts.ms || (opts.error ? 6000 : 3500));
  }

  let modalResolve = null;
  function modal(text, { input = null, cancel = false } = {}) {
    if (modalResolve) modalResolve(null);
    $("#modal-text").textContent = text;
    const inp = $("#modal-input");
    inp.hidden = input === null;
    if (input !== null) {
      inp.value = input.value || "";
      inp.placeholder = input.placeholder || "";
    }
    $("#modal-cancel").hidden = !cancel;
    $("#modal").hidden = false;
    (input !== null ? inp : $("#modal-ok")).focus();
    return new Promise((resolve) => { modalResolve = resolve; });
  }

  function closeModal(ok) {
    if (!modalResolve) return;
    const inp = $("#modal-input");
    const value = ok ? (inp.hidden ? true : inp.value) : null;
    $("#modal").hidden = true;
    const r = modalResolve;
    modalResolve = null;
    r(value);
  }

  /* ------------------------------------------------------------- sidebar */

  async function loadSidebar() {
    const [users, groups] = await Promise.all([
      api("GET", "/sandbox/users").catch((e) => { toast(`Users: ${e.message}`, { error: true }); return S.users; }),
      api("GET", "/sandbox/groups").catch((e) => { toast(`Groups: ${e.message}`, { error: true }); return S.groups; }),
    ]);
    S.users = Array.isArray(users) ? users : (users && users.users) || [];
    S.groups = Array.isArray(groups) ? groups : (groups && groups.groups) || [];
    if (S.sel && !(S.sel.kind === "user" ? selectedUser() : selectedGroup())) {
      // The chat vanished (e.g. the sandbox was reset).
      S.sel = null;
      S.renderKey = "";
      S.menu = null;
      $("#app").classList.remove("chat-open");
      $("#messages").replaceChildren(el("div", { class: "placeholder" }, "Select a chat to start messaging"));
      renderReplyKeyboard(null);
      renderMenuButton();
      if (window.location.hash) history.replaceState(null, "", window.location.pathname);
    }
    renderSidebar();
    renderHeader();
  }

  function isSelected(kind, chatId, threadId) {
    const s = S.sel;
    if (!s || s.kind !== kind || !same(s.chatId, chatId)) return false;
    if (threadId === undefined) return true;
    return (s.threadId ?? null) === (threadId ?? null);
  }

  function unreadBadge(chatId) {
    const n = S.unread[String(chatId)];
    return n ? el("span", { class: "badge hot", title: `${n} new` }, String(n)) : null;
  }

  function renderSidebar() {
    const cl = $("#customer-list");
    cl.replaceChildren();
    if (!S.users.length) cl.append(el("li", { class: "empty-note" }, "No customers yet — create one above."));
    for (const u of S.users) {
      const chatId = chatIdOfUser(u);
      const sub = [u.username ? `@${u.username}` : null, u.language_code, `id ${u.id}`].filter(Boolean).join(" · ");
      cl.append(el("li", {
        class: `entry${isSelected("user", chatId) ? " active" : ""}`,
        dataset: { kind: "user", chatId: String(chatId), userId: String(u.id) },
        title: `Private chat with ${userName(u)}`,
        onclick: () => selectChat({ kind: "user", chatId, userId: u.id }),
      },
      avatar(userName(u), u.id),
      el("div", { class: "entry-body" },
        el("div", { class: "entry-title" }, userName(u), u.blocked ? el("span", { class: "tag" }, "blocked bot") : null),
        el("div", { class: "entry-sub" }, sub)),
      unreadBadge(chatId)));
    }

    const gl = $("#group-list");
    gl.replaceChildren();
    if (!S.groups.length) gl.append(el("li", { class: "empty-note" }, "No groups."));
    for (const g of S.groups) {
      const chatId = chatIdOfGroup(g);
      const forum = isForum(g);
      const title = g.title || `Group ${chatId}`;
      gl.append(el("li", {
        class: `entry${!forum && isSelected("group", chatId) ? " active" : ""}`,
        dataset: { kind: "group", chatId: String(chatId) },
        onclick: () => selectChat({ kind: "group", chatId, threadId: null }),
      },
      avatar(title, chatId),
      el("div", { class: "entry-body" },
        el("div", { class: "entry-title" }, title),
        el("div", { class: "entry-sub" }, forum ? `forum · ${topicsOf(g).length} topics` : "group")),
      unreadBadge(chatId)));
      if (!forum) continue;
      const topics = [{ message_thread_id: null, name: "General" }, ...topicsOf(g)];
      for (const t of topics) {
        const tid = t.message_thread_id ?? null;
        if (tid !== null && isGeneralThread(g, tid)) continue;
        gl.append(el("li", {
          class: `entry topic-entry${isSelected("group", chatId, tid) ? " active" : ""}`,
          dataset: { kind: "topic", chatId: String(chatId), threadId: tid === null ? "" : String(tid) },
          title: t.closed ? "Closed topic" : t.name,
          onclick: () => selectChat({ kind: "group", chatId, threadId: tid }),
        },
        el("span", { class: "topic-dot", style: `background:${topicColor(t)}` }, tid === null ? "#" : ""),
        el("div", { class: "entry-body" },
          el("div", { class: "entry-title" }, t.name || `Topic ${tid}`, t.closed ? el("span", { class: "tag closed-mark", title: "This topic is closed" }, "closed") : null))));
      }
    }
  }

  function isGeneralThread(g, tid) {
    const t = topicsOf(g).find((x) => same(x.message_thread_id, tid));
    return Boolean(t && (t.is_general || String(t.name || "").toLowerCase() === "general" && same(tid, 1)));
  }

  function topicColor(t) {
    const c = Number(t.icon_color);
    if (t.message_thread_id === null || t.message_thread_id === undefined) return "#8e99a4";
    return Number.isFinite(c) && c > 0 ? `#${c.toString(16).padStart(6, "0")}` : "#6fb9f0";
  }

  /* ------------------------------------------------------------- selection & header */

  function selectedUser() {
    return S.sel && S.sel.kind === "user" ? S.users.find((u) => same(u.id, S.sel.userId)) : null;
  }
  function selectedGroup() {
    return S.sel && S.sel.kind === "group" ? S.groups.find((g) => same(chatIdOfGroup(g), S.sel.chatId)) : null;
  }
  function actingUserId() {
    if (!S.sel) return null;
    return S.sel.kind === "user" ? S.sel.userId : S.speaker;
  }

  function selectChat(sel, { keepHash = false } = {}) {
    const changedChat = !S.sel || !same(S.sel.chatId, sel.chatId);
    S.sel = sel;
    S.unread[String(sel.chatId)] = 0;
    S.renderKey = "";
    S.messages = [];
    if (changedChat) {
      S.replyTo = null;
      S.kbKey = "";
      S.kbHidden = false;
    }
    if (!keepHash) {
      const hash = sel.kind === "user" ? `#user/${sel.userId}` : `#group/${sel.chatId}${sel.threadId !== null && sel.threadId !== undefined ? `/${sel.threadId}` : ""}`;
      if (window.location.hash !== hash) history.replaceState(null, "", hash);
    }
    $("#messages").replaceChildren(el("div", { class: "placeholder" }, "Loading…"));
    $("#app").classList.add("chat-open");
    renderSidebar();
    renderHeader();
    renderReplyBar();
    loadChat({ initial: true, scroll: "bottom" });
    loadMenu();
    $("#input").focus();
  }

  function renderHeader() {
    const chat = $("#chat");
    const title = $("#chat-title");
    const subtitle = $("#chat-subtitle");
    const av = $("#chat-avatar");
    const speakerBox = $("#speaker-box");
    const input = $("#input");
    chat.classList.toggle("empty", !S.sel);
    clearTimeout(typingTimer);
    delete subtitle.dataset.base;
    subtitle.classList.remove("typing");
    const langBox = $("#lang-box");
    langBox.hidden = true;
    if (!S.sel) {
      title.textContent = "No chat selected";
      subtitle.textContent = "Pick a customer or a group on the left";
      speakerBox.hidden = true;
      setComposerEnabled(false);
      return;
    }
    if (S.sel.kind === "user") {
      const u = selectedUser();
      const name = u ? userName(u) : `User ${S.sel.userId}`;
      title.textContent = name;
      subtitle.textContent = u
        ? [u.username ? `@${u.username}` : null, `id ${u.id}`, u.language_code ? `lang ${u.language_code}` : null, u.blocked ? "has blocked the bot" : "private chat with the bot"].filter(Boolean).join(" · ")
        : "private chat";
      av.replaceWith(Object.assign(avatar(name, S.sel.userId), { id: "chat-avatar" }));
      speakerBox.hidden = true;
      if (u) renderLanguages(u);
      langBox.hidden = !u;
      setComposerEnabled(true);
    } else {
      const g = selectedGroup();
      const name = g ? g.title || `Group ${S.sel.chatId}` : `Group ${S.sel.chatId}`;
      let topicName = null;
      if (g && isForum(g)) {
        const t = topicsOf(g).find((x) => same(x.message_thread_id, S.sel.threadId));
        topicName = t ? `${t.name}${t.closed ? " (closed)" : ""}` : "General";
      }
      title.textContent = topicName ? `${name} › ${topicName}` : name;
      subtitle.textContent = [g && isForum(g) ? "forum group" : "group", `id ${S.sel.chatId}`].join(" · ");
      av.replaceWith(Object.assign(avatar(name, S.sel.chatId), { id: "chat-avatar" }));
      renderSpeakers(g);
      speakerBox.hidden = false;
      setComposerEnabled(S.speaker !== null);
      const topic = g ? topicsOf(g).find((x) => same(x.message_thread_id, S.sel.threadId)) : null;
      if (S.speaker === null) input.placeholder = "Create a customer to speak in this group";
      else if (topic && topic.closed) input.placeholder = "This topic is closed";
    }
  }

  function renderLanguages(u) {
    const sel = $("#lang-select");
    const current = u.language_code || "";
    const codes = [...new Set([...LANGUAGES, ...(current ? [current] : [])])];
    sel.replaceChildren(el("option", { value: "", selected: !current }, "none"),
      ...codes.map((code) => el("option", { value: code, selected: code === current }, code)));
  }

  async function changeLanguage(code) {
    const uid = S.sel && S.sel.kind === "user" ? S.sel.userId : null;
    if (uid === null) return;
    try {
      await api("PATCH", `/sandbox/users/${encodeURIComponent(uid)}`, { language_code: code || null });
      toast(code ? `Language set to ${code}` : "Language cleared");
    } catch (e) {
      toast(`Cannot change the language: ${e.message}`, { error: true });
    }
    await loadSidebar();
    loadMenu();
  }

  function groupMembers(g) {
    const ids = g && (g.members || g.member_ids || g.user_ids);
    if (Array.isArray(ids) && ids.length) {
      const members = [];
      for (const m of ids) {
        const id = typeof m === "object" && m ? m.id ?? m.user_id : m;
        const u = S.users.find((x) => same(x.id, id));
        if (u) members.push(u);
      }
      // Members unknown to /sandbox/users (e.g. staff) still get an entry.
      for (const m of ids) {
        if (typeof m === "object" && m && !S.users.some((u) => same(u.id, m.id ?? m.user_id))) members.push({ ...m, id: m.id ?? m.user_id });
      }
      if (members.length) return members;
    }
    return S.users;
  }

  function renderSpeakers(g) {
    const sel = $("#speaker");
    const members = groupMembers(g);
    if (!members.some((u) => same(u.id, S.speaker))) S.speaker = members.length ? members[0].id : null;
    sel.replaceChildren(...members.map((u) => el("option", { value: String(u.id), selected: same(u.id, S.speaker) }, `${userName(u)} (${u.id})`)));
  }

  function setComposerEnabled(on) {
    $("#input").disabled = !on;
    $("#send-btn").disabled = !on;
    $("#attach-btn").disabled = !on;
    if (on) $("#input").placeholder = "Write a message…";
  }

  /* ------------------------------------------------------------- chat loading */

  function chatUrl() {
    const s = S.sel;
    const q = new URLSearchParams({ limit: String(MESSAGE_LIMIT) });
    if (s.kind === "group" && s.threadId !== null && s.threadId !== undefined) q.set("message_thread_id", String(s.threadId));
    return `/sandbox/chats/${encodeURIComponent(s.chatId)}/messages?${q}`;
  }

  async function loadChat({ initial = false, scroll = "auto" } = {}) {
    if (!S.sel) return;
    const seq = ++S.fetchSeq;
    const sel = S.sel;
    let data;
    try {
      data = await api("GET", chatUrl());
    } catch (e) {
      if (seq === S.fetchSeq) {
        $("#messages").replaceChildren(el("div", { class: "placeholder" }, `Cannot load chat: ${e.message}`));
      }
      return;
    }
    if (seq !== S.fetchSeq || sel !== S.sel) return; // a newer request or another chat won
    let messages = Array.isArray(data) ? data : data.messages || [];
    const g = selectedGroup();
    if (g && isForum(g) && (sel.threadId === null || sel.threadId === undefined)) {
      // General topic: messages that do not belong to a real topic.
      const topicIds = new Set(topicsOf(g).filter((t) => !isGeneralThread(g, t.message_thread_id)).map((t) => String(t.message_thread_id)));
      messages = messages.filter((m) => m.message_thread_id === null || m.message_thread_id === undefined || !topicIds.has(String(m.message_thread_id)));
    }
    if (scroll === "bottom") S.stickBottom = true;
    renderMessages(messages);
    renderReplyKeyboard(data.reply_keyboard || null);
    keepBottom();
    handleCallbackAnswer(sel.chatId, data.callback_answer || null, initial);
  }

  let chatTimer = null;
  function scheduleChat() {
    if (chatTimer) return;
    chatTimer = setTimeout(() => { chatTimer = null; loadChat(); }, 40);
  }
  let sidebarTimer = null;
  function scheduleSidebar() {
    if (sidebarTimer) return;
    sidebarTimer = setTimeout(() => { sidebarTimer = null; loadSidebar(); }, 60);
  }

  /* ------------------------------------------------------------- callback answers */

  function answerKey(a) {
    if (!a) return "";
    if (a.id !== undefined || a.callback_query_id !== undefined) return String(a.id ?? a.callback_query_id);
    return JSON.stringify(a);
  }

  function showAnswer(a) {
    if (!a) return;
    const text = a.text || "";
    if (a.show_alert && text) modal(text);
    else if (text) toast(text, { url: a.url });
    else if (a.url) toast("The bot sent a link", { url: a.url });
  }

  function handleCallbackAnswer(chatId, answer, initial) {
    // Answers are kept per user; show only those for a button of this chat.
    if (answer && answer.chat_id !== undefined && answer.chat_id !== null && !same(answer.chat_id, chatId)) return;
    const key = answerKey(answer);
    const k = String(chatId);
    if (!key || S.seenAnswer[k] === key) return;
    S.seenAnswer[k] = key;
    if (!initial) showAnswer(answer);
  }

  async function fetchCallbackAnswer(chatId, userId) {
    try {
      const res = await api("GET", `/sandbox/users/${encodeURIComponent(userId)}/callback_answer`);
      if (S.sel && same(S.sel.chatId, chatId)) handleCallbackAnswer(chatId, res && res.callback_answer, false);
    } catch (e) { /* the chat re-fetch may still show it */ }
  }

  /* ------------------------------------------------------------- typing indicator */

  const ACTIONS = {
    typing: "typing…", upload_photo: "sending a photo…", upload_document: "sending a file…",
    record_video: "recording a video…", upload_video: "sending a video…", record_voice: "recording a voice message…",
    upload_voice: "sending a voice message…", choose_sticker: "choosing a sticker…", find_location: "finding a location…",
  };
  let typingTimer = null;
  function showTyping(action) {
    const sub = $("#chat-subtitle");
    if (!sub.dataset.base) sub.dataset.base = sub.textContent;
    sub.textContent = `bot is ${ACTIONS[action] || "busy…"}`;
    sub.classList.add("typing");
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, 5000); // Telegram shows an action for 5 s at most
  }
  function hideTyping() {
    clearTimeout(typingTimer);
    const sub = $("#chat-subtitle");
    if (sub.dataset.base !== undefined) { sub.textContent = sub.dataset.base; delete sub.dataset.base; }
    sub.classList.remove("typing");
  }

  /* ------------------------------------------------------------- message rendering */

  function senderOf(m) {
    return m.from || m.sender || null;
  }

  function isOutgoing(m) {
    // "out" = written by a user (right side), like a client seen from the customer's side.
    return !m.from_bot;
  }

  // Stay glued to the newest message unless the user scrolled up to read.
  function keepBottom() {
    if (!S.stickBottom) return;
    const box = $("#messages");
    box.scrollTop = box.scrollHeight;
  }

  function renderMessages(messages) {
    const box = $("#messages");
    const key = JSON.stringify(messages);
    const sel = S.sel;
    if (key === S.renderKey && box.childElementCount) return;
    S.renderKey = key;
    S.messages = messages;
    const prevTop = box.scrollTop;
    const byId = new Map(messages.map((m) => [String(m.message_id), m]));

    const frag = document.createDocumentFragment();
    if (!messages.length) {
      frag.append(el("div", { class: "placeholder" }, sel.kind === "user" ? "No messages here yet. Say /start!" : "No messages in this chat yet."));
    }
    let lastDay = "";
    const flash = [];
    for (const m of messages) {
      const d = toDate(m.date);
      const day = d ? fmtDay(d) : "";
      if (day && day !== lastDay) { frag.append(el("div", { class: "date-chip" }, day)); lastDay = day; }
      const row = renderMessage(m, byId, sel);
      const mk = `${sel.chatId}:${m.message_id}`;
      if (m.edit_date && S.editMarks[mk] !== undefined && S.editMarks[mk] !== m.edit_date) flash.push(row);
      S.editMarks[mk] = m.edit_date || null;
      frag.append(row);
    }
    box.replaceChildren(frag);
    for (const row of flash) row.classList.add("flash");
    if (S.stickBottom) keepBottom();
    else box.scrollTop = prevTop;
  }

  function serviceText(m) {
    const who = userName(senderOf(m)) || "Someone";
    const names = (list) => (list || []).map(userName).join(", ");
    if (m.forum_topic_created) return `Topic “${m.forum_topic_created.name}” created`;
    if (m.forum_topic_edited) {
      return m.forum_topic_edited.name ? `${who} renamed the topic to “${m.forum_topic_edited.name}”` : `${who} changed the topic icon`;
    }
    if (m.forum_topic_closed) return `${who} closed the topic`;
    if (m.forum_topic_reopened) return `${who} reopened the topic`;
    if (m.general_forum_topic_hidden) return `${who} hid the General topic`;
    if (m.general_forum_topic_unhidden) return `${who} unhid the General topic`;
    if (m.pinned_message) return `${who} pinned “${previewText(m.pinned_message)}”`;
    if (m.new_chat_members) return `${names(m.new_chat_members)} joined the group`;
    if (m.left_chat_member) return `${userName(m.left_chat_member)} left the group`;
    if (m.new_chat_title) return `${who} changed the group name to “${m.new_chat_title}”`;
    if (m.group_chat_created || m.supergroup_chat_created) return `${who} created the group`;
    if (m.successful_payment) {
      const p = m.successful_payment;
      const kind = p.is_first_recurring ? " (subscription)" : p.is_recurring ? " (subscription renewal)" : "";
      return `✓ ${who} paid ${fmtPrice(p.total_amount, p.currency)}${kind}`;
    }
    if (m.users_shared) {
      const list = (m.users_shared.users || []).map((u) => [u.first_name, u.last_name].filter(Boolean).join(" ") || (u.username ? `@${u.username}` : `#${u.user_id}`));
      return `${who} shared ${list.length === 1 ? "a user" : `${list.length} users`}: ${list.join(", ")}`;
    }
    if (m.chat_shared) return `${who} shared the group ${m.chat_shared.title ? `“${m.chat_shared.title}”` : m.chat_shared.chat_id}`;
    if (m.refunded_payment) {
      const p = m.refunded_payment;
      return `${fmtPrice(p.total_amount, p.currency)} refunded to ${who}`;
    }
    if (m.write_access_allowed) return `${who} allowed the bot to write messages`;
    return null;
  }

  function renderMessage(m, byId, sel) {
    const service = serviceText(m);
    if (service !== null) {
      return el("div", { class: "service", id: `msg-${m.message_id}`, dataset: { messageId: String(m.message_id) } }, service);
    }
    const out = isOutgoing(m);
    const from = senderOf(m);
    const row = el("div", {
      class: `row ${out ? "out" : "in"}`,
      dataset: { messageId: String(m.message_id), fromBot: m.from_bot ? "1" : "0" },
      id: `msg-${m.message_id}`,
    });
    const bubble = el("div", { class: "bubble", title: "Double-click to reply" });
    bubble.addEventListener("dblclick", () => setReplyTo(m));
    row.append(bubble);

    if (sel.kind === "group" && from) {
      bubble.append(el("div", { class: "sender" }, userName(from), m.from_bot ? el("span", { class: "bot-tag" }, "bot") : null));
    }

    let replied = m.reply_to_message || (m.reply_to_message_id !== undefined ? byId.get(String(m.reply_to_message_id)) : null);
    // In a forum every topic message "replies" to the topic's creation: Telegram shows no quote for it.
    if (replied && (replied.forum_topic_created || same(m.reply_to_message_id, m.message_thread_id))) replied = null;
    if (replied) {
      const rFrom = senderOf(replied);
      bubble.append(el("div", {
        class: "reply-quote",
        onclick: () => { const t = document.getElementById(`msg-${replied.message_id}`); if (t) t.scrollIntoView({ block: "center", behavior: "smooth" }); },
      }, el("b", null, rFrom ? userName(rFrom) : "Message"), previewText(replied)));
    }

    appendMedia(bubble, m);
    if (m.invoice) bubble.append(renderInvoice(m, sel));

    const html = m.html || m.caption_html;
    const hasBody = html || m.text || m.caption;
    const body = el("div", { class: "text" });
    if (html) sanitizeInto(body, html);
    else if (m.text || m.caption) body.textContent = m.text || m.caption;
    else if (!bubble.querySelector(".photo, .document, .invoice, .extra")) {
      const skip = new Set(["message_id", "chat_id", "from_bot", "from", "date", "edit_date", "message_thread_id",
        "reply_to_message_id", "reply_markup", "edits", "media_group_id", "forward_origin", "text", "html", "caption", "caption_html"]);
      const kinds = Object.keys(m).filter((k) => !skip.has(k));
      body.append(el("span", { class: "extra" }, `(${kinds.join(", ") || "empty"} message)`));
    }
    if (hasBody || body.childNodes.length) bubble.append(body);

    const d = toDate(m.date);
    const meta = el("span", { class: "meta" },
      m.edit_date ? el("span", { class: "edited", title: toDate(m.edit_date) ? `edited ${toDate(m.edit_date).toLocaleString()}` : "edited" }, "edited") : null,
      d ? el("time", { datetime: d.toISOString(), title: d.toLocaleString() }, fmtTime(d)) : null,
      out ? el("span", { class: "ticks" }, "✓✓") : null);
    (body.parentNode ? body : bubble).append(meta);
    bubble.append(el("div", { class: "clear" }));

    const markup = m.reply_markup;
    if (markup && Array.isArray(markup.inline_keyboard) && markup.inline_keyboard.length) {
      row.append(renderInlineKeyboard(markup.inline_keyboard, m, sel));
    }
    return row;
  }

  function previewText(m) {
    if (m.text || m.caption) return String(m.text || m.caption).slice(0, 80);
    if (m.photo) return "Photo";
    if (m.document) return `File: ${m.document.file_name || "file"}`;
    if (m.invoice) return `Invoice: ${m.invoice.title || ""}`;
    if (m.contact) return "Contact";
    if (m.location) return "Location";
    if (m.sticker) return "Sticker";
    if (m.video) return "Video";
    if (m.voice) return "Voice message";
    return "Message";
  }

  function fileUrl(f) {
    if (!f) return null;
    if (f.url) return f.url;
    return f.file_id ? `/sandbox/files/${encodeURIComponent(f.file_id)}` : null;
  }

  function appendMedia(bubble, m) {
    if (m.photo) {
      const sizes = Array.isArray(m.photo) ? m.photo : [m.photo];
      const best = sizes.filter((p) => p && (p.url || p.file_id)).sort((a, b) => (a.width || 0) * (a.height || 0) - (b.width || 0) * (b.height || 0)).pop();
      const url = fileUrl(best);
      if (url) {
        bubble.append(el("a", { href: url, target: "_blank", rel: "noopener" },
          el("img", { class: "photo", src: url, alt: "photo", onload: keepBottom })));
      }
    }
    const docs = ["document", "video", "audio", "voice", "animation", "video_note", "sticker"];
    for (const key of docs) {
      const f = m[key];
      if (!f) continue;
      const url = fileUrl(f);
      const name = f.file_name || f.title || (key === "document" ? "file" : key);
      const size = fmtSize(f.file_size);
      bubble.append(el("a", { class: "document", href: url || "#", download: f.file_name || "", target: "_blank", rel: "noopener", title: `Download ${name}` },
        el("span", { class: "doc-icon" }, svgIcon(key === "document" ? "file" : "media")),
        el("span", null, el("div", { class: "doc-name" }, name), el("div", { class: "doc-size" }, [size, f.mime_type].filter(Boolean).join(" · ")))));
    }
    if (m.contact) {
      const c = m.contact;
      bubble.append(el("div", { class: "extra" }, svgIcon("person"), " ", el("b", null, [c.first_name, c.last_name].filter(Boolean).join(" ") || "Contact"), ` ${c.phone_number || ""}`));
    }
    if (m.location) {
      const l = m.location;
      const href = `https://www.openstreetmap.org/?mlat=${l.latitude}&mlon=${l.longitude}#map=16/${l.latitude}/${l.longitude}`;
      bubble.append(el("div", { class: "extra" }, svgIcon("pin"), " ", el("a", { href, target: "_blank", rel: "noopener noreferrer" }, `Location ${Number(l.latitude).toFixed(5)}, ${Number(l.longitude).toFixed(5)}`)));
    }
  }

  function renderInvoice(m, sel) {
    const inv = m.invoice;
    const key = `${sel.chatId}:${m.message_id}`;
    const result = S.payResults[key];
    const card = el("div", { class: "invoice" },
      el("div", { class: "invoice-label" }, "Invoice"),
      el("div", { class: "invoice-title" }, inv.title || "Invoice"),
      inv.description ? el("div", { class: "invoice-desc" }, inv.description) : null,
      el("div", { class: "invoice-price" }, fmtPrice(inv.total_amount, inv.currency)));
    const hasPayButton = m.reply_markup && Array.isArray(m.reply_markup.inline_keyboard) && m.reply_markup.inline_keyboard.some((r) => r.some((b) => b.pay));
    if (!hasPayButton) {
      card.append(el("button", {
        class: "pay-btn", type: "button", disabled: result && result.status === "paid",
        onclick: (ev) => pay(m, ev.currentTarget),
      }, result && result.status === "paid" ? "Paid" : `Pay ${fmtPrice(inv.total_amount, inv.currency)}`));
    }
    if (result) card.append(el("div", { class: `invoice-status ${result.status}` }, result.text));
    return card;
  }

  function renderInlineKeyboard(rows, m, sel) {
    const kb = el("div", { class: "inline-kb" });
    for (const r of rows) {
      const row = el("div", { class: "kb-row" });
      for (const b of r) {
        const corner = b.url || b.login_url ? "↗" : b.switch_inline_query !== undefined || b.switch_inline_query_current_chat !== undefined ? "↪" : b.web_app ? "⧉" : null;
        let label = b.text;
        if (b.pay && m.invoice) {
          const res = S.payResults[`${sel.chatId}:${m.message_id}`];
          if (res && res.status === "paid") label = "Paid";
        }
        row.append(el("button", {
          class: "kb-btn", type: "button", title: b.url || b.callback_data || b.text,
          onclick: (ev) => pressInline(b, m, ev.currentTarget),
        }, label, corner ? el("span", { class: "corner" }, corner) : null));
      }
      kb.append(row);
    }
    return kb;
  }

  /* ------------------------------------------------------------- actions */

  async function pressInline(b, m, btn) {
    if (b.url || (b.login_url && b.login_url.url)) {
      const href = safeHref(b.url || b.login_url.url);
      if (href) window.open(href, "_blank", "noopener,noreferrer");
      else toast(`Blocked link: ${b.url}`, { error: true });
      return;
    }
    if (b.pay) return pay(m, btn);
    if (b.copy_text) {
      const text = b.copy_text.text || "";
      try { await navigator.clipboard.writeText(text); toast("Copied to clipboard"); } catch (e) { modal(`Copy this text:\n${text}`); }
      return;
    }
    if (b.web_app) { toast(`Web app: ${b.web_app.url}`, { url: b.web_app.url }); return; }
    if (b.callback_data === undefined) { toast("This kind of button isn't emulated by the sandbox"); return; }
    const uid = actingUserId();
    if (uid === null || uid === undefined) { toast("Choose who speaks first", { error: true }); return; }
    const chatId = S.sel.chatId;
    btn.classList.add("busy");
    try {
      const res = await api("POST", `/sandbox/users/${encodeURIComponent(uid)}/press`, {
        chat_id: chatId, message_id: m.message_id, callback_data: b.callback_data,
      });
      const answer = res && (res.callback_answer || res.answer);
      if (answer) {
        const k = answerKey(answer);
        if (S.seenAnswer[String(chatId)] !== k) { S.seenAnswer[String(chatId)] = k; showAnswer(answer); }
      }
    } catch (e) {
      toast(`Button press failed: ${e.message}`, { error: true });
    } finally {
      btn.classList.remove("busy");
      scheduleChat();
    }
  }

  async function pay(m, btn) {
    const uid = actingUserId();
    if (uid === null || uid === undefined) { toast("Choose who pays first", { error: true }); return; }
    const chatId = S.sel.chatId;
    const key = `${chatId}:${m.message_id}`;
    if (btn) { btn.disabled = true; btn.textContent = "Paying…"; }
    let result;
    try {
      const res = await api("POST", `/sandbox/users/${encodeURIComponent(uid)}/pay`, { chat_id: chatId, message_id: m.message_id });
      const status = (res && res.status) || "error";
      const detail = res && (res.error_message || res.error || res.message || res.description);
      const text = {
        paid: "✓ Payment successful",
        declined: `✗ Payment declined${detail ? `: ${detail}` : ""}`,
        timeout: "✗ The bot did not answer the pre-checkout query in time",
      }[status] || `✗ ${status}${detail ? `: ${detail}` : ""}`;
      result = { status, text };
    } catch (e) {
      result = { status: "error", text: `✗ Payment failed: ${e.message}` };
    }
    S.payResults[key] = result;
    toast(result.text, { error: result.status !== "paid" });
    S.renderKey = ""; // re-render the card with its status
    loadChat();
  }

  async function sendPayload(payload) {
    if (!S.sel) return false;
    const uid = actingUserId();
    if (uid === null || uid === undefined) { toast("Choose who speaks first", { error: true }); return false; }
    const body = { ...payload };
    if (S.sel.kind === "group") {
      body.chat_id = S.sel.chatId;
      if (S.sel.threadId !== null && S.sel.threadId !== undefined) body.message_thread_id = S.sel.threadId;
    }
    if (S.replyTo) body.reply_to_message_id = S.replyTo.message_id;
    try {
      await api("POST", `/sandbox/users/${encodeURIComponent(uid)}/messages`, body);
    } catch (e) {
      toast(`Send failed: ${e.message}`, { error: true });
      return false;
    }
    setReplyTo(null);
    await loadChat({ scroll: "bottom" });
    return true;
  }

  async function sendText() {
    const input = $("#input");
    const text = input.value;
    if (!text.trim() || input.disabled) return;
    input.value = "";
    autoGrow();
    const ok = await sendPayload({ text });
    if (!ok && !input.value) { input.value = text; autoGrow(); }
    input.focus();
  }

  async function sendFile(kind, file) {
    if (!file) return;
    const maxBytes = 20 * 1024 * 1024;
    if (file.size > maxBytes) { toast("File is larger than 20 MB", { error: true }); return; }
    let content;
    try { content = await fileToBase64(file); } catch (e) { toast(`Cannot read file: ${e.message}`, { error: true }); return; }
    if (kind === "photo") await sendPayload({ photo: content });
    else await sendPayload({ document: { file_name: file.name || "file", content } });
  }

  async function sendContact() {
    const uid = actingUserId();
    if (uid === null || uid === undefined) return;
    const u = S.users.find((x) => same(x.id, uid));
    const stored = localStorage.getItem(`sandbox-phone-${uid}`) || (u && u.phone_number) || "";
    const phone = await modal("Share your phone number with the bot:", { input: { value: stored || "+1 555 0100", placeholder: "+1 555 0100" }, cancel: true });
    if (phone === null || !String(phone).trim()) return;
    localStorage.setItem(`sandbox-phone-${uid}`, String(phone).trim());
    await sendPayload({ contact: { phone_number: String(phone).trim(), user_id: Number(uid) } });
  }

  async function sendLocation() {
    const where = await chooseLocation();
    if (where) await sendPayload({ location: where });
  }

  /* ------------------------------------------------------------- picker (location, users, groups) */

  let pickerState = null;
  function picker({ title, options, max = 1, custom = false, okText = "Send", empty = "Nothing to choose from." }) {
    if (pickerState) pickerState.resolve(null);
    $("#picker-title").textContent = title;
    $("#picker-error").hidden = true;
    $("#picker-ok").textContent = okText;
    const chosen = new Set();
    const box = $("#picker-options");
    box.replaceChildren();
    if (!options.length && !custom) box.append(el("div", { class: "empty-note" }, empty));
    for (const opt of options) {
      const item = el("button", { class: "picker-option", type: "button", dataset: { value: String(opt.value) }, disabled: opt.disabled },
        el("span", { class: "picker-mark", "aria-hidden": "true" }),
        el("span", { class: "picker-label" }, opt.label, opt.sub ? el("small", null, opt.sub) : null));
      item.addEventListener("click", () => {
        const key = String(opt.value);
        if (chosen.has(key)) chosen.delete(key);
        else {
          if (max === 1) { chosen.clear(); box.querySelectorAll(".picker-option.selected").forEach((n) => n.classList.remove("selected")); }
          else if (chosen.size >= max) { pickerError(`You can choose at most ${max}.`); return; }
          chosen.add(key);
        }
        item.classList.toggle("selected", chosen.has(key));
        $("#picker-error").hidden = true;
      });
      box.append(item);
    }
    $("#picker-custom").hidden = !custom;
    $("#picker-lat").value = "";
    $("#picker-lon").value = "";
    $("#picker").hidden = false;
    return new Promise((resolve) => { pickerState = { resolve, chosen, options, custom }; });
  }

  function pickerError(text) {
    const err = $("#picker-error");
    err.textContent = text;
    err.hidden = false;
  }

  function closePicker(ok) {
    const st = pickerState;
    if (!st) return;
    let result = null;
    if (ok) {
      const lat = $("#picker-lat").value.trim();
      const lon = $("#picker-lon").value.trim();
      if (st.custom && (lat || lon)) {
        const latitude = Number(lat);
        const longitude = Number(lon);
        if (!lat || !lon || !Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
          pickerError("Latitude must be -90…90 and longitude -180…180.");
          return;
        }
        result = { custom: { latitude, longitude } };
      } else if (st.chosen.size) {
        result = { values: st.options.filter((o) => st.chosen.has(String(o.value))).map((o) => o.value) };
      } else {
        pickerError("Choose one first.");
        return;
      }
    }
    pickerState = null;
    $("#picker").hidden = true;
    st.resolve(result);
  }

  async function chooseLocation() {
    const res = await picker({
      title: "Share which location?",
      options: CITIES.map((c) => ({ value: c.name, label: c.name, sub: `${c.latitude.toFixed(4)}, ${c.longitude.toFixed(4)}` })),
      custom: true,
    });
    if (!res) return null;
    if (res.custom) return res.custom;
    const city = CITIES.find((c) => c.name === res.values[0]);
    return { latitude: city.latitude, longitude: city.longitude };
  }

  async function chooseUsers(request, uid) {
    const candidates = [];
    if (request.user_is_bot === true) {
      const bot = S.bot;
      if (bot) candidates.push({ value: bot.id, label: bot.first_name || "Bot", sub: bot.username ? `@${bot.username} · bot` : "bot" });
    } else {
      for (const u of S.users) {
        if (same(u.id, uid)) continue;
        const premium = Boolean(u.is_premium);
        const fits = request.user_is_premium === undefined || premium === request.user_is_premium;
        candidates.push({ value: u.id, label: userName(u), disabled: !fits,
          sub: [u.username ? `@${u.username}` : null, `id ${u.id}`, premium ? "Premium" : null, fits ? null : "does not fit the request"].filter(Boolean).join(" · ") });
      }
    }
    const max = request.max_quantity || 1;
    const res = await picker({ title: max > 1 ? `Choose up to ${max} users to share with the bot` : "Choose a user to share with the bot",
      options: candidates, max, okText: "Share", empty: "No other users: create one first." });
    return res ? res.values : null;
  }

  async function chooseGroup() {
    const res = await picker({ title: "Choose a group to share with the bot",
      options: S.groups.map((g) => ({ value: chatIdOfGroup(g), label: g.title || `Group ${chatIdOfGroup(g)}`, sub: isForum(g) ? "forum" : "group" })),
      okText: "Share", empty: "No groups yet." });
    return res ? res.values[0] : null;
  }

  function setReplyTo(m) {
    S.replyTo = m ? { message_id: m.message_id, preview: previewText(m) } : null;
    renderReplyBar();
    if (m) $("#input").focus();
  }

  function renderReplyBar() {
    $("#reply-bar").hidden = !S.replyTo;
    $("#reply-bar-preview").textContent = S.replyTo ? S.replyTo.preview : "";
  }

  /* ------------------------------------------------------------- reply keyboard */

  function renderReplyKeyboard(markup) {
    const box = $("#reply-keyboard");
    const toggle = $("#kb-toggle");
    const keyboard = markup && !markup.remove_keyboard && Array.isArray(markup.keyboard) ? markup : null;
    const key = keyboard ? JSON.stringify(keyboard) : "";
    if (key !== S.kbKey) { S.kbKey = key; S.kbHidden = false; }
    if (!keyboard) {
      box.hidden = true;
      box.replaceChildren();
      toggle.hidden = true;
      if (!$("#input").disabled) $("#input").placeholder = "Write a message…";
      return;
    }
    box.classList.toggle("resize", Boolean(keyboard.resize_keyboard));
    box.replaceChildren(...keyboard.keyboard.map((r) => el("div", { class: "kb-row" },
      r.map((b) => {
        const btn = typeof b === "string" ? { text: b } : b;
        const icon = btn.request_contact ? svgIcon("person") : btn.request_location ? svgIcon("pin") : null;
        return el("button", { class: "kb-btn", type: "button", title: btn.request_contact ? "Shares your phone number" : btn.request_location ? "Shares a location you choose" : btn.request_users ? "Shares users you choose" : btn.request_chat ? "Shares a group you choose" : null, onclick: () => pressReply(btn, keyboard) }, icon, btn.text);
      }))));
    box.hidden = S.kbHidden;
    toggle.hidden = false;
    toggle.classList.toggle("on", !S.kbHidden);
    toggle.title = S.kbHidden ? "Show keyboard" : "Hide keyboard";
    if (keyboard.input_field_placeholder && !$("#input").disabled) $("#input").placeholder = keyboard.input_field_placeholder;
  }

  async function pressReply(btn, keyboard) {
    if (btn.request_poll || btn.web_app) {
      toast("This kind of keyboard button isn't emulated by the sandbox");
      return;
    }
    const uid = actingUserId();
    if (uid === null || uid === undefined) { toast("Choose who speaks first", { error: true }); return; }
    let extra = null;
    if (btn.request_contact) {
      const u = S.users.find((x) => same(x.id, uid));
      const phone = await modal("Share your phone number with the bot?", { input: { value: (u && u.phone_number) || "" }, cancel: true });
      if (phone === null || !String(phone).trim()) return;
      extra = { phone_number: String(phone).trim() };
    } else if (btn.request_location) {
      const where = await chooseLocation();
      if (!where) return;
      extra = { location: where };
    } else if (btn.request_users) {
      const users = await chooseUsers(btn.request_users, uid);
      if (!users) return;
      extra = { users: users.map(Number) };
    } else if (btn.request_chat) {
      const chat = await chooseGroup();
      if (chat === null) return;
      extra = { chat: Number(chat) };
    } else {
      if (keyboard.one_time_keyboard) hideOneTime();
      await sendPayload({ text: btn.text });
      return;
    }
    try {
      await api("POST", `/sandbox/users/${encodeURIComponent(uid)}/press`, { chat_id: S.sel.chatId, text: btn.text, ...extra });
      if (keyboard.one_time_keyboard) hideOneTime();
    } catch (e) {
      toast(`Button press failed: ${e.message}`, { error: true });
    }
    await loadChat({ scroll: "bottom" });
  }

  function hideOneTime() {
    S.kbHidden = true;
    $("#reply-keyboard").hidden = true;
    $("#kb-toggle").classList.remove("on");
  }

  /* ------------------------------------------------------------- command menu */

  async function loadMenu() {
    const sel = S.sel;
    if (!sel) { S.menu = null; renderMenuButton(); return; }
    const uid = actingUserId();
    const q = uid !== null && uid !== undefined ? `?user_id=${encodeURIComponent(uid)}` : "";
    try {
      const data = await api("GET", `/sandbox/chats/${encodeURIComponent(sel.chatId)}/commands${q}`);
      if (sel !== S.sel) return;
      S.menu = data;
    } catch (e) {
      S.menu = null;
    }
    renderMenuButton();
  }

  function renderMenuButton() {
    const btn = $("#menu-btn");
    const list = $("#menu-list");
    const menu = S.menu;
    const webApp = menu && menu.menu_button && menu.menu_button.type === "web_app" ? menu.menu_button : null;
    const commands = (menu && menu.commands) || [];
    btn.hidden = !S.sel || (!webApp && !commands.length);
    btn.textContent = webApp ? webApp.text || "App" : "☰ Menu";
    btn.title = webApp ? `Web app: ${webApp.web_app && webApp.web_app.url}` : "The bot's commands";
    if (btn.hidden) list.hidden = true;
  }

  async function toggleMenu() {
    const list = $("#menu-list");
    if (!list.hidden) { list.hidden = true; return; }
    await loadMenu();
    const menu = S.menu;
    if (menu && menu.menu_button && menu.menu_button.type === "web_app") {
      const url = menu.menu_button.web_app && menu.menu_button.web_app.url;
      toast(`Web app: ${url}`, { url });
      return;
    }
    const commands = (menu && menu.commands) || [];
    list.replaceChildren(...commands.map((c) => el("button", {
      class: "menu-item", type: "button", role: "menuitem",
      onclick: () => insertCommand(c.command),
    }, el("span", { class: "menu-cmd" }, `/${c.command}`), el("span", { class: "menu-desc" }, c.description))));
    list.hidden = !commands.length;
  }

  function insertCommand(command) {
    const input = $("#input");
    input.value = `/${command} `;
    $("#menu-list").hidden = true;
    autoGrow();
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  /* ------------------------------------------------------------- sandbox clock */

  async function loadClock() {
    try { S.clock = await api("GET", "/sandbox/clock"); } catch (e) { return; }
    const d = new Date(S.clock.now * 1000);
    const node = $("#clock-date");
    node.textContent = `${fmtDay(d)}, ${fmtTime(d)}`;
    node.dateTime = d.toISOString();
    node.dataset.offset = String(S.clock.offset);
    node.title = S.clock.offset ? `${Math.round(S.clock.offset / 86400)} day(s) ahead of real time` : "real time";
  }

  async function moveClock(days, btn) {
    btn.disabled = true;
    try {
      const res = await api("POST", "/sandbox/clock", { days });
      const n = (res.update_ids || []).length;
      toast(`Clock moved ${days === 1 ? "a day" : `${days} days`} ahead${n ? ` · ${n} update(s) for the bot` : ""}`);
    } catch (e) {
      toast(`Cannot move the clock: ${e.message}`, { error: true });
    } finally {
      btn.disabled = false;
    }
    await loadClock();
    if (S.sel) scheduleChat();
  }

  /* ------------------------------------------------------------- live updates */

  function setConn(state) {
    const dot = $("#conn-dot");
    dot.classList.toggle("on", state === true);
    dot.classList.toggle("off", state === false);
    $("#conn-text").textContent = state ? "live" : "reconnecting…";
    $("#conn-dot").title = state ? "Live updates on" : "Live updates lost, reconnecting";
  }

  function onEvent(ev) {
    if (!ev || typeof ev !== "object") return;
    const type = ev.type;
    if (type === "reset") {
      S.unread = {};
      scheduleSidebar();
      if (S.sel) scheduleChat();
      return;
    }
    if (type === "clock") { loadClock(); return; }
    if (type === "commands") { loadMenu(); return; }
    if (type === "user" || type === "chat" || type === "topic") scheduleSidebar();
    if ((type === "chat" || type === "user") && S.sel && same(ev.chat_id, S.sel.chatId)) loadMenu();
    if (ev.chat_id === undefined || ev.chat_id === null) return;
    if (S.sel && same(ev.chat_id, S.sel.chatId)) {
      if (type === "chat_action") { showTyping(ev.action); return; }
      if (type === "message" && ev.from_bot !== false) hideTyping();
      if (type === "callback_answer" && ev.user_id !== undefined) fetchCallbackAnswer(ev.chat_id, ev.user_id);
      scheduleChat();
    } else if (type === "message") {
      const k = String(ev.chat_id);
      S.unread[k] = (S.unread[k] || 0) + 1;
      renderSidebar();
    }
  }

  function connectEvents() {
    if (!window.EventSource) { setConn(false); return; }
    const es = new EventSource("/playground/events");
    es.onopen = () => {
      setConn(true);
      // Anything may have happened while we were disconnected.
      scheduleSidebar();
      if (S.sel) scheduleChat();
    };
    es.onerror = () => setConn(false);
    es.onmessage = (e) => {
      let ev;
      try { ev = JSON.parse(e.data); } catch (err) { return; }
      onEvent(ev);
    };
  }

  /* ------------------------------------------------------------- wiring */

  function autoGrow() {
    const t = $("#input");
    t.style.height = "auto";
    t.style.height = `${Math.min(t.scrollHeight, 160)}px`;
  }

  function restoreFromHash() {
    const m = /^#(user|group)\/(-?\d+)(?:\/(\d+))?$/.exec(window.location.hash);
    if (!m) return;
    if (m[1] === "user") {
      const u = S.users.find((x) => same(x.id, m[2]));
      if (u) selectChat({ kind: "user", chatId: chatIdOfUser(u), userId: u.id }, { keepHash: true });
    } else {
      const g = S.groups.find((x) => same(chatIdOfGroup(x), m[2]));
      if (g) selectChat({ kind: "group", chatId: chatIdOfGroup(g), threadId: m[3] ? Number(m[3]) : null }, { keepHash: true });
    }
  }

  function wire() {
    $("#new-customer-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = ev.currentTarget;
      const err = $("#new-customer-error");
      err.hidden = true;
      const body = {
        id: Number(f.elements.id.value),
        first_name: f.elements.first_name.value.trim(),
        language_code: f.elements.language_code.value,
      };
      const username = f.elements.username.value.trim().replace(/^@/, "");
      if (username) body.username = username;
      try {
        const created = await api("POST", "/sandbox/users", body);
        f.reset();
        $("#new-customer").open = false;
        await loadSidebar();
        const u = S.users.find((x) => same(x.id, body.id)) || (created && created.id !== undefined ? created : { id: body.id });
        toast(`Customer ${body.first_name} created`);
        selectChat({ kind: "user", chatId: chatIdOfUser(u), userId: u.id });
      } catch (e) {
        err.textContent = e.message;
        err.hidden = false;
      }
    });

    $("#composer").addEventListener("submit", (ev) => { ev.preventDefault(); sendText(); });
    const input = $("#input");
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); sendText(); }
      if (ev.key === "Escape" && S.replyTo) setReplyTo(null);
    });
    input.addEventListener("input", autoGrow);

    $("#speaker").addEventListener("change", (ev) => { S.speaker = Number(ev.target.value); loadMenu(); });
    $("#lang-select").addEventListener("change", (ev) => changeLanguage(ev.target.value));
    $("#back-btn").addEventListener("click", () => { $("#app").classList.remove("chat-open"); });
    $("#menu-btn").addEventListener("click", (ev) => { ev.stopPropagation(); toggleMenu(); });
    document.addEventListener("click", (ev) => { if (!ev.target.closest(".menu-wrap")) $("#menu-list").hidden = true; });
    for (const btn of document.querySelectorAll("[data-clock-days]")) {
      btn.addEventListener("click", () => moveClock(Number(btn.dataset.clockDays), btn));
    }
    $("#picker-ok").addEventListener("click", () => closePicker(true));
    $("#picker-cancel").addEventListener("click", () => closePicker(false));
    $("#picker").addEventListener("click", (ev) => { if (ev.target === $("#picker")) closePicker(false); });
    $("#reply-cancel").addEventListener("click", () => setReplyTo(null));
    $("#kb-toggle").addEventListener("click", () => {
      S.kbHidden = !S.kbHidden;
      $("#reply-keyboard").hidden = S.kbHidden || !S.kbKey;
      $("#kb-toggle").classList.toggle("on", !S.kbHidden);
    });

    const menu = $("#attach-menu");
    $("#attach-btn").addEventListener("click", (ev) => { ev.stopPropagation(); menu.hidden = !menu.hidden; });
    document.addEventListener("click", () => { menu.hidden = true; });
    menu.addEventListener("click", (ev) => {
      const pick = ev.target.closest("button") && ev.target.closest("button").dataset.pick;
      menu.hidden = true;
      if (pick === "photo") $("#file-photo").click();
      else if (pick === "document") $("#file-document").click();
      else if (pick === "location") sendLocation();
      else if (pick === "contact") sendContact();
    });
    for (const [id, kind] of [["#file-photo", "photo"], ["#file-document", "document"]]) {
      $(id).addEventListener("change", async (ev) => {
        const file = ev.target.files && ev.target.files[0];
        ev.target.value = "";
        await sendFile(kind, file);
      });
    }

    const box = $("#messages");
    box.addEventListener("scroll", () => {
      S.stickBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 60;
    });
    if (window.ResizeObserver) new ResizeObserver(() => keepBottom()).observe(box);
    $("#messages").addEventListener("click", (ev) => {
      const sp = ev.target.closest(".spoiler");
      if (sp) { sp.classList.add("revealed"); return; }
      const bq = ev.target.closest("blockquote.expandable");
      if (bq) bq.classList.toggle("collapsed");
    });

    $("#modal-ok").addEventListener("click", () => closeModal(true));
    $("#modal-cancel").addEventListener("click", () => closeModal(false));
    $("#modal").addEventListener("click", (ev) => { if (ev.target === $("#modal")) closeModal(false); });
    document.addEventListener("keydown", (ev) => {
      if (!$("#picker").hidden && ev.key === "Escape") { closePicker(false); return; }
      if ($("#modal").hidden) return;
      if (ev.key === "Escape") closeModal(false);
      if (ev.key === "Enter") { ev.preventDefault(); closeModal(true); }
    });
    window.addEventListener("hashchange", restoreFromHash);
  }

  async function main() {
    wire();
    renderHeader();
    connectEvents();
    api("GET", "/sandbox/bot").then((info) => {
      const bot = info && info.bot;
      S.bot = bot || null;
      if (bot && bot.username) $("#bot-username").textContent = `@${bot.username}`;
    }).catch(() => {});
    loadClock();
    await loadSidebar();
    S.loaded = true;
    restoreFromHash();
    document.body.dataset.ready = "1";
  }

  // A small hook for tests and the curious: the sanitizer used for every message.
  window.playground = Object.freeze({
    sanitize: (html) => sanitizeInto(document.createElement("div"), String(html)).innerHTML,
  });

  main();
})();
