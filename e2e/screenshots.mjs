// Seeds a demo workspace through the bound Go methods (clients, cohorts, a draft
// and an announcement sent into the sandbox, members' replies to it written in
// their sandbox mailboxes, one of them from an address Roundtable cannot place)
// and saves 1280x800 screenshots of the main screens in light and dark mode, for
// docs/screenshots.
// Usage (the app started with the same ROUNDTABLE_TEST_DIALOG_FILE, on a
// throwaway workspace):
//   ROUNDTABLE_TEST_DIALOG_FILE=/tmp/demo.csv node e2e/screenshots.mjs http://127.0.0.1:34115/ docs/screenshots
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launch, openApp } from './browser.mjs';

const [baseURL, outArg] = process.argv.slice(2);
const csvPath = process.env.ROUNDTABLE_TEST_DIALOG_FILE;
if (!baseURL || !outArg || !csvPath) {
  console.error('usage: ROUNDTABLE_TEST_DIALOG_FILE=/tmp/demo.csv node e2e/screenshots.mjs BASE_URL OUTDIR');
  process.exit(2);
}
const outDir = resolve(outArg);
mkdirSync(outDir, { recursive: true });

const first = ['Maya', 'Jonas', 'Priya', 'Tomás', 'Aiko', 'Lena', 'Samuel', 'Nadia', 'Oliver', 'Fatima', 'Henrik', 'Chloé', 'Ravi', 'Ingrid', 'Kwame', 'Sofia', 'Daniel', 'Yara', 'Marco', 'Elif'];
const last = ['Okafor', 'Berg', 'Raman', 'Silva', 'Tanaka', 'Fischer', 'Adeyemi', 'Haddad', 'Brennan', 'Nowak', 'Lindqvist', 'Moreau', 'Iyer', 'Dahl', 'Mensah', 'Rossi', 'Klein', 'Aziz', 'Conti', 'Demir'];
const tags = [['founder'], ['founder', 'saas'], ['coach'], ['agency'], ['author'], ['consultant', 'vip'], ['nonprofit'], ['saas']];
const zones = ['Europe/London', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Africa/Lagos', 'America/Sao_Paulo'];
const goals = [
  'Grow the practice to ten steady clients without working weekends.',
  'Ship the first paid course by the autumn.',
  'Hire a first team lead and step out of daily delivery.',
  'Write the book proposal and send it to three agents.',
];

const clients = Array.from({ length: 40 }, (_, i) => {
  const f = first[i % first.length];
  const l = last[(i * 7 + Math.floor(i / first.length) * 3) % last.length];
  return {
    name: `${f} ${l}`,
    email: `${f}.${l}`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '') + '@example.com',
    aliases: i === 0 ? ['maya@okafor-studio.example'] : [],
    phone: i % 3 === 0 ? `+44 20 7946 0${String(100 + i).slice(-3)}` : '',
    timeZone: zones[i % zones.length],
    tags: tags[i % tags.length],
    status: i % 11 === 5 ? 'paused' : i % 13 === 7 ? 'alumni' : 'active',
    goals: goals[i % goals.length],
    notes: i === 0 ? 'Prefers Thursday calls. Mentioned a possible move to Lisbon in spring; check in on how the launch went.' : '',
  };
});

const csv = [
  'First name,Last name,Email,Company,Tags,Notes',
  'Rosa,Delgado,rosa@delgado.example,Delgado & Co,"founder, vip",Met at the March retreat',
  'Ben,Achterberg,ben.achterberg@example.com,,coach,',
  'Mei,Lin,mei.lin@example.com,Lin Studio,author,Referred by Priya',
  'Omar,Haddad,omar@,Haddad Consulting,consultant,',
  'Maya,Okafor,maya.okafor@example.com,Okafor Studio,founder,',
  'Kai,Nakamura,kai@nakamura.example,,saas,Wants the autumn cohort',
  'Zoe,Martin,,Martin Design,,',
].join('\n') + '\n';
writeFileSync(csvPath, csv);

const { page, close } = await launch();
page.setDefaultTimeout(15000);
try {
  await openApp(page, baseURL);
  const cohortId = await page.evaluate(async (seed) => {
    const { ClientService, CohortService, WorkspaceService } = window.go.ui;
    const info = await WorkspaceService.Info();
    if (info.clients === 0) {
      for (const c of seed) await ClientService.Create(c);
    }
    const existing = await CohortService.List(false);
    const byName = Object.fromEntries(existing.map((c) => [c.name, c]));
    const make = async (input) => byName[input.name] ?? (await CohortService.Create(input));
    const spring = await make({ name: 'Spring Mastermind', kind: 'mastermind', purpose: 'Eight founders keeping each other honest about one bold goal for the season.', startDate: '2026-03-02', endDate: '2026-06-26', capacity: 12 });
    const lead = await make({ name: 'Leadership Circle', kind: 'group_coaching', purpose: 'Monthly group coaching for first-time team leads.', startDate: '2026-01-12', endDate: '', capacity: 20 });
    const writers = await make({ name: 'Writers’ Room', kind: 'micro_community', purpose: 'A small room for coaches writing their first book.', startDate: '', endDate: '', capacity: 0 });
    if (spring.members === 0) {
      const ids = (await ClientService.List({ query: '', tags: [], status: '', cohortId: 0, archived: false, sort: 'name', desc: false, offset: 0, limit: 40 })).rows.map((r) => r.id);
      await CohortService.AddMembers(spring.id, ids.slice(0, 10), 'member');
      await CohortService.SetRole(spring.id, ids[3], 'co_host');
      await CohortService.AddMembers(lead.id, ids.slice(8, 24), 'member');
      await CohortService.AddMembers(writers.id, ids.slice(20, 27), 'member');
    }
    return spring.id;
  }, clients);
  const clientId = await page.evaluate(async () => {
    const rows = (await window.go.ui.ClientService.List({ query: 'Maya Okafor', tags: [], status: '', cohortId: 0, archived: false, sort: 'name', desc: false, offset: 0, limit: 1 })).rows;
    return rows[0].id;
  });

  // Mail: a draft open in the editor, and an announcement sent into the sandbox.
  const mail = await page.evaluate(async (cohortId) => {
    const { MailService } = window.go.ui;
    const posts = await MailService.Posts(cohortId);
    let draft = posts.find((p) => p.status === 'draft');
    let sent = posts.find((p) => p.status !== 'draft');
    if (!sent) {
      const p = await MailService.SaveDraft(0, {
        cohortId,
        subject: 'Welcome to the Spring Mastermind',
        body: 'Hello {{first_name}},\n\nWe start on **Monday 2 March**. Before then, reply to this email with the one goal you want to reach by June.\n\n{{coach_name}}\n',
      });
      sent = await MailService.Send(p.id);
    }
    if (!draft) {
      draft = await MailService.SaveDraft(0, {
        cohortId,
        subject: 'Week 3: what got in the way?',
        body: 'Hi {{first_name}},\n\nHalfway through the month, a quick check-in for **{{cohort}}**:\n\n- What moved forward since our last call?\n- What got in the way?\n- What is the *one* thing you will do before Friday?\n\nHit reply and tell the group; I will gather the answers in Friday’s digest.\n\n{{coach_name}}\n',
      });
    }
    // Wait until the sandbox has every copy.
    for (let i = 0; i < 100; i++) {
      const counts = (await MailService.Posts(cohortId)).find((p) => p.id === sent.id)?.counts ?? {};
      if (!counts.queued && !counts.sending) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const boxes = await MailService.SandboxMailboxes();
    const box = boxes.find((b) => b.address.startsWith('maya')) ?? boxes[0];
    const messages = await MailService.SandboxMessages(box.address);
    return { draftId: draft.id, sentId: sent.id, address: box.address, messageId: messages[0].id };
  }, cohortId);

  // Replies: three members answer from their sandbox mailboxes; a fourth writes
  // from an address the coach has since replaced, which lands in the unmatched queue.
  await page.evaluate(async ({ cohortId, sentId }) => {
    const { MailService, ConversationService, ClientService } = window.go.ui;
    const convs = await ConversationService.Conversations(cohortId);
    if (convs.some((c) => (c.replies ?? []).length) || (await ConversationService.Unmatched()).length) return;
    const texts = [
      'Thanks! My one goal: sign three new retainer clients by June, so I can stop taking one-off projects.\n\nSee you Monday,',
      'Mine is to ship the first paid course by the end of May.\n\nHonest worry: I keep rewriting module one. Accountability welcome!',
      'Goal: hire a first team lead and take two full weeks off in August without the phone.',
    ];
    const boxes = await MailService.SandboxMailboxes();
    const post = (await MailService.Posts(cohortId)).find((p) => p.id === sentId);
    const memberBoxes = [];
    for (const b of boxes) {
      const ms = await MailService.SandboxMessages(b.address);
      const m = ms.find((x) => x.subject === post.subject);
      if (m) memberBoxes.push({ address: b.address, id: m.id });
    }
    for (let i = 0; i < texts.length && i < memberBoxes.length; i++) {
      const first = memberBoxes[i].address.split(/[.@]/)[0];
      await ConversationService.SandboxReply(memberBoxes[i].address, memberBoxes[i].id, `${texts[i]}\n${first[0].toUpperCase()}${first.slice(1)}`, '');
    }
    const moved = memberBoxes[texts.length];
    if (moved) {
      const row = (await ClientService.List({ query: moved.address, tags: [], status: '', cohortId: 0, archived: false, sort: 'name', desc: false, offset: 0, limit: 1 })).rows[0];
      const c = (await ClientService.Get(row.id)).client;
      await ClientService.Update(c.id, { name: c.name, email: 'new-' + c.email, aliases: c.aliases ?? [], phone: c.phone, timeZone: c.timeZone, tags: c.tags ?? [], status: c.status, goals: c.goals, notes: c.notes });
      await ConversationService.SandboxReply(moved.address, moved.id, 'Writing from my old address, sorry! Count me in for Monday.\n\n' + c.name.split(' ')[0], '');
    }
    await ConversationService.Sync();
  }, { cohortId, sentId: mail.sentId });

  const main = page.getByRole('main');
  const shots = [
    ['clients', async () => {
      await page.goto(new URL('#/clients', baseURL).href);
      await page.reload();
      await main.getByRole('grid', { name: 'Clients' }).getByRole('row', { name: /Maya Okafor/ }).waitFor();
      const grid = main.getByRole('grid', { name: 'Clients' });
      for (const n of ['Aiko', 'Chloé', 'Daniel']) {
        await grid.getByRole('checkbox', { name: new RegExp(`^Select ${n}`) }).first().click();
      }
      await main.getByText('3 selected').waitFor();
    }],
    ['cohort', async () => {
      await page.goto(new URL(`#/cohorts/${cohortId}`, baseURL).href);
      await main.getByRole('table', { name: /Members of/ }).waitFor();
    }],
    ['import-preview', async () => {
      await page.goto(new URL('#/clients', baseURL).href);
      await main.getByRole('button', { name: 'Import CSV…' }).click();
      await page.getByRole('dialog', { name: 'Import clients' }).getByText('Line 5').waitFor();
    }],
    ['client', async () => {
      await page.goto(new URL(`#/clients/${clientId}`, baseURL).href);
      await main.getByRole('heading', { level: 2, name: 'Private notes' }).waitFor();
    }],
    ['compose', async () => {
      await page.goto(new URL(`#/cohorts/${cohortId}/compose/${mail.draftId}`, baseURL).href);
      await page.frameLocator('iframe[title^="Preview of the message to"]').getByText(/^Hi /).waitFor();
    }],
    ['outbox', async () => {
      await page.goto(new URL(`#/outbox/${mail.sentId}`, baseURL).href);
      await main.getByRole('table', { name: /^Recipients of/ }).waitFor();
    }],
    ['sandbox-message', async () => {
      await page.goto(new URL(`#/sandbox/${encodeURIComponent(mail.address)}/${mail.messageId}`, baseURL).href);
      await page.frameLocator('iframe[title^="Message:"]').getByText(/^Hello /).waitFor();
    }],
    ['replies', async () => {
      await page.goto(new URL(`#/replies/${cohortId}/${mail.sentId}`, baseURL).href);
      const conv = main.getByRole('region', { name: 'Conversation' });
      await conv.getByTestId('reply-text').first().waitFor();
      await conv.getByText('Show quoted text').first().click();
    }],
    ['digest-preview', async () => {
      await page.goto(new URL(`#/cohorts/${cohortId}/digest`, baseURL).href);
      await page.frameLocator('iframe[title^="Digest for"]').getByRole('link', { name: /^Reply to / }).first().waitFor();
    }],
    ['unmatched', async () => {
      await page.goto(new URL('#/unmatched', baseURL).href);
      await main.getByRole('list', { name: 'Unmatched replies' }).getByRole('article').first().waitFor();
    }],
    ['mail-account', async () => {
      await page.goto(new URL('#/settings/mail', baseURL).href);
      await main.getByRole('button', { name: 'Gmail' }).click();
      await main.getByRole('note', { name: 'Gmail note' }).waitFor();
    }],
    ['mail-incoming', async () => {
      await page.goto(new URL('#/settings/mail', baseURL).href);
      await main.getByRole('button', { name: 'Fastmail' }).click();
      await main.getByRole('form', { name: 'Incoming mail (IMAP)' }).scrollIntoViewIfNeeded();
    }],
  ];

  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, show] of shots) {
      await page.keyboard.press('Escape').catch(() => {});
      await show();
      await page.mouse.move(0, 799);
      await page.waitForTimeout(300);
      const file = join(outDir, `${name}-${scheme}.png`);
      await page.screenshot({ path: file });
      console.log(`saved ${file}`);
      await page.keyboard.press('Escape').catch(() => {});
    }
  }
} catch (err) {
  console.error(`screenshots failed: ${err.message}`);
  await close();
  process.exit(1);
}
await close();
