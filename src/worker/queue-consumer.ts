/**
 * Queue edge: validates each message, calls handleJobMessage, and maps outcomes to ack/retry. Two message types share
 * the jobs queue: `{job_id}` (ours) and R2 event notifications of the FILES bucket (Cloudflare's shape), which
 * become jobs through the file triggers (src/runtime/file-triggers.ts). A malformed message is
 * acknowledged and logged (it can name no job, so it can harm none). A message the consumer itself cannot handle
 * (storage down) is retried by the queue and, past max_retries, lands in the dead-letter queue; the job row stays
 * recoverable by the sweeper either way.
 */
import { z } from 'zod';
import type { Store } from '../core/ports';
import { FileEventSchema, routeFileEvent } from '../runtime/file-triggers';
import { handleJobMessage } from '../runtime/handle-job-message';
import { buildDeps, closeStore, makeLogger, makeStore, type JobMessage } from '../wiring/env-ports';
import { handleDeliveryBatch, isDeliveryQueue } from './delivery-consumer';

const MessageBody = z.strictObject({ job_id: z.string().regex(/^[0-9a-f-]{36}$/) });

export const DLQ_NAME = 'ingestion-jobs-dlq';

export async function handleQueue(batch: MessageBatch<unknown>, env: Env, ctx?: ExecutionContext): Promise<void> {
  if (isDeliveryQueue(batch.queue)) return handleDeliveryBatch(batch, env, ctx);
  if (batch.queue === DLQ_NAME || batch.queue.endsWith('-dlq')) {
    const log = makeLogger({ queue: batch.queue }, env);
    for (const msg of batch.messages) {
      log.error('dead-lettered message', { message_id: msg.id, attempts: msg.attempts, body: msg.body as object });
      msg.ack();
    }
    return;
  }
  // One store for the batch: a Postgres store's connections are shared by its messages, then closed.
  const store = makeStore(env);
  try {
    await Promise.all(batch.messages.map((msg) => handleMessage(msg, env, store, batch.queue)));
  } finally {
    closeStore(store, ctx ? (p) => ctx.waitUntil(p) : undefined);
  }
}

async function handleMessage(msg: Message<unknown>, env: Env, store: Store, queue: string): Promise<void> {
  const parsed = MessageBody.safeParse(msg.body);
  const fileEvent = parsed.success ? null : FileEventSchema.safeParse(msg.body);
  if (fileEvent?.success) {
    await handleFileEvent(msg, env, store, queue, fileEvent.data);
    return;
  }
  if (!parsed.success) {
    makeLogger({ queue }, env).error('malformed queue message dropped', { message_id: msg.id, body: safeBody(msg.body) });
    msg.ack();
    return;
  }
  const jobId = (parsed.data as JobMessage).job_id;
  const deps = buildDeps(env, { queue, message_id: msg.id, delivery: msg.attempts }, store);
  try {
    await handleJobMessage(deps, jobId);
    msg.ack();
  } catch (err) {
    deps.log.error('consumer could not handle message; queue will redeliver', {
      job_id: jobId,
      error: String((err as Error)?.stack ?? err),
    });
    msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
  }
}

async function handleFileEvent(
  msg: Message<unknown>,
  env: Env,
  store: Store,
  queue: string,
  event: import('../runtime/file-triggers').FileEvent,
): Promise<void> {
  const deps = buildDeps(env, { queue, message_id: msg.id, delivery: msg.attempts, file_key: event.object.key }, store);
  try {
    const routed = await routeFileEvent(deps, event, 'notification');
    if (routed.length === 0)
      deps.log.info('file event matches no trigger', { action: event.action, bucket: event.bucket, key: event.object.key });
    else
      deps.log.info('file event routed', {
        action: event.action,
        key: event.object.key,
        jobs: routed.map((r) => `${r.pipeline}:${r.jobId ?? r.skipped}${r.created ? ':new' : ''}`),
      });
    msg.ack();
  } catch (err) {
    deps.log.error('file event could not be routed; queue will redeliver', {
      key: event.object.key,
      error: String((err as Error)?.stack ?? err),
    });
    msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
  }
}

function safeBody(body: unknown): string {
  try {
    return JSON.stringify(body).slice(0, 500);
  } catch {
    return String(body).slice(0, 500);
  }
}
