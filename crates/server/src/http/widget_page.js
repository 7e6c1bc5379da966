// The chat widget: keeps the visitor's contact identifier in local storage, opens their
// conversation, shows it and polls for replies. Talks only to this server's widget API.
(function () {
  "use strict";
  const inbox = document.body.dataset.inbox;
  const api = "/api/v1/widget/" + encodeURIComponent(inbox);
  const log = document.getElementById("log");
  const status = document.getElementById("status");
  const form = document.getElementById("composer");
  const text = document.getElementById("text");
  const send = document.getElementById("send");
  const storeKey = "switchboard.widget." + inbox;
  let contact = null;
  let conversation = null;
  let last = null;
  const shown = new Set();

  async function call(method, path, body) {
    const res = await fetch(api + path, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const err = new Error((data && data.error) || "The chat is not available right now.");
      err.code = data && data.code;
      err.status = res.status;
      throw err;
    }
    return data;
  }

  function show(m) {
    if (shown.has(m.id)) return;
    shown.add(m.id);
    const empty = document.getElementById("empty");
    if (empty) empty.remove();
    const div = document.createElement("div");
    div.className = "msg" + (m.direction === "inbound" ? " mine" : "");
    div.dataset.id = m.id;
    div.textContent = m.body || "(" + m.kind + ")";
    const meta = document.createElement("small");
    meta.textContent = new Date(m.createdAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    div.appendChild(meta);
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }

  async function start() {
    const saved = localStorage.getItem(storeKey);
    if (saved) {
      try {
        contact = await call("GET", "/contacts/" + encodeURIComponent(saved));
      } catch (e) {
        if (e.status !== 404) throw e;
      }
    }
    if (!contact) {
      contact = await call("POST", "/contacts", {});
      localStorage.setItem(storeKey, contact.identifier);
    }
    conversation = await call("POST", "/contacts/" + encodeURIComponent(contact.identifier) + "/conversations");
    await poll();
    setInterval(() => poll().catch(() => {}), 2000);
  }

  async function poll() {
    const query = last ? "?after=" + encodeURIComponent(last) : "";
    const page = await call("GET", messagesPath() + query);
    page.data.forEach(show);
    if (page.data.length) last = page.data[page.data.length - 1].id;
    status.textContent = "";
  }

  function messagesPath() {
    return "/contacts/" + encodeURIComponent(contact.identifier) + "/conversations/" + encodeURIComponent(conversation.id) + "/messages";
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = text.value.trim();
    if (!body || !conversation) return;
    send.disabled = true;
    try {
      await call("POST", messagesPath(), { text: body });
      text.value = "";
      // Read back rather than show what was posted, so a reply that came first stays first.
      await poll();
      status.textContent = "";
    } catch (e) {
      status.textContent = e.code === "rate_limited" ? "You are sending messages quickly; wait a moment." : e.message;
    } finally {
      send.disabled = false;
      text.focus();
    }
  });
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  start().catch((e) => {
    status.textContent = e.message;
  });
})();
