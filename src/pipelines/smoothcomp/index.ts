/**
 * Smoothcomp pipelines and provider profiles; `ajptour.*` is the white-label copy with its own id space.
 * Evidence in this folder's comments: `dossier §N` is section N of docs/smoothcomp-dossier.md, and a tag such as
 * `[CAP VR]` or `[LIVE MW results.js]` is that document's confidence tag plus source key (its "Confidence tags and
 * sources"); test/conventions.test.ts checks that every one of them is there.
 */
import type { AnyPipeline } from '../../core/pipeline';
import { makeAcademyCatalog } from './academy-catalog';
import { makeAthleteProfile } from './athlete-profile';
import { makeEventBrackets } from './event-brackets';
import { makeEventCatalog } from './event-catalog';
import { makeEventDetail } from './event-detail';
import { makeEventParticipants } from './event-participants';
import { makeMatchDetail } from './match-detail';
import { AJPTOUR_SITE, SMOOTHCOMP_SITE, type SiteVariant } from './shared/site';

export { AJPTOUR_PROVIDER, SMOOTHCOMP_PROVIDER } from './provider';
export { SMOOTHCOMP_BENCH_CASES } from './bench-cases';

function pipelinesFor(site: SiteVariant): AnyPipeline[] {
  return [
    makeEventCatalog(site),
    makeEventDetail(site),
    makeEventParticipants(site),
    makeAthleteProfile(site),
    makeAcademyCatalog(site),
    makeEventBrackets(site),
    makeMatchDetail(site),
  ];
}

export const SMOOTHCOMP_PIPELINES: AnyPipeline[] = pipelinesFor(SMOOTHCOMP_SITE);
export const AJPTOUR_PIPELINES: AnyPipeline[] = pipelinesFor(AJPTOUR_SITE);
