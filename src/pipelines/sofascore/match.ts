/** `sofascore.match {event_id}`: one event in full (`/api/v1/event/{id}`): the match, its venue, attendance, teams. */
import { z } from 'zod';
import { definePipeline } from '../../core/pipeline';
import { matchLifecycle } from './lifecycle';
import { normalizeEvent, uniqueTeams } from './match-normalize';
import { JSON_HEADERS, urls } from './provider';
import { idParam, matchSchema, teamSchema } from './schemas';
import { id, int, jsonBody, obj, requireResource, shapeError, str } from './values';

const params = z.strictObject({ event_id: idParam });
type Params = z.infer<typeof params>;

export const matchOutput = z.object({
  match: matchSchema.extend({
    attendance: z.number().int().nullable(),
    venue: z
      .object({
        venue_id: z.string(),
        name: z.string().nullable(),
        city: z.string().nullable(),
        country_alpha2: z.string().nullable(),
        capacity: z.number().int().nullable(),
      })
      .nullable(),
    tournament_name: z.string().nullable(),
    season_name: z.string().nullable(),
  }),
  teams: z.array(teamSchema),
});
export type MatchOutput = z.infer<typeof matchOutput>;

function venueOf(e: Record<string, unknown>) {
  // The event's venue when given, else the home team's ground (the capture carries it only there).
  const v = obj(e.venue) ?? obj(obj(e.homeTeam)?.venue);
  const vid = v ? id(v.id) : null;
  if (!v || vid === null) return null;
  return {
    venue_id: vid,
    name: str(v.name),
    city: str(obj(v.city)?.name),
    country_alpha2: str(obj(v.country)?.alpha2),
    capacity: int(v.capacity),
  };
}

export const matchPipeline = definePipeline<Params, Record<string, unknown>, MatchOutput>({
  name: 'sofascore.match',
  provider: 'sofascore',
  description: 'One event in full: teams, UTC start time, canonical status, score parts, winner, venue, attendance; lifecycle changes.',
  paramsSchema: params,
  scopeParams: ['event_id'],
  parserVersion: 'sofascore.match.parse/1',
  normalizerVersion: 'sofascore.match.norm/1',
  outputSchema: matchOutput,
  drift: false,
  plan: (p, fetched) =>
    fetched.length
      ? []
      : [{ resourceType: 'event', resourceKey: p.event_id, url: urls.event(p.event_id), headers: JSON_HEADERS, optional: true }],
  parse: (p, fetched) => jsonBody(requireResource(fetched, 'event'), `event ${p.event_id}`),
  normalize(p, body) {
    const e = obj(body.event);
    if (!e) throw shapeError(`event ${p.event_id}`, 'event');
    const { match, teams } = normalizeEvent(e, `event ${p.event_id}`);
    if (match.match_id !== p.event_id) throw shapeError(`event ${p.event_id}`, `event.id (${match.match_id})`);
    return {
      match: {
        ...match,
        attendance: int(e.attendance),
        venue: venueOf(e),
        tournament_name: str(obj(e.tournament)?.name),
        season_name: str(obj(e.season)?.name),
      },
      teams: uniqueTeams(teams),
    };
  },
  entities: (out) => [[`match:${out.match.match_id}`, out.match] as const, ...out.teams.map((t) => [`team:${t.team_id}`, t] as const)],
  lifecycle: (previous, next) => matchLifecycle(previous ? [previous.match] : null, [next.match]),
});
