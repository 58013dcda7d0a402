/** @jsxImportSource hono/jsx */
/** Publications: latest per pipeline, a scope's history, one publication with its readable diff and payload. */
import type { AnyPipeline, LifecycleChange } from '../../core/pipeline';
import type { Publication } from '../../core/types';
import type { EntityDiff } from './diff';
import { Layout, when } from './layout';

/** A scope's publication history page. */
const historyHref = (pipeline: string, scopeKey: string) =>
  `/admin/publications/history?pipeline=${encodeURIComponent(pipeline)}&scope_key=${encodeURIComponent(scopeKey)}`;

export function PublicationsIndex(p: { csrf: string; latest: Array<{ pipeline: AnyPipeline; pub: Publication | null }> }) {
  return (
    <Layout title="Publications" csrf={p.csrf} active="/admin/publications">
      <table id="latest-publications">
        <thead>
          <tr>
            <th>pipeline</th>
            <th>latest scope</th>
            <th>sequence</th>
            <th>decision</th>
            <th>published</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {p.latest.map(({ pipeline, pub }) => (
            <tr>
              <td>{pipeline.name}</td>
              <td>{pub?.scopeKey ?? '–'}</td>
              <td class="num">{pub?.sequence ?? ''}</td>
              <td>
                <code>{pub?.publicationDecision ?? ''}</code>
              </td>
              <td>{when(pub?.publishedAt)}</td>
              <td>
                {pub && (
                  <>
                    <a href={`/admin/publications/${pub.id}`}>open</a> · <a href={historyHref(pipeline.name, pub.scopeKey)}>history</a>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>A scope's history</h2>
      <form method="get" action="/admin/publications/history" class="filters">
        <select name="pipeline" aria-label="pipeline">
          {p.latest.map(({ pipeline }) => (
            <option value={pipeline.name}>{pipeline.name}</option>
          ))}
        </select>
        <input name="scope_key" placeholder="scope key, e.g. event_id=486677" required aria-label="scope key" />
        <button type="submit">Show history</button>
      </form>
    </Layout>
  );
}

export function HistoryPage(p: { csrf: string; pipeline: string; scopeKey: string; pubs: Publication[]; next: number | null }) {
  const base = historyHref(p.pipeline, p.scopeKey);
  return (
    <Layout title={`History of ${p.pipeline} ${p.scopeKey}`} csrf={p.csrf} active="/admin/publications">
      {p.pubs.length === 0 ? (
        <p>No publications for this scope.</p>
      ) : (
        <table id="history">
          <thead>
            <tr>
              <th>sequence</th>
              <th>decision</th>
              <th>classification</th>
              <th>+</th>
              <th>−</th>
              <th>~</th>
              <th>entities</th>
              <th>published</th>
              <th>job</th>
            </tr>
          </thead>
          <tbody>
            {p.pubs.map((x) => (
              <tr>
                <td>
                  <a href={`/admin/publications/${x.id}`}>#{x.sequence}</a>
                </td>
                <td>
                  <code>{x.publicationDecision}</code>
                </td>
                <td>{x.changeClassification}</td>
                <td class="num add">{x.addedCount}</td>
                <td class="num del">{x.removedCount}</td>
                <td class="num chg">{x.changedCount}</td>
                <td class="num">{x.entityCount}</td>
                <td>{when(x.publishedAt)}</td>
                <td>
                  <a href={`/admin/jobs/${x.jobId}`}>{x.jobId.slice(0, 8)}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.next !== null && (
        <p>
          <a href={`${base}&before=${p.next}`}>Older →</a>
        </p>
      )}
    </Layout>
  );
}

/** A status object ({status, code, winner, ...}) as `key value` pairs, in the provider's order. */
const fields = (o: Record<string, unknown> | null) =>
  o
    ? Object.entries(o)
        .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(' · ')
    : '–';

/**
 * The lifecycle changes of pipelines that have them (SofaScore: a match reaching its final status, a final result
 * corrected), each with its settlement key, the idempotency key downstream settles by. Absent for other pipelines.
 */
export function LifecycleTable(p: { changes: LifecycleChange[] | undefined }) {
  if (p.changes === undefined) return null;
  return (
    <>
      <h2>Lifecycle changes: {p.changes.length}</h2>
      {p.changes.length === 0 ? (
        <p class="hint" id="lifecycle">
          No lifecycle change in this publication.
        </p>
      ) : (
        <table id="lifecycle">
          <thead>
            <tr>
              <th>entity</th>
              <th>kind</th>
              <th>from</th>
              <th>to</th>
              <th>status time</th>
              <th>settlement key</th>
            </tr>
          </thead>
          <tbody>
            {p.changes.map((l) => (
              <tr>
                <td>{l.entity_key}</td>
                <td>
                  <code>{l.kind}</code>
                </td>
                <td class="del">{fields(l.from)}</td>
                <td class="add">{fields(l.to)}</td>
                <td>{l.status_time ?? '–'}</td>
                <td>
                  <code>{l.settlement_key}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function PublicationPage(p: {
  csrf: string;
  pub: Publication;
  diff: EntityDiff;
  payloadPreview: string;
  truncated: boolean;
  lifecycle?: LifecycleChange[];
}) {
  const { pub, diff } = p;
  return (
    <Layout title={`Publication #${pub.sequence} of ${pub.pipeline}`} csrf={p.csrf} active="/admin/publications">
      <dl class="facts">
        <dt>scope</dt>
        <dd>
          <a href={historyHref(pub.pipeline, pub.scopeKey)}>{pub.scopeKey}</a>
        </dd>
        <dt>decision</dt>
        <dd>
          <code id="pub-decision">{pub.publicationDecision}</code> ({pub.changeClassification}) — {pub.publicationReason}
        </dd>
        <dt>supersedes</dt>
        <dd>{pub.supersedesId ? <a href={`/admin/publications/${pub.supersedesId}`}>{pub.supersedesId.slice(0, 8)}</a> : '–'}</dd>
        <dt>job</dt>
        <dd>
          <a href={`/admin/jobs/${pub.jobId}`}>{pub.jobId.slice(0, 8)}</a>
        </dd>
        <dt>published</dt>
        <dd>{when(pub.publishedAt)}</dd>
        <dt>versions</dt>
        <dd>
          parser v{pub.parserVersion} · normalizer v{pub.normalizerVersion}
        </dd>
        <dt>hashes</dt>
        <dd>
          <small>
            normalized {pub.normalizedHash.slice(0, 16)}… · envelope {pub.envelopeHash.slice(0, 16)}…
          </small>
        </dd>
      </dl>
      <h2>
        Changes: <span class="add">+{pub.addedCount}</span> <span class="del">−{pub.removedCount}</span>{' '}
        <span class="chg">~{pub.changedCount}</span>
      </h2>
      <div id="diff" class="diff">
        {diff.changed.map((e) => (
          <div class="entity changed">
            <h3>~ {e.key}</h3>
            <table>
              <tbody>
                {e.fields.map((f) => (
                  <tr>
                    <th>{f.field}</th>
                    <td class="del">{f.before}</td>
                    <td class="add">{f.after}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
        {diff.added.map((e) => (
          <div class="entity added">
            <h3>+ {e.key}</h3>
            <code>{e.value}</code>
          </div>
        ))}
        {diff.removed.map((e) => (
          <div class="entity removed">
            <h3>− {e.key}</h3>
            <code>{e.value}</code>
          </div>
        ))}
        {diff.more.added + diff.more.removed + diff.more.changed > 0 && (
          <p class="hint">
            …and {diff.more.added} more added, {diff.more.removed} removed, {diff.more.changed} changed (see the payload).
          </p>
        )}
      </div>
      <LifecycleTable changes={p.lifecycle} />
      <h2>Payload</h2>
      <p>
        <a href={`/admin/publications/${pub.id}/envelope.json`} id="view-envelope">
          view envelope JSON
        </a>{' '}
        ·{' '}
        <a href={`/admin/publications/${pub.id}/envelope.json?download=1`} id="download-envelope">
          download
        </a>
      </p>
      <pre id="payload">
        {p.payloadPreview}
        {p.truncated ? '\n… (truncated; download for the whole payload)' : ''}
      </pre>
    </Layout>
  );
}
