// A one-line progress bar on stderr, only when stderr is a terminal (cron and pipes stay quiet).
import type { CrackStats } from '@pwguard/audit';

export function progressReporter(out: NodeJS.WriteStream): { update: (s: CrackStats, elapsedMs: number) => void; done: () => void } {
  let last = 0;
  let shown = false;
  return {
    update(s, elapsedMs) {
      const now = Date.now();
      if (now - last < 250) return;
      last = now;
      shown = true;
      const rate = elapsedMs > 0 ? s.guessesTried / (elapsedMs / 1000) : 0;
      const frac = s.guessesPlanned > 0 ? Math.min(1, s.guessesTried / s.guessesPlanned) : 1;
      const eta = frac > 0 && frac < 1 ? `, ETA ${Math.round((elapsedMs / frac - elapsedMs) / 1000)} s` : '';
      const width = 20;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      out.write(`\r[${bar}] ${s.targetsDone}/${s.targetsTotal} hashes done, ${Math.round(rate)} guesses/s, ${s.found} found${eta}   `);
    },
    done() {
      if (shown) out.write('\r\x1b[K');
    },
  };
}
