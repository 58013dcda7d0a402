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
import { pollerRoutes } from './http/routes-pollers';
import { deliveryRoutes, publicationDeliveryRoutes, subscriptionRoutes } from './http/routes-deliveries';

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
  v1.route('/publications', publicationDeliveryRoutes);
  v1.route('/publications', publicationRoutes);
  v1.route('/subscriptions', subscriptionRoutes);
  v1.route('/deliveries', deliveryRoutes);
  v1.route('/snapshots', snapshotRoutes);
  v1.route('/pollers', pollerRoutes);
  v1.route('/', opsRoutes);
  app.route('/internal/v1', v1);
  // The operator console: its own auth (session cookie + CSRF), HTML errors, strict CSP. See src/worker/admin.
  app.get('/admin/', (c) => c.redirect('/admin', 301));
  app.route('/admin', createAdminApp() as never);

  // Known paths with a method they do not serve get 405 and an Allow header rather than a bare 404. The table is
  // read from the router itself (every route is declared once, above); the console keeps its own HTML errors.
  const methods = allowedMethods(app.routes, '/internal/v1/');
  const root = new Hono<AppEnv>();
  root.notFound((c) => c.json(errorBody('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`), 404));
  root.use('*', async (c, next) => {
    await next();
    if (c.res.status !== 404) return;
    const body = (await c.res
      .clone()
      .json()
      .catch(() => null)) as { error?: { code?: string } } | null;
    if (body?.error?.code !== 'NOT_FOUND') return;
    const allow = methods.find(([re]) => re.test(c.req.path))?.[1];
    if (allow && !allow.split(', ').includes(c.req.method)) {
      c.res = c.json(errorBody('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allow}`), 405, { allow });
    }
  });
  root.route('/', app);
  return root;
}

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Path pattern → the methods its handlers serve (middleware, registered as ALL, serves none by itself). */
export function allowedMethods(routes: ReadonlyArray<{ method: string; path: string }>, under: string): Array<[RegExp, string]> {
  const byPath = new Map<string, Set<string>>();
  for (const r of routes) {
    if (r.method === 'ALL' || !r.path.startsWith(under) || r.path.includes('*')) continue;
    const path = r.path.replace(/\/+$/, '') || '/';
    const set = byPath.get(path) ?? new Set<string>();
    set.add(r.method.toUpperCase());
    byPath.set(path, set);
  }
  return [...byPath].map(([path, set]) => {
    const pattern = path
      .split('/')
      .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    return [new RegExp(`^${pattern}/?$`), [...set].sort((x, y) => METHOD_ORDER.indexOf(x) - METHOD_ORDER.indexOf(y)).join(', ')];
  });
}
