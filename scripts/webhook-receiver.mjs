#!/usr/bin/env node
// A loopback webhook receiver for push-delivery tests: it verifies every request's Standard Webhooks signature with
// the `standardwebhooks` package (as a Nest backend would) and logs what it saw. Control API under /__control:
//   POST /__control/reset                      forget everything
//   POST /__control/secret {name, secret}      the signing secret of endpoint /hook/<name>
//   POST /__control/behaviour {name, fail, forMs, status, retryAfter, hangMs}
//        the next `fail` requests to /hook/<name> (or every request for the next `forMs` ms: an outage) answer
//        `status` (default 503; Retry-After if given) or hang
//   GET  /__control/log                        {requests: [{name, webhookId, timestamp, verified, status, body}]}
// It listens on 127.0.0.1 only.
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

export async function startWebhookReceiver({ port = 0 } = {}) {
  let secrets = new Map();
  let behaviour = new Map();
  let log = [];

  const readBody = (req) =>
    new Promise((ok) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    });
  const json = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://receiver');
    const body = await readBody(req);
    if (url.pathname.startsWith('/__control/')) {
      const cmd = url.pathname.slice('/__control/'.length);
      const input = body ? JSON.parse(body) : {};
      if (cmd === 'reset') {
        secrets = new Map();
        behaviour = new Map();
        log = [];
      } else if (cmd === 'secret') secrets.set(input.name, input.secret);
      else if (cmd === 'behaviour') behaviour.set(input.name, { ...input, until: input.forMs ? Date.now() + input.forMs : 0 });
      else if (cmd === 'log') return json(res, 200, { requests: log });
      else return json(res, 404, { error: 'unknown control command' });
      return json(res, 200, { ok: true });
    }
    const m = /^\/hook\/([a-z0-9_-]+)$/.exec(url.pathname);
    if (!m || req.method !== 'POST') return json(res, 404, { error: 'no such hook' });
    const name = m[1];
    const headers = {
      'webhook-id': req.headers['webhook-id'] ?? '',
      'webhook-timestamp': req.headers['webhook-timestamp'] ?? '',
      'webhook-signature': req.headers['webhook-signature'] ?? '',
    };
    let verified = false;
    try {
      new Webhook(secrets.get(name) ?? `whsec_${Buffer.from('x'.repeat(32)).toString('base64')}`).verify(body, headers);
      verified = true;
    } catch {
      verified = false;
    }
    const b = behaviour.get(name);
    let status = verified ? 204 : 401;
    const outage = b && b.until > Date.now();
    if (b && (outage || b.fail > 0)) {
      if (!outage) b.fail -= 1;
      if (b.hangMs) {
        await new Promise((ok) => setTimeout(ok, b.hangMs));
      }
      status = b.status ?? 503;
    }
    log.push({ name, webhookId: headers['webhook-id'], timestamp: headers['webhook-timestamp'], verified, status, body, at: Date.now() });
    if (res.destroyed) return;
    res.writeHead(status, b?.retryAfter !== undefined && status !== 204 ? { 'retry-after': String(b.retryAfter) } : {});
    res.end();
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  return { port: server.address().port, close: () => new Promise((ok) => server.close(ok)), unref: () => server.unref() };
}
