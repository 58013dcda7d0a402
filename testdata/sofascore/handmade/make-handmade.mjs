#!/usr/bin/env node
// Regenerates the hand-made SofaScore fixtures of this folder from the real event capture
// (../event.17148332.json). Run: node testdata/sofascore/handmade/make-handmade.mjs. See ../PROVENANCE.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const real = JSON.parse(readFileSync(join(here, '..', 'event.17148332.json'), 'utf8')).event;
const clone = (o) => JSON.parse(JSON.stringify(o));
const write = (name, obj) => writeFileSync(join(here, name), `${JSON.stringify(obj)}\n`);

// A round list carries lighter event objects than /event/{id}: no venue, manager or event filters.
function listEvent(ev) {
  const e = clone(ev);
  for (const side of ['homeTeam', 'awayTeam']) for (const k of ['venue', 'manager', 'foundationDateTimestamp', 'timeActive']) delete e[side][k];
  for (const k of ['eventFilters', 'attendance', 'showTotoPromo', 'cupMatchesInRound']) delete e[k];
  return e;
}

const finished = listEvent(real);
// Second match of the round, invented: not started, kick-off one day later.
const other = listEvent(real);
Object.assign(other, {
  id: 17148399, customId: 'HmNdMde', slug: 'bath-city-frome-town', startTimestamp: real.startTimestamp + 86400,
  status: { code: 0, description: 'Not started', type: 'notstarted' }, homeScore: {}, awayScore: {}, time: {},
  changes: { changeTimestamp: 0 },
});
delete other.winnerCode; delete other.homeRedCards; delete other.awayRedCards; delete other.currentPeriodStartTimestamp;
Object.assign(other.homeTeam, { id: 990001, name: 'Bath City', slug: 'bath-city', shortName: 'Bath', nameCode: 'BAT', fullName: 'Bath City', userCount: 1200 });
Object.assign(other.awayTeam, { id: 990002, name: 'Frome Town', slug: 'frome-town', shortName: 'Frome', nameCode: 'FRO', fullName: 'Frome Town', userCount: 800 });

// The real match, 2nd half in progress at 1-1 (before extra time).
const live = clone(finished);
Object.assign(live, {
  status: { code: 7, description: '2nd half', type: 'inprogress' },
  homeScore: { current: 1, display: 1, period1: 0 }, awayScore: { current: 1, display: 1, period1: 0 },
  time: { currentPeriodStartTimestamp: real.startTimestamp + 3600 }, currentPeriodStartTimestamp: real.startTimestamp + 3600,
  changes: { changes: ['homeScore.current', 'homeScore.display'], changeTimestamp: real.startTimestamp + 4000 },
});
delete live.winnerCode;

// Finished again, with only volatile fields moved: user counts, colours, change timestamp, feature flags.
const volatile = clone(finished);
volatile.homeTeam.userCount += 57; volatile.awayTeam.userCount += 3;
volatile.homeTeam.teamColors = { primary: '#111111', secondary: '#222222', text: '#333333' };
volatile.tournament.uniqueTournament.userCount += 1000;
volatile.changes = { changes: ['hasGlobalHighlights'], changeTimestamp: real.changes.changeTimestamp + 900 };
volatile.hasGlobalHighlights = true; volatile.crowdsourcingDataDisplayEnabled = true;

// The final result corrected by the provider: the away side's extra-time goal recorded, 2-2, home wins on penalties.
const corrected = clone(finished);
corrected.status = { code: 120, description: 'AP', type: 'finished' };
Object.assign(corrected.awayScore, { current: 2, display: 2, extra1: 1, overtime: 1, penalties: 3 });
Object.assign(corrected.homeScore, { penalties: 4 });
corrected.changes = { changes: ['status.code', 'status.description', 'awayScore.current'], changeTimestamp: real.changes.changeTimestamp + 3600 };

write('round.ut19.s102079.r2.inprogress.handmade.json', { events: [live, other] });
write('round.ut19.s102079.r2.finished.handmade.json', { events: [finished, other] });
write('round.ut19.s102079.r2.finished-volatile.handmade.json', { events: [volatile, other] });
write('round.ut19.s102079.r2.corrected.handmade.json', { events: [corrected, other] });
write('rounds.ut19.s102079.cup.handmade.json', {
  currentRound: { round: 2, name: 'Qualification Round 2', slug: 'qualification-round-2' },
  rounds: [
    { round: 1, name: 'Extra Preliminary Round', slug: 'extra-preliminary-round', prefix: 'Qualification' },
    { round: 1, name: 'Qualification Round 1', slug: 'qualification-round-1' },
    { round: 2, name: 'Qualification Round 2', slug: 'qualification-round-2' },
    { round: 5, name: 'Round of 64', slug: 'round-of-64' },
    { round: 29, name: 'Final', slug: 'final' },
  ],
});
write('challenge.handmade.json', { error: { reason: 'challenge' } });
write('not-found.handmade.json', { error: { code: 404, message: 'Not Found' } });
