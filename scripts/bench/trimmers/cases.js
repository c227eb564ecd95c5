// cases.js gathers the cases every trimmer is scored on, each with the visible
// text that is right for it:
//   (a) Roundtable's hand-written family fixtures (app/mail/trim/testdata/families),
//   (a') a held-out set written for this comparison (heldout/), in the same format,
//   (b) the shared reply-trimming corpus (../shared/corpora/reply-trimming), if present,
//   (c) the test suites the npm trimmers ship in their tarballs, read from
//       node_modules at run time: what each suite asserts is the expected text.
'use strict';

const fs = require('fs');
const path = require('path');

const repo = path.resolve(__dirname, '..', '..', '..');

// fixtureCases reads FAMILY-N.txt files: "why: ...", "=== body", "=== text".
function fixtureCases(dir, prefix, suite, family) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => {
    const raw = fs.readFileSync(path.join(dir, f), 'utf8').replace(/\r\n/g, '\n');
    const [, rest] = raw.split('\n=== body\n');
    const [body, text] = rest.split('=== text\n');
    const name = f.replace(/\.txt$/, '');
    return { id: prefix + name, suite, family: family || name.replace(/-\d+$/, ''), body, want: text };
  });
}

// familyCases are the trimmer's own fixtures: it was written against them.
function familyCases() {
  return fixtureCases(path.join(repo, 'app', 'mail', 'trim', 'testdata', 'families'), 'families/', 'ours');
}

// heldOutCases were written for this comparison and scored once before any
// trimmer was changed: no trimmer, ours included, was tuned on them. The go tests
// never read them.
function heldOutCases() {
  return fixtureCases(path.join(__dirname, 'heldout'), 'heldout/', 'held-out', 'held-out (one per shape)');
}

function corpusCases() {
  const dir = path.resolve(repo, '..', 'shared', 'corpora', 'reply-trimming');
  if (!fs.existsSync(path.join(dir, 'emails'))) return [];
  return fs.readdirSync(path.join(dir, 'emails')).filter((f) => f.endsWith('.txt')).sort().map((f) => ({
    id: 'corpus/' + f.replace(/\.txt$/, ''),
    suite: 'shared corpus',
    family: 'reply-trimming corpus',
    body: fs.readFileSync(path.join(dir, 'emails', f), 'utf8'),
    want: fs.readFileSync(path.join(dir, 'trimmed', f), 'utf8'),
  }));
}

// planerCases runs planer's own plain-text test file (CoffeeScript, shipped in its
// tarball) with stand-ins for mocha and chai that record, for every
// expect(planer.extractFromPlain(body)).to.equal(want), the pair (body, want)
// instead of checking it. Assertions that are not an equality on a trimmed body
// (a timing bound, "to.exist") are left out and counted.
function planerCases() {
  const file = path.join(__dirname, 'node_modules', 'planer', 'test', 'planerText.test.coffee');
  const coffee = require('coffee-script');
  const js = coffee.compile(fs.readFileSync(file, 'utf8'), { bare: true });
  const cases = [];
  let title = '';
  let n = 0;
  const skipped = [];
  const input = Symbol('planer input');
  const fakePlaner = { extractFromPlain: (body) => ({ [input]: body }), extractFrom: (body) => ({ [input]: body }) };
  const expect = (got) => {
    const equal = (want) => {
      if (got && typeof got === 'object' && input in got) {
        n++;
        cases.push({ id: `planer/${cases.length + 1} ${title} #${n}`, suite: 'planer 1.2.0 tests', family: 'planer own tests', body: got[input], want });
      } else {
        skipped.push(`${title}: not an equality on a trimmed body`);
      }
    };
    const skip = () => { skipped.push(`${title}: not an equality on a trimmed body`); };
    const chain = { equal, be: { below: skip }, exist: undefined };
    Object.defineProperty(chain, 'exist', { get: () => { skipped.push(`${title}: only checks that a result exists`); return true; } });
    return { to: chain };
  };
  const fakeRequire = (m) => {
    if (m === 'chai') return { expect };
    if (m === '../src/planer') return fakePlaner;
    throw new Error(`planer test requires ${m}`);
  };
  const describe = (_name, fn) => fn();
  const it = (name, fn) => { title = name; n = 0; fn(); };
  new Function('require', 'describe', 'it', js)(fakeRequire, describe, it);
  return { cases, skipped };
}

// shippedSuites says, for each npm trimmer, what test material its tarball holds.
function shippedSuites() {
  const out = {};
  for (const name of ['planer', 'email-reply-parser', 'node-email-reply-parser', 'emailreplyparser']) {
    const dir = path.join(__dirname, 'node_modules', name);
    const files = [];
    const walk = (d) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.name === 'node_modules') continue;
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/(^|[/\\])(tests?|spec|fixtures?|__tests__)[/\\]|\.(test|spec)\./.test(path.relative(dir, p))) files.push(path.relative(dir, p));
      }
    };
    walk(dir);
    out[name] = { version: require(path.join(dir, 'package.json')).version, testFiles: files };
  }
  return out;
}

module.exports = { familyCases, heldOutCases, corpusCases, planerCases, shippedSuites };
