// wrangler dev does not run Cron Triggers by itself: this fires the Worker's scheduled handler the way Cloudflare
// would (GET /cdn-cgi/handler/scheduled?cron=...), once at start (so the default schedules exist from the first
// minute) and then at every minute boundary, UTC. Loopback only.
export const CRON = '* * * * *';

/**
 * @param {string} url
 * @param {{ cron?: string, log?: (message: string) => void }} [options]
 */
export function startCronTicker(url, { cron = CRON, log = (_message) => {} } = {}) {
  let timer = null;
  let stopped = false;
  const fire = async () => {
    try {
      const res = await fetch(`${url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(cron)}`);
      await res.arrayBuffer();
      log(`cron ${cron} fired at ${new Date().toISOString()}: ${res.status}`);
    } catch (err) {
      log(`cron ${cron} could not be fired: ${err.message}`);
    }
  };
  const schedule = () => {
    if (stopped) return;
    const wait = 60_000 - (Date.now() % 60_000);
    timer = setTimeout(async () => {
      await fire();
      schedule();
    }, wait);
    timer.unref?.();
  };
  const first = fire().then(schedule);
  return {
    first,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
