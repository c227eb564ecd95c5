// The replies scenario, run by run.mjs after the mail steps (it uses the cohort
// "Summer Circle" and the announcement they sent into the sandbox): the incoming
// mail section of the account page, a member answering from her sandbox mailbox
// ("Reply as"), "Check for replies", the conversation with the reply trimmed and
// shown as text, who has and has not replied, the coach's answer through the
// outbox — and hostile replies, as text and as HTML, that must stay inert in the
// conversation and in the mail frame. From the moment the steps are built (before
// the first step of the run) every request the page makes, in any frame, is
// watched: none may leave for a host other than this computer. A click on a link
// in member mail asks the system browser: the app (started with
// ROUNDTABLE_TEST_OPENED_URLS, see scripts/e2e.sh) records the call in that file
// instead of opening a browser.
import { existsSync, readFileSync } from 'node:fs';
import { sandboxRefusedPopup, checkForReplies as checkRepliesOf, until } from './browser.mjs';

const subject = 'Week one: your first bold goal';
const graceText = 'My goal: ship it by March.\n\nGrace';
const answerText = 'March it is. Tell us on Friday what the first step will be.';
const hostile = '<script>window.__pwned=1</script><img src="https://evil.example/x.png" onerror="window.__pwned=2"> [click](javascript:window.__pwned=3) <b>bold</b>';
// What an attacker's mail app could send as HTML: every way to run script, load
// something or move the window that a mail viewer has had to close.
const planURL = 'https://example.com/week-one';
const hostileHTML = [
  '<html><head><base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/refresh">',
  '<style>p { background: url(https://evil.example/css.png) } @import url(https://evil.example/import.css);</style>',
  '<link rel="stylesheet" href="https://evil.example/link.css">',
  '<script>window.__pwned = 1; document.title = "pwned"; fetch("https://evil.example/script")</script></head>',
  '<body onload="window.__pwned = 4">',
  '<p>Week one done: <b>bold</b> progress.</p>',
  '<img src="https://evil.example/pixel.png" onerror="window.__pwned = 2" width="1" height="1">',
  '<div style="background-image: url(https://evil.example/bg.png)">styled block</div>',
  '<svg onload="window.__pwned = 5"><image href="https://evil.example/svg.png"/></svg>',
  '<iframe src="https://evil.example/frame"></iframe>',
  '<form action="https://evil.example/form"><input name="q"><button>go</button></form>',
  '<p><a href="javascript:window.__pwned = 3">js link</a> and <a href="' + planURL + '" target="_top">our plan</a></p>',
  '<p>The plan is at ' + planURL + ' too.</p>',
  '</body></html>',
].join('\n');
const openedFile = process.env.ROUNDTABLE_TEST_OPENED_URLS;

/** opened returns the links the app was asked to open in the system browser. */
function opened() {
  if (!openedFile) throw new Error('ROUNDTABLE_TEST_OPENED_URLS is not set: run through scripts/e2e.sh');
  return existsSync(openedFile) ? readFileSync(openedFile, 'utf8').split('\n').filter(Boolean) : [];
}

/** repliesSteps returns the steps, given the page and run.mjs's helpers. */
export function repliesSteps({ page, main }) {
  const nav = () => page.getByRole('navigation', { name: 'Main' });
  const remote = [];
  page.on('request', (req) => {
    let u;
    try {
      u = new URL(req.url());
    } catch {
      return;
    }
    if (!['http:', 'https:', 'ws:', 'wss:', 'ftp:'].includes(u.protocol)) return; // data:, blob:, about:
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) remote.push(req.url());
  });

  const outboxTotal = () =>
    page.evaluate(async () => Object.values((await window.go.ui.MailService.OutboxState()).counts ?? {}).reduce((a, b) => a + b, 0));

  /** replyAs opens a member's copy of the announcement in the sandbox and answers it as them (in HTML with asHTML). */
  async function replyAs(address, name, text, from = '', asHTML = false) {
    await nav().getByRole('link', { name: 'Sandbox mail' }).click();
    await main().getByRole('heading', { level: 1, name: 'Sandbox mail' }).waitFor();
    await main().getByRole('navigation', { name: 'Mailboxes' }).getByRole('link', { name: new RegExp(address.replace('.', '\\.')) }).click();
    await main().getByRole('region', { name: `Messages to ${address}` }).getByRole('link', { name: new RegExp(`^${subject}`) }).click();
    const message = main().getByRole('region', { name: 'Message', exact: true });
    await message.getByRole('heading', { level: 2, name: subject }).waitFor();
    await message.getByRole('button', { name: `Reply as ${name}` }).click();
    await message.getByLabel(`${name}’s reply`).fill(text);
    if (from) await message.getByLabel('Send from another address (optional)').fill(from);
    if (asHTML) await message.getByLabel(/The reply is HTML/).check();
    await message.getByRole('button', { name: `Send as ${name}` }).click();
    // .last(): an earlier toast for the same member may still be showing.
    await page.getByRole('status').getByText(`Sent as ${name} — check for replies to import it`).last().waitFor();
  }

  /** checkForReplies runs a sync from the unmatched page and waits for its status line. */
  const checkForReplies = (want) => checkRepliesOf(page, want);

  /** openConversation opens Summer Circle's conversation about the announcement. */
  async function openConversation() {
    await nav().getByRole('link', { name: /^Replies/ }).click();
    await main().getByRole('heading', { level: 1, name: 'Replies' }).waitFor();
    await main().getByRole('navigation', { name: 'Cohorts' }).getByRole('link', { name: /^Summer Circle/ }).click();
    await main().getByRole('navigation', { name: 'Announcements to Summer Circle' }).getByRole('link', { name: new RegExp(`^${subject}`) }).click();
    const conv = main().getByRole('region', { name: 'Conversation' });
    await conv.getByRole('heading', { level: 2, name: subject }).waitFor();
    return conv;
  }

  const replyCard = (conv, name) => conv.getByRole('article', { name: new RegExp(`^${name}`) });

  return [
    ['the mail account page has the incoming mail section; a preset fills the IMAP server', async () => {
      await page.evaluate(() => document.addEventListener('securitypolicyviolation', (e) => (window.__csp = [...(window.__csp ?? []), e.violatedDirective + ' ' + e.blockedURI])));
      await nav().getByRole('link', { name: 'Mail account', exact: true }).click();
      const form = main().getByRole('form', { name: 'Incoming mail (IMAP)' });
      await form.getByRole('note', { name: 'Replies in the sandbox' }).getByText(/no incoming account is needed/).waitFor();
      await main().getByRole('button', { name: 'Fastmail' }).click();
      const host = await form.getByLabel('IMAP server').inputValue();
      if (host !== 'imap.fastmail.com') throw new Error(`IMAP host is "${host}", want imap.fastmail.com`);
      if ((await form.getByLabel('IMAP port').inputValue()) !== '993') throw new Error('IMAP port is not 993');
      if (await form.getByLabel('Mark imported replies as read').isChecked()) throw new Error('"Mark imported replies as read" is on by default');
      if (await form.getByLabel('Move imported replies to another folder').isChecked()) throw new Error('"Move imported replies" is on by default');
      await form.getByText('your mailbox is only read, never changed').waitFor();
      if ((await form.getByLabel('Folder to watch').inputValue()) !== 'INBOX') throw new Error('the folder is not INBOX by default');
      const servId = await form.getByLabel('Your mail provider’s name (for checking senders)').inputValue();
      if (servId !== 'messagingengine.com') throw new Error(`the provider's name is "${servId}", want the preset's messagingengine.com`);
      if (await form.getByRole('checkbox', { name: 'Keep my 1:1 mail with clients' }).isChecked()) throw new Error('"Keep my 1:1 mail with clients" is on by default');
    }],
    ['Grace answers the announcement from her sandbox mailbox ("Reply as")', async () => {
      await replyAs('grace@example.com', 'Grace', graceText);
    }],
    ['"Check for replies" imports it; the sidebar counts it unread', async () => {
      await checkForReplies(/^Last checked .+ — 1 new reply/);
      await nav().getByRole('link', { name: /^Replies.*1 unread/ }).waitFor();
    }],
    ['the conversation shows Grace’s words as text, trimmed, with the match reason', async () => {
      const conv = await openConversation();
      const card = replyCard(conv, 'Grace Hopper');
      const text = await card.getByTestId('reply-text').textContent();
      if (text !== graceText) throw new Error(`the reply reads ${JSON.stringify(text)}, want ${JSON.stringify(graceText)}`);
      const quoted = card.getByTestId('reply-quoted');
      if (await quoted.isVisible()) throw new Error('the quoted text shows before it is asked for');
      await card.getByText('Show quoted text').click();
      await quoted.getByText(/Hello Grace,/).waitFor();
      // The match reason in plain words, not the mechanism ("reply address token").
      const reason = (await card.getByTestId('match-reason').textContent())?.trim();
      if (reason !== 'Reply to your email') throw new Error(`the match reason reads ${JSON.stringify(reason)}, want "Reply to your email"`);
      // The sandbox stamps a passing verdict on the replies it writes.
      await card.getByRole('img', { name: 'Verified' }).waitFor();
      if (await card.getByRole('note', { name: 'Not shown to the group' }).count()) throw new Error('a verified reply is not shown to the group');
      // Opening the conversation marked it read.
      await page.waitForFunction(() => document.querySelector('[data-reply-id]')?.getAttribute('data-unread') === 'false');
      await nav().getByRole('link', { name: /^Replies$/ }).waitFor();
    }],
    ['Grace is listed as replied, Ada and Katherine as not replied yet', async () => {
      const conv = main().getByRole('region', { name: 'Conversation' });
      const replied = await conv.getByRole('list', { name: 'Replied', exact: true }).getByRole('listitem').allTextContents();
      const not = await conv.getByRole('list', { name: 'Not replied yet' }).getByRole('listitem').allTextContents();
      if (replied.map((s) => s.trim()).join('|') !== 'Grace Hopper') throw new Error(`replied: ${replied.join(', ')}`);
      if (not.map((s) => s.trim()).join('|') !== 'Ada Lovelace|Katherine Johnson') throw new Error(`not replied: ${not.join(', ')}`);
    }],
    ['answer Grace only; the outbox takes one more message', async () => {
      const before = await outboxTotal();
      const card = replyCard(main().getByRole('region', { name: 'Conversation' }), 'Grace Hopper');
      if (await card.getByText('Answered', { exact: true }).count()) throw new Error('Grace’s reply is marked answered before any answer');
      await card.getByRole('button', { name: 'Reply to Grace Hopper' }).click();
      await card.getByLabel('Your answer to Grace').fill(answerText);
      await card.getByLabel('To Grace only').check();
      await card.getByRole('button', { name: 'Send answer' }).click();
      await page.getByRole('status').getByText('Your answer is in the outbox, on its way to Grace.').waitFor();
      await until(page, 'the answer is in the outbox', () =>
        page.evaluate(async (n) => Object.values((await window.go.ui.MailService.OutboxState()).counts ?? {}).reduce((a, b) => a + b, 0) === n + 1, before),
        10000,
      );
      await card.getByRole('button', { name: 'Mark handled' }).click();
      await card.getByRole('button', { name: 'Handled ✓', pressed: true }).waitFor();
    }],
    ['the answer shows under Grace’s reply, marked "Answered", and is no announcement of its own', async () => {
      const conv = await openConversation();
      const card = replyCard(conv, 'Grace Hopper');
      await card.getByText('Answered', { exact: true }).waitFor();
      const answer = card.getByRole('article', { name: 'Your answer to Grace' });
      const text = await answer.getByTestId('answer-text').textContent();
      if (text !== answerText) throw new Error(`the answer under Grace’s reply reads ${JSON.stringify(text)}, want ${JSON.stringify(answerText)}`);
      await answer.getByText('to Grace only').waitFor();
      // One conversation: the announcement. The answer to Grace alone is not listed beside it…
      const posts = await main().getByRole('navigation', { name: 'Announcements to Summer Circle' }).getByRole('link').allTextContents();
      if (posts.length !== 1 || !posts[0].includes(subject)) throw new Error(`the conversations listed are ${JSON.stringify(posts)}, want only the announcement`);
      // …nor among the cohort's announcements; the outbox still lists it.
      await nav().getByRole('link', { name: /Cohorts/ }).click();
      await main().getByRole('link', { name: 'Summer Circle' }).click();
      const list = main().getByRole('region', { name: 'Announcements' });
      await list.getByRole('link', { name: subject }).waitFor();
      if (await list.getByRole('link', { name: /^Re:/ }).count()) throw new Error('the answer to Grace is listed among Summer Circle’s announcements');
      // The cohort's way to its replies has the sidebar's name.
      await main().getByRole('link', { name: /^Replies/ }).click();
      await main().getByRole('heading', { level: 1, name: 'Replies' }).waitFor();
      await nav().getByRole('link', { name: /^Outbox/ }).click();
      await main().getByRole('heading', { level: 1, name: 'Outbox' }).waitFor();
      await main().getByRole('region', { name: 'Announcements' }).getByRole('link', { name: `Re: ${subject}` }).waitFor();
    }],
    ['a hostile reply stays text: no script runs, nothing loads from elsewhere', async () => {
      await replyAs('katherine@example.com', 'Katherine', hostile);
      await checkForReplies(/^Last checked .+ — 1 new reply/);
      const conv = await openConversation();
      const card = replyCard(conv, 'Katherine Johnson');
      const text = await card.getByTestId('reply-text').textContent();
      if (text !== hostile) throw new Error(`the reply reads ${JSON.stringify(text)}, want it literally`);
      if ((await conv.locator('img, script, b, iframe').count()) !== 0) throw new Error('member markup became elements');
      const pwned = await page.evaluate(() => window.__pwned);
      if (pwned !== undefined) throw new Error(`window.__pwned is ${pwned}`);
    }],
    ['a hostile HTML reply is inert in the conversation: nothing runs, nothing loads', async () => {
      const appURL = page.url();
      await replyAs('katherine@example.com', 'Katherine', hostileHTML, '', true);
      await checkForReplies(/^Last checked .+ — 1 new reply/);
      const conv = await openConversation();
      const card = conv.getByRole('article').filter({ hasText: 'Week one done' });
      await card.getByTestId('reply-text').getByText(/our plan/).waitFor();
      // Only the app's own trust-mark icons may be svg; member markup never becomes elements.
      if ((await conv.locator('img, script, b, iframe, form, style, base, meta, svg:not([data-trust] svg)').count()) !== 0) throw new Error('member markup became elements in the conversation');
      await page.waitForTimeout(500); // time for anything that could run or load to do so
      const state = await page.evaluate(() => ({ pwned: window.__pwned, title: document.title }));
      if (state.pwned !== undefined || state.title !== 'Roundtable') throw new Error(`something ran: ${JSON.stringify(state)}`);
      if (new URL(page.url()).origin !== new URL(appURL).origin) throw new Error(`the window left the app: ${page.url()}`);
      if (remote.length) throw new Error(`requests to other hosts: ${remote.join(', ')}`);
    }],
    ['the same reply in the mail frame: sandbox="", nothing runs or loads, links open only in the browser on a click', async () => {
      const before = opened().length;
      await nav().getByRole('link', { name: 'Sandbox mail' }).click();
      await main().getByRole('navigation', { name: 'Mailboxes' }).getByRole('link', { name: /coach@sandbox\.invalid/ }).click();
      await main().getByRole('region', { name: 'Messages to coach@sandbox.invalid' }).getByRole('link').filter({ hasText: 'Katherine' }).first().click();
      const message = main().getByRole('region', { name: 'Message', exact: true });
      await message.getByRole('tab', { name: 'Formatted' }).click();
      const frameEl = message.locator('iframe[title^="Message:"]');
      await frameEl.waitFor();
      if ((await frameEl.getAttribute('sandbox')) !== '') throw new Error(`the mail frame's sandbox is ${JSON.stringify(await frameEl.getAttribute('sandbox'))}, want ""`);
      const frame = message.frameLocator('iframe[title^="Message:"]');
      await frame.getByText('Week one done').waitFor();
      const inert = await frame.locator('script, style, link, base, meta, iframe, form, svg, img[src], [onload], [onerror], [style]').count();
      if (inert !== 0) throw new Error(`${inert} active elements or attributes reached the mail frame`);
      // A click on either link inside the frame goes nowhere: no navigation, no popup, no call.
      const popups = [];
      const refused = [];
      const onPage = (p) => popups.push(p.url());
      const onConsole = (m) => sandboxRefusedPopup(m.text()) && refused.push(m.text());
      page.context().on('page', onPage);
      page.on('console', onConsole);
      await frame.getByText('js link').click();
      await frame.getByRole('link', { name: 'our plan' }).click();
      await page.waitForTimeout(500);
      page.context().off('page', onPage);
      page.off('console', onConsole);
      if (popups.length) throw new Error(`a click in the frame opened ${popups.join(', ')}`);
      if (refused.length !== 1 || !refused[0].includes(planURL)) throw new Error(`want the frame's sandbox to refuse the link once, got ${JSON.stringify(refused)}`);
      const frameURL = await frameEl.evaluate((f) => f.getAttribute('src'));
      if (frameURL !== null) throw new Error(`the frame navigated to ${frameURL}`);
      if (opened().length !== before) throw new Error('a click inside the frame asked the system browser');
      // The list under the frame: only the web link (never the javascript: one), opened on a click.
      const links = message.getByRole('list', { name: 'Links in this message' });
      const items = (await links.getByRole('listitem').allTextContents()).map((s) => s.replace('Open in browser', '').trim());
      if (items.join('|') !== planURL) throw new Error(`links listed: ${items.join(', ')}, want only ${planURL}`);
      await links.getByRole('button', { name: `Open ${planURL} in your browser` }).click();
      for (let i = 0; i < 20 && opened().length === before; i++) await page.waitForTimeout(100);
      const calls = opened().slice(before);
      if (calls.length !== 1 || calls[0] !== planURL) throw new Error(`system browser calls: ${JSON.stringify(calls)}, want exactly [${planURL}]`);
      const state = await page.evaluate(() => ({ pwned: window.__pwned, title: document.title, href: location.href }));
      if (state.pwned !== undefined || state.title !== 'Roundtable' || !state.href.startsWith(new URL(page.url()).origin)) throw new Error(`the window changed: ${JSON.stringify(state)}`);
      if (remote.length) throw new Error(`requests to other hosts: ${remote.join(', ')}`);
    }],
    ['a link in a reply opens in the browser on a click; the window stays on the app', async () => {
      const conv = await openConversation();
      const card = conv.getByRole('article').filter({ hasText: 'Week one done' });
      const link = card.getByTestId('reply-text').getByRole('link', { name: planURL }).first();
      const before = opened().length;
      const url = page.url();
      await link.click();
      for (let i = 0; i < 20 && opened().length === before; i++) await page.waitForTimeout(100);
      const calls = opened().slice(before);
      if (calls.length !== 1 || calls[0] !== planURL) throw new Error(`system browser calls: ${JSON.stringify(calls)}, want exactly [${planURL}]`);
      if (page.url() !== url) throw new Error(`the window went to ${page.url()}`);
    }],
    ['a reply from another address waits under Unmatched; assigning it files it and remembers the address', async () => {
      await replyAs('ada@example.com', 'Ada', 'Writing from my phone account: count me in!', 'ada.phone@example.net');
      await checkForReplies(/to place/);
      const item = main().getByRole('article').filter({ hasText: 'Writing from my phone account' });
      await item.getByRole('note', { name: 'Why it was not filed' }).waitFor();
      await item.getByRole('img', { name: 'Unverified' }).waitFor();
      await item.getByRole('button', { name: /^Assign/ }).click();
      const dlg = page.getByRole('dialog', { name: 'Assign reply' });
      await dlg.getByLabel('Who wrote it?').fill('Ada');
      await dlg.getByRole('radio', { name: /Ada Lovelace/ }).check();
      await dlg.getByLabel('Which announcement does it answer?').selectOption({ label: subject });
      await dlg.getByRole('checkbox', { name: /Remember ada\.phone@example\.net for Ada Lovelace/ }).check();
      await dlg.getByRole('button', { name: 'Assign' }).click();
      await dlg.waitFor({ state: 'hidden' });
      const conv = await openConversation();
      const card = replyCard(conv, 'Ada Lovelace');
      await card.getByText('Writing from my phone account: count me in!').waitFor();
      await card.getByTestId('match-reason').getByText('Placed here by you', { exact: true }).waitFor();
      const aliases = await page.evaluate(async () => {
        const page = await window.go.ui.ClientService.List({ query: 'ada', limit: 5 });
        const d = await window.go.ui.ClientService.Get(page.rows[0].id);
        return d.client.aliases ?? [];
      });
      if (!aliases.includes('ada.phone@example.net')) throw new Error(`Ada's other addresses are ${JSON.stringify(aliases)}`);
    }],
    ['an assigned reply is approved for the group; undoing it hides it from the group until approved again', async () => {
      const card = replyCard(main().getByRole('region', { name: 'Conversation' }), 'Ada Lovelace');
      await card.getByRole('button', { name: 'Undo approval' }).click();
      await card.getByRole('note', { name: 'Not shown to the group' }).waitFor();
      await card.getByRole('button', { name: 'Approve for the group' }).click();
      await card.getByRole('button', { name: 'Undo approval' }).waitFor();
      if (await card.getByRole('note', { name: 'Not shown to the group' }).count()) throw new Error('an approved reply is still not shown to the group');
    }],
    ['the cohort page sets whose replies members see', async () => {
      await nav().getByRole('link', { name: /Cohorts/ }).click();
      await main().getByRole('link', { name: 'Summer Circle' }).click();
      await main().getByRole('heading', { level: 1, name: 'Summer Circle' }).waitFor();
      const setting = main().getByRole('group', { name: 'Members see each other’s replies' });
      if (!(await setting.getByRole('radio', { name: 'From their own address (recommended)' }).isChecked())) throw new Error('the recommended sharing is not the default');
      await setting.getByRole('radio', { name: 'Only verified senders' }).check();
      await page.getByRole('status').getByText('Summer Circle: members see only replies from verified senders.').waitFor();
      const saved = await page.evaluate(async () => {
        const cs = await window.go.ui.CohortService.List(false);
        return cs.find((c) => c.name === 'Summer Circle')?.replySharing;
      });
      if (saved !== 'verified') throw new Error(`Summer Circle's sharing is "${saved}", want verified`);
      await setting.getByRole('radio', { name: 'From their own address (recommended)' }).check();
      await page.getByRole('status').getByText('Summer Circle: members see replies from each other’s own addresses.').waitFor();
    }],
    ['the cohort page saves the conversation as a web page: Grace’s words and the answer, the hostile reply inert', async () => {
      const file = process.env.ROUNDTABLE_TEST_DIALOG_FILE; // the app's save dialog answers with it
      await main().getByRole('button', { name: 'As a web page…' }).click();
      await page.getByRole('status').getByText(`Saved the conversation to ${file}`).waitFor();
      const html = readFileSync(file, 'utf8');
      for (const want of ['<h1>Summer Circle</h1>', 'My goal: ship it by March.', 'March it is.', '&lt;script&gt;window.__pwned=1&lt;/script&gt;']) {
        if (!html.includes(want)) throw new Error(`the saved page lacks ${want}`);
      }
      if (/<script|<img/i.test(html)) throw new Error('the saved page holds a script or an image');
    }],
    ['the settings export everything as CSV files a spreadsheet opens', async () => {
      await nav().getByRole('link', { name: 'Mail account' }).click();
      await main().getByRole('button', { name: 'Export as CSV files…' }).click();
      const status = page.getByRole('status').getByText(/^Saved the CSV files in /);
      await status.waitFor();
      const dir = (await status.textContent()).replace(/^Saved the CSV files in /, '').trim();
      const replies = readFileSync(`${dir}/replies.csv`, 'utf8');
      if (!replies.startsWith('Cohort,Post,Name,Email') || !replies.includes('Summer Circle') || !replies.includes('My goal: ship it by March.')) {
        throw new Error(`replies.csv reads:\n${replies.slice(0, 400)}`);
      }
    }],
    ['a client page lists their mail history', async () => {
      await nav().getByRole('link', { name: /Clients/ }).click();
      await main().getByRole('grid', { name: 'Clients' }).getByRole('link', { name: 'Ada Lovelace' }).click();
      await main().getByRole('heading', { level: 1, name: 'Ada Lovelace' }).waitFor();
      await main().getByRole('region', { name: 'Mail history' }).waitFor();
    }],
    ['ignoring a sender drops their waiting mail and skips their next', async () => {
      await replyAs('katherine@example.com', 'Katherine', 'Buy cheap watches!', 'promo@spam.example');
      await checkForReplies(/to place/);
      const item = main().getByRole('article').filter({ hasText: 'Buy cheap watches!' });
      await item.getByRole('button', { name: /^Ignore sender/ }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Ignore sender' });
      await confirm.getByText(/^Ignore promo@spam\.example\?/).waitFor();
      await confirm.getByRole('button', { name: 'Ignore sender' }).click();
      await item.waitFor({ state: 'detached' });
      await replyAs('katherine@example.com', 'Katherine', 'Buy cheap watches again!', 'promo@spam.example');
      await checkForReplies(/^Last checked .+ — no new replies/);
      if (await main().getByRole('article').filter({ hasText: 'watches' }).count()) throw new Error('mail from an ignored sender came back');
    }],
    ['no request left this computer and no Content-Security-Policy was violated', async () => {
      if (remote.length) throw new Error(`requests to other hosts: ${remote.join(', ')}`);
      const csp = await page.evaluate(() => window.__csp ?? []);
      if (csp.length) throw new Error(`CSP violations: ${csp.join(', ')}`);
    }],
  ];
}
