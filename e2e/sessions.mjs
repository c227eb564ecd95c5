// The live sessions scenario, run by run.mjs after the digest steps (mail goes
// to the sandbox): a cohort of two — Dana, who set her time zone to Tokyo, and
// Eli, who set none — a session planned in the window on Paris time, each
// invitation in the sandbox mailboxes giving the date as that member reads it
// (Dana's in Tokyo, Eli's in the session's zone), Dana accepting with a plain
// "yes" reply (the sandbox writes text replies, not iTIP ones), "Check for
// replies", the session showing her as coming, Eli's answer entered by hand,
// attendance ticked and a private note on Dana, her timeline with the session,
// her answer, her attendance and the note marked private. Then the session
// edited from the list (the update reaches Dana, in her zone) and the cohort's
// reminders (a day and an hour before unless changed).

import { checkForReplies, newCohortOf, until } from './browser.mjs';

const cohort = 'Evening Circle';
const title = 'Evening call';
const moved = 'Evening call (moved)';
const dana = { name: 'Dana Scully', first: 'Dana', email: 'dana.scully@example.com', timeZone: 'Asia/Tokyo' };
const eli = { name: 'Eli Wallach', first: 'Eli', email: 'eli.wallach@example.com', timeZone: '' };
const members = [dana, eli];
const noteText = 'Wants help pricing her first group programme.';

/** sessionSteps returns the steps, given the page and run.mjs's helpers. */
export function sessionSteps({ page, main, dialog }) {
  const nav = () => page.getByRole('navigation', { name: 'Main' });
  const toast = (text) => page.getByRole('status').getByText(text).last();
  const section = () => main().getByRole('region', { name: 'Live sessions' });

  async function openCohort() {
    await nav().getByRole('link', { name: /Cohorts/ }).click();
    await main().getByRole('heading', { level: 1, name: 'Cohorts' }).waitFor();
    await main().getByRole('link', { name: cohort }).click();
    await main().getByRole('heading', { level: 1, name: cohort }).waitFor();
    return section();
  }

  /** openSession opens a session of the cohort by its title and returns its attendees table. */
  async function openSession(name) {
    const s = await openCohort();
    const row = s.getByRole('list', { name: 'Sessions' }).getByRole('button', { name: new RegExp(`^${escapeRe(name)} `) });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    return { row, table: s.getByRole('table', { name: `Attendees of ${name}` }) };
  }

  /** waitForMail waits until the outbox has put a message with subject in a member's sandbox mailbox (polled from here: the mail goes out in the background). */
  async function waitForMail(m, subject) {
    for (let i = 0; i < 100; i++) {
      const subjects = await page.evaluate(async (address) => ((await window.go.ui.MailService.SandboxMessages(address)) ?? []).map((x) => x.subject), m.email);
      if (subjects.includes(subject)) return;
      await page.waitForTimeout(300);
    }
    const state = await page.evaluate(async () => [await window.go.ui.MailService.OutboxState(), await window.go.ui.SessionService.List({ cohortId: 0, clientId: 0 })]);
    throw new Error(`no “${subject}” in ${m.email}’s sandbox mailbox after 30 s; outbox and sessions: ${JSON.stringify(state)}`);
  }

  /** openMessage opens a member's sandbox copy with that subject; returns the message region and its mail frame. */
  async function openMessage(m, subject) {
    await waitForMail(m, subject);
    await nav().getByRole('link', { name: 'Sandbox mail' }).click();
    await main().getByRole('heading', { level: 1, name: 'Sandbox mail' }).waitFor();
    await main().getByRole('button', { name: 'Refresh' }).click();
    await main().getByRole('navigation', { name: 'Mailboxes' }).getByRole('link', { name: new RegExp(escapeRe(m.email)) }).click();
    await main().getByRole('region', { name: `Messages to ${m.email}` }).getByRole('link', { name: new RegExp(`^${escapeRe(subject)}`) }).first().click();
    const message = main().getByRole('region', { name: 'Message', exact: true });
    await message.getByRole('heading', { level: 2, name: subject }).waitFor();
    return { message, frame: page.frameLocator(`iframe[title="Message: ${subject}"]`) };
  }

  /** rowText is what the coach reads on a member's row of the attendees table. */
  async function rowText(table, m) {
    return ((await table.getByRole('row', { name: new RegExp(`^${m.name}`) }).textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  return [
    ['sessions: a cohort of two, Dana in Tokyo and Eli with no time zone', async () => {
      await newCohortOf(page, cohort, 'mastermind', members);
      await section().getByText('No session planned.', { exact: false }).waitFor();
    }],
    ['plan a session on Paris time; the list shows it with nobody answered yet', async () => {
      const s = section();
      await s.getByRole('button', { name: 'Plan a session' }).click();
      const form = s.getByRole('form', { name: 'Plan a session' });
      await form.getByLabel('Title').fill(title);
      await form.getByLabel('Starts').fill('2030-01-15T18:00');
      await form.getByLabel('Time zone').fill('Europe/Paris');
      await form.getByLabel('Minutes').fill('60');
      await form.getByLabel('Video link').fill('https://meet.example/evening');
      await form.getByRole('button', { name: 'Send invitations' }).click();
      await toast(`Planned “${title}”: 2 invitations on their way`).waitFor();
      const row = s.getByRole('list', { name: 'Sessions' }).getByRole('button', { name: new RegExp(`^${title} `) });
      await row.getByText(/15 Jan 2030,? 18:00 \(Europe\/Paris\), 60 min/).waitFor();
      await row.getByText('0 coming, 0 not, 0 maybe, 2 no answer').waitFor();
    }],
    ['Dana’s invitation gives the date on her clock in Tokyo; Eli’s on the session’s, in Paris', async () => {
      let { frame } = await openMessage(dana, `Invitation: ${title}`);
      await frame.getByText('Wednesday 16 January 2030, 02:00–03:00 (Asia/Tokyo)').waitFor();
      if (await frame.getByText('Europe/Paris').count()) throw new Error('Dana’s invitation also gives the Paris time');
      await frame.getByRole('link', { name: 'https://meet.example/evening' }).waitFor();
      ({ frame } = await openMessage(eli, `Invitation: ${title}`));
      await frame.getByText('Tuesday 15 January 2030, 18:00–19:00 (Europe/Paris)').waitFor();
    }],
    ['Dana answers “Yes” to the invitation from her sandbox mailbox; “Check for replies” records it', async () => {
      const { message } = await openMessage(dana, `Invitation: ${title}`);
      await message.getByRole('button', { name: `Reply as ${dana.first}` }).click();
      await message.getByLabel(`${dana.first}’s reply`).fill('Yes, I’ll be there!');
      await message.getByRole('button', { name: `Send as ${dana.first}` }).click();
      await toast(`Sent as ${dana.first} — check for replies to import it`).waitFor();
      await checkForReplies(page, /^Last checked /);
      // The answer is no reply to read: it lands on the session, not in Replies.
      await until(page, 'Dana’s answer is recorded', () => page.evaluate(async () => {
        const ss = await window.go.ui.SessionService.List({ cohortId: 0, clientId: 0 });
        return ss.some((s) => s.attendees.some((a) => a.email === 'dana.scully@example.com' && a.rsvp === 'accepted'));
      }));
    }],
    ['the session shows Dana coming, read from her reply, and Eli without an answer', async () => {
      const { row, table } = await openSession(title);
      await row.getByText('1 coming, 0 not, 0 maybe, 1 no answer').waitFor();
      const d = await rowText(table, dana);
      if (!d.includes('Coming (read from their reply)')) throw new Error(`Dana’s row reads “${d}”`);
      const e = await rowText(table, eli);
      if (!e.includes('No answer yet')) throw new Error(`Eli’s row reads “${e}”`);
    }],
    ['Eli told the coach in person he cannot come: his answer entered by hand', async () => {
      const { row, table } = await openSession(title);
      await table.getByLabel(`Answer ${eli.name} gave you`).selectOption({ label: 'Not coming' });
      await table.getByRole('row', { name: new RegExp(`^${eli.name}`) }).getByText('Not coming (entered by you)').waitFor();
      await row.getByText('1 coming, 1 not, 0 maybe, 0 no answer').waitFor();
    }],
    ['the coach ticks Dana’s attendance and keeps a private note on her', async () => {
      const { table } = await openSession(title);
      await table.getByRole('checkbox', { name: `${dana.name} came` }).check();
      await until(page, 'Dana’s attendance is saved', () => page.evaluate(async (name) => {
        const ss = await window.go.ui.SessionService.List({ cohortId: 0, clientId: 0 });
        return ss.some((s) => s.title === name && s.attendees.some((a) => a.email === 'dana.scully@example.com' && a.attended === true));
      }, title));
      if (!(await table.getByRole('checkbox', { name: `${dana.name} came` }).isChecked())) throw new Error('Dana’s attendance is not ticked');
      if (await table.getByRole('checkbox', { name: `${eli.name} came` }).isChecked()) throw new Error('Eli is marked as come');
      await table.getByRole('button', { name: `Private note on ${dana.name}` }).click();
      const form = section().getByRole('form', { name: `Private note on ${dana.name}` });
      await form.getByLabel(`Private note on ${dana.name} in this session`, { exact: false }).fill(noteText);
      await form.getByRole('button', { name: `Save note on ${dana.name}` }).click();
      await toast('Note saved (private: never sent)').waitFor();
      await table.getByRole('button', { name: `Private note on ${dana.name}` }).getByText('Edit note').waitFor();
    }],
    ['Dana’s timeline shows the session with her answer and attendance, and the note marked private', async () => {
      await openCohort();
      await main().getByRole('table', { name: `Members of ${cohort}` }).getByRole('link', { name: dana.name }).click();
      await main().getByRole('heading', { level: 1, name: dana.name }).waitFor();
      const events = main().getByRole('region', { name: 'Timeline' }).getByRole('list', { name: 'Timeline events' });
      const session = events.getByRole('listitem').filter({ hasText: 'Session' }).filter({ hasText: title });
      await session.getByText('Coming, came', { exact: false }).waitFor();
      const note = events.getByRole('listitem').filter({ hasText: noteText });
      await note.getByText('Private', { exact: true }).waitFor();
      if (await session.getByText('Private', { exact: true }).count()) throw new Error('the session itself is marked private');
    }],
    ['edit the session from the cohort’s list: the update reaches Dana, on her clock', async () => {
      await openSession(title);
      await section().getByRole('button', { name: 'Edit session' }).click();
      const form = section().getByRole('form', { name: 'Edit session' });
      if ((await form.getByLabel('Title').inputValue()) !== title) throw new Error('the form does not hold the session’s title');
      if ((await form.getByLabel('Starts').inputValue()) !== '2030-01-15T18:00') throw new Error('the form does not hold the start on Paris time');
      await form.getByLabel('Title').fill(moved);
      await form.getByLabel('Starts').fill('2030-01-15T19:00');
      await form.getByLabel('Minutes').fill('90');
      await form.getByLabel('Video link').fill('https://meet.example/evening-2');
      await form.getByRole('button', { name: 'Send the update' }).click();
      await toast(`Updated “${moved}”: the change is on its way to everyone invited`).waitFor();
      await form.waitFor({ state: 'detached' });
      const row = section().getByRole('list', { name: 'Sessions' }).getByRole('button', { name: new RegExp(`^${escapeRe(moved)} `) });
      await row.getByText(/15 Jan 2030,? 19:00 \(Europe\/Paris\), 90 min/).waitFor();
      const { frame } = await openMessage(dana, `Updated: ${moved}`);
      await frame.getByText('Wednesday 16 January 2030, 03:00–04:30 (Asia/Tokyo)').waitFor();
      await frame.getByText('This session has changed', { exact: false }).waitFor();
      await frame.getByRole('link', { name: 'https://meet.example/evening-2' }).waitFor();
    }],
    ['the cohort’s reminders: a day and an hour before; a change is kept', async () => {
      let s = await openCohort();
      const reminders = s.getByRole('group', { name: 'Reminders' });
      if (!(await reminders.getByRole('checkbox', { name: 'A day before' }).isChecked())) throw new Error('no reminder a day before by default');
      if (!(await reminders.getByRole('checkbox', { name: 'An hour before' }).isChecked())) throw new Error('no reminder an hour before by default');
      if (await reminders.getByRole('checkbox', { name: '15 minutes before' }).isChecked()) throw new Error('a reminder 15 minutes before by default');
      await reminders.getByRole('checkbox', { name: 'An hour before' }).uncheck();
      await toast('Reminders saved').waitFor();
      await reminders.getByRole('checkbox', { name: '15 minutes before' }).check();
      await until(page, 'the reminders are saved', () => page.evaluate(async () => {
        const cs = await window.go.ui.CohortService.List(false);
        const c = cs.find((x) => x.name === 'Evening Circle');
        return (await window.go.ui.SessionService.Reminders(c.id)).join() === '1440,15';
      }));
      // Away and back: the cohort's setting, not the window's memory.
      await nav().getByRole('link', { name: /Clients/ }).click();
      s = await openCohort();
      const again = s.getByRole('group', { name: 'Reminders' });
      await again.getByRole('checkbox', { name: 'A day before' }).waitFor();
      const on = [];
      for (const name of ['A week before', 'A day before', 'An hour before', '15 minutes before']) {
        if (await again.getByRole('checkbox', { name }).isChecked()) on.push(name);
      }
      if (on.join(', ') !== 'A day before, 15 minutes before') throw new Error(`reminders on: ${on.join(', ')}`);
    }],
  ];
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
