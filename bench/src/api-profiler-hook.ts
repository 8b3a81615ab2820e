/**
 * Preloaded into the API only with `npm run bench -- --profile <phases>`: SIGUSR2 starts a V8 CPU
 * profile named after the phase in $BENCH_PROFILE_DIR/current-phase, the next SIGUSR2 writes it
 * to $BENCH_PROFILE_DIR/<phase>.cpuprofile (open it in Chrome DevTools or speedscope).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let phase: string | undefined;
  process.on('SIGUSR2', () => {
    if (phase === undefined) {
      phase = readFileSync(join(dir, 'current-phase'), 'utf8').trim() || 'phase';
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 200 }, () =>
          session.post('Profiler.start'),
        ),
      );
      return;
    }
    const name = phase;
    phase = undefined;
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
