// The playground: who you are, where you are, what you type and click; live state from the fake Slack.
(function () {
  "use strict";
  const PG = window.PG;
  const el = PG.el;
  const $ = (id) => document.getElementById(id);

  const S = {
    user: localStorage.getItem("pg.user") || "U0ALICE",
    channel: localStorage.getItem("pg.channel") || "C0DATAJOBS",
    thread: null, version: 0, data: null, local: [], seen: {},
  };

  async function post(path, body) {
    const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body) });
    try { return await res.json(); } catch (e) { return { ok: false, error: `HTTP ${res.status}` }; }
  }

  const dmOf = (user) => "D" + user.slice(1);
  const HOME = "HOME";
  function userName(id) {
    const u = S.data && S.data.users.find((x) => x.id === id);
    return u ? u.name : id;
  }
  function channelName(id) {
    const c = S.data && S.data.channels.find((x) => x.id === id);
    return c ? c.name : id;
  }
  function channelInfo(id) {
    return S.data && S.data.channels.find((x) => x.id === id);
  }

  async function act(action) {
    if (action.confirm && !(await PG.confirmDialog(action.confirm, ctx()))) {
      if (action.onDeny) action.onDeny();
      return;
    }
    if (action.button) action.button.classList.add("busy");
    await post("_ui/action", { user: S.user, action_id: action.action_id, block_id: action.block_id,
      value: action.value, channel: action.channel, message_ts: action.message_ts,
      view_id: action.view_id, values: action.values });
    if (action.button) setTimeout(() => action.button.classList.remove("busy"), 400);
  }

  function shortcut(msg, callbackId) {
    return post("_ui/shortcut", { user: S.user, channel: msg.channel, message_ts: msg.ts,
      callback_id: callbackId });
  }

  function ctx() {
    return { userName, channelName, act, botId: S.data ? S.data.bot_user_id : "", user: S.user,
      shortcuts: S.data ? S.data.shortcuts || [] : [], shortcut };
  }

  // ---- sidebar
  function convItem(id, label, opts) {
    const li = el("li", "conv" + (id === S.channel ? " active" : ""));
    li.dataset.channel = id;
    const b = el("button");
    b.type = "button";
    b.textContent = label;
    const count = (S.data.messages[id] || []).length +
      S.data.ephemerals.filter((m) => m.channel === id && m.user === S.user).length;
    if (id !== S.channel && count > (S.seen[id] || 0)) li.classList.add("unread");
    if (opts && opts.muted) li.classList.add("muted");
    b.addEventListener("click", () => switchTo(id));
    li.appendChild(b);
    return li;
  }
  function renderSidebar() {
    const users = S.data.users.filter((u) => !u.is_bot);
    const sel = $("user-select");
    if (sel.options.length !== users.length) {
      sel.replaceChildren(...users.map((u) => {
        const o = el("option");
        o.value = u.id;
        o.textContent = u.name + (u.deleted ? " (deactivated)" : "");
        return o;
      }));
    }
    sel.value = S.user;
    const chans = S.data.channels.filter((c) => !c.is_im && !c.is_archived &&
      (!c.is_private || (c.members || []).includes(S.user)));
    $("channel-list").replaceChildren(...chans.map((c) =>
      convItem(c.id, (c.is_private ? "🔒 " : "# ") + c.name, { muted: !c.is_member })));
    $("app-list").replaceChildren(convItem(HOME, "🏠 datajobs Home"));
    $("dm-list").replaceChildren(convItem(dmOf(S.user), "🤖 datajobs"));
    $("hints").replaceChildren(...(S.data.hints || []).map((h) => {
      const li = el("li");
      li.textContent = h;
      return li;
    }));
  }

  function switchTo(id) {
    S.channel = id;
    S.thread = null;
    localStorage.setItem("pg.channel", id);
    if (id === HOME) post("_ui/home", { user: S.user });   // Slack sends app_home_opened
    render();
    if (id !== HOME) $("composer-input").focus();
  }

  // ---- main area
  function renderHeader() {
    if (S.channel === HOME) {
      $("channel-title").textContent = "🏠 datajobs — Home";
      $("channel-note").textContent = "What needs you, what runs, what you follow";
      return;
    }
    const info = channelInfo(S.channel);
    const isDm = S.channel === dmOf(S.user);
    $("channel-title").textContent = isDm ? "🤖 datajobs" : info ? "# " + info.name : S.channel;
    $("channel-note").textContent = isDm ? "Your direct messages with the bot"
      : info && !info.is_member ? "The bot is not in this channel: /invite @datajobs adds it" : "";
  }

  function renderCalls() {
    const calls = S.data.calls.slice().reverse();
    const key = JSON.stringify(calls);
    const list = $("call-list");
    if (list.dataset.key === key) return;
    list.dataset.key = key;
    list.replaceChildren(...calls.map((c) => {
      const li = el("li", c.ok ? "ok" : "fail");
      const m = el("code");
      m.textContent = c.method;
      const r = el("span", "call-result");
      r.textContent = c.ok ? (c.action || "ok") : c.status === 429 ? "429 rate limited" : (c.error || "error");
      li.append(m, " ", r);
      if (c.channel) { const ch = el("span", "call-channel"); ch.textContent = " " + channelName(c.channel); li.appendChild(ch); }
      return li;
    }));
  }

  function renderThread() {
    const pane = $("thread");
    if (!S.thread) { pane.hidden = true; return; }
    pane.hidden = false;
    PG.renderList($("thread-messages"), PG.threadView(S.data, S.channel, S.thread, S.user), ctx(), {});
  }

  function renderModal() {
    const views = S.data.views.filter((v) => v.user === S.user);
    const top = views.length ? views[views.length - 1] : null;
    PG.showView(top, ctx(), {
      submit: (values) => post("_ui/submit", { user: S.user, view_id: top.id, values }),
      close: () => post("_ui/close", { user: S.user, view_id: top.id }),
      act: (action, values) => act(Object.assign({}, action, { view_id: top.id, values })),
    });
  }

  function renderHome() {
    const view = (S.data.homes || {})[S.user];
    const box = $("home");
    const key = JSON.stringify(view || null) + S.user;
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.replaceChildren();
    if (!view) {
      const wait = el("div", "empty");
      wait.textContent = "Opening Home…";
      box.appendChild(wait);
      return;
    }
    const homeCtx = Object.assign({}, ctx(), {
      act: (action) => act(Object.assign({}, action, { view_id: view.id })),
    });
    box.appendChild(PG.renderBlocks(view.blocks, homeCtx));
  }

  function render() {
    if (!S.data) return;
    const onHome = S.channel === HOME;
    $("messages").hidden = onHome;
    $("home").hidden = !onHome;
    $("composer").hidden = onHome;
    $("composer-hint").hidden = onHome;
    if (onHome) {
      renderSidebar();
      renderHeader();
      renderHome();
      renderCalls();
      renderModal();
      return;
    }
    const msgs = PG.channelView(S.data, S.channel, S.user, S.local);
    S.seen[S.channel] = (S.data.messages[S.channel] || []).length +
      S.data.ephemerals.filter((m) => m.channel === S.channel && m.user === S.user).length;
    renderSidebar();
    renderHeader();
    PG.renderList($("messages"), msgs, ctx(), {
      onThread: (ts) => {
        const list = $("messages");
        const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
        S.thread = ts;
        renderThread();
        if (atBottom) list.scrollTop = list.scrollHeight;   // the narrower column keeps its place
      },
      empty: "Nothing here yet. Type /datajobs list below.",
    });
    renderThread();
    renderCalls();
    renderModal();
  }

  // ---- live state: long-poll the fake Slack
  async function poll() {
    for (;;) {
      try {
        const res = await fetch(`_fake/state?since=${S.version}&wait=20`, { cache: "no-store" });
        const data = await res.json();
        if (data.version !== S.version) {
          S.data = data;
          S.version = data.version;
          render();
        }
        document.body.classList.remove("offline");
      } catch (e) {
        document.body.classList.add("offline");
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  // ---- composer
  $("composer").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const input = $("composer-input");
    const raw = input.value.trim();
    if (!raw) return;
    input.value = "";
    if (!raw.startsWith("/")) {   // a plain message: links to SeekrFlow get a preview
      await post("_ui/message", { user: S.user, channel: S.channel, text: raw });
      return;
    }
    const echo = { ts: String(Date.now() / 1000), channel: S.channel, user: S.user, local: true,
      text: "`" + raw.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;") + "`" };
    S.local.push(echo);
    render();
    const space = raw.indexOf(" ");
    const command = space < 0 ? raw : raw.slice(0, space);
    const text = space < 0 ? "" : raw.slice(space + 1).trim();
    if (command === "/invite") {
      await post("_ui/invite", { user: S.user, channel: S.channel });
      return;
    }
    if (command !== "/datajobs") {
      S.local.push({ ts: String(Date.now() / 1000 + 0.001), channel: S.channel, user: S.user,
        local: true, from_slack: true, is_ephemeral: true,
        text: "`" + command.replace(/[&<>]/g, "") + "` is not a valid command. This workspace has `/datajobs` and `/invite`." });
      render();
      return;
    }
    await post("_ui/command", { user: S.user, channel: S.channel, text, command });
  });

  $("user-select").addEventListener("change", (ev) => {
    S.user = ev.target.value;
    localStorage.setItem("pg.user", S.user);
    if (S.channel.startsWith("D")) S.channel = dmOf(S.user);
    if (S.channel === HOME) post("_ui/home", { user: S.user });
    S.thread = null;
    render();
  });
  $("thread-close").addEventListener("click", () => { S.thread = null; renderThread(); });

  if (S.channel === HOME) post("_ui/home", { user: S.user });
  poll();
})();
