// Secrets and optional vars that wrangler.toml does not declare (set with `wrangler secret put` or .dev.vars).
// Merged into the generated __BaseEnv_Env, so both `Env` and `Cloudflare.Env` (cloudflare:workers) see these.
interface __BaseEnv_Env {
  INTERNAL_AUTH_TOKEN?: string;
  ALLOW_INSECURE_INTERNAL_AUTH?: string;
  UPSTREAM_OVERRIDE?: string;
  /** debug, info (default), warn or error. */
  LOG_LEVEL?: string;
  /** Overrides every provider's sustained request rate (requests/s); for tests and local demos only. */
  PROVIDER_RATE_OVERRIDE?: string;
  /** Test-only bindings (vitest.config.ts). */
  TEST_MIGRATIONS?: import('@cloudflare/vitest-plugin/types').D1Migration[] | unknown;
  FIXTURE_CONTROL_URL?: string;
  /** Push delivery settings wrangler.toml does not declare (README "Push delivery"). */
  DELIVERY_SERVICE_BINDINGS?: string;
  DELIVERY_BASE_RETRY_SEC?: string;
  DELIVERY_MAX_RETRY_SEC?: string;
  DELIVERY_TIMEOUT_MS?: string;
  RECEIVER_CONTROL_URL?: string;
  /** Betfair Historic Data API login (secrets; README "Betfair and racing sources"). */
  BETFAIR_APP_KEY?: string;
  BETFAIR_USERNAME?: string;
  BETFAIR_PASSWORD?: string;
}
