/** The publication page renders a SofaScore publication's lifecycle changes (the pipeline's lifecycle hook). */
import { describe, expect, it } from 'vitest';
import { fixtures, manualDeps, READER_TOKEN, runOnce, withCleanState } from '../../../test/helpers';
import { page, signIn } from './test-console';

describe('admin console: lifecycle changes', () => {
  withCleanState();

  it('renders the lifecycle changes of a SofaScore publication with their settlement keys', async () => {
    const ROUND = { unique_tournament_id: '19', season_id: '102079', round: 2, slug: 'qualification-round-2' };
    const serve = (variant: string) =>
      fixtures.routes([
        {
          key: 'www.sofascore.com/api/v1/unique-tournament/19/season/102079/events/round/2/slug/qualification-round-2',
          file: `sofascore/handmade/round.ut19.s102079.r2.${variant}.handmade.json`,
        },
      ]);
    const deps = manualDeps();
    await serve('inprogress');
    const first = await runOnce(deps, 'sofascore.round_matches', ROUND);
    await serve('finished');
    const second = await runOnce(deps, 'sofascore.round_matches', ROUND);
    const { cookie } = await signIn(READER_TOKEN);
    const none = await (await page(`/publications/${first.stored.result!.publication_id}`, { cookie })).text();
    expect(none).toContain('Lifecycle changes: 0');
    const html = await (await page(`/publications/${second.stored.result!.publication_id}`, { cookie })).text();
    expect(html).toContain('Lifecycle changes: 1');
    const row = /<table id="lifecycle">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)![1]!;
    expect(row).toContain(
      '<td>match:17148332</td><td><code>final</code></td><td class="del">status inprogress · code 7 · period second_half</td>',
    );
    expect(row).toMatch(
      /<td class="add">[^<]*status finished[^<]*winner home[^<]*<\/td><td>2026-09-22T21:23:50.000Z<\/td><td><code>settlement:17148332:1790112230<\/code><\/td>/,
    );
  });
});
