/** @jsxImportSource hono/jsx */
/** The console's page frame. NAV is the one list of sections: imports, deliveries and roles add one entry each. */
import type { Child } from 'hono/jsx';

export const NAV: Array<{ href: string; label: string }> = [
  { href: '/admin', label: 'Overview' },
  { href: '/admin/pipelines', label: 'Pipelines' },
  { href: '/admin/jobs', label: 'Jobs' },
  { href: '/admin/publications', label: 'Publications' },
  { href: '/admin/schedules', label: 'Schedules' },
];

export function Layout(props: { title: string; csrf?: string; active?: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · ingestion console</title>
        <link rel="stylesheet" href="/admin/static/console.css" />
        <script src="/admin/static/console.js" defer></script>
      </head>
      <body>
        <header>
          <strong>ingestion console</strong>
          {props.csrf && (
            <nav>
              {NAV.map((n) => (
                <a href={n.href} class={props.active === n.href ? 'active' : undefined}>{n.label}</a>
              ))}
            </nav>
          )}
          {props.csrf && (
            <form method="post" action="/admin/sign-out" class="inline">
              <Csrf token={props.csrf} />
              <button type="submit">Sign out</button>
            </form>
          )}
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

export const Csrf = (p: { token: string }) => <input type="hidden" name="_csrf" value={p.token} />;

/** A one-button POST form (cancel, retry, run, toggle) carrying the CSRF token. */
export function PostButton(p: { action: string; csrf: string; label: string; fields?: Record<string, string>; id?: string; danger?: boolean }) {
  return (
    <form method="post" action={p.action} class="inline">
      <Csrf token={p.csrf} />
      {Object.entries(p.fields ?? {}).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
      <button type="submit" id={p.id} class={p.danger ? 'danger' : undefined}>{p.label}</button>
    </form>
  );
}

export const when = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–');

export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

export function bytes(n: number | null): string {
  if (n === null) return '–';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

export const StateBadge = (p: { state: string }) => <span class={`state state-${p.state}`} data-state>{p.state}</span>;
