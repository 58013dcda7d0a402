import { describe, expect, it } from 'vitest';
import page from '../../../testdata/smoothcomp/event_detail/event-14675.handmade.html?raw';
import panels from '../../../testdata/smoothcomp/event_detail/event-14675-info-panels.handmade.json?raw';
import polish from '../../../testdata/smoothcomp/event_detail/event-14445-pl.handmade.html?raw';
import notFound from '../../../testdata/smoothcomp/challenge/not-found.handmade.html?raw';
import challenge from '../../../testdata/smoothcomp/challenge/just-a-moment.handmade.html?raw';
import { SMOOTHCOMP_PIPELINES } from './index';
import { fx, replay, run } from './test-helpers';
import type { EventDetailOutput } from './event-detail';

const detail = SMOOTHCOMP_PIPELINES.find((p) => p.name === 'smoothcomp.event_detail')!;

describe('smoothcomp.event_detail', () => {
  it('plans the page and the optional info panels on the given host', () => {
    const reqs = detail.plan(detail.paramsSchema.parse({ event_id: 30665, host: 'adcc.smoothcomp.com' }), []);
    expect(reqs.map((r) => [r.resourceType, r.url, r.optional ?? false])).toEqual([
      ['event_page', 'https://adcc.smoothcomp.com/en/event/30665', false],
      ['event_info_panels', 'https://adcc.smoothcomp.com/en/event/30665/getInfoPanelsData', true],
    ]);
  });
  it('reads JSON-LD, info panels and the registration timeline', async () => {
    const { fetched } = await replay(
      detail,
      { event_id: '14675' },
      {
        'https://smoothcomp.com/en/event/14675': page,
        'https://smoothcomp.com/en/event/14675/getInfoPanelsData': panels,
      },
    );
    const out = run<EventDetailOutput>(detail, { event_id: '14675' }, fetched);
    expect(out).toMatchObject({
      event_id: '14675',
      name: 'Spring Open 2024',
      start_date: '2024-03-30',
      end_date: '2024-03-31',
      venue: { name: 'Valhalla Sporthall', address: 'Valhallagatan 3', city: 'Göteborg', country_name: 'Sweden', country_code: 'SE' },
      organizer: { name: 'Gothenburg Grappling Federation' },
      sports: ['Jiu-Jitsu', 'Submission Wrestling'],
      registration: { status: 'closed' },
      sources: { json_ld: true, info_panels: true },
    });
    expect(out.registration.periods).toEqual([
      { label: 'Early bird registration', text: '25 Jan – 15 Mar 11:59 pm' },
      { label: 'Regular registration', text: '16 Mar – 26 Mar 11:59 pm' },
    ]);
    expect(out.info_pages.map((p) => p.page_id)).toEqual(['35746', '35750']);
  });
  it('handles localized labels, an object addressCountry and a 404 info panel', () => {
    const out = run<EventDetailOutput>(detail, { event_id: 14445 }, [
      fx('event_page', '14445', 'https://smoothcomp.com/en/event/14445', polish),
      fx('event_info_panels', '14445', 'https://smoothcomp.com/en/event/14445/getInfoPanelsData', notFound, 404),
    ]);
    expect(out.name).toBe('Puchar Polski BJJ 2024');
    expect(out.registration).toEqual({
      status: 'open',
      periods: [
        { label: 'Wczesne rejestracje', text: '25 lip – 15 wrz 11:59' },
        { label: 'Regularne rejestracje', text: '16 wrz – 19 wrz 23:59' },
      ],
    });
    expect(out.venue).toMatchObject({ city: 'Warszawa', country_name: 'Poland', country_code: null });
    expect(out.organizer.name).toBe('Polski Związek BJJ');
    expect(out.sources.info_panels).toBe(false);
  });
  it('refuses the Cloudflare challenge with PROVIDER_BLOCKED instead of returning an empty event', () => {
    expect(() =>
      run(detail, { event_id: '31002' }, [fx('event_page', '31002', 'https://smoothcomp.com/en/event/31002', challenge, 403)]),
    ).toThrow(expect.objectContaining({ code: 'PROVIDER_BLOCKED', category: 'provider' }));
    expect(() => run(detail, { event_id: '1' }, [fx('event_page', '1', 'u', '<html><body>redesign</body></html>')])).toThrow(
      expect.objectContaining({ category: 'parse' }),
    );
  });
});
