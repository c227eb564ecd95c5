// The lessons scenario, run by run.mjs after the sessions steps (mail goes to
// the sandbox), or alone: `scripts/e2e.sh e2e/content.mjs` (it turns the
// sandbox on itself). A lesson written in the window with a check-in question
// and "reply done", exported to a folder and imported back unchanged; a cohort
// of two starting today with the lesson on day 1 at the coming hour (the dev
// build's "Send what is due now" looks ROUNDTABLE_TEST_DUE_AHEAD ahead, see
// README); "Send what is due now" releases it to both; Vera answers the
// check-in from her sandbox mailbox and Walt replies "Done"; after "Check for
// replies" the grid shows Vera replied and Walt done, with the counts; Vera's
// cell opens her answer as text (markup stays literal) and "Mark complete"
// completes it; Export CSV… saves the grid; editing the released lesson
// offers "send the correction", off. A screenshot of the grid goes to e2e/out/.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkForReplies, launch, newCohortOf, openApp, runSteps, until, watchProblems } from './browser.mjs';

const cohort = 'Habit Lab';
const title = 'Week 1: one small habit';
const checkIn = 'Which habit did you pick?';
// Named to sort after the first-day steps' "Seat N" clients: those steps pick them from the top of the list.
const vera = { name: 'Vera Brandt', first: 'Vera', email: 'vera.brandt@example.com' };
const walt = { name: 'Walt Okoro', first: 'Walt', email: 'walt.okoro@example.com' };
const veraText = 'I picked <b>walking</b> after lunch & it stuck.';
const outDir = new URL('./out/', import.meta.url).pathname;

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** contentSteps returns the steps, given the page and run.mjs's helpers. */
export function contentSteps({ page, main, dialog }) {
  const nav = () => page.getByRole('navigation', { name: 'Main' });
  const toast = (text) => page.getByRole('status').getByText(text).last();
  const dialogFile = process.env.ROUNDTABLE_TEST_DIALOG_FILE;
  const state = {};

  async function openCohort() {
    await nav().getByRole('link', { name: /Cohorts/ }).click();
    await main().getByRole('heading', { level: 1, name: 'Cohorts' }).waitFor();
    await main().getByRole('link', { name: cohort }).click();
    await main().getByRole('heading', { level: 1, name: cohort }).waitFor();
    return main().getByRole('region', { name: 'Curriculum' });
  }

  const grid = () => main().getByRole('table', { name: `Progress of ${cohort}: members by lessons` });
  const cell = (m, st) => grid().getByRole('button', { name: `${m.name}, ${title}: ${st}` });

  async function waitForMail(m, subject) {
    await until(page, `“${subject}” in ${m.email}’s sandbox mailbox`, () =>
      page.evaluate(async ([address, subj]) => ((await window.go.ui.MailService.SandboxMessages(address)) ?? []).some((x) => x.subject === subj), [m.email, subject]),
      30000,
    );
  }

  async function replyAs(m, subject, text) {
    await waitForMail(m, subject);
    await nav().getByRole('link', { name: 'Sandbox mail' }).click();
    await main().getByRole('heading', { level: 1, name: 'Sandbox mail' }).waitFor();
    await main().getByRole('button', { name: 'Refresh' }).click();
    await main().getByRole('navigation', { name: 'Mailboxes' }).getByRole('link', { name: new RegExp(escapeRe(m.email)) }).click();
    await main().getByRole('region', { name: `Messages to ${m.email}` }).getByRole('link', { name: new RegExp(`^${escapeRe(subject)}`) }).first().click();
    const message = main().getByRole('region', { name: 'Message', exact: true });
    await message.getByRole('heading', { level: 2, name: subject }).waitFor();
    await message.getByRole('button', { name: `Reply as ${m.first}` }).click();
    await message.getByLabel(`${m.first}’s reply`).fill(text);
    await message.getByRole('button', { name: `Send as ${m.first}` }).click();
    await toast(`Sent as ${m.first} — check for replies to import it`).waitFor();
  }

  return [
    ['lessons: write a lesson with a check-in question; the preview is the mail members get', async () => {
      await nav().getByRole('link', { name: 'Lessons' }).click();
      await main().getByRole('heading', { level: 1, name: 'Lessons' }).waitFor();
      await main().getByRole('button', { name: 'New lesson' }).click();
      const form = main().getByRole('form', { name: 'New lesson' });
      await form.getByLabel('Title').fill(title);
      await form.getByLabel('Module').fill('Foundations');
      await form.getByLabel('Lesson (Markdown)').fill('Pick **one** habit small enough to do on a bad day.');
      await form.getByLabel('Check-in question (optional)').fill(checkIn);
      await form.getByRole('checkbox', { name: /reply “done”/ }).check();
      await form.getByTestId('lesson-preview-subject').getByText(title, { exact: true }).waitFor();
      const frame = page.frameLocator('iframe[title="Preview of the lesson as members receive it"]');
      await frame.getByText(checkIn, { exact: false }).waitFor();
      await frame.getByText('when you have finished this lesson', { exact: false }).waitFor();
      await form.getByRole('button', { name: 'Add lesson' }).click();
      await toast(`Saved “${title}”`).waitFor();
      const mod = main().getByRole('region', { name: 'Module Foundations' });
      await mod.getByRole('button', { name: `Edit lesson ${title}` }).waitFor();
    }],
    ['Export folder… writes the lesson as a Markdown file; Import folder… reads it back unchanged', async () => {
      const dir = dirname(dialogFile);
      await main().getByRole('button', { name: 'Export folder…' }).click();
      await toast(`Exported 1 lesson to ${dir}`).waitFor();
      const file = join(dir, 'week-1-one-small-habit.md');
      if (!existsSync(file)) throw new Error(`no ${file}`);
      const md = readFileSync(file, 'utf8');
      if (!md.includes(`checkin: ${checkIn}`) && !md.includes(`checkin: "${checkIn}"`) && !md.includes(`checkin: '${checkIn}'`)) throw new Error(`the file lacks the check-in:\n${md}`);
      await main().getByRole('button', { name: 'Import folder…' }).click();
      await toast(`Imported: 1 unchanged (from ${dir})`).waitFor();
      if ((await main().getByRole('button', { name: `Edit lesson ${title}` }).count()) !== 1) throw new Error('the import duplicated the lesson');
    }],
    ['Delete lesson… asks first, saying what the lesson leaves, then takes it out of the library', async () => {
      const draft = 'A draft to delete';
      await main().getByRole('button', { name: 'New lesson', exact: true }).click();
      const form = main().getByRole('form', { name: 'New lesson' });
      await form.getByLabel('Title').fill(draft);
      await form.getByLabel('Lesson (Markdown)').fill('Not ready.');
      if (await form.getByRole('button', { name: 'Delete lesson…' }).count()) throw new Error('a new lesson offers Delete');
      await form.getByRole('button', { name: 'Add lesson' }).click();
      await toast(`Saved “${draft}”`).waitFor();
      await main().getByRole('button', { name: `Edit lesson ${draft}` }).click();
      await main().getByRole('button', { name: 'Delete lesson…' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Delete lesson' });
      await dialog.getByText(`Delete “${draft}” from your library? No cohort has it in its curriculum.`).waitFor();
      await dialog.getByRole('button', { name: 'Delete lesson' }).click();
      await toast(`Deleted “${draft}”`).waitFor();
      await main().getByRole('button', { name: `Edit lesson ${draft}` }).waitFor({ state: 'detached' });
      await main().getByRole('button', { name: `Edit lesson ${title}` }).waitFor();
    }],
    ['a cohort of two starting today; the lesson scheduled for day 1 at the coming hour', async () => {
      await newCohortOf(page, cohort, 'course_cohort', [vera, walt]);
      // The start date is no part of this test: set through the Go side.
      await page.evaluate(async (name) => {
        const c = (await window.go.ui.CohortService.List(false)).find((x) => x.name === name);
        const d = new Date();
        const p = (n) => String(n).padStart(2, '0');
        await window.go.ui.CohortService.Update(c.id, { ...c, startDate: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}` });
      }, cohort);
      state.hour = await page.evaluate(() => new Date(Date.now() + 3600e3).getHours());
      const hh = String(state.hour).padStart(2, '0');
      const section = await openCohort();
      await section.getByText('No lessons scheduled.', { exact: false }).waitFor();
      await section.getByRole('button', { name: 'Add a lesson' }).click();
      const form = section.getByRole('form', { name: 'Add a lesson to the curriculum' });
      await form.getByLabel('Lesson', { exact: true }).selectOption({ label: `Foundations · ${title}` });
      await form.getByLabel('Released').selectOption('cohort_day');
      await form.getByLabel('Day', { exact: true }).fill('1');
      await form.getByLabel('At', { exact: true }).selectOption({ label: `${hh}:00` });
      await form.getByRole('button', { name: 'Add to the curriculum' }).click();
      await form.waitFor({ state: 'detached' });
      const row = section.getByRole('table', { name: `Curriculum of ${cohort}` }).getByRole('row', { name: new RegExp(escapeRe(title)) });
      await row.getByText(/^Day 1 of the cohort/).waitFor();
      await row.getByText('Not yet').waitFor();
      await cell(vera, 'not released').waitFor();
      await cell(walt, 'not released').waitFor();
    }],
    ['"Send what is due now" releases the lesson; each member gets it by mail', async () => {
      const section = await openCohort();
      await section.getByRole('button', { name: 'Send what is due now' }).click();
      await toast(/released 2 lessons/i).waitFor({ timeout: 20000 });
      await waitForMail(vera, title);
      await waitForMail(walt, title);
      const row = section.getByRole('table', { name: `Curriculum of ${cohort}` }).getByRole('row', { name: new RegExp(escapeRe(title)) });
      await row.getByText(/^To 2 members, /).waitFor();
      await cell(vera, 'released').waitFor();
    }],
    ['Vera answers the check-in from her sandbox mailbox; Walt replies “Done”', async () => {
      await replyAs(vera, title, veraText);
      await replyAs(walt, title, 'Done!');
    }],
    ['after “Check for replies” the grid shows Vera replied and Walt done, with the counts', async () => {
      await checkForReplies(page, /^Last checked /);
      await until(page, 'both check-ins are in the grid', () =>
        page.evaluate(async (name) => {
          const c = (await window.go.ui.CohortService.List(false)).find((x) => x.name === name);
          const g = await window.go.ui.ContentService.Progress(c.id);
          return g.members.map((m) => m.cells[0].state).sort().join() === 'done,replied';
        }, cohort),
      );
      await openCohort();
      await cell(vera, 'replied').waitFor();
      await cell(walt, 'done').waitFor();
      const foot = grid().locator('tfoot');
      await foot.getByRole('cell', { name: `${title}: 2 released` }).waitFor();
      await foot.getByRole('cell', { name: `${title}: 2 replied or done` }).waitFor();
      await foot.getByRole('cell', { name: `${title}: 1 done` }).waitFor();
      await grid().scrollIntoViewIfNeeded();
      mkdirSync(outDir, { recursive: true });
      await page.screenshot({ path: `${outDir}content-grid.png`, fullPage: false });
    }],
    ['a click on Vera’s cell opens her answer as text; “Mark complete” completes it', async () => {
      await cell(vera, 'replied').click();
      const d = dialog(`${vera.name} — ${title}`);
      const text = await d.getByTestId('checkin-text').textContent();
      if (text !== veraText) throw new Error(`her answer reads ${JSON.stringify(text)}, want ${JSON.stringify(veraText)}`);
      if (await d.locator('b').count()) throw new Error('her markup became HTML');
      await d.getByRole('button', { name: 'Mark complete' }).click();
      await toast(`${title}: marked complete for ${vera.name}`).waitFor();
      await d.getByTestId('checkin-state').getByText('Done').waitFor();
      await page.keyboard.press('Escape');
      await cell(vera, 'done').waitFor();
    }],
    ['Export CSV… saves the grid', async () => {
      const before = existsSync(dialogFile) ? readFileSync(dialogFile) : null;
      try {
        await main().getByRole('region', { name: 'Progress' }).getByRole('button', { name: 'Export CSV…' }).click();
        await toast(`Saved the progress to ${dialogFile}`).waitFor();
        const lines = readFileSync(dialogFile, 'utf8').trim().split('\n');
        if (lines[0] !== `name,email,${title},released,replied,done`) throw new Error(`header: ${lines[0]}`);
        for (const want of [`${vera.name},${vera.email},done,1,1,1`, `${walt.name},${walt.email},done,1,1,1`]) {
          if (!lines.includes(want)) throw new Error(`no line ${want} in:\n${lines.join('\n')}`);
        }
      } finally {
        if (before) writeFileSync(dialogFile, before);
      }
    }],
    ['editing the released lesson offers “send the correction”, off by default', async () => {
      await nav().getByRole('link', { name: 'Lessons' }).click();
      await main().getByRole('button', { name: `Edit lesson ${title}` }).click();
      const form = main().getByRole('form', { name: `Edit ${title}` });
      const correction = form.getByRole('checkbox', { name: /^Send the correction/ });
      if (await correction.isChecked()) throw new Error('“Send the correction” is on by default');
      await form.getByRole('button', { name: 'Cancel' }).click();
      await form.waitFor({ state: 'detached' });
    }],
  ];
}

// Alone: a fresh workspace with the sandbox on, then the steps.
if (import.meta.url === `file://${process.argv[1]}`) {
  const baseURL = process.argv[2];
  const { page, close } = await launch();
  page.setDefaultTimeout(10000);
  const problems = watchProblems(page);
  const main = () => page.getByRole('main');
  const dialog = (name) => page.getByRole('dialog', { name });
  const steps = [
    ['open the window with the sandbox on', async () => {
      await openApp(page, baseURL);
      await page.evaluate(() => window.go.ui.MailService.UseSandbox());
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => window.go && window.go.ui && window.go.ui.ContentService, null, { timeout: 20000 });
    }],
    ...contentSteps({ page, main, dialog }),
    ['no page errors', async () => {
      if (problems.length) throw new Error(problems.join('\n'));
    }],
  ];
  const { passed, failed } = await runSteps(page, steps, outDir);
  await close();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
