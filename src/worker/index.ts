/**
 * The Worker: internal API (fetch), job consumer (queue), scheduler and sweeper (scheduled). Handlers stay thin.
 * The script's entry (src/main.ts) adds the Durable Object classes, so this edge never imports src/durable.
 */
import { createApp } from './app';
import { handleQueue } from './queue-consumer';
import { handleScheduled } from './scheduled';

export { AdapterRpc } from './rpc';

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  queue: (batch, env, ctx) => handleQueue(batch, env, ctx),
  scheduled: async (controller, env, ctx) => {
    ctx.waitUntil(handleScheduled(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
