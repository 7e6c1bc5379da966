// A webhook receiver that checks X-CAAC-Signature exactly as the CAAC docs' recipe does:
// HMAC-SHA256 of the raw body, keyed with the secret string as the API returned it,
// hex, compared with timingSafeEqual after a length check. Nothing here knows how the
// server signs; it only runs the recipe a CAAC customer already runs.
//
// POST /secret/NAME   sets the secret the receiver at /hook/NAME holds (body: the secret)
// POST /hook/NAME     a delivery: 204 when it verifies, 401 when not
// Prints {"port": N} once listening, then one JSON line per delivery it judged.
"use strict";
const crypto = require("crypto");
const http = require("http");

const secrets = new Map();

function verify(WEBHOOK_SIGNING_SECRET, rawBody, signature) {
  const expected = crypto.createHmac("sha256", WEBHOOK_SIGNING_SECRET).update(rawBody).digest("hex");
  const a = Buffer.from(expected);
  const b = Buffer.from(signature || "");
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const rawBody = Buffer.concat(chunks);
    const [, kind, name] = req.url.split("/");
    if (kind === "secret") {
      secrets.set(name, rawBody.toString("utf8"));
      res.writeHead(204).end();
      return;
    }
    const secret = secrets.get(name);
    const verified = secret !== undefined && verify(secret, rawBody, req.headers["x-caac-signature"]);
    let event = req.headers["x-caac-event"] || null;
    let batch = false;
    try {
      const body = JSON.parse(rawBody.toString("utf8"));
      batch = body.batch === true;
    } catch (_) {}
    process.stdout.write(
      JSON.stringify({ hook: name, event, batch, verified, webhookId: req.headers["webhook-id"] || null }) + "\n",
    );
    res.writeHead(verified ? 204 : 401).end();
  });
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n");
});
