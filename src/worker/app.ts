/** The internal API: /internal/v1, bearer-token auth (health excepted), JSON errors, no CORS, no debug routes. */
import { Hono } from 'hono';
import { errorBody, respondError } from './http/errors';
import { requestContext, requireAuth, requireConfig, type AppEnv } from './http/middleware';
import { healthRoutes, opsRoutes } from './http/routes-ops';
import { jobRoutes } from './http/routes-jobs';
import { operationRoutes } from './http/routes-operations';
import { extractorRoutes, importRoutes } from './http/routes-imports';
import { fileRoutes } from './http/routes-files';
import { publicationRoutes, snapshotRoutes } from './http/routes-publications';
import { createAdminApp } from './admin/app';

export function createApp() {
  const app = new Hono<AppEnv>();
  app.use('*', requestContext);
  app.onError((err, c) => respondError(c, err, (m, f) => c.get('log')?.error(m, f)));
  app.notFound((c) => c.json(errorBody('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`), 404));

  const v1 = new Hono<AppEnv>();
  v1.route('/health', healthRoutes);
  v1.use('*', requireConfig, requireAuth);
  v1.route('/jobs', jobRoutes);
  v1.route('/operations', operationRoutes);
  v1.route('/imports', importRoutes);
  v1.route('/extractors', extractorRoutes);
  v1.route('/files', fileRoutes);
  v1.route('/publications', publicationRoutes);
  v1.route('/snapshots', snapshotRoutes);
  v1.route('/', opsRoutes);
  app.route('/internal/v1', v1);
  // The operator console: its own auth (session cookie + CSRF), HTML errors, strict CSP. See src/worker/admin.
  app.get('/admin/', (c) => c.redirect('/admin', 301));
  app.route('/admin', createAdminApp() as never);

  // Known paths with a method they do not serve get 405 and an Allow header rather than a bare 404.
  const methods: Array<[RegExp, string]> = [
    [/^\/internal\/v1\/jobs\/?$/, 'GET, POST'],
    [/^\/internal\/v1\/jobs\/[^/]+\/?$/, 'GET'],
    [/^\/internal\/v1\/jobs\/[^/]+\/(cancel|retry)\/?$/, 'POST'],
    [/^\/internal\/v1\/publications(\/[^/]+)?\/?$/, 'GET'],
    [/^\/internal\/v1\/snapshots\/[^/]+\/?$/, 'GET'],
    [/^\/internal\/v1\/(metrics|pipelines|schedules|health\/live|health\/ready)\/?$/, 'GET'],
    [/^\/internal\/v1\/schedules\/[^/]+\/?$/, 'PUT'],
    [/^\/internal\/v1\/operations\/(bulk-retry|renormalize)\/?$/, 'POST'],
    [/^\/internal\/v1\/files\/scan\/?$/, 'POST'],
  ];
  const root = new Hono<AppEnv>();
  root.notFound((c) => c.json(errorBody('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`), 404));
  root.use('*', async (c, next) => {
    await next();
    if (c.res.status !== 404) return;
    const body = await c.res.clone().json().catch(() => null) as { error?: { code?: string } } | null;
    if (body?.error?.code !== 'NOT_FOUND') return;
    const allow = methods.find(([re]) => re.test(c.req.path))?.[1];
    if (allow && !allow.split(', ').includes(c.req.method)) {
      c.res = c.json(errorBody('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allow}`), 405, { allow });
    }
  });
  root.route('/', app);
  return root;
}

