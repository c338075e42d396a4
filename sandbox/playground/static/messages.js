// Message lists: the channel, ephemeral replies, threads.
(function () {
  "use strict";
  const PG = (window.PG = window.PG || {});
  const el = PG.el;

  function clock(ts) {
    const d = new Date(Number(ts) * 1000);
    return d.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
  }

  function avatar(msg, botId) {
    const a = el("div", "avatar");
    if (msg.from_slack) { a.textContent = "S"; a.classList.add("slackbot"); }
    else if (msg.local) { a.textContent = "›"; a.classList.add("local"); }
    else if (msg.user === botId || msg.bot_id) { a.textContent = "DJ"; a.classList.add("bot"); }
    else a.textContent = "?";
    return a;
  }

  function author(msg, ctx) {
    const h = el("div", "msg-head");
    const name = el("span", "author");
    if (msg.from_slack) name.textContent = "Slackbot";
    else if (msg.local) name.textContent = ctx.userName(msg.user);
    else if (msg.bot_id) name.textContent = "datajobs";
    else name.textContent = ctx.userName(msg.user);
    h.appendChild(name);
    if (msg.bot_id && !msg.from_slack) { const b = el("span", "app-badge"); b.textContent = "APP"; h.appendChild(b); }
    const t = el("span", "msg-time");
    t.textContent = clock(msg.ts);
    t.title = new Date(Number(msg.ts) * 1000).toString();
    h.appendChild(t);
    return h;
  }

  // message(msg, ctx, opts{onThread}) -> <div class="msg">
  PG.renderMessage = function (msg, ctx, opts) {
    const row = el("div", "msg");
    row.dataset.ts = msg.ts;
    row.dataset.channel = msg.channel || "";
    if (msg.is_ephemeral) row.classList.add("ephemeral");
    if (msg.local) row.classList.add("local-echo");
    row.appendChild(avatar(msg, ctx.botId));
    const main = el("div", "msg-main");
    main.appendChild(author(msg, ctx));
    const body = el("div", "msg-body");
    const msgCtx = Object.assign({}, ctx, {
      act: (action) => ctx.act(Object.assign({ channel: msg.channel, message_ts: msg.ts }, action)),
    });
    if (msg.blocks && msg.blocks.length) body.appendChild(PG.renderBlocks(msg.blocks, msgCtx));
    else body.appendChild(PG.mrkdwn(msg.text || "", ctx));
    main.appendChild(body);
    Object.entries(msg.unfurls || {}).forEach(([url, preview]) => {
      const card = el("div", "unfurl");
      card.dataset.url = url;
      const site = el("div", "unfurl-site");
      site.textContent = "datajobs · " + url.replace(/^https?:\/\//, "").split("/")[0];
      card.append(site, PG.renderBlocks(preview.blocks || [], msgCtx));
      main.appendChild(card);
    });
    if (msg.edited) { const e = el("span", "edited"); e.textContent = "(edited)"; main.appendChild(e); }
    if (msg.is_ephemeral) {
      const note = el("div", "ephemeral-note");
      note.textContent = "👁 Only visible to you";
      main.appendChild(note);
    }
    if (msg.reply_count && opts && opts.onThread) {
      const link = el("button", "thread-link");
      link.type = "button";
      link.textContent = `${msg.reply_count} ${msg.reply_count === 1 ? "reply" : "replies"}`;
      link.addEventListener("click", () => opts.onThread(msg.ts));
      main.appendChild(link);
    }
    row.appendChild(main);
    const shortcuts = (ctx.shortcuts || []);
    if (shortcuts.length && !msg.is_ephemeral && !msg.local && ctx.shortcut) {
      const wrap = el("span", "overflow msg-actions");
      const b = el("button", "btn msg-menu-btn");
      b.type = "button";
      b.textContent = "⋯";
      b.title = "More actions";
      b.setAttribute("aria-label", "More actions on this message");
      const menu = el("div", "overflow-menu");
      menu.hidden = true;
      shortcuts.forEach((sc) => {
        const item = el("button", "msg-menu-item");
        item.type = "button";
        item.textContent = sc.name;
        item.dataset.callbackId = sc.callback_id;
        item.addEventListener("click", () => { menu.hidden = true; ctx.shortcut(msg, sc.callback_id); });
        menu.appendChild(item);
      });
      PG.opensMenu(b, menu);
      wrap.append(b, menu);
      row.appendChild(wrap);
    }
    return row;
  };

  // The channel as one person sees it: top-level messages plus their own ephemeral ones.
  PG.channelView = function (data, channel, user, local) {
    const msgs = (data.messages[channel] || []).filter(
      (m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === "thread_broadcast");
    const mine = data.ephemerals.filter((m) => m.channel === channel && m.user === user && !m.thread_ts);
    const echoes = (local || []).filter((m) => m.channel === channel && m.user === user);
    return msgs.concat(mine, echoes).sort((a, b) => Number(a.ts) - Number(b.ts));
  };

  PG.threadView = function (data, channel, root, user) {
    const msgs = (data.messages[channel] || []).filter((m) => m.ts === root || m.thread_ts === root);
    const mine = data.ephemerals.filter((m) => m.channel === channel && m.user === user && m.thread_ts === root);
    return msgs.concat(mine).sort((a, b) => Number(a.ts) - Number(b.ts));
  };

  // Re-render a list only when what it shows changed; keep the scroll pinned to the bottom.
  PG.renderList = function (container, msgs, ctx, opts) {
    const key = JSON.stringify(msgs) + ctx.user;
    if (container.dataset.key === key) return false;
    const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 80;
    const scroll = container.scrollTop;
    container.replaceChildren();
    if (!msgs.length) {
      const empty = el("div", "empty");
      empty.textContent = opts && opts.empty ? opts.empty : "No messages yet.";
      container.appendChild(empty);
    }
    msgs.forEach((m) => container.appendChild(PG.renderMessage(m, ctx, opts)));
    container.dataset.key = key;
    container.scrollTop = atBottom || (opts && opts.forceBottom) ? container.scrollHeight : scroll;
    return true;
  };
})();
