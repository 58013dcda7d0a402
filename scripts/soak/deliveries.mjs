// The soak's push-delivery part (scripts/soak.mjs calls these hooks). A loopback webhook receiver that verifies every
// request with `standardwebhooks` takes three subscriptions: `all` (every scope of the soak's pipeline), `some`
// (every third scope: a filtered subset) and `none` (a scope the soak never enqueues). Half-way the receiver
// has outages (`all` answers 503 for a while, `some` 429 with Retry-After), and the soak's consumer crashes
// (SIGKILL of wrangler dev) hit deliveries in flight. At the end every publication of the soak must have arrived
// exactly once per subscription in scope (after dedup by webhook-id), in sequence order per scope, with no other;
// `none` must have received nothing. Every figure is printed beside the check that fails it, including that the
// outages and the crash really happened (a run without them proves nothing).
import { randomBytes } from 'node:crypto';
import { TOKEN, sleep } from '../bench/stack.mjs';
import { startWebhookReceiver } from '../webhook-receiver.mjs';

const PIPELINE = 'liverc.event_catalog';
const OUTAGE_MS = Number(process.env.SOAK_OUTAGE_MS ?? 20_000);
const OUTAGE_TAIL = 3;
const RETRY_AFTER_SEC = 2;
const DRAIN_MS = Number(process.env.SOAK_DELIVERY_DRAIN_MS ?? 240_000);

export async function deliverySoak({ slugs, prefix, jobs, log }) {
  const receiver = await startWebhookReceiver();
  const rurl = `http://127.0.0.1:${receiver.port}`;
  const control = async (cmd, body) => {
    const r = await fetch(`${rurl}/__control/${cmd}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`receiver ${cmd}: ${r.status}`);
    return r.json();
  };
  const some = slugs.filter((_, i) => i % 3 === 1);
  const wanted = {
    all: null, // every scope
    some: new Set(some.map((s) => `track_slug=${s}`)),
    none: new Set(),
  };
  const subs = {};
  let outageStarted = false;
  const openAtCrash = [];

  const call = async (url, method, path, json) => {
    const r = await fetch(`${url}/internal/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  const pendingOf = async (query) =>
    Number(
      (await query(`SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'pending' AND scope_key LIKE 'track_slug=${prefix}%'`))[0]
        ?.n ?? 0,
    );

  return {
    /** wrangler vars: the receiver is the one allowed host; short backoff; attempts enough to outlast the outages. */
    vars: {
      DELIVERY_ALLOWED_HOSTS: `127.0.0.1:${receiver.port}`,
      DELIVERY_BASE_RETRY_SEC: '1',
      DELIVERY_MAX_RETRY_SEC: '3',
      DELIVERY_MAX_ATTEMPTS: '100',
      DELIVERY_TIMEOUT_MS: '3000',
    },

    async subscribe(stack) {
      const scopes = { all: [], some: some.map((s) => ({ track_slug: s })), none: [{ track_slug: `${prefix}none` }] };
      for (const name of Object.keys(wanted)) {
        const secret = `whsec_${randomBytes(32).toString('base64')}`;
        await control('secret', { name, secret });
        const r = await call(stack.url, 'POST', '/subscriptions', {
          url: `${rurl}/hook/${name}`,
          secret,
          pipelines: [PIPELINE],
          scopes: scopes[name],
          description: `soak ${name}`,
        });
        subs[name] = r.subscription.id;
      }
      log(`delivery: subscriptions all (every scope), some (${some.length} scopes), none (a scope never enqueued)`);
    },

    /**
     * Called as jobs are created: at the soak's content change (half-way) the receiver goes down (503 for `all`,
     * 429 for `some`), so the second wave of publications (content B) meets the outage and the second crash.
     */
    async tick(created) {
      if (outageStarted || created < jobs / 2) return;
      outageStarted = true;
      // The window, then the next OUTAGE_TAIL requests too: a crash can stall the second wave past the window (its
      // jobs wait out their leases), and an outage that met no delivery would prove nothing.
      await control('behaviour', { name: 'all', forMs: OUTAGE_MS, fail: OUTAGE_TAIL, status: 503 });
      await control('behaviour', { name: 'some', forMs: OUTAGE_MS, fail: OUTAGE_TAIL, status: 429, retryAfter: RETRY_AFTER_SEC });
      log(
        `delivery: receiver outage for ${OUTAGE_MS / 1000} s and ${OUTAGE_TAIL} requests more: all answers 503, some 429 with Retry-After ${RETRY_AFTER_SEC}`,
      );
    },

    /** Just before a consumer crash: how many deliveries it may have in hand. */
    async beforeCrash(stack) {
      openAtCrash.push(await pendingOf(stack.query));
    },

    /** After the jobs: wait until no delivery of the soak is pending, with the relay (cron) run every 5 s. */
    async drain(stack, sweep) {
      const until = Date.now() + DRAIN_MS;
      for (;;) {
        const open = await pendingOf(stack.query);
        if (open === 0) return;
        if (Date.now() > until) {
          log(`delivery: ${open} deliveries still pending after ${DRAIN_MS / 1000} s`);
          return;
        }
        log(`delivery: ${open} deliveries pending`);
        await sweep();
        await sleep(5000);
      }
    },

    async check(stack, figure) {
      const pubs = await stack.query(
        `SELECT id, scope_key, sequence FROM published_results WHERE scope_key LIKE 'track_slug=${prefix}%' ORDER BY scope_key, sequence`,
      );
      const { requests } = await control('log');
      const unverified = requests.filter((r) => !r.verified).length;
      figure('delivery requests failing signature verification (standardwebhooks)', unverified, unverified === 0, '> 0');
      const served5xx = requests.filter((r) => r.name === 'all' && r.status >= 500).length;
      const served429 = requests.filter((r) => r.name === 'some' && r.status === 429);
      figure('receiver outage answers (all: 503)', served5xx, served5xx > 0, '0: the outage hit no delivery');
      figure('receiver outage answers (some: 429 + Retry-After)', served429.length, served429.length > 0, '0: the outage hit no delivery');
      // A retry of a 429 must wait its Retry-After (a 250 ms tolerance for clock reads).
      const early = served429.filter((r) => {
        const next = requests.find((x) => x.webhookId === r.webhookId && x.at > r.at);
        return next && next.at - r.at < RETRY_AFTER_SEC * 1000 - 250;
      }).length;
      figure('retries sent before the Retry-After they were given', early, early === 0, '> 0');
      const open = openAtCrash.reduce((a, b) => a + b, 0);
      figure(
        'deliveries pending when the consumer was SIGKILLed (summed over crashes)',
        openAtCrash.join(' + ') || 'no crash',
        openAtCrash.length === 0 || open > 0,
        'crashes happened but none had a delivery in hand',
      );
      const rows = await stack.query(
        `SELECT subscription_id, status, count(*) AS n FROM webhook_deliveries WHERE scope_key LIKE 'track_slug=${prefix}%' GROUP BY subscription_id, status`,
      );
      const notDelivered = rows.filter((r) => r.status !== 'delivered').reduce((a, r) => a + Number(r.n), 0);
      figure('deliveries not delivered at the end (pending, dead)', notDelivered, notDelivered === 0, '> 0');
      let duplicates = 0;
      for (const [name, scopes] of Object.entries(wanted)) {
        const expected = pubs.filter((p) => scopes === null || scopes.has(p.scope_key));
        const rowsOf = rows.filter((r) => r.subscription_id === subs[name]).reduce((a, r) => a + Number(r.n), 0);
        // Accepted (2xx, verified) receipts, first arrival per webhook-id, in arrival order.
        const firsts = new Map();
        for (const r of requests) {
          if (r.name !== name || r.status >= 300 || !r.verified) continue;
          if (firsts.has(r.webhookId)) {
            duplicates++;
            continue;
          }
          const e = JSON.parse(r.body);
          firsts.set(r.webhookId, { pub: e.publication.id, scope: e.scope_key, seq: e.publication.sequence });
        }
        const got = new Set([...firsts.values()].map((x) => x.pub));
        const missing = expected.filter((p) => !got.has(p.id)).length;
        const extra = [...got].filter((id) => !expected.some((p) => p.id === id)).length;
        const wrongId = [...firsts].filter(([id, x]) => id !== `msg_${x.pub}_${subs[name]}`).length;
        const lastSeq = new Map();
        let outOfOrder = 0;
        for (const x of firsts.values()) {
          if ((lastSeq.get(x.scope) ?? 0) >= x.seq) outOfOrder++;
          lastSeq.set(x.scope, x.seq);
        }
        figure(
          `subscription ${name}: publications received once / publications in its scope`,
          `${got.size}/${expected.length} (delivery rows ${rowsOf})`,
          missing === 0 && extra === 0 && rowsOf === expected.length && (name !== 'none' || got.size === 0),
          'a publication missing (lost), one outside its scope, or a delivery row count that differs',
        );
        figure(`subscription ${name}: arrivals out of scope order`, outOfOrder, outOfOrder === 0, '> 0');
        figure(`subscription ${name}: webhook-ids not msg_<publication>_<subscription>`, wrongId, wrongId === 0, '> 0');
      }
      const somePubs = pubs.filter((p) => wanted.some.has(p.scope_key)).length;
      figure(
        'filtered subscription is a strict subset (some < all, some > 0)',
        `${somePubs} of ${pubs.length}`,
        somePubs > 0 && somePubs < pubs.length,
        'the filter matched nothing or everything (the check would prove no filtering)',
      );
      console.log(
        `delivery: ${requests.length} requests at the receiver; ${duplicates} accepted duplicates (same webhook-id, deduplicated)`,
      );
    },

    stop: () => Promise.race([receiver.close(), sleep(2000)]),
  };
}
