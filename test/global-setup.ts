import type { TestProject } from 'vitest/node';
import { startFixtureServer } from '../scripts/fixture-server.mjs';

export default async function setup(project: TestProject) {
  const port = project.config.provide.fixturePort as number;
  const server = await startFixtureServer({ port });
  return async () => server.close();
}
