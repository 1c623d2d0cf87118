// Fit the built-in rule weights (packages/strength/src/default-rules.ts) from data (issue 13 item 3),
// and check them on held-out data. The data: zxcvbn-ts language-common's passwords list (49,233
// passwords, most common first; a word's frequency is taken as Zipf, 1 / rank).
//   - Split by rank parity: A = ranks 1, 3, 5, ... (the fitting half), B = ranks 2, 4, ... (held out).
//   - Fit on A alone: for each rule r, over A's bases of rank <= BASE_MAX_RANK that hold a letter
//     and that r changes, the mean of min(1, rank(b) / rank(r(b))) when r(b) is also in A, 0 when
//     not, times 2 (r(b) falls in A or B by the parity of its rank: half of them are in A). That is
//     the frequency of the mangled form relative to its base, which is what a rule weight is (the
//     word as written = 1). Capped at 1: a form commoner than its base was not made from it
//     ("123" is not "12" + "3"; digit-only bases are left out for the same reason). Visible only
//     when r(b) made the list: ratios under BASE_MAX_RANK / 49,233 (~0.02) are mostly missed, so
//     small weights are underestimated; a rule never seen gets FLOOR.
//   - Not measurable from this list, so kept as estimated: case (the list is lower-cased, as
//     zxcvbn matches), so a rule with c or u is scaled by its case-free rest's fitted / estimated
//     ratio (c $1 moves with $1), and c, u, l alone keep theirs; years relative to today (the
//     list is older than the years the rules try: no 2016-2027 forms in it).
//   - Check on B: the attacker knows A (its words weighted 1 / rank in A) and the rules with the
//     old and the fitted weights; how many of B's passwords (and how much of B's Zipf mass) each
//     order reaches within 10^3, 10^4, 10^5 and 10^6 guesses. The word as written (`:`) is left out
//     of this stream: A and B share no password, so it could only waste guesses here, and the
//     check would reward any order that puts the mangled forms first. So it checks the order of
//     the rules among themselves, not their scale against the word as written.
// Prints the fitted table (rule, old weight, fitted weight, bases seen) and the check.
//   node scripts/lib/fit-rule-weights.mjs [now=2026-12-02]
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'packages/audit/package.json'));
const common = require('@zxcvbn-ts/language-common').dictionary['passwords-common'];
const { applyRule, defaultRules, guessStream } = await import(join(process.cwd(), 'packages/strength/dist/index.js'));
const now = new Date(process.argv[2] ?? '2026-12-02T00:00:00Z');
const BASE_MAX_RANK = 1000;
const FLOOR = 0.0005;

const rankOf = new Map();
common.forEach((w, i) => { if (!rankOf.has(w)) rankOf.set(w, i + 1); });
const A = common.filter((_, i) => i % 2 === 0);
const B = common.filter((_, i) => i % 2 === 1);
const inA = new Set(A);

const old = defaultRules(now);
const year = now.getUTCFullYear();
const yearTexts = new Set();
for (let y = year + 1; y >= year - 10; y--) {
  const d = String(y).split('').map((c) => `$${c}`).join(' ');
  yearTexts.add(d).add(`${d} $!`).add(`${d} $! $!`).add(String(y).slice(2).split('').map((c) => `$${c}`).join(' '));
}
const caseFree = (text) => text.split(' ').filter((f) => f !== 'c' && f !== 'u').join(' ');
const isYear = (text) => yearTexts.has(caseFree(text));
function fit(r) {
  if (r.text === ':') return { rule: r, weight: 1, seen: 0, bases: 0, how: 'the unit' };
  if (isYear(r.text)) return { rule: r, weight: r.weight, seen: 0, bases: 0, how: 'kept (year)' };
  const subs = r.text.split(' ').filter((f) => f.length === 3 && f[0] === 's').map((f) => [f[1], f[2]]);
  let sum = 0;
  let bases = 0;
  let seen = 0;
  for (const b of A) {
    const rb = rankOf.get(b);
    if (rb > BASE_MAX_RANK) break;
    if (!/[a-z]/i.test(b)) continue;
    const h = applyRule(r, b);
    if (h === null || h === b) continue;
    // a substitution that finds nothing to substitute is not this rule (sa@ $1 on "monkey" is $1)
    if (subs.some(([from]) => !b.includes(from))) continue;
    bases++;
    if (inA.has(h)) {
      sum += Math.min(1, rb / rankOf.get(h));
      seen++;
    }
  }
  const w = bases === 0 ? r.weight : Math.max(FLOOR, (2 * sum) / bases);
  return { rule: r, weight: w, seen, bases, how: 'fitted' };
}
const byText = new Map(old.map((r) => [r.text, r]));
const fitted = old.map((r) => {
  const rest = caseFree(r.text);
  if (rest === r.text || isYear(r.text)) return fit(r);
  // A case rule: the estimate, scaled as its case-free rest moved (c, u alone: kept).
  const restRule = byText.get(rest);
  if (rest === '' || !restRule) return { rule: r, weight: r.weight, seen: 0, bases: 0, how: 'kept (case)' };
  const f = fit(restRule);
  return { rule: r, weight: Math.max(FLOOR, (r.weight * f.weight) / restRule.weight), seen: f.seen, bases: f.bases, how: 'case x fitted rest' };
});

console.log(`fitted on A (${A.length} passwords, bases of rank <= ${BASE_MAX_RANK}); held out B (${B.length})`);
console.log('| rule | estimated | fitted | how | bases | seen |\n|---|---|---|---|---|---|');
for (const f of [...fitted].sort((x, y) => y.weight - x.weight)) {
  if (isYear(f.rule.text)) continue;
  console.log(`| \`${f.rule.text}\` | ${f.rule.weight.toPrecision(2)} | ${f.weight.toPrecision(2)} | ${f.how} | ${f.bases} | ${f.seen} |`);
}
console.log('\nFITTED_JSON ' + JSON.stringify(Object.fromEntries(fitted.filter((f) => !isYear(f.rule.text)).map((f) => [f.rule.text, Number(f.weight.toPrecision(2))]))));

// The check on B.
const CUTS = [1e3, 1e4, 1e5, 1e6];
const target = new Map(B.map((w) => [w, rankOf.get(w)]));
const totalMass = B.reduce((s, w) => s + 1 / rankOf.get(w), 0);
function check(rules) {
  const counts = CUTS.map(() => 0);
  const mass = CUTS.map(() => 0);
  let n = 0;
  for (const c of guessStream([{ name: 'A', words: A }], rules, CUTS[CUTS.length - 1])) {
    n++;
    const r = target.get(c.password);
    if (r === undefined) continue;
    CUTS.forEach((cut, k) => { if (n <= cut) { counts[k]++; mass[k] += 1 / r; } });
  }
  return { counts, mass: mass.map((m) => m / totalMass) };
}
// Only the rules fitted here: case and year rules can make nothing in B (lower-cased, older than
// the years), so keeping them would only measure how many guesses they waste.
const measured = new Set(fitted.filter((f) => f.how === 'fitted').map((f) => f.rule.text));
const withWeights = (ws) => old.map((r, i) => ({ ...r, weight: ws[i] })).filter((r) => measured.has(r.text)).sort((x, y) => y.weight - x.weight);
console.log(`\nheld-out check (the ${measured.size} fitted rules only): B's passwords reached with A as the list (${B.length} in B; share of B's Zipf mass in brackets)`);
console.log('| weights | 10^3 | 10^4 | 10^5 | 10^6 |\n|---|---|---|---|---|');
for (const [name, rules] of [['built-in (estimates)', withWeights(old.map((r) => r.weight))], ['fitted on A', withWeights(fitted.map((f) => f.weight))], ['all equal (1)', withWeights(old.map(() => 1))]]) {
  const r = check(rules);
  console.log(`| ${name} | ${r.counts.map((c, k) => `${c} (${(100 * r.mass[k]).toFixed(1)}%)`).join(' | ')} |`);
}
