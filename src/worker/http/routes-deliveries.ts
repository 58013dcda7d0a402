/**
 * /internal/v1/subscriptions and /deliveries: push delivery managed through the API. Mutations need the operator
 * role; the signing secret is accepted on create and update and never returned. Delivery state is readable per
 * subscription, per publication (/publications/{id}/deliveries) and one by one; dead deliveries are redelivered
 * one by one or in bulk. Deleting a subscription cancels its open deliveries; canceled ones are never redelivered.
 */
import { Hono } from 'hono';
import type { z } from 'zod';
import type { DeliveryStore } from '../../core/delivery-ports';
import { redeliver, resumeSubscription } from '../../runtime/deliveries/relay';
import { buildDeliveryDeps, deliveryStoreOf, getDeliveryConfig } from '../../wiring/env-ports';
import { HttpError } from './errors';
import { callerOf, readJsonObject, requireRole, storeOf, type AppEnv } from './middleware';
import { fieldErrors, parseQuery, uuidParam } from './query';
import { decodeCursor, encodeCursor } from './serialize';
import { deliveryJson, subscriptionJson } from './serialize-deliveries';
import {
  BulkRedeliverBody,
  checkPipelines,
  checkSecret,
  checkUrl,
  CreateSubscriptionBody,
  ListDeliveriesQuery,
  scopeFilterOf,
  UpdateSubscriptionBody,
} from './subscription-body';
import type { Context } from 'hono';

const DELIVERY_ID = /^msg_[0-9a-f-]{36}_[0-9a-f-]{36}$/;

const deliveriesOf = (c: Context<AppEnv>): DeliveryStore => deliveryStoreOf(c.env, storeOf(c));

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw new HttpError(400, 'INVALID_REQUEST', 'invalid request body', { fields: fieldErrors(r.error) });
  return r.data;
}

async function listPage(
  c: Context<AppEnv>,
  q: z.infer<typeof ListDeliveriesQuery>,
  fixed: { subscriptionId?: string; publicationId?: string } = {},
) {
  let cursor: { createdAt: number; id: string } | undefined;
  if (q.cursor) {
    const parts = decodeCursor(q.cursor);
    if (parts?.length !== 2 || !/^\d+$/.test(parts[0]!))
      throw new HttpError(400, 'INVALID_CURSOR', 'cursor is not one this API issued', {
        fields: { cursor: ['not a cursor this API issued'] },
      });
    cursor = { createdAt: Number(parts[0]), id: parts[1]! };
  }
  const rows = await deliveriesOf(c).listDeliveries({
    subscriptionId: fixed.subscriptionId ?? q.subscription_id,
    publicationId: fixed.publicationId ?? q.publication_id,
    status: q.status,
    cursor,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    deliveries: page.map(deliveryJson),
    next_cursor: rows.length > q.limit && last ? encodeCursor([String(last.createdAt), last.id]) : null,
  };
}

export const subscriptionRoutes = new Hono<AppEnv>();

subscriptionRoutes.post('/', requireRole('operator'), async (c) => {
  const b = parseBody(CreateSubscriptionBody, await readJsonObject(c));
  checkUrl(b.url, getDeliveryConfig(c.env));
  checkSecret(b.secret);
  checkPipelines(b.pipelines);
  const scopeFilter = scopeFilterOf(b.pipelines, b.scopes);
  const now = Date.now();
  const sub = await deliveriesOf(c).createSubscription({
    id: crypto.randomUUID(),
    url: b.url,
    description: b.description ?? null,
    pipelines: b.pipelines,
    scopeFilter,
    secret: b.secret,
    enabled: b.enabled,
    createdBy: callerOf(c).name,
    createdAt: now,
  });
  return c.json({ subscription: subscriptionJson(sub) }, 201);
});

subscriptionRoutes.get('/', async (c) => c.json({ subscriptions: (await deliveriesOf(c).listSubscriptions()).map(subscriptionJson) }));

subscriptionRoutes.get('/:id', async (c) => {
  const id = uuidParam(c.req.param('id'), 'INVALID_SUBSCRIPTION_ID', 'subscription id');
  const sub = await deliveriesOf(c).getSubscription(id);
  if (!sub) throw new HttpError(404, 'SUBSCRIPTION_NOT_FOUND', `no subscription ${id}`);
  return c.json({ subscription: subscriptionJson(sub) });
});

subscriptionRoutes.patch('/:id', requireRole('operator'), async (c) => {
  const id = uuidParam(c.req.param('id'), 'INVALID_SUBSCRIPTION_ID', 'subscription id');
  const b = parseBody(UpdateSubscriptionBody, await readJsonObject(c));
  const store = deliveriesOf(c);
  const existing = await store.getSubscription(id);
  if (!existing) throw new HttpError(404, 'SUBSCRIPTION_NOT_FOUND', `no subscription ${id}`);
  if (b.url !== undefined) checkUrl(b.url, getDeliveryConfig(c.env));
  if (b.secret !== undefined) checkSecret(b.secret);
  if (b.pipelines !== undefined) checkPipelines(b.pipelines);
  // Changing the pipelines re-derives the scope filter; changing one needs the other (scopes are not stored as given).
  if (b.pipelines !== undefined && b.scopes === undefined && existing.scopeFilter.length > 0) {
    throw new HttpError(400, 'SCOPES_REQUIRED', 'give scopes together with pipelines when the subscription filters scopes', {
      field: 'scopes',
      fields: { scopes: ['required with pipelines'] },
    });
  }
  const scopeFilter = b.scopes !== undefined ? scopeFilterOf(b.pipelines ?? existing.pipelines, b.scopes) : undefined;
  const sub = await store.updateSubscription(
    id,
    { url: b.url, secret: b.secret, description: b.description, pipelines: b.pipelines, scopeFilter, enabled: b.enabled },
    Date.now(),
  );
  // Re-enabled: its held deliveries resume now rather than at the next minute's relay.
  if (b.enabled === true && !existing.enabled) await resumeSubscription(buildDeliveryDeps(c.env, storeOf(c)), id);
  return c.json({ subscription: subscriptionJson(sub!) });
});

subscriptionRoutes.delete('/:id', requireRole('operator'), async (c) => {
  const id = uuidParam(c.req.param('id'), 'INVALID_SUBSCRIPTION_ID', 'subscription id');
  const gone = await deliveriesOf(c).deleteSubscription(id, Date.now());
  if (!gone) throw new HttpError(404, 'SUBSCRIPTION_NOT_FOUND', `no subscription ${id}`);
  return c.json({ deleted: id, canceled_deliveries: gone.canceled });
});

subscriptionRoutes.get('/:id/deliveries', async (c) => {
  const id = uuidParam(c.req.param('id'), 'INVALID_SUBSCRIPTION_ID', 'subscription id');
  const q = parseQuery(ListDeliveriesQuery.omit({ subscription_id: true }), c.req.query());
  return c.json(await listPage(c, q, { subscriptionId: id }));
});

export const deliveryRoutes = new Hono<AppEnv>();

deliveryRoutes.get('/', async (c) => c.json(await listPage(c, parseQuery(ListDeliveriesQuery, c.req.query()))));

deliveryRoutes.post('/redeliver', requireRole('operator'), async (c) => {
  const b = parseBody(BulkRedeliverBody, await readJsonObject(c));
  const deps = buildDeliveryDeps(c.env, storeOf(c));
  const ids = await deps.deliveries.listDeadIds(
    { subscriptionId: b.subscription_id, pipeline: b.pipeline, createdFrom: b.created_from },
    b.limit,
  );
  const reset = await redeliver(deps, ids, false);
  return c.json({ redelivered: reset.length, delivery_ids: reset }, 202);
});

deliveryRoutes.get('/:id', async (c) => {
  const id = c.req.param('id');
  if (!DELIVERY_ID.test(id))
    throw new HttpError(400, 'INVALID_DELIVERY_ID', 'delivery id must be msg_<publication id>_<subscription id>', {
      fields: { id: ['not a delivery id'] },
    });
  const d = await deliveriesOf(c).getDelivery(id);
  if (!d) throw new HttpError(404, 'DELIVERY_NOT_FOUND', `no delivery ${id}`);
  return c.json({ delivery: deliveryJson(d) });
});

deliveryRoutes.post('/:id/redeliver', requireRole('operator'), async (c) => {
  const id = c.req.param('id');
  if (!DELIVERY_ID.test(id))
    throw new HttpError(400, 'INVALID_DELIVERY_ID', 'delivery id must be msg_<publication id>_<subscription id>', {
      fields: { id: ['not a delivery id'] },
    });
  const deps = buildDeliveryDeps(c.env, storeOf(c));
  const d = await deps.deliveries.getDelivery(id);
  if (!d) throw new HttpError(404, 'DELIVERY_NOT_FOUND', `no delivery ${id}`);
  if (d.status === 'pending')
    throw new HttpError(409, 'DELIVERY_PENDING', `delivery ${id} is still pending: it will be sent without a redelivery`);
  if (d.status === 'canceled')
    throw new HttpError(409, 'DELIVERY_CANCELED', `delivery ${id} was canceled with its subscription: there is no one to deliver it to`);
  await redeliver(deps, [id], true);
  return c.json({ delivery: deliveryJson((await deps.deliveries.getDelivery(id))!) }, 202);
});

/** Mounted at /publications: a publication's deliveries, one per matching subscription. */
export const publicationDeliveryRoutes = new Hono<AppEnv>();

publicationDeliveryRoutes.get('/:id/deliveries', async (c) => {
  const id = uuidParam(c.req.param('id'), 'INVALID_PUBLICATION_ID', 'publication id');
  const q = parseQuery(ListDeliveriesQuery.omit({ publication_id: true }), c.req.query());
  return c.json(await listPage(c, q, { publicationId: id }));
});
