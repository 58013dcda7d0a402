import { DurableObject } from 'cloudflare:workers';

export class ScopePublisher extends DurableObject<Env> {}
