#!/usr/bin/env node
// A small HTTP server that plays recorded provider pages back under the UPSTREAM_OVERRIDE layout:
// a request for https://HOST/PATH?QUERY arrives here as /HOST/PATH?QUERY. Routes come from every
// testdata/<provider>/routes.json ({"HOST/PATH?QUERY": "relative/file" | {file|body, status, headers}}).
// A control API under /__control lets tests and benchmarks add routes, inject faults and read the request log.
// It listens on the loopback only.
import { createServer } from 'node:http';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBetfairHistoric } from './fixtures/betfair-historic.mjs';
import { createBetfairMarketBook } from './fixtures/betfair-market-book.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'testdata');

/** Canonical route key: host/path with the query parameters sorted. */
export function routeKey(hostAndPath, search = '') {
  const params = new URLSearchParams(search);
  params.sort();
  const q = params.toString();
  return q ? `${hostAndPath}?${q}` : hostAndPath;
}

function loadRoutes(root) {
  const routes = new Map();
  if (!existsSync(root)) return routes;
  for (const dir of readdirSync(root)) {
    const manifest = join(root, dir, 'routes.json');
    if (!statSync(join(root, dir)).isDirectory() || !existsSync(manifest)) continue;
    const entries = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const [key, spec] of Object.entries(entries)) {
      const [hp, q = ''] = key.split('?');
      const s = typeof spec === 'string' ? { file: spec } : spec;
      routes.set(routeKey(hp, q), { ...s, file: s.file ? join(root, dir, s.file) : undefined });
    }
  }
  return routes;
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fault kinds in the order their rates are stacked on one random draw per request. */
export const FAULT_KINDS = [
  'rate5xx',
  'rate429',
  'rateTimeout',
  'rateTruncate',
  'rateCutWithLength',
  'rateCutNoLength',
  'rateWrongType',
  'rateChallenge',
  'rateOversized',
];

/** A Cloudflare interstitial answered with 200, as real challenges often are. */
export const CHALLENGE_PAGE =
  '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head><body><div id="cf-chl-widget">Checking your browser</div><script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script></body></html>';

/**
 * A 200 whose body is cut short. `length`: Content-Length declares the full size and the socket closes after half
 * of it (the client sees a short read). `chunked`: no Content-Length, half the body, then a clean end of the
 * chunked stream (nothing at the HTTP layer says it is short; only the document itself can tell).
 */
function cutBody(res, status, type, full, mode) {
  const half = full.subarray(0, Math.floor(full.length / 2));
  if (mode === 'length') {
    res.writeHead(status, { 'content-type': type, 'content-length': String(full.length) });
    res.write(half);
    setTimeout(() => res.destroy(), 20);
    return;
  }
  res.writeHead(status, { 'content-type': type, 'transfer-encoding': 'chunked' });
  res.end(half);
}

function injectFault(kind, res, spec, faults) {
  const send = (status, body, headers) => {
    res.writeHead(status, headers);
    res.end(body);
  };
  const page = () =>
    spec.bodyBase64 !== undefined
      ? Buffer.from(spec.bodyBase64, 'base64')
      : Buffer.from(spec.body ?? (spec.file ? readFileSync(spec.file) : '<html><body></body></html>'));
  switch (kind) {
    case 'rate5xx':
      return send(503, 'unavailable', { 'content-type': 'text/plain' });
    case 'rate429':
      return send(429, 'slow down', { 'content-type': 'text/plain', 'retry-after': String(faults.retryAfterSec ?? 1) });
    case 'rateTimeout':
      return; // never answers: the client's timeout fires
    case 'rateTruncate':
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><body><table');
      return res.destroy();
    case 'rateCutWithLength':
      return cutBody(res, 200, 'text/html; charset=utf-8', page(), 'length');
    case 'rateCutNoLength':
      return cutBody(res, 200, 'text/html; charset=utf-8', page(), 'chunked');
    case 'rateWrongType':
      // A JSON error document where an HTML page belongs (a misrouted origin or an API gateway's answer).
      return send(200, JSON.stringify({ error: 'service temporarily unavailable', code: 'E_UPSTREAM' }), {
        'content-type': 'application/json',
      });
    case 'rateChallenge':
      return send(200, CHALLENGE_PAGE, { 'content-type': 'text/html; charset=utf-8' });
    case 'rateOversized': {
      const size = faults.oversizedBytes ?? 21 * 1024 * 1024;
      return send(200, Buffer.alloc(size, 0x20), { 'content-type': 'text/html; charset=utf-8', 'content-length': String(size) });
    }
  }
}

export async function startFixtureServer({ port = 9400, root = ROOT, quiet = true } = {}) {
  const base = loadRoutes(root);
  // Stateful provider fakes (sessions, listings) that a static route table cannot express.
  const betfair = createBetfairHistoric(root);
  let overrides = new Map();
  let log = [];
  let faults = null;
  let rand = mulberry32(1);
  // Counted at the injection point, so a soak can prove the faults it asked for actually happened.
  let stats = { requests: 0, served: 0, faults: {} };
  // Per route key, the label of the last full 200 page served (a route's optional `label`): what the scope must
  // end up published with.
  let lastServed = new Map();
  const countFault = (kind) => (stats.faults[kind] = (stats.faults[kind] ?? 0) + 1);
  // Hooks answer routes a static file cannot (an answer built per request body); routes and faults still win.
  const hooks = [createBetfairMarketBook(root)];

  const readBody = (req) =>
    new Promise((ok) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    });

  const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  const control = async (req, res, path) => {
    if (path === '/__control/reset' && req.method === 'POST') {
      overrides = new Map();
      log = [];
      faults = null;
      rand = mulberry32(1);
      stats = { requests: 0, served: 0, faults: {} };
      lastServed = new Map();
      betfair.reset();
      for (const h of hooks) h.reset();
      return send(res, 200, { ok: true });
    }
    if (path === '/__control/routes' && req.method === 'POST') {
      const list = JSON.parse((await readBody(req)) || '[]');
      for (const r of list) {
        const [hp, q = ''] = r.key.split('?');
        const spec = { ...r };
        if (r.file) spec.file = join(root, r.file);
        overrides.set(routeKey(hp, q), spec);
      }
      return send(res, 200, { ok: true, count: list.length });
    }
    if (path === '/__control/faults' && req.method === 'POST') {
      faults = JSON.parse((await readBody(req)) || 'null');
      rand = mulberry32(faults?.seed ?? 1);
      return send(res, 200, { ok: true });
    }
    if (path === '/__control/betfair') return betfair.control(req, res, await readBody(req));
    const body = req.method === 'POST' ? await readBody(req) : '';
    for (const h of hooks) {
      const answer = h.control(path, req.method, body);
      if (answer) return send(res, 200, answer);
    }
    if (path === '/__control/log' && req.method === 'GET') return send(res, 200, { requests: log });
    if (path === '/__control/stats' && req.method === 'GET')
      return send(res, 200, { ...stats, lastServed: Object.fromEntries(lastServed) });
    return send(res, 404, { error: 'unknown control route' });
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture.local');
    if (url.pathname.startsWith('/__control/')) return control(req, res, url.pathname);
    const hostAndPath = url.pathname.slice(1);
    const key = routeKey(hostAndPath, url.search);
    const reqBody = req.method === 'POST' ? await readBody(req) : undefined;
    log.push({
      key,
      method: req.method,
      at: Date.now(),
      cookie: req.headers.cookie ?? null,
      csrf: req.headers['x-csrf-token'] ?? null,
      auth: req.headers['x-authentication'] ?? null,
      body: reqBody,
    });
    if (!quiet) console.log(`${req.method} ${key}`);
    if (betfair.handle(req, res, url, reqBody)) return;

    const spec = overrides.get(key) ?? base.get(key);
    stats.requests++;
    if (faults && spec && !spec.noFaults) {
      const r = rand();
      let acc = 0;
      let kind = null;
      for (const k of FAULT_KINDS) if (kind === null && r < (acc += faults[k] ?? 0)) kind = k;
      if (kind) {
        countFault(kind);
        return injectFault(kind, res, spec, faults);
      }
    }
    if (!spec) {
      const hooked = hooks.map((h) => h.serve(key, req.method, reqBody)).find(Boolean);
      if (hooked) {
        stats.served++;
        return send(res, hooked.status, hooked.body, hooked.headers);
      }
      return send(res, 404, `no fixture for ${key}`, { 'content-type': 'text/plain' });
    }
    if (spec.times !== undefined) {
      spec.times -= 1;
      if (spec.times <= 0) overrides.delete(key);
    }
    if (spec.delayMs) await new Promise((ok) => setTimeout(ok, spec.delayMs));
    let body;
    try {
      // bodyBase64: exact bytes (gzip files, BOM-prefixed CSVs) that a JSON route spec cannot carry as a string.
      body =
        spec.bodyBase64 !== undefined ? Buffer.from(spec.bodyBase64, 'base64') : (spec.body ?? (spec.file ? readFileSync(spec.file) : ''));
    } catch (err) {
      return send(res, 500, `fixture file unreadable: ${err.message}`, { 'content-type': 'text/plain' });
    }
    const type = spec.contentType ?? (spec.file?.endsWith('.json') ? 'application/json' : 'text/html; charset=utf-8');
    if (spec.cut) return cutBody(res, spec.status ?? 200, type, Buffer.from(body), spec.cut);
    res.writeHead(spec.status ?? 200, { 'content-type': type, ...(spec.headers ?? {}) });
    res.end(body);
    stats.served++;
    if ((spec.status ?? 200) === 200 && spec.label !== undefined) lastServed.set(key, { label: spec.label, at: Date.now() });
  });

  // Longer than any idle gap between bench trials: Node's default 5 s keep-alive lets workerd reuse a socket the
  // server is closing, which surfaces as "Network connection lost" (a harness artefact, not a provider fault).
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  return {
    port: server.address().port,
    url: `http://127.0.0.1:${server.address().port}`,
    unref: () => server.unref(),
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.FIXTURE_PORT ?? process.argv[2] ?? 9400);
  const s = await startFixtureServer({ port, quiet: false });
  console.log(`fixture server on ${s.url} serving ${ROOT}`);
}
