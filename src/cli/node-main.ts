/** The Node entry of `ingest` (bin/ingest.mjs): stdout/stderr, a cli-progress bar on stderr, real fetch and sleep. */
import { SingleBar, Presets } from 'cli-progress';
import { runCli } from './program';
import type { Io, ProgressSink } from './io';

function progressBar(enabled: boolean): ProgressSink {
  let bar: SingleBar | null = null;
  return {
    start(label, total) {
      if (!enabled) return;
      // On stderr so stdout stays clean for pipes; redrawn in place on a terminal, a line per change otherwise.
      bar = new SingleBar(
        {
          format: `${label} [{bar}] {value}/{total} {state}`,
          stream: process.stderr,
          noTTYOutput: false,
          hideCursor: true,
          clearOnComplete: false,
        },
        Presets.shades_classic,
      );
      bar.start(total, 0, { state: 'pending' });
    },
    update(done, total, state) {
      bar?.setTotal(total);
      bar?.update(done, { state });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

const argv = process.argv.slice(2);
const io: Io = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  json: false,
  progress: progressBar(!argv.includes('--json') && !argv.includes('--no-progress') && Boolean(process.stderr.isTTY)),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};
runCli(argv, { io, env: process.env }).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`internal error: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
