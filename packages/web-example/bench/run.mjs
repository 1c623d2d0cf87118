// scripts/bench-web: load on the reset service from a second process (wrk) on loopback.
// Side by side in one run, against the same server: GET /index.html (the node:http floor),
// GET /range/{random prefix} (from a breach store) and POST /api/check (a mix of passwords that
// reach the strength estimate and ones refused early). Prints requests/s, p50 and p99, and each
// endpoint's throughput as a ratio to the floor.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { firstCheck } from './first-check.mjs';

const dir = mkdtempSync(join(tmpdir(), 'pwguard-bench-web-'));
const ROOT = new URL('../../../', import.meta.url).pathname;
const { values: o } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '8' },
    entries: { type: 'string', default: '1000000' },
    store: { type: 'string' },
    overload: { type: 'string', default: '4' },
    help: { type: 'boolean' },
  },
});
if (o.help) {
  console.log(`usage: scripts/bench-web [--seconds N] [--connections C] [--entries N | --store FILE]
  --entries N   generate N random HIBP entries (scripts/gen-hibp) and build a store of them (default 1000000; 0 = built-in list)
  --store FILE  use this breach store instead
  --overload X  then POST /api/check open-loop at X times the rate wrk saturated it at (default 4; 0 = skip),
                against the default check queue and against an unbounded one (--check-queue 1000000)`);
  process.exit(0);
}

function makeStore(entries) {
  if (!entries) return undefined;
  const hibp = join(dir, 'hibp.txt');
  const store = join(dir, 'bench.pwg');
  process.stderr.write(`generating ${entries} HIBP entries and building a store...\n`);
  execFileSync(join(ROOT, 'scripts/gen-hibp'), ['--entries', String(entries), '--out', hibp], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(process.execPath, [join(ROOT, 'packages/cli/dist/main.js'), 'breach', 'build', hibp, '-o', store], { stdio: ['ignore', 'ignore', 'inherit'] });
  return store;
}

/** A child's stdout, without blocking this process's event loop. */
function output(cmd, argv) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b) => { out += b; });
    child.once('exit', (code) => (code === 0 ? resolveRun(out) : reject(new Error(`${cmd} exited with ${code}`))));
  });
}

function start(store, extra = []) {
  const args = [join(ROOT, 'packages/web-example/dist/main.js'), '--port', '0', '--check-rate', '10000000', ...(store ? ['--store', store] : []), ...extra];
  // The request log is read only where this process never blocks meanwhile (the open-loop runs):
  // a full, unread log pipe would stall the server (wrk runs through execFileSync).
  const readLog = extra.length > 0;
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', readLog ? 'pipe' : 'ignore'], env: { ...process.env, PWGUARD_CONFIG: '' } });
  // The server's request log: its own time per /api/check answer (from reading the request to the answer).
  const served = { ok: [], shed: [] };
  let partial = '';
  child.stderr?.on('data', (b) => {
    const lines = (partial + b).split('\n');
    partial = lines.pop();
    for (const l of lines) {
      const m = / POST \/api\/check (\d+) ([\d.]+)ms$/.exec(l);
      if (m) (m[1] === '200' ? served.ok : served.shed).push(Number(m[2]));
    }
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1], served });
    });
    child.once('exit', (code) => reject(new Error(`web-example exited with ${code}`)));
  });
}

function wrk(url, path, lua) {
  const args = ['-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--latency', `${url}${path}`];
  if (lua) {
    const f = join(dir, `${path.replace(/\W/g, '_')}.lua`);
    writeFileSync(f, lua);
    args.unshift('-s', f);
  }
  const text = execFileSync('wrk', args, { encoding: 'utf8' });
  const ms = (label) => {
    const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(text);
    if (!m) throw new Error(`no ${label}% latency in wrk output:\n${text}`);
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
  const errors = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0) + Number(/Socket errors:.*?(\d+)/.exec(text)?.[1] ?? 0);
  return { rps, p50: ms('50'), p99: ms('99'), errors };
}

// Random prefixes: every request is a different range, as from many users.
const RANGE_LUA = `
math.randomseed(42)
request = function()
  return wrk.format("GET", string.format("/range/%05X", math.random(0, 1048575)))
end`;

// Six passwords that reach the strength estimate and two refused before it (too short, breached).
const CHECK_BODIES = ['Tangerine-Orbit-Quilt-93', 'glacier marmalade kettle', 'Summer-Holiday-2024', 'kx8#Pq2-lamp-Wave',
  'correct horse battery', 'alice-in-wonderland-1865', 'hunter2', 'password1234']
  .map((password) => JSON.stringify({ password, context: { user: 'alice' } }));
const CHECK_LUA = `
local bodies = { ${CHECK_BODIES.map((b) => `[==[${b}]==]`).join(', ')} }
local i = 0
request = function()
  i = i + 1
  return wrk.format("POST", "/api/check", { ["Content-Type"] = "application/json" }, bodies[(i % #bodies) + 1])
end`;

async function main() {
  let server;
  try {
    const store = o.store ?? makeStore(Number(o.entries));
    server = await start(store);
    const floor = wrk(server.url, 'index.html', null);
    const range = wrk(server.url, 'range/00000', RANGE_LUA);
    const check = wrk(server.url, 'api/check', CHECK_LUA);
    const rows = [['GET /index.html (floor)', floor], ['GET /range/{prefix}', range], ['POST /api/check', check]];
    console.log(`\nweb-example on ${server.url}, breach ${store ?? 'built-in list'}; wrk 1 thread, ${o.connections} connections, ${o.seconds} s each`);
    console.log('endpoint                    req/s     p50 ms   p99 ms   errors  vs floor');
    for (const [name, r] of rows) {
      console.log(`${name.padEnd(26)} ${r.rps.toFixed(0).padStart(7)} ${r.p50.toFixed(2).padStart(9)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(8)}  ${(r.rps / floor.rps).toFixed(3)}`);
    }
    const overload = Number(o.overload);
    if (overload > 0) {
      const rate = Math.round(overload * check.rps);
      console.log(`\nPOST /api/check open-loop at ${rate}/s (${overload}x the ${check.rps.toFixed(0)}/s wrk reached), ${o.seconds} s, latency from when each request was due:`);
      console.log('check queue                 sent     200   503 shed  other  unanswered  p50 ms(200)  p99 ms(200)  max ms(200)  p99 ms(503)  server p99 ms(200)');
      for (const [name, extra] of [[`default (${8 * availableParallelism()})`, ['--check-queue', String(8 * availableParallelism())]], ['unbounded (1000000)', ['--check-queue', '1000000']]]) {
        const s = await start(store, extra);
        try {
          // Not execFileSync: this process must keep reading the server's log pipe meanwhile, or the
          // server blocks writing to it once the pipe is full.
          const r = JSON.parse(await output(process.execPath, [join(ROOT, 'packages/web-example/bench/open-loop.mjs'), `${s.url}api/check`, String(rate), o.seconds, JSON.stringify(CHECK_BODIES)]));
          process.stderr.write(`${name}: ${JSON.stringify(r)}\n`);
          const others = Object.values(r.other).reduce((a, b) => a + b, 0) + r.errors;
          const ms = (x) => (x === null || Number.isNaN(x) ? '-' : x.toFixed(0)).padStart(12);
          const serverP99 = s.served.ok.sort((a, b) => a - b)[Math.floor(0.99 * s.served.ok.length)] ?? NaN;
          console.log(`${name.padEnd(26)} ${String(r.sent).padStart(6)} ${String(r.ok).padStart(7)} ${`${r.shed} (${((100 * r.shed) / r.sent).toFixed(0)}%)`.padStart(10)} ${String(others).padStart(6)} ${String(r.unanswered).padStart(11)} ${ms(r.p50)} ${ms(r.p99)} ${ms(r.max)} ${ms(r.shedP99)} ${ms(serverP99).padStart(19)}`);
        } finally {
          s.child.kill('SIGTERM');
        }
      }
    }
    const fc = await firstCheck(server.url);
    console.log(`\nChromium, idle server: verdict ${fc.firstMs} ms after the last keystroke on the first check (150 ms debounce; dictionaries fetched and built in the worker), ${fc.warmMs} ms on the next; longest main-thread task ${fc.longestTaskMs} ms (0 = none over 50 ms)`);
  } finally {
    server?.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
