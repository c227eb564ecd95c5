// The search scenario (Ctrl+K), run by run.mjs after the sessions steps, or alone:
//   ROUNDTABLE_E2E_PORT=34121 bash scripts/e2e.sh e2e/search.mjs
// A cohort of two, an announcement sent to the sandbox and a reply from its
// member with a word in it no other step uses (made through the window's Go
// side: they are not what these steps test). Then, as a coach would: Ctrl+K
// from the clients list, the word typed, the reply found under Replies with the
// word marked in its snippet, Enter opening its conversation with the reply on
// screen and focused; Escape closing the palette and giving focus back; hostile text
// answered with "Nothing found", never an error; a name found without its
// accent.
import { pathToFileURL } from 'node:url';
import { launch, newCohortOf, openApp, runSteps, until, watchProblems } from './browser.mjs';

const cohort = 'Lantern Circle';
const zoe = { name: 'Zoë Ardent', email: 'zoe.ardent@example.com' };
const ian = { name: 'Ian Marsh', email: 'ian.marsh@example.com' };
const subject = 'Week three: what slowed you down';
const word = 'marmalade';
const replyText = `The ${word} stall ate my Saturday, so the pricing page waited.`;

/** searchSteps returns the steps, given the page and run.mjs's helpers. */
export function searchSteps({ page, main, dialog }) {
  const palette = () => dialog('Search');
  const box = () => palette().getByRole('combobox', { name: 'Search everything' });
  const results = () => palette().getByRole('listbox', { name: 'Results' });
  const shortcut = process.platform === 'darwin' ? 'Meta+K' : 'Control+K';

  return [
    ['search: a cohort of two, an announcement and Zoë’s reply with a word in it', async () => {
      await newCohortOf(page, cohort, 'micro_community', [zoe, ian]);
      const post = await page.evaluate(async ({ cohort, subject }) => {
        const c = (await window.go.ui.CohortService.List(false)).find((x) => x.name === cohort);
        const p = await window.go.ui.MailService.SaveDraft(0, { cohortId: c.id, subject, body: 'Tell the group in two lines.', sendAt: null, sendNow: false });
        return window.go.ui.MailService.Send(p.id);
      }, { cohort, subject });
      let messageId = 0;
      await until(page, `the announcement is in ${zoe.email}’s sandbox mailbox`, async () => {
        const ms = (await page.evaluate((a) => window.go.ui.MailService.SandboxMessages(a), zoe.email)) ?? [];
        messageId = ms.find((m) => m.subject === subject)?.id ?? 0;
        return messageId > 0;
      }, 40000);
      await page.evaluate(({ a, id, text }) => window.go.ui.ConversationService.SandboxReply(a, id, text, '', false, ''), { a: zoe.email, id: messageId, text: replyText });
      const before = await page.evaluate(async () => (await window.go.ui.ConversationService.State()).at ?? '');
      await page.evaluate(() => window.go.ui.ConversationService.Sync());
      await until(page, 'the reply is imported', () =>
        page.evaluate(async ({ before, postId }) => {
          const s = await window.go.ui.ConversationService.State();
          if (s.running || (s.at ?? '') === before) return false;
          const c = (await window.go.ui.MailService.Post(postId)).cohortId;
          const convs = (await window.go.ui.ConversationService.Conversations(c)) ?? [];
          return convs.some((cv) => (cv.replies ?? []).length > 0);
        }, { before, postId: post.id }),
      );
    }],
    ['Ctrl+K finds the reply by a word in it and Enter opens its conversation', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Clients/ }).click();
      await main().getByRole('heading', { level: 1, name: 'Clients' }).waitFor();
      await page.keyboard.press(shortcut);
      await box().waitFor();
      if (!(await box().evaluate((el) => el === document.activeElement))) throw new Error('the search box does not have the focus');
      await page.keyboard.type(word.slice(0, 6), { delay: 30 }); // as typed: a prefix finds it already
      const group = results().getByRole('group', { name: /Replies/ });
      const option = group.getByRole('option', { name: new RegExp(zoe.name) });
      await option.waitFor();
      const marked = await option.locator('mark').allTextContents();
      if (!marked.some((m) => m.toLowerCase() === word.slice(0, 6))) throw new Error(`marked in the snippet: ${JSON.stringify(marked)}`);
      await page.keyboard.type(word.slice(6), { delay: 30 });
      await until(page, 'the whole word is marked', async () => (await option.locator('mark').allTextContents()).includes(word));
      if ((await option.getAttribute('aria-selected')) !== 'true') await page.keyboard.press('ArrowDown');
      if ((await option.getAttribute('aria-selected')) !== 'true') throw new Error('the reply is not the chosen result');
      await page.keyboard.press('Enter');
      await palette().waitFor({ state: 'detached' });
      await main().getByRole('heading', { level: 1, name: 'Replies' }).waitFor();
      await main().getByText(replyText).waitFor();
      // The coach lands on the reply found, not at the top of the conversation.
      await until(page, 'the reply found has the focus', () =>
        page.evaluate((text) => document.activeElement?.matches('[data-reply-id]') && document.activeElement.textContent.includes(text), replyText),
      );
      if (!/^#\/replies\/\d+\/\d+$/.test(await page.evaluate(() => location.hash))) throw new Error(`opened ${await page.evaluate(() => location.hash)}`);
    }],
    ['Escape closes the palette and gives the focus back; hostile text finds nothing, without an error', async () => {
      const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Cohorts/ });
      await link.focus();
      await page.keyboard.press(shortcut);
      await box().waitFor();
      await box().fill('"NEAR(* -AND OR) ');
      await palette().getByRole('status').getByText(/Nothing found for/).waitFor();
      await box().fill('zoe');
      await results().getByRole('group', { name: /Clients/ }).getByRole('option', { name: new RegExp(zoe.name) }).waitFor();
      await page.keyboard.press('Escape');
      await palette().waitFor({ state: 'detached' });
      await until(page, 'the focus is back on the Cohorts link', () => link.evaluate((el) => el === document.activeElement));
    }],
  ];
}

// Alone: a fresh window on the throwaway workspace scripts/e2e.sh starts.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const baseURL = process.argv[2];
  const { page, close } = await launch();
  page.setDefaultTimeout(10000);
  const problems = watchProblems(page);
  const main = () => page.getByRole('main');
  const dialog = (name) => page.getByRole('dialog', { name });
  const steps = [['the window opens', () => openApp(page, baseURL)], ...searchSteps({ page, main, dialog })];
  const { failed } = await runSteps(page, steps, new URL('./out/', import.meta.url).pathname);
  for (const p of problems) console.log(`PROBLEM ${p}`);
  await close();
  process.exit(failed || problems.length ? 1 : 0);
}
