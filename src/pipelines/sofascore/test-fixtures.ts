/** Test-only: the SofaScore fixtures as FetchedResources (Vite raw imports). */
import type { FetchedResource } from '../../core/pipeline';
import event from '../../../testdata/sofascore/event.17148332.json?raw';
import rounds from '../../../testdata/sofascore/rounds.ut17.s96668.json?raw';
import seasons from '../../../testdata/sofascore/seasons.ut7.json?raw';
import standings from '../../../testdata/sofascore/standings-total.ut17.s96668.trimmed.json?raw';
import cupRounds from '../../../testdata/sofascore/handmade/rounds.ut19.s102079.cup.handmade.json?raw';
import roundLive from '../../../testdata/sofascore/handmade/round.ut19.s102079.r2.inprogress.handmade.json?raw';
import roundFinished from '../../../testdata/sofascore/handmade/round.ut19.s102079.r2.finished.handmade.json?raw';
import roundVolatile from '../../../testdata/sofascore/handmade/round.ut19.s102079.r2.finished-volatile.handmade.json?raw';
import roundCorrected from '../../../testdata/sofascore/handmade/round.ut19.s102079.r2.corrected.handmade.json?raw';
import challenge from '../../../testdata/sofascore/handmade/challenge.handmade.json?raw';
import notFound from '../../../testdata/sofascore/handmade/not-found.handmade.json?raw';

export const BODIES = {
  event,
  rounds,
  seasons,
  standings,
  cupRounds,
  roundLive,
  roundFinished,
  roundVolatile,
  roundCorrected,
  challenge,
  notFound,
};

export function res(resourceType: string, body: string, status = 200, resourceKey = 'k'): FetchedResource {
  return {
    resourceType,
    resourceKey,
    url: `https://www.sofascore.com/api/v1/${resourceType}`,
    status,
    contentType: 'application/json',
    body,
    bytes: new TextEncoder().encode(body),
    sha256: '',
  };
}
