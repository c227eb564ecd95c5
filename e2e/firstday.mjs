// The coach's first day, without a stumble (issue 14): what a coach notices in the
// window's first hour, each checked as they would see it. Three groups, imported
// by run.mjs: shellSteps on the empty workspace, firstDaySteps after the mail
// steps (they seed their own clients and cohorts), quitSteps last of all.
import { existsSync, readFileSync } from 'node:fs';
import { until } from './browser.mjs';

const nav = (page) => page.getByRole('navigation', { name: 'Main' });

/** focused names the element that has focus: a field by its id, anything else by its label or text. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return '';
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) && el.id) return el.id;
    return el.getAttribute('aria-label') || el.textContent?.trim() || el.id || el.tagName;
  });
}

/** box is an element's bounding box, failing when it is not laid out. */
async function box(locator, what) {
  const b = await locator.boundingBox();
  if (!b) throw new Error(`${what} is not on screen`);
  return b;
}

function overlap(a, b) {
  return a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
}

/**
 * layoutProblems lists, inside the window, words broken across two lines (a
 * word whose text gives two boxes) and controls or headings that overlap one
 * another. Monospace header values (Message-IDs) may break: they have no words.
 */
async function layoutProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const shown = (el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('.sr-only,[aria-hidden=true]');
    };
    const walker = document.createTreeWalker(document.getElementById('app'), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !shown(el) || el.closest('.font-mono,pre,textarea,code,iframe')) continue;
      const re = /\S+/g;
      for (let m = re.exec(n.data); m; m = re.exec(n.data)) {
        const range = document.createRange();
        range.setStart(n, m.index);
        range.setEnd(n, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) problems.push(`“${m[0]}” breaks across lines in <${el.tagName.toLowerCase()} class="${el.className}">`);
      }
    }
    // What shows of an element: its box cut to every scrolling or clipping pane around it.
    const visibleRect = (el) => {
      let r = el.getBoundingClientRect();
      let [left, top, right, bottom] = [r.left, r.top, r.right, r.bottom];
      for (let p = el.parentElement; p; p = p.parentElement) {
        if (getComputedStyle(p).overflow === 'visible') continue;
        const c = p.getBoundingClientRect();
        [left, top, right, bottom] = [Math.max(left, c.left), Math.max(top, c.top), Math.min(right, c.right), Math.min(bottom, c.bottom)];
      }
      return right - left > 1 && bottom - top > 1 ? { left, top, right, bottom } : null;
    };
    const parts = [...document.querySelectorAll('#app button, #app a[href], #app input, #app select, #app h1, #app h2')]
      .filter(shown)
      .map((el) => [el, visibleRect(el)])
      .filter(([, r]) => r);
    for (let i = 0; i < parts.length; i++) {
      for (let j = i + 1; j < parts.length; j++) {
        const [a, ra] = parts[i];
        const [b, rb] = parts[j];
        if (a.contains(b) || b.contains(a)) continue;
        if (ra.left < rb.right - 0.5 && rb.left < ra.right - 0.5 && ra.top < rb.bottom - 0.5 && rb.top < ra.bottom - 0.5) {
          problems.push(`“${(a.textContent || a.id).trim().slice(0, 30)}” overlaps “${(b.textContent || b.id).trim().slice(0, 30)}”`);
        }
      }
    }
    return problems;
  });
}

/**
 * shellScrolled lists the boxes around the focused element that scrolled although
 * only panes (overflow auto or scroll) may: the window's frame, a clipped grid.
 */
async function shellScrolled(page) {
  return page.evaluate(() => {
    const out = [];
    for (let el = document.activeElement; el; el = el.parentElement) {
      const y = getComputedStyle(el).overflowY;
      const pane = (y === 'auto' || y === 'scroll') && el.tagName !== 'MAIN';
      if (el.scrollTop && !pane) out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> scrolled ${el.scrollTop}px`);
    }
    const scroller = document.scrollingElement;
    if (scroller?.scrollTop) out.push(`the page scrolled ${scroller.scrollTop}px`);
    return out;
  });
}

/** seed makes fourteen clients and the mastermind "Autumn Mastermind" (12 seats) through the bound methods. */
async function seed(page) {
  return page.evaluate(async () => {
    const { ClientService, CohortService } = window.go.ui;
    for (let i = 1; i <= 14; i++) {
      const n = String(i).padStart(2, '0');
      await ClientService.Create({ name: `Seat ${n}`, email: `seat${n}@example.com`, aliases: [], phone: '', timeZone: '', tags: [], status: 'active', goals: '', notes: '' });
    }
    const c = await CohortService.Create({ name: 'Autumn Mastermind', kind: 'mastermind', purpose: '', startDate: '', endDate: '', capacity: 12 });
    return c.id;
  });
}

/** shellSteps run on the empty workspace, right after it opened. */
export function shellSteps({ page, main, baseURL }) {
  return [
    ['the shell (sidebar and a skeleton list) paints before any script runs', async () => {
      // A page of its own, whose scripts never load: what shows is the HTML alone.
      const bare = await page.context().newPage();
      try {
        await bare.route('**/assets/*.js', (r) => r.abort());
        await bare.goto(baseURL, { waitUntil: 'domcontentloaded' });
        const shell = bare.getByTestId('shell');
        await shell.getByText('Roundtable', { exact: true }).waitFor();
        const side = await box(shell.locator('> div').first(), 'the sidebar');
        if (side.x !== 0 || side.width < 150 || side.height < 400) throw new Error(`sidebar at ${JSON.stringify(side)}, want a full-height column on the left`);
        if ((await shell.locator('.animate-pulse').count()) < 5) throw new Error('no skeleton rows');
      } finally {
        await bare.close();
      }
      // With its scripts, the app takes the shell's place.
      await main().getByRole('heading', { level: 1 }).first().waitFor();
      if ((await page.getByTestId('shell').count()) !== 0) throw new Error('the static shell stayed after the app started');
    }],
    ['Export is disabled while there is no client', async () => {
      await nav(page).getByRole('link', { name: /Clients/ }).click();
      await main().getByText('No clients yet').waitFor();
      const exp = main().getByRole('button', { name: 'Export CSV' });
      if (!(await exp.isDisabled())) throw new Error('Export CSV is enabled with no clients');
    }],
    ['the version reads as a version, in the sidebar and in About', async () => {
      const button = nav(page).getByRole('button', { name: /^About Roundtable / });
      const side = (await button.textContent())?.trim() ?? '';
      if (!/^Roundtable \d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/.test(side)) throw new Error(`sidebar shows "${side}", want "Roundtable 0.1.0-dev" or "Roundtable 0.1.0"`);
      await button.click();
      const v = (await page.getByRole('dialog', { name: 'About Roundtable' }).getByTestId('about-version').textContent())?.trim() ?? '';
      if (!/^\d+\.\d+\.\d+/.test(v) || v.startsWith('0.0.0')) throw new Error(`About shows "${v}", want a version such as 0.1.0-dev+12.gabc1234`);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'About Roundtable' }).waitFor({ state: 'detached' });
    }],
    ['the sidebar says when replies were last checked, and that it happens every 5 minutes', async () => {
      const line = nav(page).getByTestId('replies-checked');
      await line.getByText(/^(Replies checked (just now|\d+ min ago)|Replies not checked yet|Checking for replies…) · every 5 minutes$/).waitFor();
    }],
  ];
}

/** firstDaySteps need the sandbox (mail steps) and make their own clients and cohorts. */
export function firstDaySteps({ page, main, dialog }) {
  const state = { autumn: 0, post: 0 };
  return [
    ['New cohort opens on its Name field: typing (spaces too) lands there; Escape closes; focus goes back', async () => {
      state.autumn = await seed(page);
      await nav(page).getByRole('link', { name: /Cohorts/ }).click();
      const open = main().getByRole('button', { name: 'New cohort' }).first();
      await open.focus();
      await page.keyboard.press('Enter');
      const d = dialog('New cohort');
      await d.waitFor();
      if ((await focused(page)) !== 'cohort-name') throw new Error(`focus on "${await focused(page)}", want the Name field`);
      await page.keyboard.type('Winter Circle');
      if ((await d.getByLabel('Name').inputValue()) !== 'Winter Circle') throw new Error('the typed name did not land in the field');
      await page.keyboard.press('Escape');
      await d.waitFor({ state: 'detached' });
      if ((await focused(page)) !== 'New cohort') throw new Error(`focus went to "${await focused(page)}", want back on New cohort`);
    }],
    ['dates are typed in the locale’s order; the end date’s calendar opens on the start’s month, above the buttons, and closes on a pick', async () => {
      await main().getByRole('button', { name: 'New cohort' }).first().click();
      const d = dialog('New cohort');
      await d.getByLabel('Name').fill('Winter Circle');
      // en-GB: day, month, year.
      const start = d.getByRole('group', { name: 'Start date' });
      await start.getByRole('spinbutton').first().click();
      await page.keyboard.type('14032027');
      const startText = (await start.textContent())?.replace(/\s/g, '') ?? '';
      if (!startText.startsWith('14/03/2027')) throw new Error(`start date shows "${startText}", want 14/03/2027`);
      await d.getByRole('button', { name: 'Choose end date from a calendar' }).click();
      const cal = page.getByRole('application');
      await cal.waitFor();
      const heading = (await cal.locator('header > div').textContent())?.trim();
      if (heading !== 'March 2027') throw new Error(`the end date's calendar opens on "${heading}", want March 2027`);
      const create = d.getByRole('button', { name: 'Create cohort' });
      if (overlap(await box(cal, 'the calendar'), await box(create, 'Create cohort'))) throw new Error('the calendar covers the Create cohort button');
      await cal.locator('[data-bits-day]:not([data-outside-month])', { hasText: /^20$/ }).click();
      await cal.waitFor({ state: 'hidden' });
      const endText = (await d.getByRole('group', { name: 'End date' }).textContent())?.replace(/\s/g, '') ?? '';
      if (!endText.startsWith('20/03/2027')) throw new Error(`end date shows "${endText}", want 20/03/2027`);
      // Enter in a field submits.
      await d.getByLabel('Name').press('Enter');
      await main().getByRole('heading', { level: 1, name: 'Winter Circle' }).waitFor();
      await main().getByText(/14 Mar(ch)? 2027/).first().waitFor();
    }],
    ['Add members opens on the search; the seats count live and warn before adding, not after', async () => {
      await page.evaluate((id) => (location.hash = `#/cohorts/${id}`), state.autumn);
      await main().getByRole('heading', { level: 1, name: 'Autumn Mastermind' }).waitFor();
      await main().getByRole('button', { name: 'Add members' }).click();
      const d = dialog('Add members');
      await d.getByRole('checkbox', { name: /Seat 14/ }).waitFor();
      if ((await focused(page)) !== 'member-search') throw new Error(`focus on "${await focused(page)}", want the search`);
      const count = d.getByTestId('seat-count');
      for (let i = 1; i <= 12; i++) await d.getByRole('checkbox', { name: new RegExp(`Seat ${String(i).padStart(2, '0')}`) }).check();
      await count.getByText('12 chosen / 12 seats', { exact: true }).waitFor();
      if (await d.getByTestId('seat-warning').isVisible()) throw new Error('a warning with every seat taken but none over');
      await d.getByRole('checkbox', { name: /Seat 13/ }).check();
      await count.getByText('13 chosen / 12 seats', { exact: true }).waitFor();
      await d.getByTestId('seat-warning').getByText('That is 1 member more than the 12 seats of Autumn Mastermind.', { exact: false }).waitFor();
      // Warned before: nothing has been added yet.
      const members = await page.evaluate(async (id) => (await window.go.ui.CohortService.Get(id)).members, state.autumn);
      if (members !== 0) throw new Error(`${members} members already, want none before "Add"`);
      await d.getByLabel('Search clients').press('Enter');
      await d.waitFor({ state: 'detached' });
      await main().getByText('13 of 12 members').waitFor();
      await main().getByText('Over capacity').waitFor();
    }],
    ['a confirmation opens on its action: Escape cancels and gives focus back, Enter confirms', async () => {
      const remove = main().getByRole('button', { name: 'Remove Seat 13' });
      await remove.click();
      const confirm = page.getByRole('alertdialog', { name: 'Remove member' });
      await confirm.waitFor();
      if ((await focused(page)) !== 'Remove') throw new Error(`focus on "${await focused(page)}", want the Remove button`);
      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'detached' });
      if ((await focused(page)) !== 'Remove Seat 13') throw new Error(`focus went to "${await focused(page)}", want back on Remove Seat 13`);
      await page.keyboard.press('Enter');
      await confirm.waitFor();
      await page.keyboard.press('Enter');
      await confirm.waitFor({ state: 'detached' });
      await main().getByText('12 of 12 members').waitFor();
    }],
    ['Add to cohort (from the list) opens on its choice of cohort', async () => {
      await nav(page).getByRole('link', { name: /Clients/ }).click();
      const grid = main().getByRole('grid', { name: 'Clients' });
      await grid.getByRole('checkbox', { name: 'Select Ada Lovelace' }).click(); // the first row: a long list draws only what shows
      await main().getByRole('button', { name: /^Add to cohort/ }).click();
      const d = dialog('Add to cohort');
      await d.getByRole('radio').first().waitFor();
      await page.waitForFunction(() => document.activeElement?.getAttribute('type') === 'radio');
      await page.keyboard.press('Escape');
      await d.waitFor({ state: 'detached' });
      await main().getByRole('button', { name: 'Clear selection' }).click();
    }],
    ['Schedule opens on its date, typed day/month/year and hour:minute; Enter schedules', async () => {
      await page.evaluate((id) => (location.hash = `#/cohorts/${id}/compose`), state.autumn);
      await main().getByLabel('Subject').fill('Saturday walk');
      await main().getByLabel('Message (Markdown)').fill('Meet at ten.');
      await main().getByText('· Saved').waitFor();
      await main().getByRole('button', { name: 'Schedule…' }).click();
      const d = dialog('Schedule');
      const when = d.getByRole('group', { name: 'Send on' });
      await when.waitFor();
      const day = await page.evaluate(() => document.activeElement?.getAttribute('role'));
      if (day !== 'spinbutton' || !(await when.evaluate((g) => g.contains(document.activeElement)))) throw new Error('focus is not on the date to send on');
      await page.keyboard.type('01022030');
      await page.keyboard.type('0930');
      const text = (await when.textContent())?.replace(/\s/g, '') ?? '';
      if (!text.startsWith('01/02/2030,09:30')) throw new Error(`Send on shows "${text}", want 01/02/2030, 09:30`);
      await page.keyboard.press('Enter');
      await d.waitFor({ state: 'detached' });
      await page.getByRole('status').getByText(/^Scheduled for .*2030/).waitFor();
    }],
    ['Ctrl+, opens the settings; your name is saved in the sandbox and members see it as sender and {{coach_name}}', async () => {
      await page.keyboard.press('Control+Comma');
      await main().getByRole('heading', { level: 1, name: 'Your name' }).waitFor();
      await main().getByLabel('Your name as members see it').fill('Maya Okafor');
      await main().getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').getByText('Mail now goes out as Maya Okafor').waitFor();
      state.post = await page.evaluate(async (id) => {
        const { MailService } = window.go.ui;
        const p = await MailService.SaveDraft(0, { cohortId: id, subject: 'Friday check-in', body: 'See you Friday.\n\n{{coach_name}}', sendAt: null, sendNow: true });
        await MailService.Send(p.id);
        return p.id;
      }, state.autumn);
      // The open mailbox lists what was there when it opened: wait for the outbox first.
      await until(page, 'the check-in is in seat01’s sandbox mailbox', () =>
        page.evaluate(async () => ((await window.go.ui.MailService.SandboxMessages('seat01@example.com')) ?? []).some((m) => m.subject.includes('Friday check-in'))),
        30000,
      );
      await page.evaluate(() => (location.hash = '#/sandbox/seat01%40example.com'));
      const link = main().getByRole('region', { name: 'Messages to seat01@example.com' }).getByRole('link', { name: /Friday check-in/ });
      await link.waitFor({ timeout: 30000 });
      await link.click();
      const message = main().getByRole('region', { name: 'Message', exact: true });
      await message.getByText(/^Maya Okafor <coach@sandbox\.invalid>$|^"Maya Okafor" <coach@sandbox\.invalid>$/).waitFor();
      await page.frameLocator('iframe[title="Message: Friday check-in"]').getByText('Maya Okafor', { exact: true }).waitFor();
    }],
    ['at 1024×700 the sandbox is two panes; opening the answer box does not scroll the window', async () => {
      await page.setViewportSize({ width: 1024, height: 700 });
      const boxes = main().getByRole('navigation', { name: 'Mailboxes' });
      const list = main().getByRole('region', { name: 'Messages to seat01@example.com' });
      const message = main().getByRole('region', { name: 'Message', exact: true });
      const [b, l, m] = [await box(boxes, 'mailboxes'), await box(list, 'messages'), await box(message, 'message')];
      if (Math.abs(b.x - l.x) > 1 || l.y < b.y + b.height - 1) throw new Error(`mailboxes ${JSON.stringify(b)} and messages ${JSON.stringify(l)} should share the left pane, one above the other`);
      if (m.x < l.x + l.width - 1 || m.width < 420) throw new Error(`the message ${JSON.stringify(m)} should fill the right pane`);
      const side = await box(nav(page), 'the sidebar');
      const heading = await box(main().getByRole('heading', { level: 1, name: 'Sandbox mail' }), 'the heading');
      await message.getByRole('button', { name: /^Reply as / }).click();
      await message.getByRole('textbox').first().waitFor();
      const scrolled = await shellScrolled(page);
      if (scrolled.length) throw new Error(`opening the answer box scrolled the shell: ${scrolled.join('; ')}`);
      const side2 = await box(nav(page), 'the sidebar');
      const heading2 = await box(main().getByRole('heading', { level: 1, name: 'Sandbox mail' }), 'the heading');
      if (side2.y !== side.y || heading2.y !== heading.y) throw new Error(`the window moved: sidebar ${side.y}→${side2.y}, heading ${heading.y}→${heading2.y}`);
      // A long reply: the answer box opens below the fold, where focusing it scrolls.
      const lines = Array.from({ length: 40 }, (_, i) => `Point ${i + 1}: I will be there, with notes.`);
      await message.getByRole('textbox').first().fill(lines.join('\n\n'));
      await message.getByRole('button', { name: /^Send as / }).click();
      await page.getByRole('status').getByText(/^Sent as .* — check for replies to import it/).last().waitFor();
    }],
    ['at 1024×700 the coach’s answer box under a reply does not scroll the window', async () => {
      await page.evaluate(async () => {
        const { ConversationService } = window.go.ui;
        await ConversationService.Sync();
      });
      await page.evaluate(([c, p]) => (location.hash = `#/replies/${c}/${p}`), [state.autumn, state.post]);
      const conv = main().getByRole('region', { name: 'Conversation' });
      const reply = conv.getByRole('button', { name: /^Reply to Seat 01/ });
      await reply.waitFor({ timeout: 20000 });
      const heading = await box(main().getByRole('heading', { level: 1, name: 'Replies' }), 'the heading');
      await reply.click();
      await conv.getByRole('textbox', { name: /^Your answer to / }).waitFor();
      const scrolled = await shellScrolled(page);
      if (scrolled.length) throw new Error(`opening the answer box scrolled the shell: ${scrolled.join('; ')}`);
      const heading2 = await box(main().getByRole('heading', { level: 1, name: 'Replies' }), 'the heading');
      if (heading2.y !== heading.y) throw new Error(`the window moved: heading ${heading.y}→${heading2.y}`);
      await conv.getByRole('button', { name: 'Cancel' }).click();
    }],
    ['at 1024×700 nothing breaks mid-word or overlaps, in every area', async () => {
      const views = ['#/clients', `#/cohorts/${state.autumn}`, '#/cohorts', `#/cohorts/${state.autumn}/compose`, '#/outbox', '#/sandbox/seat01%40example.com', '#/replies', '#/unmatched', '#/settings/mail', '#/settings/profile'];
      const found = [];
      for (const v of views) {
        await page.evaluate((h) => (location.hash = h), v);
        await main().getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle').catch(() => {});
        for (const p of await layoutProblems(page)) found.push(`${v}: ${p}`);
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      if (found.length) throw new Error(found.slice(0, 15).join('\n'));
    }],
    ['keyboard: Down from the search enters the list with a visible ring on the row; Escape leaves the search', async () => {
      await nav(page).getByRole('link', { name: /Clients/ }).click();
      await page.keyboard.press('/');
      await page.keyboard.type('Seat');
      const grid = main().getByRole('grid', { name: 'Clients' });
      await main().getByText('14 matches', { exact: true }).waitFor();
      await grid.getByRole('row', { name: /Seat 01/ }).waitFor();
      await page.keyboard.press('ArrowDown');
      if ((await focused(page)) !== 'Clients') throw new Error(`focus on "${await focused(page)}", want the list`);
      const ring = await page.evaluate(() => {
        const grid = document.querySelector('[role=grid][aria-label=Clients]');
        const row = document.getElementById(grid.getAttribute('aria-activedescendant'));
        const s = getComputedStyle(row);
        return { width: parseFloat(s.outlineWidth), style: s.outlineStyle, color: s.outlineColor, text: row.textContent };
      });
      if (ring.width < 2 || ring.style === 'none' || /rgba\(0, 0, 0, 0\)|transparent/.test(ring.color) || !ring.text.includes('Seat 01')) {
        throw new Error(`the row in focus shows ${JSON.stringify(ring)}, want a 2px ring on Seat 01`);
      }
      await main().getByLabel('Search clients').focus();
      await page.keyboard.press('Escape');
      if ((await focused(page)) !== 'Clients') throw new Error(`Escape left focus on "${await focused(page)}", want the list`);
      await main().getByLabel('Search clients').fill('');
    }],
  ];
}

/** quitSteps end the app: Ctrl+Q quits, and the window's size and place are kept for the next start. */
export function quitSteps({ page, baseURL }) {
  return [
    ['Ctrl+Q quits the app, keeping the window’s size and place for the next start', async () => {
      await page.keyboard.press('Control+q');
      // Asked from here: once the app is gone the page cannot answer.
      await until(page, 'the app quits', () => fetch(baseURL, { cache: 'no-store' }).then(() => false, () => true), 15000);
      const work = process.env.ROUNDTABLE_E2E_WORKDIR;
      if (!work) return;
      const file = `${work}/config/roundtable/window.json`;
      if (!existsSync(file)) throw new Error(`no ${file} after quitting`);
      const g = JSON.parse(readFileSync(file, 'utf8'));
      if (!(g.width >= 400 && g.height >= 300)) throw new Error(`kept ${JSON.stringify(g)}, want the window's size`);
    }],
  ];
}
