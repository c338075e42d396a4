// Modals (views) and confirm dialogs.
(function () {
  "use strict";
  const PG = (window.PG = window.PG || {});
  const el = PG.el;
  const overlay = () => document.getElementById("overlay");

  let shown = null;          // {id, hash, errorsKey, node}

  function collectDrafts(node) {
    const drafts = {};
    node.querySelectorAll(".input-control").forEach((c) => {
      drafts[`${c.dataset.blockId}/${c.dataset.actionId}`] = c.value;
    });
    return drafts;
  }

  // Slack checks required fields and length limits itself before sending a submission.
  function clientErrors(node) {
    const errors = {};
    node.querySelectorAll(".input-control").forEach((c) => {
      const v = c.value || "";
      if (!c.dataset.optional && v === "") errors[c.dataset.blockId] = "Please complete this required field.";
      else if (c.dataset.minLength && v.length < Number(c.dataset.minLength))
        errors[c.dataset.blockId] = `Must be at least ${c.dataset.minLength} characters.`;
      else if (c.dataset.maxLength && v.length > Number(c.dataset.maxLength))
        errors[c.dataset.blockId] = `Must be ${c.dataset.maxLength} characters or fewer.`;
    });
    return errors;
  }

  function showErrors(node, errors) {
    node.querySelectorAll(".input-error").forEach((e) => {
      const msg = errors[e.dataset.blockId];
      e.textContent = msg || "";
      e.hidden = !msg;
    });
  }

  function values(node, view) {
    const out = {};
    node.querySelectorAll(".input-control").forEach((c) => {
      const block = (out[c.dataset.blockId] = out[c.dataset.blockId] || {});
      if (c.dataset.kind === "static_select") {
        const b = (view.blocks || []).find((x) => x.block_id === c.dataset.blockId);
        const opt = b ? PG.allOptions(b.element).find((o) => o.value === c.value) : null;
        block[c.dataset.actionId] = { type: "static_select", selected_option: opt || null };
      } else {
        block[c.dataset.actionId] = { type: "plain_text_input", value: c.value === "" ? null : c.value };
      }
    });
    return out;
  }

  // showView(view, ctx, handlers{submit(values), close(), act(action, values)}) ; view=null hides
  PG.showView = function (view, ctx, handlers) {
    const ov = overlay();
    if (!view) {
      if (shown) { shown.node.remove(); shown = null; }
      ov.hidden = !ov.querySelector(".confirm");
      return;
    }
    const errorsKey = JSON.stringify(view.errors || {});
    if (shown && shown.id === view.id && shown.hash === view.hash && shown.errorsKey === errorsKey) return;
    const drafts = shown && shown.id === view.id ? collectDrafts(shown.node) : {};
    if (shown) shown.node.remove();

    const node = el("div", "modal");
    node.setAttribute("role", "dialog");
    node.setAttribute("aria-modal", "true");
    node.dataset.viewId = view.id;
    node.dataset.callbackId = view.callback_id || "";
    const head = el("header", "modal-head");
    head.appendChild(PG.textObject(view.title, ctx));
    const x = el("button", "modal-x");
    x.type = "button";
    x.textContent = "×";
    x.setAttribute("aria-label", "Close");
    head.appendChild(x);
    const body = el("div", "modal-body");
    const form = el("form");
    const bodyCtx = Object.assign({}, ctx, {
      errors: view.errors || {}, drafts,
      act: (action) => handlers.act(action, values(node, view)),
    });
    body.appendChild(PG.renderBlocks(view.blocks, bodyCtx));
    const banner = el("div", "modal-banner");
    banner.hidden = true;
    const foot = el("footer", "modal-foot");
    const close = el("button", "btn");
    close.type = "button";
    close.textContent = view.close ? view.close.text : "Cancel";
    foot.appendChild(close);
    if (view.submit) {
      const submit = el("button", "btn primary modal-submit");
      submit.type = "submit";
      submit.textContent = view.submit.text;
      foot.appendChild(submit);
    }
    form.append(body, banner, foot);
    node.append(head, form);
    const doClose = () => handlers.close();
    x.addEventListener("click", doClose);
    close.addEventListener("click", doClose);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const errs = clientErrors(node);
      showErrors(node, errs);
      if (Object.keys(errs).length) return;
      banner.hidden = true;
      const res = await handlers.submit(values(node, view));
      if (res && res.ok === false) {
        banner.textContent = res.error || "Something went wrong.";
        banner.hidden = false;
      }
    });
    node.addEventListener("keydown", (ev) => { if (ev.key === "Escape") doClose(); });
    ov.appendChild(node);
    ov.hidden = false;
    shown = { id: view.id, hash: view.hash, errorsKey, node };
    const first = node.querySelector(".input-control");
    if (first && document.activeElement === document.body) first.focus();
  };

  // confirmDialog(confirmObject, ctx) -> Promise<boolean>
  PG.confirmDialog = function (confirm, ctx) {
    return new Promise((resolve) => {
      const ov = overlay();
      const box = el("div", "confirm");
      box.setAttribute("role", "alertdialog");
      box.setAttribute("aria-modal", "true");
      const title = el("header", "confirm-title");
      title.appendChild(PG.textObject(confirm.title || { type: "plain_text", text: "Are you sure?" }, ctx));
      const body = el("div", "confirm-text");
      body.appendChild(PG.textObject(confirm.text, ctx));
      const foot = el("footer", "modal-foot");
      const deny = el("button", "btn confirm-deny");
      deny.type = "button";
      deny.textContent = confirm.deny ? confirm.deny.text : "Cancel";
      const ok = el("button", "btn confirm-ok " + (confirm.style === "danger" ? "danger" : "primary"));
      ok.type = "button";
      ok.textContent = confirm.confirm ? confirm.confirm.text : "Yes";
      foot.append(deny, ok);
      box.append(title, body, foot);
      const done = (answer) => {
        box.remove();
        ov.hidden = !ov.querySelector(".modal");
        resolve(answer);
      };
      deny.addEventListener("click", () => done(false));
      box.addEventListener("keydown", (ev) => { if (ev.key === "Escape") done(false); });
      ok.addEventListener("click", () => done(true));
      ov.appendChild(box);
      ov.hidden = false;
      ok.focus();
    });
  };
})();
