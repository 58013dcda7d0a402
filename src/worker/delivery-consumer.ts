/**
 * Queue edge of push delivery: each message names one delivery; deliverOne decides (head of its stream? due?),
 * sends, and schedules its own retries, so a message is acknowledged whatever the receiver answered. Only a
 * failure of the consumer itself (storage down, an injected crash) leaves the message to the queue's retry; the
 * outbox relay (cron) re-enqueues the delivery if the message is lost altogether.
 */
import { z } from 'zod';
import { deliverOne } from '../runtime/deliveries/send';
import { buildDeliveryDeps, closeStore, makeLogger, makeStore } from '../wiring/env-ports';

const MessageBody = z.strictObject({ delivery_id: z.string().regex(/^msg_[0-9a-f-]{36}_[0-9a-f-]{36}$/) });

/** The delivery queue of either environment (`ingestion-deliveries`, `ingestion-deliveries-pg`). */
export const isDeliveryQueue = (name: string) => /^ingestion-deliveries(-pg)?$/.test(name);

export async function handleDeliveryBatch(batch: MessageBatch<unknown>, env: Env, ctx?: ExecutionContext): Promise<void> {
  const store = makeStore(env);
  try {
    const deps = buildDeliveryDeps(env, store, { queue: batch.queue });
    // Sequential: two messages of one stream in a batch must not race each other's head checks.
    for (const msg of batch.messages) {
      const parsed = MessageBody.safeParse(msg.body);
      if (!parsed.success) {
        makeLogger({ queue: batch.queue }, env).error('malformed delivery message dropped', { message_id: msg.id });
        msg.ack();
        continue;
      }
      try {
        const outcome = await deliverOne(deps, parsed.data.delivery_id);
        deps.log.debug('delivery message handled', { delivery_id: parsed.data.delivery_id, outcome });
        msg.ack();
      } catch (err) {
        deps.log.error('delivery consumer failed; the queue will redeliver', {
          delivery_id: parsed.data.delivery_id,
          error: String((err as Error)?.stack ?? err),
        });
        msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
      }
    }
  } finally {
    closeStore(store, ctx ? (p) => ctx.waitUntil(p) : undefined);
  }
}
