// Slack mrkdwn -> DOM, safely: every piece of text becomes a text node (never innerHTML).
(function () {
  "use strict";
  const PG = (window.PG = window.PG || {});

  const EMOJI = {
    white_check_mark: "✅", heavy_check_mark: "✔️", x: "❌", warning: "⚠️", hourglass: "⌛",
    hourglass_flowing_sand: "⏳", arrows_counterclockwise: "🔄", no_entry: "⛔",
    no_entry_sign: "🚫", octagonal_sign: "🛑", stop_sign: "🛑", large_blue_circle: "🔵",
    large_green_circle: "🟢", large_yellow_circle: "🟡", large_orange_circle: "🟠",
    red_circle: "🔴", white_circle: "⚪", black_circle: "⚫", large_purple_circle: "🟣",
    eyes: "👀", bell: "🔔", no_bell: "🔕", mag: "🔍", pencil2: "✏️", memo: "📝",
    inbox_tray: "📥", outbox_tray: "📤", gear: "⚙️", rocket: "🚀", tada: "🎉", clock1: "🕐",
    page_facing_up: "📄", file_folder: "📁", bust_in_silhouette: "👤", lock: "🔒", key: "🔑",
    raised_hand: "✋", question: "❓", grey_question: "❔", information_source: "ℹ️",
    double_vertical_bar: "⏸️", pause_button: "⏸️", arrow_forward: "▶️", fast_forward: "⏩",
    repeat: "🔁", construction: "🚧", zzz: "💤", sparkles: "✨", link: "🔗", wave: "👋",
    broken_heart: "💔", heavy_multiplication_x: "✖️", bangbang: "‼️", exclamation: "❗",
    stopwatch: "⏱️", calendar: "📅", clipboard: "📋", robot_face: "🤖", thumbsup: "👍",
    hammer_and_wrench: "🛠️", wrench: "🔧", satellite: "🛰️", bar_chart: "📊", package: "📦",
    scissors: "✂️", wastebasket: "🗑️", speech_balloon: "💬", thinking_face: "🤔",
    large_red_square: "🟥", large_green_square: "🟩", large_yellow_square: "🟨",
    white_large_square: "⬜", black_large_square: "⬛", arrow_right: "➡️", arrow_left: "⬅️",
  };

  function unescape(s) {
    return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }
  function emojify(s) {
    return s.replace(/:([a-z0-9_+\-]+):/g, (m, name) => EMOJI[name] || m);
  }
  function el(tag, cls) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    return node;
  }
  function textNode(s) {
    return document.createTextNode(emojify(unescape(s)));
  }
  function chip(text, cls) {
    const span = el("span", cls);
    span.textContent = text;
    return span;
  }

  // ---- dates: <!date^ts^format^optional_link|fallback>, in the reader's own time zone
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  function ordinal(n) {
    const s = ["th", "st", "nd", "rd"], v = n % 100;
    return n + (s[(v - 20) % 10] || s[v] || s[0]);
  }
  function sameDay(a, b) {
    return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  }
  function pretty(d, otherwise) {
    const now = new Date();
    const day = 86400000;
    if (sameDay(d, now)) return "today";
    if (sameDay(d, new Date(now.getTime() - day))) return "yesterday";
    if (sameDay(d, new Date(now.getTime() + day))) return "tomorrow";
    return otherwise;
  }
  function ago(d) {
    const secs = Math.round((Date.now() - d.getTime()) / 1000);
    const future = secs < 0, a = Math.abs(secs);
    const [n, unit] = a < 60 ? [a, "second"] : a < 3600 ? [Math.round(a / 60), "minute"]
      : a < 86400 ? [Math.round(a / 3600), "hour"] : [Math.round(a / 86400), "day"];
    const phrase = `${n} ${unit}${n === 1 ? "" : "s"}`;
    return future ? `in ${phrase}` : `${phrase} ago`;
  }
  function formatDate(d, fmt) {
    const pad = (n) => String(n).padStart(2, "0");
    const date = `${MONTHS[d.getMonth()]} ${ordinal(d.getDate())}, ${d.getFullYear()}`;
    const short = `${MONTHS[d.getMonth()].slice(0, 3)} ${d.getDate()}, ${d.getFullYear()}`;
    const long = `${DAYS[d.getDay()]}, ${date}`;
    const h = d.getHours() % 12 || 12, ampm = d.getHours() < 12 ? "AM" : "PM";
    const tokens = {
      date_num: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
      date, date_short: short, date_long: long,
      date_pretty: pretty(d, date), date_short_pretty: pretty(d, short),
      date_long_pretty: pretty(d, long),
      time: `${h}:${pad(d.getMinutes())} ${ampm}`,
      time_secs: `${h}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${ampm}`,
      ago: ago(d),
    };
    return fmt.replace(/\{(\w+)\}/g, (m, name) => (name in tokens ? tokens[name] : m));
  }
  function dateNode(inner) {
    const bar = inner.indexOf("|");
    const head = bar >= 0 ? inner.slice(0, bar) : inner;
    const fallback = bar >= 0 ? inner.slice(bar + 1) : "";
    const parts = head.split("^");
    const d = new Date(Number(parts[1]) * 1000);
    if (!parts[1] || isNaN(d.getTime())) return textNode(fallback);
    const t = el("time", "date");
    t.dateTime = d.toISOString();
    t.title = d.toString();
    t.textContent = formatDate(d, unescape(parts[2] || "{date_num} {time}"));
    return t;
  }

  // ---- <...> tokens: mentions, channels, special mentions, dates, links
  function angle(inner, ctx) {
    const bar = inner.indexOf("|");
    const target = bar >= 0 ? inner.slice(0, bar) : inner;
    const label = bar >= 0 ? inner.slice(bar + 1) : "";
    if (target[0] === "@") return chip("@" + unescape(label || ctx.userName(target.slice(1))), "mention");
    if (target[0] === "#") return chip("#" + unescape(label || ctx.channelName(target.slice(1))), "channel-link");
    if (target.startsWith("!date^")) return dateNode(inner);
    if (target.startsWith("!subteam^")) return chip("@" + unescape(label || target.split("^")[1]), "mention");
    if (target[0] === "!") return chip("@" + unescape(label || target.slice(1)), "mention broadcast");
    const url = unescape(target);
    if (/^(https?:|mailto:)/i.test(url)) {
      const a = el("a");
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.textContent = unescape(label || target);
      return a;
    }
    return document.createTextNode(unescape(label || target));
  }

  const INLINE = new RegExp([
    "(`[^`\\n]+`)",                                   // code
    "(<[^<>\\n]+>)",                                  // special token
    "((?<![\\w*])\\*(?!\\s)[^*\\n]+?\\*(?![\\w*]))",  // *bold*
    "((?<![\\w_])_(?!\\s)[^_\\n]+?_(?![\\w_]))",      // _italic_
    "((?<![\\w~])~(?!\\s)[^~\\n]+?~(?![\\w~]))",      // ~strike~
  ].join("|"));

  function inline(text, parent, ctx) {
    while (text) {
      const m = INLINE.exec(text);
      if (!m) { parent.appendChild(textNode(text)); return; }
      if (m.index) parent.appendChild(textNode(text.slice(0, m.index)));
      const tok = m[0];
      if (m[1]) {
        const code = el("code");
        code.textContent = unescape(tok.slice(1, -1));
        parent.appendChild(code);
      } else if (m[2]) {
        parent.appendChild(angle(tok.slice(1, -1), ctx));
      } else {
        const node = el(m[3] ? "b" : m[4] ? "i" : "s");
        inline(tok.slice(1, -1), node, ctx);
        parent.appendChild(node);
      }
      text = text.slice(m.index + tok.length);
    }
  }

  function lines(part, root, ctx) {
    const rows = part.split("\n");
    rows.forEach((line, i) => {
      if (/^&gt;( |$)/.test(line)) {
        const q = el("blockquote");
        inline(line.replace(/^&gt; ?/, ""), q, ctx);
        root.appendChild(q);
        return;
      }
      inline(line, root, ctx);
      if (i < rows.length - 1) root.appendChild(el("br"));
    });
  }

  // mrkdwn(text, ctx) -> <span class="mrkdwn">; ctx gives userName(id) and channelName(id)
  PG.mrkdwn = function (text, ctx) {
    const root = el("span", "mrkdwn");
    const parts = String(text || "").split("```");
    if (parts.length % 2 === 0) parts[parts.length - 2] += "```" + parts.pop();
    parts.forEach((part, i) => {
      if (i % 2 === 1) {
        const pre = el("pre");
        pre.textContent = unescape(part.replace(/^\n/, ""));
        root.appendChild(pre);
      } else {
        lines(part, root, ctx);
      }
    });
    return root;
  };
  PG.plain = function (text) {
    const span = el("span", "plain");
    span.textContent = emojify(String(text || ""));
    return span;
  };
  PG.el = el;
  PG.formatDate = formatDate;
})();
