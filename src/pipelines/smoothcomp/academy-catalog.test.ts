import { describe, expect, it } from 'vitest';
import finder from '../../../testdata/smoothcomp/academies/club-finder.handmade.html?raw';
import finderSe from '../../../testdata/smoothcomp/academies/club-finder-se.handmade.html?raw';
import challenge from '../../../testdata/smoothcomp/challenge/just-a-moment.handmade.html?raw';
import { SMOOTHCOMP_PIPELINES } from './index';
import { fx, run } from './test-helpers';
import type { AcademyCatalogOutput } from './academy-catalog';

const pipeline = SMOOTHCOMP_PIPELINES.find((p) => p.name === 'smoothcomp.academy_catalog')!;

describe('smoothcomp.academy_catalog', () => {
  it('plans the finder with the country filter', () => {
    expect(pipeline.plan(pipeline.paramsSchema.parse({ country: 'se' }), [])[0]!.url).toBe(
      'https://smoothcomp.com/en/club/finder?countries=SE',
    );
    expect(pipeline.plan(pipeline.paramsSchema.parse({}), [])[0]!.url).toBe('https://smoothcomp.com/en/club/finder');
  });
  it('reads clubs from /club/{id} links and records its uncertainty', () => {
    const out = run<AcademyCatalogOutput>(pipeline, {}, [fx('club_finder', '1', 'https://smoothcomp.com/en/club/finder', finder)]);
    expect(out.extraction).toBe('anchors');
    expect(out.uncertainty.length).toBeGreaterThan(0);
    expect(out.clubs.map((c) => [c.club_id, c.name, c.affiliation.name, c.city, c.country_code])).toEqual([
      ['20763', 'Alliance Stockholm', 'Alliance', 'Stockholm', 'SE'],
      ['41000', 'Gracie Barra São Paulo', 'Gracie Barra International', 'São Paulo', 'BR'],
      ['77897', 'Gothenburg Grappling Club', null, 'Göteborg', 'SE'],
    ]);
    expect(out.clubs[0]!.url).toBe('https://smoothcomp.com/en/club/20763');
  });
  it('reads clubs from an escaped Vue prop', () => {
    const out = run<AcademyCatalogOutput>(pipeline, { country: 'SE' }, [
      fx('club_finder', '1', 'https://smoothcomp.com/en/club/finder?countries=SE', finderSe),
    ]);
    expect(out).toMatchObject({ country: 'SE', extraction: 'vue_prop' });
    expect(out.clubs.map((c) => [c.club_id, c.city, c.country_code, c.affiliation.id])).toEqual([
      ['20763', 'Stockholm', 'SE', '12'],
      ['77897', 'Göteborg', 'SE', null],
    ]);
  });
  it('refuses a challenge and an unrecognizable page', () => {
    expect(() => run(pipeline, {}, [fx('club_finder', '1', 'u', challenge, 403)])).toThrow(
      expect.objectContaining({ code: 'PROVIDER_BLOCKED' }),
    );
    expect(() => run(pipeline, {}, [fx('club_finder', '1', 'u', '<html><body>hello</body></html>')])).toThrow(
      expect.objectContaining({ category: 'parse' }),
    );
  });
});
