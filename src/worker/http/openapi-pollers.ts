/** OpenAPI paths of the Betfair live pollers (routes-pollers.ts), from the same zod schemas; merged by openapi.ts. */
import { PollerIdParam, StartPollerBody, StopPollerBody } from './poller-schemas';
import { anyObject, error, js, json } from './openapi-parts';

const idPath = { name: 'id', in: 'path', required: true, schema: js(PollerIdParam), description: 'the sorted market ids, comma-separated' };

export function pollerPaths(errors: Record<string, unknown>): Record<string, unknown> {
  const operator = { '403': error('ROLE_FORBIDDEN: needs the operator role') };
  const poller = json(anyObject, '{poller}: state, interval_ms, polls, skipped_in_flight, last_job_id, next_poll_at, ...');
  return {
    '/pollers': {
      post: {
        description:
          'Starts a live poller for a Betfair market set (a MarketPoller Durable Object alarm loop): one betfair.market_book job per ' +
          'interval (BETFAIR_POLL_INTERVAL_MS, default 5000 ms). The same set with the same settings returns the running poller ' +
          '(200); other settings restart it.',
        requestBody: { required: true, content: { 'application/json': { schema: js(StartPollerBody) } } },
        responses: { '201': poller, '200': poller, ...errors, ...operator },
      },
      get: { responses: { '200': json(anyObject, '{pollers}'), ...errors } },
    },
    '/pollers/{id}': {
      get: {
        parameters: [idPath],
        responses: { '200': poller, '404': error('POLLER_NOT_FOUND'), ...errors },
      },
    },
    '/pollers/{id}/stop': {
      post: {
        description:
          "Stops the loop (stop_cause 'api'): its alarm is deleted; a tick already running does not re-arm it. A loop also ends by itself: 'markets_closed' (the last poll's book had every market CLOSED), 'max_polls', 'until'.",
        parameters: [idPath],
        requestBody: { required: false, content: { 'application/json': { schema: js(StopPollerBody) } } },
        responses: { '200': poller, '404': error('POLLER_NOT_FOUND'), ...errors, ...operator },
      },
    },
  };
}
