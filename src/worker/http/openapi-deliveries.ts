/**
 * OpenAPI paths of push delivery (subscriptions, deliveries), from the same zod schemas the
 * routes validate with. Merged into the document by openapi.ts.
 */
import type { z } from 'zod';
import { BulkRedeliverBody, CreateSubscriptionBody, ListDeliveriesQuery, UpdateSubscriptionBody } from './subscription-body';
import { anyObject, error, js, json } from './openapi-parts';

const body = (s: z.ZodType) => ({ required: true, content: { 'application/json': { schema: js(s) } } });
const uuidPath = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });
const deliveryPath = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^msg_[0-9a-f-]{36}_[0-9a-f-]{36}$' },
  description: 'the delivery id, also its webhook-id',
};

function queryParams(s: z.ZodObject): Array<Record<string, unknown>> {
  const schema = js(s) as { properties: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(schema.properties).map(([name, p]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: p,
  }));
}

export function deliveryPaths(errors: Record<string, unknown>): Record<string, unknown> {
  const operator = { '403': error('ROLE_FORBIDDEN: needs the operator role') };
  const list = (omit: 'subscription_id' | 'publication_id' | null) =>
    queryParams(omit ? ListDeliveriesQuery.omit({ [omit]: true } as { subscription_id: true }) : ListDeliveriesQuery);
  const deliveries = json(anyObject, '{deliveries, next_cursor}');
  return {
    '/subscriptions': {
      post: {
        description:
          'Creates a push subscription. The secret is write-only; url must be an allowed host (DELIVERY_ALLOWED_HOSTS) or ' +
          'service:<BINDING>.',
        requestBody: body(CreateSubscriptionBody),
        responses: { '201': json(anyObject, '{subscription} (never the secret)'), ...errors, ...operator },
      },
      get: { responses: { '200': json(anyObject, '{subscriptions}'), ...errors } },
    },
    '/subscriptions/{id}': {
      get: {
        parameters: [uuidPath('id')],
        responses: { '200': json(anyObject, '{subscription}'), '404': error('SUBSCRIPTION_NOT_FOUND'), ...errors },
      },
      patch: {
        parameters: [uuidPath('id')],
        requestBody: body(UpdateSubscriptionBody),
        description:
          'Disabling holds its open deliveries (pending, in order) until it is enabled again; publications made while it is disabled are ' +
          'not delivered to it (pull them from /publications).',
        responses: { '200': json(anyObject, '{subscription}'), '404': error('SUBSCRIPTION_NOT_FOUND'), ...errors, ...operator },
      },
      delete: {
        description:
          'Deletes the subscription; in the same transaction its pending and dead deliveries become canceled (never sent, never ' +
          'redelivered). Delivered ones stay.',
        parameters: [uuidPath('id')],
        responses: {
          '200': json(anyObject, '{deleted, canceled_deliveries}'),
          '404': error('SUBSCRIPTION_NOT_FOUND'),
          ...errors,
          ...operator,
        },
      },
    },
    '/subscriptions/{id}/deliveries': {
      get: { parameters: [uuidPath('id'), ...list('subscription_id')], responses: { '200': deliveries, ...errors } },
    },
    '/publications/{id}/deliveries': {
      get: { parameters: [uuidPath('id'), ...list('publication_id')], responses: { '200': deliveries, ...errors } },
    },
    '/deliveries': { get: { parameters: list(null), responses: { '200': deliveries, ...errors } } },
    '/deliveries/{id}': {
      get: {
        parameters: [deliveryPath],
        responses: { '200': json(anyObject, '{delivery}'), '404': error('DELIVERY_NOT_FOUND'), ...errors },
      },
    },
    '/deliveries/{id}/redeliver': {
      post: {
        parameters: [deliveryPath],
        responses: {
          '202': json(anyObject, '{delivery}, pending again'),
          '409': error('DELIVERY_PENDING (still pending) or DELIVERY_CANCELED (its subscription was deleted)'),
          '404': error('DELIVERY_NOT_FOUND'),
          ...errors,
          ...operator,
        },
      },
    },
    '/deliveries/redeliver': {
      post: {
        description: 'Redelivers dead deliveries matching the filter, oldest first.',
        requestBody: body(BulkRedeliverBody),
        responses: { '202': json(anyObject, '{redelivered, delivery_ids}'), ...errors, ...operator },
      },
    },
  };
}

/** What a subscriber receives (OpenAPI 3.1 `webhooks`): the stored envelope, signed the Standard Webhooks way. */
export function deliveryWebhooks(): Record<string, unknown> {
  const header = (name: string, description: string) => ({ name, in: 'header', required: true, schema: { type: 'string' }, description });
  return {
    publication: {
      post: {
        description:
          'One publication, delivered at least once and in scope order per subscription; deduplicate by webhook-id, verify with the ' +
          'standardwebhooks package.',
        parameters: [
          header('webhook-id', 'stable per delivery: msg_<publication id>_<subscription id>'),
          header('webhook-timestamp', 'signing time, unix seconds'),
          header('webhook-signature', 'v1,<base64 HMAC-SHA256 of "id.timestamp.body">'),
        ],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Envelope' } } } },
        responses: {
          '2XX': { description: 'accepted' },
          '429': { description: 'retried, honouring Retry-After' },
          '5XX': { description: 'retried with backoff' },
          '4XX': { description: 'refused: the delivery is dead until redelivered' },
        },
      },
    },
  };
}
