// scripts/gen-hibp: make HIBP-format test data (see gen.ts). Prints the planted passwords as JSON.
import { generateHibp, type Planted } from './gen.js';

const USAGE = `usage: gen-hibp --entries N --out PATH [--kind sha1|ntlm] [--layout file|folder]
                [--plant N] [--seed N] [--lowercase] [--lf] [--prefixes N]
Writes N random HIBP entries plus N planted passwords "planted-password-<i>" with counts,
and prints {"planted":[{"password","count","digest"}...]} on stdout.`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--lowercase' || a === '--lf') args.set(a, '1');
    else if (a.startsWith('--') && i + 1 < argv.length) args.set(a, argv[++i] as string);
    else {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
  }
  const entries = Number(args.get('--entries'));
  const out = args.get('--out');
  if (!Number.isInteger(entries) || entries < 0 || !out) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const plantN = Number(args.get('--plant') ?? 10);
  const planted: Planted[] = Array.from({ length: plantN }, (_, i) => ({ password: `planted-password-${i}`, count: i + 1 + i * i * 1000 }));
  const kind = args.get('--kind') === 'ntlm' ? 'ntlm' : 'sha1';
  const result = await generateHibp({
    entries, kind, out, planted,
    layout: args.get('--layout') === 'folder' ? 'folder' : 'file',
    seed: Number(args.get('--seed') ?? 1),
    lowercase: args.has('--lowercase'),
    eol: args.has('--lf') ? '\n' : '\r\n',
    ...(args.has('--prefixes') ? { prefixes: Number(args.get('--prefixes')) } : {}),
  });
  process.stdout.write(`${JSON.stringify({ lines: result.lines, files: result.files, planted: result.planted })}\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`gen-hibp: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
