// The home screen, on the demo workspace (app/demo seeds five weeks of
// check-ins, replies and a session): it opens on Home, lists the members gone
// quiet with their last words and a way to write to them, shows a health
// signal with why it matters and the members concerned, draws each cohort's
// weeks, says how engagement is measured, and reads at 1024×700. A cohort's
// roster has a sparkline per member; a cohort's quiet days can be changed.
//
// run.mjs runs homeSteps between opening the demo and going back. Alone:
//   ROUNDTABLE_E2E_PORT=34122 bash scripts/e2e.sh e2e/home.mjs [OUTDIR]
// opens the demo from the welcome, runs the steps, and leaves screenshots of
// the home screen in OUTDIR (default e2e/out/).
import { pathToFileURL } from 'node:url';
import { launch, openApp, runSteps, watchProblems } from './browser.mjs';
import { demoSteps } from './demo.mjs';

/** homeSteps returns the steps; the demo workspace must be open. */
export function homeSteps({ page, main, outDir = '' }) {
  const nav = () => page.getByRole('navigation', { name: 'Main' });
  const quiet = () => main().getByRole('list', { name: 'Members gone quiet' });

  async function openHome() {
    await nav().getByRole('link', { name: 'Home' }).click();
    await main().getByRole('heading', { level: 1, name: 'Home' }).waitFor();
  }

  return [
    ['home: a workspace with cohorts opens on the home screen', async () => {
      await page.goto(page.url().split('#')[0]);
      await main().getByRole('heading', { level: 1, name: 'Home' }).waitFor();
      await main().getByRole('heading', { level: 2, name: 'Today and this week' }).waitFor();
      await main().getByRole('heading', { level: 2, name: 'Waiting for you' }).waitFor();
      if ((await nav().getByRole('link', { name: 'Home' }).getAttribute('aria-current')) !== 'page') throw new Error('Home is not the current area');
    }],
    ['home: the coming week lists the lab\'s call, the scheduled check-in and a digest, each a link', async () => {
      const week = main().getByRole('region', { name: 'Today and this week' });
      await week.getByRole('link', { name: 'Leadership Lab call' }).first().waitFor();
      await week.getByRole('link', { name: 'Week 6 check-in: what moved?' }).waitFor();
      await week.getByRole('link', { name: /^Digest of / }).first().waitFor();
    }],
    ['home: members gone quiet, with their last words and one click to write to them', async () => {
      const list = quiet();
      const row = list.getByRole('listitem').filter({ hasText: 'Spring Mastermind' }).filter({ hasText: 'Last said' }).first();
      await row.waitFor();
      const name = (await row.getByRole('link').first().textContent())?.trim() ?? '';
      const write = row.getByRole('link', { name: `Write to ${name}` });
      const href = (await write.getAttribute('href')) ?? '';
      if (!href.startsWith('mailto:') || !href.includes('subject=Spring%20Mastermind')) throw new Error(`"Write to ${name}" goes to ${href}, want a mailto: about Spring Mastermind`);
      await list.getByText('never replied', { exact: false }).first().waitFor();
      // The last reply opens in the conversation.
      await row.getByRole('link', { name: `Open ${name}'s last reply` }).click();
      await main().getByRole('heading', { level: 1 }).filter({ hasText: /Replies|Spring Mastermind/ }).first().waitFor();
      await openHome();
    }],
    ['home: a health signal says why it matters and links to the member concerned', async () => {
      const spring = main().getByRole('list', { name: 'Cohort health' }).getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'Spring Mastermind' }) });
      const signals = spring.getByRole('list', { name: 'Suggestions for Spring Mastermind' });
      const hog = signals.getByRole('listitem').filter({ hasText: 'of the' }).filter({ hasText: 'replies' }).first();
      await hog.getByText('When one voice fills the room').waitFor();
      const who = hog.getByRole('link').first();
      const name = (await who.textContent())?.trim() ?? '';
      await signals.getByText(/members have not replied for 2 weeks/).waitFor();
      await main().getByRole('list', { name: "Suggestions for Writers' Circle" }).getByText('No purpose written yet.').waitFor();
      await who.click();
      await main().getByRole('heading', { level: 1, name }).waitFor();
      await openHome();
    }],
    ['home: each cohort has its chart, in numbers too, and the window says how it is measured', async () => {
      for (const c of ['Spring Mastermind', "Writers' Circle", 'Leadership Lab']) {
        const img = main().getByRole('img', { name: new RegExp(`^${c.replace(/'/g, "'")}: Replies per member per week`) });
        await img.waitFor();
        const bars = await img.locator('rect').count();
        if (bars !== 8) throw new Error(`${c}'s chart has ${bars} bars, want 8 weeks`);
      }
      const table = main().getByRole('table', { name: 'Weekly engagement of Spring Mastermind' });
      if ((await table.getByRole('row').count()) !== 9) throw new Error('the chart\'s table does not have 8 weeks');
      await main().getByRole('note', { name: 'How engagement is measured' }).getByText('Measured from replies, check-ins and attendance only: no tracking pixels, no link rewriting.').waitFor();
    }],
    ['home: reads at 1024×700 with nothing wider than the window (screenshots)', async () => {
      await page.setViewportSize({ width: 1024, height: 700 });
      await main().getByRole('heading', { level: 1, name: 'Home' }).waitFor();
      const overflow = await page.evaluate(() => {
        const m = document.querySelector('main');
        return m ? m.scrollWidth - m.clientWidth : 0;
      });
      if (overflow > 1) throw new Error(`the home screen is ${overflow}px wider than the window at 1024×700`);
      if (outDir) {
        await page.screenshot({ path: `${outDir}home-1024x700.png` });
        await main().getByRole('heading', { level: 2, name: 'Cohorts' }).scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${outDir}home-cohorts.png` });
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    }],
    ['home: keyboard — Tab reaches the quiet list\'s "Write to" links', async () => {
      const first = quiet().getByRole('link', { name: /^Write to / }).first();
      await first.focus();
      const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
      if (!focused.startsWith('Write to ')) throw new Error(`focus is on "${focused}"`);
    }],
    ['home: a cohort\'s own quiet days change who shows as quiet', async () => {
      const before = await page.evaluate(async () => (await window.go.ui.HomeService.Get()).quietTotal);
      const field = main().getByLabel('Gone quiet after').first(); // Leadership Lab, first by name
      await field.fill('60');
      await field.press('Enter');
      await main().getByText(`(${before})`).waitFor({ state: 'detached' });
      const after = await page.evaluate(async () => (await window.go.ui.HomeService.Get()).quietTotal);
      if (after >= before) throw new Error(`quiet members went from ${before} to ${after} with 60 days, want fewer`);
      await main().getByLabel('Gone quiet after').first().fill('0');
      await main().getByLabel('Gone quiet after').first().press('Enter');
      await main().getByText(`(${before})`).waitFor();
    }],
    ['home: the roster shows a sparkline per member', async () => {
      await nav().getByRole('link', { name: /Cohorts/ }).click();
      await main().getByRole('link', { name: 'Spring Mastermind' }).click();
      const roster = main().getByRole('table', { name: 'Members of Spring Mastermind' });
      await roster.getByRole('img', { name: /replies? in 8 weeks/ }).first().waitFor();
      const lines = await roster.getByRole('img', { name: /in 8 weeks/ }).count();
      if (lines !== 10) throw new Error(`${lines} sparklines, want one for each of the 10 members`);
      if (outDir) {
        await roster.scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${outDir}home-roster.png` });
      }
      await openHome();
    }],
  ];
}

// Alone: open the demo from the welcome, check the home screen, go back.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const baseURL = process.argv[2];
  const outDir = process.argv[3] ? process.argv[3].replace(/\/?$/, '/') : new URL('./out/', import.meta.url).pathname;
  const { page, close } = await launch();
  page.setDefaultTimeout(10000);
  const problems = watchProblems(page);
  const main = () => page.getByRole('main');
  const [openDemo, back] = demoSteps({ page, main, baseURL });
  const steps = [
    ['an empty workspace opens on the welcome, not on Home', async () => {
      await openApp(page, baseURL);
      await main().getByRole('heading', { level: 1, name: 'Welcome to Roundtable' }).waitFor();
      if (await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).count()) throw new Error('Home is offered in an empty workspace');
    }],
    openDemo,
    ...homeSteps({ page, main, outDir }),
    back,
    ['no page errors or Content-Security-Policy violations', async () => {
      if (problems.length) throw new Error(problems.join('\n'));
    }],
  ];
  const { mkdirSync } = await import('node:fs');
  mkdirSync(outDir, { recursive: true });
  const { passed, failed } = await runSteps(page, steps, outDir);
  await close();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
