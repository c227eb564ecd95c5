// Shared set-up for the browser scripts: playwright-core (installed by
// `npm ci` in frontend/) driving Debian's Chromium with a fresh profile.
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(new URL('../frontend/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** launch opens headless Chromium with a throwaway profile; close() removes it. */
export async function launch({ colorScheme = 'light' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'roundtable-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args,
    viewport: { width: 1280, height: 800 },
    colorScheme,
    locale: 'en-GB',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** isKnownNoise is true for messages the recipe lists as harmless. */
export function isKnownNoise(text, url = '') {
  return (
    url.includes('/wails/ipc.js') ||
    text.includes('/wails/ipc.js') ||
    url.endsWith('/favicon.ico') ||
    text.includes('favicon.ico') ||
    text.includes('runtime:ready') ||
    // The window's scripts fetched in the background (lib/views) while the dev
    // server restarts with the app (the demo and restore steps relaunch it):
    // the real window has no server to lose. A missing file still fails (404).
    (/net::ERR_CONNECTION_(REFUSED|RESET)/.test(text) && url.includes('/assets/')) ||
    sandboxRefusedPopup(text)
  );
}

/**
 * watchProblems collects the page's errors and error messages on its console,
 * less the known noise, into the array it returns: a run fails when it is not
 * empty at the end.
 */
export function watchProblems(page) {
  const problems = [];
  page.on('pageerror', (err) => {
    if (!isKnownNoise(String(err.stack || err.message))) problems.push(`page error: ${err.message}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !isKnownNoise(msg.text(), msg.location()?.url)) problems.push(`console: ${msg.text()}${msg.location()?.url ? ` (${msg.location().url})` : ''}`);
  });
  return problems;
}

/**
 * sandboxRefusedPopup is true for Chromium's note that the mail frame (sandbox="")
 * refused to open a link: the protection working, which replies.mjs asserts.
 */
export function sandboxRefusedPopup(text) {
  return text.startsWith('Blocked opening ') && text.includes("sandboxed frame whose 'allow-popups' permission is not set");
}

/** openApp loads the window's page and waits for the bound Go methods. */
export async function openApp(page, baseURL) {
  await page.goto(baseURL, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => window.go && window.go.ui && window.go.ui.ClientService, null, { timeout: 20000 });
}

/**
 * runSteps runs [name, fn] steps in order, printing PASS/FAIL/SKIP per step; after
 * a failure the rest are skipped (they build on each other) and a screenshot goes
 * to outDir. It returns how many passed and failed (skipped count as failed).
 */
export async function runSteps(page, steps, outDir) {
  let passed = 0;
  let failed = 0;
  let stop = false;
  for (const [name, run] of steps) {
    if (stop) {
      console.log(`SKIP ${name} (an earlier step failed)`);
      failed++;
      continue;
    }
    try {
      await run();
      console.log(`PASS ${name}`);
      passed++;
    } catch (err) {
      failed++;
      stop = true;
      console.log(`FAIL ${name}\n     ${String(err.message || err).split('\n').join('\n     ')}`);
      try {
        mkdirSync(outDir, { recursive: true });
        const file = `${outDir}fail-${passed + failed}.png`;
        await page.screenshot({ path: file, fullPage: true });
        console.log(`     screenshot: ${file}`);
      } catch {
        // a screenshot is a help, not a requirement
      }
    }
  }
  return { passed, failed };
}

/**
 * until polls check (run here, in Node: it may ask the page, e.g. the window's Go
 * side) until it holds, for up to timeout ms. The page's own waitForFunction does
 * not await a predicate's promise, so checks that call Go go through here.
 */
export async function until(page, what, check, timeout = 20000) {
  for (const end = Date.now() + timeout; Date.now() < end; ) {
    if (await check()) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`${what}: still not so after ${timeout / 1000} s`);
}

/**
 * checkForReplies runs "Check for replies" from the Unmatched page, waits until
 * that sync is over (the window's own state), then for its status line to read want.
 */
export async function checkForReplies(page, want) {
  const main = page.getByRole('main');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Unmatched/ }).click();
  await main.getByRole('heading', { level: 1, name: 'Unmatched' }).waitFor();
  const before = await page.evaluate(async () => (await window.go.ui.ConversationService.State()).at ?? '');
  await main.getByRole('button', { name: 'Check for replies' }).click();
  await until(page, 'the check for replies is over', () =>
    page.evaluate(async (at) => {
      const s = await window.go.ui.ConversationService.State();
      return !s.running && (s.at ?? '') !== at;
    }, before),
  );
  await main.getByTestId('sync-status').getByText(want).waitFor({ timeout: 20000 });
}

/**
 * newCohortOf makes the clients (created through the window's Go side: they are
 * not what the step tests), then the cohort through the window — New cohort,
 * Add members — and waits for the window to confirm the members were added.
 * members: [{ name, email, timeZone?, tags? }].
 */
export async function newCohortOf(page, cohort, kind, members) {
  const main = page.getByRole('main');
  await page.evaluate(async (ms) => {
    for (const m of ms) {
      await window.go.ui.ClientService.Create({ name: m.name, email: m.email, aliases: [], phone: '', timeZone: m.timeZone ?? '', tags: m.tags ?? [], status: 'active', goals: '', notes: '' });
    }
  }, members);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Cohorts/ }).click();
  await main.getByRole('button', { name: 'New cohort' }).first().click();
  const d = page.getByRole('dialog', { name: 'New cohort' });
  await d.getByLabel('Name').fill(cohort);
  await d.getByLabel('Kind').selectOption(kind);
  await d.getByRole('button', { name: 'Create cohort' }).click();
  await main.getByRole('heading', { level: 1, name: cohort }).waitFor();
  await main.getByRole('button', { name: 'Add members' }).click();
  const picker = page.getByRole('dialog', { name: 'Add members' });
  for (const m of members) {
    await picker.getByLabel('Search clients').fill(m.name);
    // The list is redrawn when the search answers; a tick on a row about to be
    // replaced can be lost on a busy machine, so tick until it holds.
    const box = picker.getByRole('checkbox', { name: new RegExp(m.name) });
    await until(page, `${m.name} chosen in the picker`, async () => {
      if (!(await box.isChecked().catch(() => false))) await box.check({ timeout: 2000 }).catch(() => {});
      return box.isChecked().catch(() => false);
    });
  }
  await picker.getByRole('button', { name: `Add ${members.length} members` }).click();
  await page.getByRole('status').getByText(`Added ${members.length} to ${cohort}`).last().waitFor();
}
