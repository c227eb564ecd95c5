// Sending safely, run by mail.mjs after it made "Summer Circle" (and before it
// writes the announcement it sends): what the send confirmation tells the coach
// — the cohort, who gets it, who is skipped and why, the attachment size note —
// and what it refuses: an empty draft, a placeholder typo (an error beside the
// field with "did you mean…?", repeated in the confirmation, whose Send stays
// disabled with the reason). Nothing is queued by these steps: the outbox stays
// as it was, and the drafts they leave are the one mail.mjs goes on writing.
import { readFileSync, writeFileSync } from 'node:fs';

/** sendingSteps returns the steps, given the page and run.mjs's helpers. */
export function sendingSteps({ page, main }) {
  const nav = () => page.getByRole('navigation', { name: 'Main' });
  const confirm = () => page.getByRole('alertdialog', { name: 'Send now' });
  const outboxTotal = () =>
    page.evaluate(async () => Object.values((await window.go.ui.MailService.OutboxState()).counts ?? {}).reduce((a, b) => a + b, 0));

  async function openCohort(name) {
    await nav().getByRole('link', { name: /Cohorts/ }).click();
    await main().getByRole('link', { name }).click();
    await main().getByRole('heading', { level: 1, name }).waitFor();
  }

  /** sendButton is the confirmation's Send, whatever its count. */
  const sendButton = () => confirm().getByRole('button', { name: /^Send/ });

  async function cancel() {
    await confirm().getByRole('button', { name: 'Cancel' }).click();
    await confirm().waitFor({ state: 'detached' });
  }

  return [
    ['the send confirmation names the cohort, who gets it, who is skipped and why, and the attachment note', async () => {
      const before = await outboxTotal();
      // Alan Turing, a member of Spring Mastermind, is archived: the outbox would skip him.
      await openCohort('Spring Mastermind');
      await main().getByRole('table', { name: 'Members of Spring Mastermind' }).getByRole('link', { name: 'Alan Turing' }).click();
      await main().getByRole('heading', { level: 1, name: 'Alan Turing' }).waitFor();
      await main().getByRole('button', { name: 'Archive', exact: true }).click();
      await main().getByRole('button', { name: 'Restore', exact: true }).waitFor();
      await openCohort('Spring Mastermind');
      await main().getByRole('link', { name: 'New announcement' }).click();
      await main().getByRole('heading', { level: 1, name: 'Announcement to Spring Mastermind' }).waitFor();
      await main().getByLabel('Subject').fill('Kick-off call');
      await main().getByLabel('Message (Markdown)').fill('Hello {{first_name}}, the call is on Monday.');
      await main().getByText('· Saved').waitFor();
      // A file over 10 MB (the file dialog answers with the test's file).
      const file = process.env.ROUNDTABLE_TEST_DIALOG_FILE;
      const csv = readFileSync(file);
      writeFileSync(file, 'x'.repeat(11 * 1024 * 1024));
      try {
        const files = main().getByRole('region', { name: 'Attachments' });
        await files.getByRole('button', { name: 'Attach a file…' }).click();
        await files.getByRole('button', { name: 'Remove dialog.csv' }).waitFor();
      } finally {
        writeFileSync(file, csv);
      }
      await main().getByRole('button', { name: 'Send now' }).click();
      await confirm().getByText('Send “Kick-off call” to 1 of the 2 members of Spring Mastermind now? Each gets their own copy.').waitFor();
      const skipped = await confirm().getByRole('list', { name: 'Not sent to 1 member' }).getByRole('listitem').allTextContents();
      if (skipped.join('|') !== 'Alan Turing — Not sent: the client is archived.') throw new Error(`skipped: ${JSON.stringify(skipped)}`);
      await confirm().getByRole('note', { name: 'Worth knowing' }).getByText(/The attachments add up to more than 10 MB/).waitFor();
      if (!(await confirm().getByRole('button', { name: 'Send to 1 member' }).isEnabled())) throw new Error('Send is disabled for a draft that may go');
      await cancel();
      // Leave things as they were: no draft, Alan back.
      await main().getByRole('button', { name: 'Delete draft…' }).click();
      await page.getByRole('alertdialog', { name: 'Delete draft' }).getByRole('button', { name: 'Delete draft' }).click();
      await main().getByRole('heading', { level: 1, name: 'Spring Mastermind' }).waitFor();
      await main().getByRole('table', { name: 'Members of Spring Mastermind' }).getByRole('link', { name: 'Alan Turing' }).click();
      await main().getByRole('button', { name: 'Restore', exact: true }).click();
      await main().getByRole('button', { name: 'Archive', exact: true }).waitFor();
      if ((await outboxTotal()) !== before) throw new Error('the confirmation queued something');
    }],
    ['"Send now" on an empty draft is refused: the confirmation says what is missing, and its Send is disabled with the reason', async () => {
      await openCohort('Summer Circle');
      await main().getByRole('link', { name: 'New announcement' }).click();
      await main().getByRole('heading', { level: 1, name: 'Announcement to Summer Circle' }).waitFor();
      // A fresh draft is not scolded before the coach has typed.
      if (await main().locator('.field-error').count()) throw new Error('an untouched draft shows errors');
      await main().getByRole('button', { name: 'Send now' }).click();
      const fix = await confirm().getByRole('list', { name: 'To fix before sending' }).getByRole('listitem').allTextContents();
      const want = ['Give the announcement a subject: it is the first thing members see.', 'The announcement is empty; write something first.'];
      if (fix.join('|') !== want.join('|')) throw new Error(`the confirmation lists ${JSON.stringify(fix)}, want ${JSON.stringify(want)}`);
      if (await sendButton().isEnabled()) throw new Error('Send is enabled for an empty draft');
      const reason = await sendButton().getAttribute('aria-describedby');
      const because = reason ? await page.locator(`#${reason}`).textContent() : '';
      if (because !== 'Fix these 2 things first; nothing has been sent.') throw new Error(`the disabled Send says ${JSON.stringify(because)}`);
      await cancel();
      // Now each field says what it lacks.
      if ((await main().getByLabel('Subject').getAttribute('aria-invalid')) !== 'true') throw new Error('the empty subject is not marked');
      await main().getByText(want[1]).waitFor();
      if ((await outboxTotal()) !== 0) throw new Error('an empty draft reached the outbox');
    }],
    ['a placeholder typo is an error beside the message ("did you mean {{first_name}}?"), repeated in the confirmation', async () => {
      const typo = '{{firstname}} in the text is not a placeholder Roundtable knows — did you mean {{first_name}}?';
      await main().getByLabel('Subject').fill('Week one: your first bold goal');
      await main().getByLabel('Message (Markdown)').fill('Hello {{firstname}},\n\nWhat is your goal?');
      const body = main().getByLabel('Message (Markdown)');
      // The message field is described by its problems: the typo, and nothing else.
      const problemsId = ((await body.getAttribute('aria-describedby')) ?? '').split(' ').find((id) => id.endsWith('problems'));
      if (!problemsId || (await body.getAttribute('aria-invalid')) !== 'true') throw new Error('the message field is not marked invalid');
      const beside = page.locator(`#${problemsId}`);
      await beside.getByText(typo, { exact: true }).waitFor();
      if ((await beside.textContent()) !== typo) throw new Error(`beside the message: ${JSON.stringify(await beside.textContent())}, want only the typo`);
      if (await main().getByLabel('Subject').getAttribute('aria-invalid')) throw new Error('the subject is marked though it is fine now');
      await main().getByText('· Saved').waitFor();
      await main().getByRole('button', { name: 'Send now' }).click();
      const fix = await confirm().getByRole('list', { name: 'To fix before sending' }).getByRole('listitem').allTextContents();
      if (fix.join('|') !== typo) throw new Error(`the confirmation lists ${JSON.stringify(fix)}, want the typo`);
      if (await sendButton().isEnabled()) throw new Error('Send is enabled with a placeholder typo');
      await confirm().getByText('Fix this first; nothing has been sent.').waitFor();
      await cancel();
      if ((await outboxTotal()) !== 0) throw new Error('a draft with a typo reached the outbox');
      // Fixed, the error goes.
      await body.fill('Hello {{first_name}},\n\nWhat is your goal?');
      await page.waitForFunction(() => !document.getElementById('post-body')?.hasAttribute('aria-invalid'));
    }],
  ];
}
