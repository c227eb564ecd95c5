// End-to-end scenario against the real Go backend (a dev build serving the
// frontend and the Wails websocket): clients and cohorts here, then the mail
// steps of mail.mjs and the replies steps of replies.mjs. Usage:
//   ROUNDTABLE_TEST_DIALOG_FILE=/tmp/x.csv node e2e/run.mjs http://127.0.0.1:34115/
// The app must have been started with the same ROUNDTABLE_TEST_DIALOG_FILE: its
// file dialogs answer with that path. Prints a line per step and
// "N passed, M failed"; exits non-zero on failure; screenshots go to e2e/out/.
import { readFileSync, writeFileSync } from 'node:fs';
import { launch, openApp, runSteps, watchProblems } from './browser.mjs';
import { shellSteps, firstDaySteps, quitSteps } from './firstday.mjs';
import { mailSteps } from './mail.mjs';
import { repliesSteps } from './replies.mjs';
import { passwordSteps } from './passwords.mjs';
import { demoSteps, restoreSteps } from './demo.mjs';
import { digestSteps } from './digests.mjs';
import { sessionSteps } from './sessions.mjs';
import { homeSteps } from './home.mjs';
import { searchSteps } from './search.mjs';
import { contentSteps } from './content.mjs';

const baseURL = process.argv[2];
const csvPath = process.env.ROUNDTABLE_TEST_DIALOG_FILE;
if (!baseURL || !csvPath) {
  console.error('usage: ROUNDTABLE_TEST_DIALOG_FILE=/tmp/clients.csv node e2e/run.mjs BASE_URL');
  process.exit(2);
}
const outDir = new URL('./out/', import.meta.url).pathname;

// Line 1 is the header; line 6 has no valid email and must be rejected.
const csv = [
  'Name,Email,Tags,Status',
  'Ada Lovelace,ada@example.com,"math, pioneers",active',
  'Alan Turing,alan@example.com,math,active',
  'Barbara Liskov,barbara@example.com,cs,active',
  'Grace Hopper,grace@example.com,navy,active',
  'Nobody Valid,not-an-email,,active',
  'Katherine Johnson,katherine@example.com,nasa,active',
  'Margaret Hamilton,margaret@example.com,nasa,paused',
  'Edsger Dijkstra,edsger@example.com,cs,alumni',
].join('\n') + '\n';

const { page, close } = await launch();
page.setDefaultTimeout(10000);
const problems = watchProblems(page);

const main = () => page.getByRole('main');
const dialog = (name) => page.getByRole('dialog', { name });

// The demo's two steps (open it, go back) hold the home screen's between them:
// the demo is the seeded workspace the home screen is checked on.
const [openDemo, backFromDemo] = demoSteps({ page, main, baseURL });

const steps = [
  ['an empty workspace opens on the welcome: three steps, the kinds with advice, the sandbox', async () => {
    await openApp(page, baseURL);
    await main().getByRole('heading', { level: 1, name: 'Welcome to Roundtable' }).waitFor();
    const steps = main().getByRole('list', { name: 'First steps' });
    for (const h of ['1. Add your clients', '2. Create a cohort', '3. Write the first announcement']) await steps.getByRole('heading', { name: h }).waitFor();
    await steps.getByText('works best with 8 to 16 members').waitFor();
    await main().getByRole('note', { name: 'The sandbox' }).waitFor();
    await main().getByRole('button', { name: 'Look around in a demo workspace' }).waitFor();
  }],
  ['the window loads and reaches the Go services', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Clients/ }).click();
    await main().getByRole('heading', { level: 1, name: 'Clients' }).waitFor();
    await main().getByText('No clients yet').waitFor();
  }],
  ['About shows the version', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^About Roundtable / }).click();
    const about = dialog('About Roundtable');
    const v = (await about.getByTestId('about-version').textContent())?.trim() ?? '';
    if (!v) throw new Error('no version in About');
    await page.keyboard.press('Escape');
  }],
  ['the sidebar shows the workspace file', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: /Clients/ }).waitFor();
    await nav.getByRole('button', { name: /^Workspace file: .+/ }).waitFor();
  }],
  ...shellSteps({ page, main, baseURL }),
  ['create the cohort "Spring Mastermind" (mastermind, capacity 12)', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Cohorts/ }).click();
    await main().getByRole('heading', { level: 1, name: 'Cohorts' }).waitFor();
    await main().getByRole('button', { name: 'New cohort' }).first().click();
    const d = dialog('New cohort');
    await d.getByLabel('Name').fill('Spring Mastermind');
    await d.getByLabel('Kind').selectOption('mastermind');
    await d.getByLabel('Capacity').fill('12');
    await d.getByRole('button', { name: 'Create cohort' }).click();
    await main().getByRole('heading', { level: 1, name: 'Spring Mastermind' }).waitFor();
  }],
  ['"/" focuses the search box on the clients list', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Clients/ }).click();
    await main().getByRole('heading', { level: 1, name: 'Clients' }).waitFor();
    await page.keyboard.press('/');
    const focused = await page.evaluate(() => document.activeElement?.id);
    if (focused !== 'client-search') throw new Error(`focus is on #${focused}, want #client-search`);
    await page.keyboard.press('Escape');
  }],
  ['the import preview shows the rows and the rejected line', async () => {
    writeFileSync(csvPath, csv);
    await main().getByRole('button', { name: 'Import CSV…' }).click();
    const d = dialog('Import clients');
    await d.getByText('7 clients', { exact: false }).first().waitFor();
    const sample = d.getByRole('table', { name: 'Sample of the clients to import' });
    await sample.getByRole('cell', { name: 'Ada Lovelace' }).waitFor();
    await sample.getByRole('cell', { name: 'Edsger Dijkstra' }).waitFor();
    // Beside each column of the file, a value from it.
    await d.getByRole('table', { name: 'Columns of the file and the client fields they fill' }).getByRole('row', { name: /Email ada@example\.com/ }).waitFor();
    await d.getByText('Line 6').waitFor();
    await d.getByText('1 row will be skipped').first().waitFor();
    const field = await d.getByLabel('Field for column Email').inputValue();
    if (field !== 'email') throw new Error(`column Email maps to "${field}", want "email"`);
    // Nobody is in the workspace yet: no choice about clients already in it.
    if (await d.getByText('Clients already in your workspace').count()) throw new Error('the duplicate choice shows on an empty workspace');
  }],
  ['import the file', async () => {
    await dialog('Import clients').getByRole('button', { name: 'Import 7 clients' }).click();
    const done = dialog('Import finished');
    await done.getByText('Imported', { exact: true }).waitFor();
    const imported = await done.locator('dd').first().textContent();
    if (imported?.trim() !== '7') throw new Error(`imported ${imported}, want 7`);
    // The skipped row can be copied, or saved with the header to fix and import again.
    await done.getByRole('button', { name: 'Copy rows' }).click();
    await page.getByRole('status').getByText('Copied 1 row to fix').waitFor();
    await done.getByRole('button', { name: 'Save rows to fix…' }).click();
    await page.getByRole('status').getByText(`Saved 1 row to fix in ${csvPath}`).waitFor();
    const toFix = readFileSync(csvPath, 'utf8').trim().split('\n');
    if (toFix.length !== 2 || !toFix[0].endsWith(',Why it was skipped') || !toFix[1].includes('Line 6: ')) {
      throw new Error(`rows to fix:\n${toFix.join('\n')}`);
    }
    writeFileSync(csvPath, csv);
    await done.getByRole('button', { name: 'Done' }).click();
    await done.waitFor({ state: 'detached' });
  }],
  ['the imported clients are in the list', async () => {
    const grid = main().getByRole('grid', { name: 'Clients' });
    await grid.getByRole('row', { name: /Ada Lovelace/ }).waitFor();
    await grid.getByRole('row', { name: /Margaret Hamilton/ }).waitFor();
    await main().getByText('7 clients').waitFor();
  }],
  ['Ctrl+I on the clients list opens the CSV import', async () => {
    await main().getByRole('grid', { name: 'Clients' }).focus();
    await page.keyboard.press('Control+i');
    await dialog('Import clients').getByRole('table', { name: 'Sample of the clients to import' }).getByRole('cell', { name: 'Ada Lovelace' }).waitFor();
    // All seven are clients now: the choice for them is offered, merge named as such.
    await dialog('Import clients').getByRole('radio', { name: /Merge/ }).waitFor();
    await page.keyboard.press('Escape');
    await dialog('Import clients').waitFor({ state: 'detached' });
  }],
  ['search finds one client', async () => {
    await main().getByLabel('Search clients').fill('Hopper');
    await main().getByText('1 match', { exact: true }).waitFor();
    const grid = main().getByRole('grid', { name: 'Clients' });
    await grid.getByRole('row', { name: /Grace Hopper/ }).waitFor();
    if (await grid.getByRole('row', { name: /Ada Lovelace/ }).count()) throw new Error('Ada Lovelace still listed');
    await main().getByLabel('Search clients').fill('');
    await main().getByText('7 clients').waitFor();
  }],
  ['select three clients (click, then shift-click)', async () => {
    const grid = main().getByRole('grid', { name: 'Clients' });
    await grid.getByRole('checkbox', { name: 'Select Ada Lovelace' }).click();
    await grid.getByRole('checkbox', { name: 'Select Barbara Liskov' }).click({ modifiers: ['Shift'] });
    await main().getByRole('toolbar', { name: 'Selected clients' }).getByText('3 selected').waitFor();
    for (const name of ['Ada Lovelace', 'Alan Turing', 'Barbara Liskov']) {
      if (!(await grid.getByRole('checkbox', { name: `Select ${name}` }).isChecked())) throw new Error(`${name} is not selected`);
    }
  }],
  ['add the three to Spring Mastermind', async () => {
    await main().getByRole('button', { name: 'Add to cohort…' }).click();
    const d = dialog('Add to cohort');
    await d.getByRole('radio', { name: /Spring Mastermind/ }).check();
    await d.getByRole('button', { name: 'Add 3 clients' }).click();
    await page.getByRole('status').getByText('Added 3 to Spring Mastermind').waitFor();
  }],
  ['the cohort shows the three members, the count and the size advice', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Cohorts/ }).click();
    await main().getByRole('link', { name: 'Spring Mastermind' }).click();
    await main().getByRole('heading', { level: 1, name: 'Spring Mastermind' }).waitFor();
    const roster = main().getByRole('table', { name: 'Members of Spring Mastermind' });
    for (const name of ['Ada Lovelace', 'Alan Turing', 'Barbara Liskov']) await roster.getByRole('link', { name }).waitFor();
    const rows = await roster.getByRole('row').count();
    if (rows !== 4) throw new Error(`roster has ${rows - 1} members, want 3`);
    const meter = main().getByRole('meter', { name: 'Members' });
    const now = await meter.getAttribute('aria-valuenow');
    if (now !== '3') throw new Error(`meter shows ${now}, want 3`);
    await main().getByText('3 of 12 members').waitFor();
    await main().getByRole('note').getByText(/Masterminds work best with 8 to 16 members/).waitFor();
  }],
  ['remove a member after confirming; past members can be shown', async () => {
    await main().getByRole('button', { name: 'Remove Barbara Liskov' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Remove member' });
    await confirm.getByText('Remove Barbara Liskov from Spring Mastermind? Their history stays.').waitFor();
    await confirm.getByRole('button', { name: 'Remove' }).click();
    const roster = main().getByRole('table', { name: 'Members of Spring Mastermind' });
    await roster.getByRole('link', { name: 'Barbara Liskov' }).waitFor({ state: 'detached' });
    await main().getByText('2 of 12 members').waitFor();
    await main().getByLabel('Show past members').check();
    await roster.getByRole('link', { name: 'Barbara Liskov' }).waitFor();
  }],
  ['the list is keyboard reachable: arrows move, Enter opens a client', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Clients/ }).click();
    const grid = main().getByRole('grid', { name: 'Clients' });
    await grid.getByRole('row', { name: /Ada Lovelace/ }).waitFor();
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await main().getByRole('heading', { level: 1, name: 'Alan Turing' }).waitFor();
    await main().getByRole('link', { name: 'Spring Mastermind' }).waitFor();
  }],
  ['the client form shows the Go sentence under the email field', async () => {
    await main().getByRole('button', { name: 'Edit' }).click();
    const d = dialog('Edit Alan Turing');
    await d.getByLabel('Email').fill('alan@');
    await d.getByRole('button', { name: 'Save changes' }).click();
    await d.getByRole('alert').getByText('"alan@" is not an email address.').waitFor();
    if ((await d.getByLabel('Email').getAttribute('aria-invalid')) !== 'true') throw new Error('email field not marked invalid');
    await page.keyboard.press('Escape');
    await d.waitFor({ state: 'detached' });
  }],
  ...mailSteps({ page, main, dialog }),
  ...repliesSteps({ page, main, dialog }),
  ...passwordSteps({ page, main, dialog }),
  ...digestSteps({ page, main, dialog }),
  ...sessionSteps({ page, main, dialog }),
  ...searchSteps({ page, main, dialog }),
  ...contentSteps({ page, main, dialog }),
  ...firstDaySteps({ page, main, dialog }),
  // Last: the app restarts itself, on a restored backup, then on another file
  // (the demo, where the home screen's steps run).
  ...restoreSteps({ page, main, baseURL }),
  openDemo,
  ...homeSteps({ page, main, outDir }),
  backFromDemo,
  ['no page errors or Content-Security-Policy violations', async () => {
    if (problems.length) throw new Error(problems.join('\n'));
  }],
  // The very last: the app ends.
  ...quitSteps({ page, baseURL }),
];

const { passed, failed } = await runSteps(page, steps, outDir);
await close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
