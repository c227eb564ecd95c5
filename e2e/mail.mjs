// The mail scenario, run by run.mjs after the clients and cohorts steps (it uses
// the clients they imported): the sandbox account page, a new cohort of three,
// the sending-safely steps of sending.mjs (refusals and the confirmation's
// plan), an announcement written with a placeholder, its preview, a test to the
// coach, sending with confirmation, the outbox reaching "3 of 3 sent", and each
// member's copy in the sandbox mailboxes, with the unsubscribe sentence. No real
// account or password is saved: the sandbox needs none.
import { sendingSteps } from './sending.mjs';

const subject = 'Week one: your first bold goal';
const body = 'Hello {{first_name}},\n\nWelcome to **{{cohort}}**. Reply to this email with the one goal you want to reach by June.\n';

/** mailSteps returns the steps, given the page and run.mjs's helpers. */
export function mailSteps({ page, main, dialog }) {
  const nav = () => page.getByRole('navigation', { name: 'Main' });
  const state = {};
  return [
    ['the sidebar says the app is in sandbox mode', async () => {
      await nav().getByRole('link', { name: /^Sandbox mode/ }).waitFor();
      await nav().getByRole('link', { name: 'Sandbox mail' }).waitFor();
    }],
    ['the mail account page labels the sandbox; a preset fills the server', async () => {
      await nav().getByRole('link', { name: 'Mail account', exact: true }).click();
      await main().getByRole('heading', { level: 1, name: 'Mail account' }).waitFor();
      await main().getByRole('heading', { name: 'Sandbox — mail goes to built-in test mailboxes, nothing reaches anyone real' }).waitFor();
      await main().getByRole('button', { name: 'Fastmail' }).click();
      const smtp = main().getByRole('form', { name: 'Sending mail (SMTP)' });
      const host = await smtp.getByLabel('SMTP server').inputValue();
      if (host !== 'smtp.fastmail.com') throw new Error(`host is "${host}", want smtp.fastmail.com`);
      const security = await smtp.getByLabel('Security').inputValue();
      if (security !== 'tls') throw new Error(`security is "${security}", want tls`);
      await main().getByRole('note', { name: 'Fastmail note' }).getByText(/app password/).waitFor();
    }],
    ['"Test connection" shows the Go sentence when the server cannot be reached', async () => {
      const smtp = main().getByRole('form', { name: 'Sending mail (SMTP)' });
      await smtp.getByLabel('SMTP server').fill('127.0.0.1');
      await smtp.getByLabel('Port').fill('1');
      await smtp.getByLabel('Security').selectOption('none');
      await smtp.getByLabel('User name').fill('');
      await smtp.getByLabel('From address').fill('coach@example.com');
      await smtp.getByRole('button', { name: 'Test connection' }).click();
      const alert = smtp.getByRole('alert');
      await alert.waitFor();
      const text = (await alert.textContent())?.trim() ?? '';
      if (text.length < 10) throw new Error(`the test said "${text}"`);
      // Nothing was saved: still the sandbox.
      await nav().getByRole('link', { name: /^Sandbox mode/ }).waitFor();
    }],
    ['Proton Mail Bridge fills both servers on this computer; "Find settings" fills Posteo from the shipped settings', async () => {
      const smtp = main().getByRole('form', { name: 'Sending mail (SMTP)' });
      const imap = main().getByRole('form', { name: 'Incoming mail (IMAP)' });
      await main().getByRole('button', { name: 'Proton Mail Bridge' }).click();
      const got = [await smtp.getByLabel('SMTP server').inputValue(), await smtp.getByLabel('Port').inputValue(), await smtp.getByLabel('Security').inputValue(),
        await imap.getByLabel('IMAP server').inputValue(), await imap.getByLabel('IMAP port').inputValue(), await imap.getByLabel('IMAP security').inputValue()].join(' ');
      if (got !== '127.0.0.1 1025 starttls 127.0.0.1 1143 starttls') throw new Error(`Bridge filled "${got}"`);
      await main().getByRole('note', { name: 'Proton Mail Bridge note' }).getByText(/Bridge/).first().waitFor();
      const find = main().getByRole('form', { name: 'Find settings for another provider' });
      await find.getByLabel(/Your email address/).fill('coach@posteo.de');
      await find.getByRole('button', { name: 'Find settings' }).click();
      await main().getByRole('note', { name: 'Posteo note' }).waitFor();
      const posteo = `${await smtp.getByLabel('SMTP server').inputValue()}:${await smtp.getByLabel('Port').inputValue()} ${await imap.getByLabel('IMAP server').inputValue()}:${await imap.getByLabel('IMAP port').inputValue()}`;
      if (posteo !== 'posteo.de:465 posteo.de:993') throw new Error(`Posteo filled "${posteo}"`);
      if ((await imap.getByLabel('IMAP user name').inputValue()) !== 'coach@posteo.de') throw new Error('the address did not become the IMAP user name');
    }],
    ['"Test both directions" answers for SMTP and IMAP at once', async () => {
      const smtp = main().getByRole('form', { name: 'Sending mail (SMTP)' });
      const imap = main().getByRole('form', { name: 'Incoming mail (IMAP)' });
      await smtp.getByLabel('SMTP server').fill('127.0.0.1');
      await smtp.getByLabel('Port').fill('1');
      await smtp.getByLabel('Security').selectOption('none');
      await imap.getByLabel('IMAP server').fill('127.0.0.1');
      await imap.getByLabel('IMAP port').fill('1');
      await imap.getByLabel('IMAP security').selectOption('none');
      await main().getByRole('button', { name: 'Test both directions' }).click();
      await smtp.getByRole('alert').waitFor();
      await imap.getByRole('alert').waitFor();
      await nav().getByRole('link', { name: /^Sandbox mode/ }).waitFor(); // nothing saved
    }],
    ['make the cohort "Summer Circle" with three members', async () => {
      await nav().getByRole('link', { name: /Cohorts/ }).click();
      await main().getByRole('heading', { level: 1, name: 'Cohorts' }).waitFor();
      await main().getByRole('button', { name: 'New cohort' }).first().click();
      const d = dialog('New cohort');
      await d.getByLabel('Name').fill('Summer Circle');
      await d.getByLabel('Kind').selectOption('group_coaching');
      await d.getByRole('button', { name: 'Create cohort' }).click();
      await main().getByRole('heading', { level: 1, name: 'Summer Circle' }).waitFor();
      await nav().getByRole('link', { name: /Clients/ }).click();
      const grid = main().getByRole('grid', { name: 'Clients' });
      for (const name of ['Ada Lovelace', 'Grace Hopper', 'Katherine Johnson']) await grid.getByRole('checkbox', { name: `Select ${name}` }).click();
      await main().getByRole('toolbar', { name: 'Selected clients' }).getByText('3 selected').waitFor();
      await main().getByRole('button', { name: 'Add to cohort…' }).click();
      const add = dialog('Add to cohort');
      await add.getByRole('radio', { name: /Summer Circle/ }).check();
      await add.getByRole('button', { name: 'Add 3 clients' }).click();
      await page.getByRole('status').getByText('Added 3 to Summer Circle').waitFor();
    }],
    ...sendingSteps({ page, main, dialog }),
    ['write an announcement with {{first_name}}; the draft saves itself', async () => {
      // The draft the sending steps began (and refused to send as it was).
      await main().getByRole('heading', { level: 1, name: 'Announcement to Summer Circle' }).waitFor();
      await main().getByLabel('Subject').fill(subject);
      await main().getByLabel('Message (Markdown)').fill(body);
      await main().getByText('· Saved').waitFor();
      await page.waitForFunction(() => /#\/cohorts\/\d+\/compose\/\d+$/.test(location.hash));
      state.postId = Number(await page.evaluate(() => location.hash.split('/').pop()));
    }],
    ['the preview shows the first member’s copy, personalised', async () => {
      const preview = main().getByRole('region', { name: 'Preview', exact: true });
      await preview.getByText(subject, { exact: true }).waitFor();
      const frame = page.frameLocator('iframe[title^="Preview of the message to"]');
      await frame.getByText('Hello Ada,').waitFor();
      await frame.getByText('Summer Circle', { exact: true }).first().waitFor();
      await preview.getByRole('tab', { name: 'Plain text' }).click();
      await preview.getByText(/Hello Ada,/).waitFor();
      await preview.getByRole('tab', { name: 'Formatted' }).click();
    }],
    ['preview as another member', async () => {
      await main().getByLabel('Preview as').selectOption({ label: 'Grace Hopper' });
      await page.frameLocator('iframe[title="Preview of the message to Grace Hopper"]').getByText('Hello Grace,').waitFor();
    }],
    ['attach a file to the draft (the dialog answers with the test file)', async () => {
      const files = main().getByRole('region', { name: 'Attachments' });
      await files.getByRole('button', { name: 'Attach a file…' }).click();
      await files.getByText('dialog.csv').waitFor();
      await files.getByRole('button', { name: 'Remove dialog.csv' }).waitFor();
    }],
    ['send a test to me', async () => {
      await main().getByRole('button', { name: 'Send a test to me' }).click();
      await page.getByRole('status').getByText(/^Test sent to you/).waitFor();
    }],
    ['send now, after a confirmation naming the cohort and the members', async () => {
      await main().getByRole('button', { name: 'Send now' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Send now' });
      await confirm.getByText(`Send “${subject}” to the 3 members of Summer Circle now? Each gets their own copy.`).waitFor();
      await confirm.getByRole('button', { name: 'Send to 3 members' }).click();
      await main().getByRole('heading', { level: 1, name: 'Outbox' }).waitFor();
      const hash = await page.evaluate(() => location.hash);
      if (hash !== `#/outbox/${state.postId}`) throw new Error(`went to ${hash}, want #/outbox/${state.postId}`);
    }],
    ['the outbox reaches 3 of 3 sent, each recipient “Accepted by your mail server”, the server’s words one click away', async () => {
      const bar = main().getByRole('progressbar', { name: `Progress of ${subject}` });
      await page.waitForFunction(
        (name) => [...document.querySelectorAll('[role=progressbar]')].some((e) => e.getAttribute('aria-label') === name && e.getAttribute('aria-valuetext') === '3 of 3 sent'),
        `Progress of ${subject}`,
        { timeout: 20000 },
      );
      if ((await bar.getAttribute('aria-valuenow')) !== '100') throw new Error('the bar is not full');
      const table = main().getByRole('table', { name: `Recipients of ${subject}` });
      for (const name of ['Ada Lovelace', 'Grace Hopper', 'Katherine Johnson']) {
        const row = table.getByRole('row', { name: new RegExp(name) });
        await row.getByText('Sent', { exact: true }).waitFor();
        await row.getByText('Accepted by your mail server', { exact: true }).waitFor();
      }
      const grace = table.getByRole('row', { name: /Grace Hopper/ });
      const raw = grace.locator('details p');
      if (await raw.isVisible()) throw new Error('the server’s own answer shows before it is asked for');
      await grace.getByText('What the server said').click();
      await raw.getByText(/^Accepted by the server: \S/).waitFor();
      await main().getByLabel('Show').selectOption({ label: 'Sent (3)' });
      await main().getByRole('heading', { name: /^Idle|^Sending/ }).waitFor();
    }],
    ['the sandbox holds each member’s copy, personalised', async () => {
      await nav().getByRole('link', { name: 'Sandbox mail' }).click();
      await main().getByRole('heading', { level: 1, name: 'Sandbox mail' }).waitFor();
      await main().getByRole('navigation', { name: 'Mailboxes' }).getByRole('link', { name: /grace@example\.com/ }).click();
      await main().getByRole('region', { name: 'Messages to grace@example.com' }).getByRole('link', { name: new RegExp(subject) }).click();
      const message = main().getByRole('region', { name: 'Message', exact: true });
      await message.getByRole('heading', { level: 2, name: subject }).waitFor();
      const frame = page.frameLocator(`iframe[title="Message: ${subject}"]`);
      await frame.getByText('Hello Grace,').waitFor();
      // The way out is a sentence with a link, not a raw mailto: address.
      const out = frame.getByText('Don’t want these emails?');
      await out.getByRole('link', { name: 'Unsubscribe', exact: true }).waitFor();
      const shown = await frame.locator('body').innerText();
      if (shown.includes('mailto:')) throw new Error('the message shows a raw mailto: address');
      await message.getByText('List-Unsubscribe').waitFor();
      await message.getByRole('tab', { name: 'Plain text' }).click();
      await message.getByText(/Hello Grace,/).waitFor();
    }],
    ['the test to the coach is in the coach’s mailbox', async () => {
      const boxes = main().getByRole('navigation', { name: 'Mailboxes' }).getByRole('link');
      const names = await boxes.allTextContents();
      if (names.length !== 4) throw new Error(`${names.length} mailboxes, want 4 (three members and the coach): ${names.join(' | ')}`);
    }],
  ];
}
