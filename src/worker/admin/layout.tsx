/** @jsxImportSource hono/jsx */
/** The console's page frame. NAV is the one list of sections: a new section adds one entry. */
import { createContext, useContext, type Child } from 'hono/jsx';

/**
 * Who is looking: the signed-in token's name and whether it may act. Pages render inside its provider (pages.tsx
 * `view`); without one, nothing can be acted on (the safe default). The POST routes refuse a reader regardless.
 */
export interface Viewer {
  name: string;
  role: string;
  canAct: boolean;
}
export const ViewerContext = createContext<Viewer | null>(null);
const canAct = () => useContext(ViewerContext)?.canAct === true;
const READ_ONLY = 'read-only token: viewing only';

export const NAV: Array<{ href: string; label: string }> = [
  { href: '/admin', label: 'Overview' },
  { href: '/admin/pipelines', label: 'Pipelines' },
  { href: '/admin/jobs', label: 'Jobs' },
  { href: '/admin/publications', label: 'Publications' },
  { href: '/admin/schedules', label: 'Schedules' },
  { href: '/admin/imports', label: 'Imports' },
  { href: '/admin/deliveries', label: 'Deliveries' },
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
                <a href={n.href} class={props.active === n.href ? 'active' : undefined}>
                  {n.label}
                </a>
              ))}
            </nav>
          )}
          {props.csrf && <WhoAmI />}
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

function WhoAmI() {
  const v = useContext(ViewerContext);
  if (!v) return null;
  return (
    <span id="whoami" data-role={v.role}>
      {v.name} ({v.role}
      {v.canAct ? '' : ', read-only'})
    </span>
  );
}

/** A form's submit button: disabled, with the reason as its title, when the viewer may not act. */
export function Submit(p: { label: string; id?: string; danger?: boolean }) {
  const act = canAct();
  return (
    <button type="submit" id={p.id} class={p.danger ? 'danger' : undefined} disabled={!act} title={act ? undefined : READ_ONLY} data-action>
      {p.label}
    </button>
  );
}

export const Csrf = (p: { token: string }) => <input type="hidden" name="_csrf" value={p.token} />;

/** A one-button POST form (cancel, retry, run, toggle) carrying the CSRF token. */
export function PostButton(p: {
  action: string;
  csrf: string;
  label: string;
  fields?: Record<string, string>;
  id?: string;
  danger?: boolean;
}) {
  return (
    <form method="post" action={p.action} class="inline">
      <Csrf token={p.csrf} />
      {Object.entries(p.fields ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <Submit label={p.label} id={p.id} danger={p.danger} />
    </form>
  );
}

export const when = (ms: number | null | undefined) =>
  ms
    ? new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
    : '–';

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

export const StateBadge = (p: { state: string }) => (
  <span class={`state state-${p.state}`} data-state>
    {p.state}
  </span>
);
