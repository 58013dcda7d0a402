/**
 * The script's entry: the Worker's handlers and the Durable Object classes it hosts. Kept apart so src/worker and
 * src/durable never import each other; both get their ports from src/wiring/env-ports.ts.
 */
export { default, AdapterRpc } from './worker/index';
export { ScopePublisher } from './durable/scope-publisher';
export { ProviderRateLimiter } from './durable/rate-limiter';
export { MarketPoller } from './durable/market-poller';
