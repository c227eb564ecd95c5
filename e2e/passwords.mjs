// The password steps, run by run.mjs at the end (they leave the sandbox in use
// again). scripts/e2e.sh starts the app where no keyring service answers (its
// session bus points nowhere), as on a bare desktop: saving an account must ask
// the coach before the password goes to a file, the file must be in the user's
// config folder ($XDG_CONFIG_HOME/roundtable/secrets.json), readable only by them,
// and the settings page must say where the password is.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** passwordSteps returns the steps, given the page and run.mjs's helpers. */
export function passwordSteps({ page, main }) {
  const nav = () => page.getByRole('navigation', { name: 'Main' });
  const config = process.env.XDG_CONFIG_HOME;
  const file = config ? join(config, 'roundtable', 'secrets.json') : '';

  return [
    ['without a keyring, saving asks before the password goes to a file in the config folder', async () => {
      if (!config) throw new Error('XDG_CONFIG_HOME is not set: run through scripts/e2e.sh');
      await nav().getByRole('link', { name: 'Mail account', exact: true }).click();
      const smtp = main().getByRole('form', { name: 'Sending mail (SMTP)' });
      await smtp.getByLabel('SMTP server').fill('127.0.0.1');
      await smtp.getByLabel('Port').fill('2525');
      await smtp.getByLabel('Security').selectOption('none');
      await smtp.getByLabel('User name').fill('coach');
      await smtp.getByLabel('Password').fill('s3cret');
      await smtp.getByLabel('From address').fill('coach@example.com');
      await smtp.getByRole('button', { name: 'Save' }).click();
      const ask = page.getByRole('alertdialog', { name: 'Keep the password in a file?' });
      await ask.getByText(/No system keyring is available/).waitFor();
      await ask.getByText(file, { exact: false }).waitFor();
      if (existsSync(file)) throw new Error('the password file was written before the coach agreed');
      await ask.getByRole('button', { name: 'Keep it in the file' }).click();
      await page.getByRole('status').getByText('Mail account saved. Announcements now go out through it.').waitFor();
      const mode = statSync(file).mode & 0o777;
      if (mode !== 0o600) throw new Error(`the password file has mode ${mode.toString(8)}, want 600`);
      await smtp.getByText(`Saved in ${file}; never shown again.`).waitFor();
      await main().getByRole('note').getByText(/with your agreement the password is kept in/).waitFor();
    }],
    ['"Use the sandbox instead" forgets the account and removes the password file', async () => {
      await main().getByRole('button', { name: 'Use the sandbox instead' }).click();
      await page.getByRole('alertdialog', { name: 'Use the sandbox' }).getByRole('button', { name: 'Use the sandbox' }).click();
      await main().getByRole('heading', { name: 'Sandbox — mail goes to built-in test mailboxes, nothing reaches anyone real' }).waitFor();
      if (existsSync(file)) throw new Error('the password file outlived the account');
    }],
  ];
}
