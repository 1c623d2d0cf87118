// Open-loop load for scripts/bench-web: POST /api/check at a fixed rate whatever the answers do
// (wrk waits for each answer, so it cannot overload a server). Latency is measured from the moment
// each request was due, not sent, so a backlog shows in it (no coordinated omission).
//   node open-loop.mjs URL RATE SECONDS BODIES_JSON   -> prints one JSON line of results
import http from 'node:http';

const [url, rateArg, secondsArg, bodiesJson] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const bodies = JSON.parse(bodiesJson);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const target = new URL(url);
const answered = [];
const shedMs = [];
const other = {};
let errors = 0;
let sent = 0;
let outstanding = 0;

function fire(due, body) {
  outstanding++;
  const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
    res.resume();
    res.on('end', () => {
      outstanding--;
      const ms = performance.now() - due;
      if (res.statusCode === 200) answered.push(ms);
      else if (res.statusCode === 503 && res.headers['retry-after']) shedMs.push(ms);
      else other[res.statusCode] = (other[res.statusCode] ?? 0) + 1;
    });
  });
  req.on('error', () => { outstanding--; errors++; });
  req.end(body);
}

const start = performance.now();
const total = Math.round(rate * seconds);
await new Promise((done) => {
  const tick = () => {
    const now = performance.now();
    while (sent < total && start + (sent * 1000) / rate <= now) {
      fire(start + (sent * 1000) / rate, bodies[sent % bodies.length]);
      sent++;
    }
    if (sent < total) setTimeout(tick, 1);
    else done();
  };
  tick();
});
// Give what is still pending up to 30 s to finish; what does not is counted as unanswered.
const deadline = performance.now() + 30_000;
while (outstanding > 0 && performance.now() < deadline) await new Promise((ok) => setTimeout(ok, 20));
const pct = (xs, p) => (xs.length === 0 ? NaN : xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]);
process.stdout.write(`${JSON.stringify({
  rate, seconds, sent, ok: answered.length, shed: shedMs.length, other, errors, unanswered: outstanding,
  p50: pct(answered, 50), p99: pct(answered, 99), max: pct(answered, 100), shedP99: pct(shedMs, 99),
})}\n`);
agent.destroy();
process.exit(0);
