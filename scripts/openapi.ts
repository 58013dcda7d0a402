// Writes docs/openapi.json from the zod schemas the routes validate with (src/worker/http/openapi.ts).
import { writeFileSync } from 'node:fs';
import { buildOpenApi } from '../src/worker/http/openapi';

writeFileSync(new URL('../docs/openapi.json', import.meta.url), `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
console.log('docs/openapi.json written');
