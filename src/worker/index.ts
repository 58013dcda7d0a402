/** The Worker: internal API (fetch), job consumer (queue), scheduler and sweeper (scheduled). Handlers stay thin. */
import { createApp } from './app';
import { handleQueue } from './queue-consumer';
import { handleScheduled } from './scheduled';

export { ScopePublisher } from '../durable/scope-publisher';
export { ProviderRateLimiter } from '../durable/rate-limiter';
export { AdapterRpc } from './rpc';

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  queue: (batch, env, ctx) => handleQueue(batch, env, ctx),
  scheduled: async (controller, env, ctx) => {
    ctx.waitUntil(handleScheduled(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
