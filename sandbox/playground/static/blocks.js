// Block Kit -> DOM. ctx: {userName(id), channelName(id), act(action), errors?, drafts?}
(function () {
  "use strict";
  const PG = (window.PG = window.PG || {});
  const el = PG.el;

  function text(obj, ctx) {
    if (!obj) return el("span");
    if (typeof obj === "string") return PG.plain(obj);
    return obj.type === "mrkdwn" ? PG.mrkdwn(obj.text, ctx) : PG.plain(obj.text);
  }
  function rawJson(obj, cls) {
    const pre = el("pre", cls || "unknown-block");
    pre.textContent = JSON.stringify(obj, null, 2);
    pre.title = "Not rendered by the playground: shown as JSON";
    return pre;
  }
  function optionLabel(opt) {
    return opt && opt.text ? String(opt.text.text || "") : "";
  }
  function allOptions(element) {
    if (element.options) return element.options;
    return (element.option_groups || []).flatMap((g) => g.options || []);
  }

  function button(element, block, ctx) {
    const b = el("button", "btn" + (element.style ? " " + element.style : ""));
    b.type = "button";
    b.dataset.actionId = element.action_id || "";
    b.appendChild(text(element.text, ctx));
    b.addEventListener("click", () => {
      if (element.url) window.open(element.url, "_blank", "noopener");
      ctx.act({ action_id: element.action_id, block_id: block.block_id, value: element.value,
        confirm: element.confirm, button: b });
    });
    return b;
  }

  function select(element, block, ctx, inInput) {
    const s = el("select", "select");
    s.dataset.actionId = element.action_id || "";
    s.dataset.blockId = block.block_id || "";
    const ph = el("option");
    ph.value = "";
    ph.textContent = element.placeholder ? element.placeholder.text : "Select an item";
    ph.disabled = true;
    s.appendChild(ph);
    const addOption = (parent, opt) => {
      const o = el("option");
      o.value = opt.value;
      o.textContent = optionLabel(opt);
      parent.appendChild(o);
    };
    if (element.option_groups) {
      element.option_groups.forEach((g) => {
        const og = el("optgroup");
        og.label = g.label ? g.label.text : "";
        (g.options || []).forEach((opt) => addOption(og, opt));
        s.appendChild(og);
      });
    } else {
      (element.options || []).forEach((opt) => addOption(s, opt));
    }
    const initial = element.initial_option ? element.initial_option.value : "";
    s.value = initial;
    if (!initial) ph.selected = true;
    if (!inInput) {
      s.addEventListener("change", () => {
        const value = s.value;
        ctx.act({ action_id: element.action_id, block_id: block.block_id, value,
          confirm: element.confirm, onDeny: () => { s.value = initial; } });
      });
    }
    return s;
  }

  function overflow(element, block, ctx) {
    const wrap = el("span", "overflow");
    const b = el("button", "btn overflow-btn");
    b.type = "button";
    b.textContent = "⋯";
    b.title = "More actions";
    b.dataset.actionId = element.action_id || "";
    const menu = el("div", "overflow-menu");
    menu.hidden = true;
    (element.options || []).forEach((opt) => {
      const item = el("button", "overflow-item");
      item.type = "button";
      item.textContent = optionLabel(opt);
      item.dataset.value = opt.value;
      item.addEventListener("click", () => {
        menu.hidden = true;
        if (opt.url) window.open(opt.url, "_blank", "noopener");
        ctx.act({ action_id: element.action_id, block_id: block.block_id, value: opt.value,
          confirm: element.confirm });
      });
      menu.appendChild(item);
    });
    PG.opensMenu(b, menu);
    wrap.append(b, menu);
    return wrap;
  }

  // A click on ``button`` shows ``menu`` (closing any other open menu); a click elsewhere hides it.
  PG.opensMenu = function (button, menu) {
    button.addEventListener("click", (ev) => {
      ev.stopPropagation();
      document.querySelectorAll(".overflow-menu").forEach((m) => { if (m !== menu) m.hidden = true; });
      menu.hidden = !menu.hidden;
    });
  };

  function image(element) {
    const img = el("img", "block-image");
    img.alt = element.alt_text || "";
    img.title = element.alt_text || "";
    img.src = element.image_url || "";
    return img;
  }

  function element(elmt, block, ctx) {
    switch (elmt.type) {
      case "button": return button(elmt, block, ctx);
      case "static_select": return select(elmt, block, ctx, false);
      case "overflow": return overflow(elmt, block, ctx);
      case "image": return image(elmt);
      case "mrkdwn": case "plain_text": return text(elmt, ctx);
      default: return rawJson(elmt, "unknown-element");
    }
  }

  function inputElement(block, ctx) {
    const e = block.element || {};
    const key = `${block.block_id}/${e.action_id}`;
    const draft = ctx.drafts ? ctx.drafts[key] : undefined;
    let control;
    if (e.type === "plain_text_input") {
      control = el(e.multiline ? "textarea" : "input", "text-input");
      if (!e.multiline) control.type = "text";
      control.value = draft !== undefined ? draft : (e.initial_value || "");
      if (e.placeholder) control.placeholder = e.placeholder.text;
      if (e.max_length) control.dataset.maxLength = e.max_length;
      if (e.min_length) control.dataset.minLength = e.min_length;
    } else if (e.type === "static_select") {
      control = select(e, block, ctx, true);
      if (draft !== undefined) control.value = draft;
    } else {
      return rawJson(e, "unknown-element");
    }
    control.classList.add("input-control");
    control.dataset.blockId = block.block_id || "";
    control.dataset.actionId = e.action_id || "";
    control.dataset.kind = e.type;
    control.dataset.optional = block.optional ? "1" : "";
    control.setAttribute("aria-label", block.label ? block.label.text : "");
    return control;
  }

  const RENDER = {
    header(block, ctx) {
      const h = el("div", "blk-header");
      h.appendChild(text(block.text, ctx));
      return h;
    },
    divider() { return el("hr", "blk-divider"); },
    section(block, ctx) {
      const s = el("div", "blk-section");
      const body = el("div", "section-body");
      if (block.text) body.appendChild(text(block.text, ctx));
      if (block.fields && block.fields.length) {
        const grid = el("div", "section-fields");
        block.fields.forEach((f) => { const cell = el("div", "field"); cell.appendChild(text(f, ctx)); grid.appendChild(cell); });
        body.appendChild(grid);
      }
      s.appendChild(body);
      if (block.accessory) {
        const acc = el("div", "section-accessory");
        acc.appendChild(element(block.accessory, block, ctx));
        s.appendChild(acc);
      }
      return s;
    },
    context(block, ctx) {
      const c = el("div", "blk-context");
      (block.elements || []).forEach((e) => c.appendChild(element(e, block, ctx)));
      return c;
    },
    actions(block, ctx) {
      const a = el("div", "blk-actions");
      (block.elements || []).forEach((e) => a.appendChild(element(e, block, ctx)));
      return a;
    },
    image(block) {
      const wrap = el("div", "blk-image");
      if (block.title) wrap.appendChild(PG.plain(block.title.text));
      wrap.appendChild(image(block));
      return wrap;
    },
    input(block, ctx) {
      const wrap = el("div", "blk-input");
      const label = el("label", "input-label");
      label.textContent = block.label ? block.label.text : "";
      if (block.optional) { const o = el("span", "optional"); o.textContent = " (optional)"; label.appendChild(o); }
      wrap.appendChild(label);
      wrap.appendChild(inputElement(block, ctx));
      if (block.hint) { const hint = el("div", "input-hint"); hint.textContent = block.hint.text; wrap.appendChild(hint); }
      const error = el("div", "input-error");
      error.dataset.blockId = block.block_id || "";
      const message = ctx.errors && ctx.errors[block.block_id];
      error.textContent = message || "";
      error.hidden = !message;
      wrap.appendChild(error);
      return wrap;
    },
  };

  // renderBlocks(blocks, ctx) -> DocumentFragment; an unknown block shows its JSON
  PG.renderBlocks = function (blocks, ctx) {
    const frag = document.createDocumentFragment();
    (blocks || []).forEach((block) => {
      const render = block && RENDER[block.type];
      let node;
      try {
        node = render ? render(block, ctx) : rawJson(block);
      } catch (err) {
        node = rawJson(block);
      }
      if (block && block.block_id) node.dataset.blockId = block.block_id;
      node.classList.add("block");
      frag.appendChild(node);
    });
    return frag;
  };
  PG.textObject = text;
  PG.allOptions = allOptions;
  document.addEventListener("click", () => {
    document.querySelectorAll(".overflow-menu").forEach((m) => { m.hidden = true; });
  });
})();
