/** @jsxImportSource hono/jsx */
/**
 * Deliveries (the push outbox): each subscription with its delivery state, and one subscription's deliveries with
 * attempts, last status and error, and Redeliver where a delivery is dead or delivered (pending ones are still sent).
 */
import type { Delivery, Subscription } from '../../core/delivery';
import { DELIVERY_STATUSES } from '../../core/delivery';
import type { SubscriptionSummary } from '../../core/delivery-ports';
import { age, Layout, PostButton, StateBadge, when } from './layout';
import { NextPage, Table, type Column } from './table';

export type SubscriptionRow = Subscription & { summary: SubscriptionSummary | null };

const subLink = (s: Subscription) => <a href={`/admin/deliveries/subscriptions/${s.id}`}>{s.id.slice(0, 8)}</a>;
const list = (xs: string[], none: string) => (xs.length ? xs.join(', ') : none);

function subCols(csrf: string, now: number): Array<Column<SubscriptionRow>> {
  return [
    { head: 'subscription', cell: subLink },
    { head: 'url', cell: (s) => <code>{s.url}</code>, class: 'msg' },
    { head: 'pipelines', cell: (s) => list(s.pipelines, 'all') },
    { head: 'scopes', cell: (s) => (s.scopeFilter.length ? s.scopeFilter.length : 'all'), class: 'num' },
    { head: 'enabled', cell: (s) => (s.enabled ? 'yes' : 'no') },
    { head: 'pending', cell: (s) => s.summary?.pending ?? 0, class: 'num' },
    { head: 'blocked', cell: (s) => s.summary?.blocked ?? 0, class: 'num' },
    { head: 'delivered', cell: (s) => s.summary?.delivered ?? 0, class: 'num' },
    {
      head: 'dead',
      cell: (s) => (s.summary?.dead ? <a href={`/admin/deliveries/subscriptions/${s.id}?status=dead`}>{s.summary.dead}</a> : 0),
      class: 'num',
    },
    { head: 'oldest pending', cell: (s) => (s.summary?.oldestPendingCreatedAt ? age(now - s.summary.oldestPendingCreatedAt) : '–') },
    { head: 'last delivered', cell: (s) => when(s.summary?.lastDeliveredAt) },
    {
      head: '',
      cell: (s) =>
        s.summary?.dead ? (
          <PostButton action={`/admin/deliveries/subscriptions/${s.id}/redeliver-dead`} csrf={csrf} label="Redeliver dead" />
        ) : null,
    },
  ];
}

export function DeliveriesPage(p: { csrf: string; subs: SubscriptionRow[]; now: number }) {
  return (
    <Layout title="Deliveries" csrf={p.csrf} active="/admin/deliveries">
      <p class="hint">
        Deliveries of one subscription and scope go out in publication order: a dead one holds the later ones of its stream back (blocked)
        until it is redelivered.
      </p>
      <Table
        id="subscriptions"
        rows={p.subs}
        cols={subCols(p.csrf, p.now)}
        empty="No subscriptions (create one with POST /internal/v1/subscriptions)."
        rowId={(s) => `subscription-${s.id}`}
      />
    </Layout>
  );
}

function deliveryCols(csrf: string): Array<Column<Delivery>> {
  return [
    { head: 'delivery', cell: (d) => <code>{d.id.slice(-12)}</code> },
    { head: 'publication', cell: (d) => <a href={`/admin/publications/${d.publicationId}`}>{d.publicationId.slice(0, 8)}</a> },
    { head: 'pipeline', cell: (d) => d.pipeline },
    { head: 'scope', cell: (d) => d.scopeKey, class: 'msg' },
    { head: 'seq', cell: (d) => d.sequence, class: 'num' },
    { head: 'status', cell: (d) => <StateBadge state={d.status} /> },
    { head: 'attempts', cell: (d) => d.attempts, class: 'num' },
    { head: 'last status', cell: (d) => d.lastStatusCode ?? '–', class: 'num' },
    { head: 'last error', cell: (d) => d.lastError ?? '', class: 'msg' },
    { head: 'next / delivered', cell: (d) => (d.status === 'pending' ? when(d.nextAttemptAt) : when(d.deliveredAt)) },
    {
      head: '',
      cell: (d) =>
        d.status === 'pending' ? null : (
          <PostButton action={`/admin/deliveries/${d.id}/redeliver`} csrf={csrf} label="Redeliver" id={`redeliver-${d.id}`} />
        ),
    },
  ];
}

export function SubscriptionPage(p: {
  csrf: string;
  sub: Subscription;
  summary: SubscriptionSummary | null;
  deliveries: Delivery[];
  status?: string;
  next: string | null;
}) {
  const s = p.sub;
  return (
    <Layout title={`Subscription ${s.id.slice(0, 8)}`} csrf={p.csrf} active="/admin/deliveries">
      <dl class="facts" id="subscription">
        <dt>url</dt>
        <dd>
          <code>{s.url}</code>
        </dd>
        <dt>description</dt>
        <dd>{s.description ?? '–'}</dd>
        <dt>pipelines</dt>
        <dd>{list(s.pipelines, 'all')}</dd>
        <dt>scopes</dt>
        <dd>{list(s.scopeFilter, 'all')}</dd>
        <dt>enabled</dt>
        <dd>{s.enabled ? 'yes' : 'no (deliveries wait)'}</dd>
        <dt>deliveries</dt>
        <dd id="subscription-counts">
          {p.summary?.pending ?? 0} pending ({p.summary?.blocked ?? 0} blocked) · {p.summary?.delivered ?? 0} delivered ·{' '}
          {p.summary?.dead ?? 0} dead
        </dd>
        <dt>created</dt>
        <dd>
          {when(s.createdAt)} by {s.createdBy ?? '–'}
        </dd>
      </dl>
      <form method="get" action={`/admin/deliveries/subscriptions/${s.id}`} class="filters">
        <select name="status" aria-label="status">
          <option value="">any status</option>
          {DELIVERY_STATUSES.map((x) => (
            <option value={x} selected={p.status === x}>
              {x}
            </option>
          ))}
        </select>
        <button type="submit">Filter</button>
      </form>
      <Table
        id="deliveries"
        rows={p.deliveries}
        cols={deliveryCols(p.csrf)}
        empty="No deliveries match."
        rowId={(d) => `delivery-${d.id}`}
      />
      <NextPage base={`/admin/deliveries/subscriptions/${s.id}`} query={{ status: p.status }} cursor={p.next} label="Older deliveries →" />
    </Layout>
  );
}
