/** @jsxImportSource hono/jsx */
/** Pipelines: description, a run form per pipeline, and the LiveRC one-click syncs. */
import type { AnyPipeline } from '../../core/pipeline';
import { Csrf, Layout, PostButton, Submit } from './layout';
import { ParamFields } from './schema-form';

export function PipelinesPage(p: { csrf: string; pipelines: AnyPipeline[]; trackSlugs: string[] }) {
  return (
    <Layout title="Pipelines" csrf={p.csrf} active="/admin/pipelines">
      <LiveRcActions csrf={p.csrf} trackSlugs={p.trackSlugs} />
      {p.pipelines.map((pl) => (
        <section class="pipeline" id={`pipeline-${pl.name}`}>
          <h2>{pl.name}</h2>
          <p>{pl.description}</p>
          <p class="hint">
            provider {pl.provider} · scope {pl.scopeParams.join(', ') || '(all)'} · parser v{pl.parserVersion} · normalizer v
            {pl.normalizerVersion}
          </p>
          <form method="post" action="/admin/run" class="run">
            <Csrf token={p.csrf} />
            <input type="hidden" name="pipeline" value={pl.name} />
            <ParamFields pipeline={pl} />
            <label class="check">
              <input type="checkbox" name="force" value="true" /> force (publish even if unchanged)
            </label>
            <label class="check">
              <input type="checkbox" name="mode" value="replay" /> replay (re-normalize the stored snapshots, no provider requests)
            </label>
            <Submit label="Run now" />
          </form>
        </section>
      ))}
    </Layout>
  );
}

/** The two LiveRC actions of seed 004: the track list, then one track's events, each one click away. */
export function LiveRcActions(p: { csrf: string; trackSlugs: string[] }) {
  return (
    <section class="actions" id="liverc-actions">
      <h2>LiveRC</h2>
      <PostButton action="/admin/run" csrf={p.csrf} label="Sync Tracks" id="sync-tracks" fields={{ pipeline: 'liverc.track_catalog' }} />
      <form method="post" action="/admin/run" class="inline">
        <Csrf token={p.csrf} />
        <input type="hidden" name="pipeline" value="liverc.event_catalog" />
        <input name="p.track_slug" list="track-slugs" placeholder="track slug" required pattern="[a-z0-9-]+" aria-label="track slug" />
        <datalist id="track-slugs">
          {p.trackSlugs.map((s) => (
            <option value={s} />
          ))}
        </datalist>
        <Submit label="Sync Events for This Track" id="sync-events" />
      </form>
      {p.trackSlugs.length === 0 && <p class="hint">Sync the tracks first to pick a track from the list.</p>}
    </section>
  );
}
