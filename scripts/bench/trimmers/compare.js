// compare.js scores Roundtable's reply trimmer and the open-source trimmers on npm
// on the same cases (see cases.js) and prints a Markdown table per family and per
// suite. A case counts when the visible text equals the expected text after
// whitespace normalisation (line endings, trailing white space, blank lines).
//
//   cd scripts/bench/trimmers && npm ci && node compare.js [--misses TRIMMER] [--suite SUITE]
//
// OURTRIM_REPO=DIR scores the trimmer of another checkout (a worktree of an
// earlier commit with ourtrim/main.go copied in) on the same cases: before/after.
//
// It is a benchmark for docs/benchmarks.md, not a test: make test never runs it.
'use strict';

const { execFileSync } = require('child_process');
const path = require('path');
const { familyCases, heldOutCases, corpusCases, planerCases, shippedSuites } = require('./cases');
const { names } = require('./trimmers');

const repo = path.resolve(__dirname, '..', '..', '..');
const ours = 'roundtable';

// normalise keeps what a reader sees: the non-blank lines, in order, without
// trailing white space. Where one trimmer leaves a blank line in place of the
// quote it cut and another does not, both show the same words.
function normalise(s) {
  return String(s).replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/u, '')).filter((l) => l !== '').join('\n');
}

function runTrimmer(name, cases) {
  const input = JSON.stringify(cases.map(({ id, body }) => ({ id, body })));
  const opts = { input, maxBuffer: 1 << 28, encoding: 'utf8' };
  const out = name === ours
    ? execFileSync('go', ['run', './scripts/bench/trimmers/ourtrim'], { ...opts, cwd: process.env.OURTRIM_REPO || repo })
    : execFileSync(process.execPath, [path.join(__dirname, 'trimmers.js'), name], { ...opts, cwd: __dirname });
  const byID = new Map();
  for (const r of JSON.parse(out)) byID.set(r.id, r);
  return byID;
}

function main() {
  const args = process.argv.slice(2);
  const flag = (f) => { const i = args.indexOf(f); return i >= 0 ? args[i + 1] : undefined; };
  const planer = planerCases();
  let cases = [...familyCases(), ...heldOutCases(), ...corpusCases(), ...planer.cases];
  if (flag('--suite')) cases = cases.filter((c) => c.suite === flag('--suite'));
  const trimmers = [ours, ...names];
  const results = {};
  for (const t of trimmers) results[t] = runTrimmer(t, cases);

  for (const t of trimmers) {
    const errors = cases.filter((c) => results[t].get(c.id).error);
    if (errors.length) console.log(`${t}: ${errors.length} cases threw (counted as misses), first: ${errors[0].id}: ${results[t].get(errors[0].id).error}\n`);
  }
  const pass = (t, c) => normalise(results[t].get(c.id).text) === normalise(c.want);
  const rows = new Map();
  const suites = new Map();
  for (const c of cases) {
    for (const [m, key] of [[rows, c.family], [suites, c.suite]]) {
      if (!m.has(key)) m.set(key, { n: 0, ok: Object.fromEntries(trimmers.map((t) => [t, 0])) });
      const r = m.get(key);
      r.n++;
      for (const t of trimmers) if (pass(t, c)) r.ok[t]++;
    }
  }

  const misses = flag('--misses');
  if (misses) {
    for (const c of cases) {
      if (pass(misses, c)) continue;
      console.log(`==== ${c.id}\n---- body\n${c.body}\n---- want\n${normalise(c.want)}\n---- got (${misses})\n${normalise(results[misses].get(c.id).text)}\n`);
    }
    return;
  }

  const head = `| | cases | ${trimmers.join(' | ')} |\n|---|---:|${trimmers.map(() => '---:').join('|')}|`;
  const line = (label, r) => `| ${label} | ${r.n} | ${trimmers.map((t) => r.ok[t]).join(' | ')} |`;
  const total = { n: 0, ok: Object.fromEntries(trimmers.map((t) => [t, 0])) };
  for (const r of suites.values()) { total.n += r.n; for (const t of trimmers) total.ok[t] += r.ok[t]; }

  console.log('Per suite (exact match of the visible text after whitespace normalisation):\n');
  console.log(head);
  for (const [k, r] of suites) console.log(line(k, r));
  console.log(line('**total**', total));
  console.log('\nPer family:\n');
  console.log(head);
  for (const [k, r] of rows) console.log(line(k, r));

  console.log('\nVersions and shipped tests:');
  for (const [name, s] of Object.entries(shippedSuites())) {
    console.log(`- ${name} ${s.version}: ${s.testFiles.length ? s.testFiles.join(', ') : 'ships no tests or fixtures'}`);
  }
  console.log(`- planer's plain-text suite: ${planer.cases.length} equality assertions used; left out: ${planer.skipped.join('; ') || 'none'}`);
}

main();
