import { DurableObject } from 'cloudflare:workers';

export class ProviderRateLimiter extends DurableObject<Env> {}
