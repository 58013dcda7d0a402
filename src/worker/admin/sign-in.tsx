/** @jsxImportSource hono/jsx */
/** Sign-in with a configured token, and the console's error page (code, message, offending field). */
import { Layout } from './layout';

export function SignInPage(p: { next: string; error?: string }) {
  return (
    <Layout title="Sign in">
      {p.error && (
        <p class="error" id="sign-in-error">
          {p.error}
        </p>
      )}
      <form method="post" action="/admin/sign-in" class="run" id="sign-in">
        <input type="hidden" name="next" value={p.next} />
        <label for="token">
          <span>Token (INTERNAL_AUTH_TOKEN or an API_TOKENS entry; a reader token is read-only)</span>
          <input type="password" id="token" name="token" required autocomplete="current-password" />
        </label>
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

export function ErrorPage(p: { status: number; code: string; message: string; field?: string; csrf?: string }) {
  return (
    <Layout title={`Error ${p.status}`} csrf={p.csrf}>
      <p class="error" id="error">
        <code id="error-code">{p.code}</code>: {p.message}
        {p.field && (
          <>
            {' '}
            (field <code>{p.field}</code>)
          </>
        )}
      </p>
      <p>
        <a href="/admin">Back to the overview</a>
      </p>
    </Layout>
  );
}
