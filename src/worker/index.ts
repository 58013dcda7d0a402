export { ScopePublisher } from '../durable/scope-publisher';
export { ProviderRateLimiter } from '../durable/rate-limiter';

export default {
  async fetch() {
    return new Response('ok');
  },
} satisfies ExportedHandler<Env>;
