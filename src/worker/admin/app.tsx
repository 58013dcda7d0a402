/** @jsxImportSource hono/jsx */
/** The admin console under /admin: sign-in, guards, static assets, then the pages and the actions. */
import { Hono } from 'hono';
import { AdapterError } from '../../core/errors';
import { HttpError } from '../http/errors';
import { actionRoutes } from './actions';
import { CONSOLE_CSS, CONSOLE_JS } from './assets';
import { checkOrigin, ConsoleError, consoleTokens, readForm, requireCsrf, requireSession, securityHeaders, type AdminEnv } from './guard';
import { opsPageRoutes } from './ops-pages';
import { pageRoutes } from './pages';
import { constantTimeEqual, endSession, startSession } from './session';
import { ErrorPage, SignInPage } from './sign-in';

/** Only same-console paths are followed after sign-in (no open redirect). */
const safeNext = (v: string | undefined) => (v && /^\/admin(\/[A-Za-z0-9._~%/?=&-]*)?$/.test(v) && !v.startsWith('//') ? v : '/admin');

export function createAdminApp() {
  const admin = new Hono<AdminEnv>();
  admin.use('*', securityHeaders);
  admin.onError((err, c) => {
    const csrf = c.get('session')?.csrf;
    if (err instanceof ConsoleError)
      return c.html(<ErrorPage status={err.status} code={err.code} message={err.message} field={err.field} csrf={csrf} />, err.status);
    if (err instanceof HttpError && err.status < 500)
      return c.html(<ErrorPage status={err.status} code={err.code} message={err.message} csrf={csrf} />, err.status as 400);
    if (err instanceof AdapterError && err.category === 'validation') {
      const d = err.details as { field?: string; fields?: Record<string, unknown> } | undefined;
      return c.html(
        <ErrorPage
          status={400}
          code={err.code}
          message={err.message}
          field={d?.field ?? (d?.fields ? Object.keys(d.fields).join(', ') : undefined)}
          csrf={csrf}
        />,
        400,
      );
    }
    c.get('log')?.error('console error', { error: String((err as Error)?.stack ?? err) });
    return c.html(
      <ErrorPage status={500} code="INTERNAL_ERROR" message="internal error; see logs with this request id" csrf={csrf} />,
      500,
    );
  });
  admin.notFound((c) =>
    c.html(<ErrorPage status={404} code="NOT_FOUND" message={`no console page ${c.req.path}`} csrf={c.get('session')?.csrf} />, 404),
  );

  admin.get('/static/console.js', (c) =>
    c.body(CONSOLE_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }),
  );
  admin.get('/static/console.css', (c) =>
    c.body(CONSOLE_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }),
  );

  admin.get('/sign-in', (c) => c.html(<SignInPage next={safeNext(c.req.query('next'))} />));
  admin.post('/sign-in', async (c) => {
    checkOrigin(c);
    const form = await readForm(c);
    const tokens = consoleTokens(c);
    // Every configured token is compared (no early exit), as the API does.
    const matches = await Promise.all(tokens.map((t) => constantTimeEqual(form.token ?? '', t.token)));
    const token = form.token ? tokens[matches.indexOf(true)] : undefined;
    if (!token) {
      c.get('log').warn('console sign-in refused', {});
      return c.html(<SignInPage next={safeNext(form.next)} error="That token is not one of the configured tokens." />, 401);
    }
    await startSession(c, token, Date.now());
    return c.redirect(safeNext(form.next), 303);
  });

  admin.use('*', requireSession, requireCsrf);
  admin.post('/sign-out', (c) => {
    endSession(c);
    return c.redirect('/admin/sign-in', 303);
  });
  admin.route('/', pageRoutes);
  admin.route('/', opsPageRoutes);
  admin.route('/', actionRoutes);
  return admin;
}
