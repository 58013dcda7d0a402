import { describe, expect, it } from 'vitest';
import { planCapture, provenance, routeKeyOf } from './capture-plan';

const snap = (attempt: number, type: string, key: string, url: string, sha: string, ct = 'text/html; charset=utf-8') => ({
  attempt_number: attempt,
  resource_type: type,
  resource_key: key,
  url,
  status: 200,
  content_type: ct,
  size_bytes: 10,
  sha256: sha,
  fetched_at: '2026-11-23T10:00:00.000Z',
});

describe('capture plan', () => {
  it('names files after the resource, keeps the last attempt only, and derives fixture route keys', () => {
    const files = planCapture(
      [
        snap(1, 'entry_list', '486677', 'https://canberraoffroad.liverc.com/results/?p=view_entry_list&id=486677', 'a'.repeat(64)),
        snap(2, 'entry_list', '486677', 'https://canberraoffroad.liverc.com/results/?p=view_entry_list&id=486677', 'b'.repeat(64)),
        snap(2, 'race_result', '6304829', 'https://canberraoffroad.liverc.com/results/?p=view_race_result&id=6304829', 'c'.repeat(64)),
        snap(2, 'api', '../../etc/passwd', 'https://smoothcomp.com/en/event/1/participants', 'd'.repeat(64), 'application/json'),
      ],
      'testdata/liverc/captured/job-1',
    );
    expect(files.map((f) => f.file)).toEqual([
      'testdata/liverc/captured/job-1/entry_list-486677.html',
      'testdata/liverc/captured/job-1/race_result-6304829.html',
      'testdata/liverc/captured/job-1/api-etc_passwd.json',
    ]);
    expect(files[0]!.routeKey).toBe('canberraoffroad.liverc.com/results/?id=486677&p=view_entry_list');
    expect(files[0]!.snapshot.sha256).toBe('b'.repeat(64));
    expect(routeKeyOf('https://live.liverc.com/')).toBe('live.liverc.com/');
    const p = provenance({ id: 'job-1', pipeline: 'liverc.event_deep', params: {}, scope_key: 's' }, files, '2026-11-23T11:00:00.000Z');
    expect(p.files[1]).toMatchObject({
      file: 'race_result-6304829.html',
      sha256: 'c'.repeat(64),
      url: 'https://canberraoffroad.liverc.com/results/?p=view_race_result&id=6304829',
    });
  });
});
