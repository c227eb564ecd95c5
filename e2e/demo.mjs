// The demo workspace: from the welcome, the app reopens itself on a separate demo
// file (the dev build execs itself with the same -devserver port), shows made-up
// clients under a "Demo workspace" banner, and goes back to the coach's own
// workspace, which still holds exactly what it held before.
import { openApp } from './browser.mjs';

/**
 * reopened waits until the app answers again after reopening itself, as the
 * new process: on the demo file (demo true) or back on the coach's own. The
 * old process keeps serving while it prepares the demo, so a page that loads
 * is not enough; its workspace must be the one asked for.
 */
async function reopened(page, baseURL, demo) {
  await page.waitForTimeout(1500); // the old process closes its window and execs
  for (let i = 0; i < 60; i++) {
    try {
      await openApp(page, baseURL);
      const info = await Promise.race([
        page.evaluate(() => window.go.ui.WorkspaceService.Info()),
        new Promise((resolve) => setTimeout(() => resolve(null), 3000)),
      ]);
      if (info && info.demo === demo) return;
    } catch {
      // not answering yet
    }
    await page.waitForTimeout(500);
  }
  throw new Error('the app did not come back after reopening');
}

export function demoSteps({ page, main, baseURL }) {
  const nav = () => page.getByRole('navigation', { name: 'Main' });
  let ownClients = '';
  return [
    ['"Look around in a demo workspace" reopens on a separate demo file with made-up data', async () => {
      ownClients = (await page.evaluate(() => window.go.ui.WorkspaceService.Info())).clients.toString();
      await page.goto(baseURL + '#/welcome');
      await main().getByRole('button', { name: 'Look around in a demo workspace' }).click();
      await reopened(page, baseURL, true);
      await page.getByRole('region', { name: 'Demo workspace' }).waitFor();
      const info = await page.evaluate(() => window.go.ui.WorkspaceService.Info());
      if (!info.demo || !info.path.endsWith('demo-workspace.db') || info.clients !== 40 || info.cohorts !== 3) {
        throw new Error(`demo workspace is ${JSON.stringify(info)}, want demo-workspace.db with 40 clients in 3 cohorts`);
      }
      await nav().getByRole('link', { name: /Cohorts/ }).click();
      await main().getByRole('link', { name: 'Spring Mastermind' }).waitFor();
    }],
    ['"Back to my workspace" reopens the coach\'s own file, unchanged', async () => {
      await page.getByRole('region', { name: 'Demo workspace' }).getByRole('button', { name: 'Back to my workspace' }).click();
      await reopened(page, baseURL, false);
      const info = await page.evaluate(() => window.go.ui.WorkspaceService.Info());
      if (info.demo || info.path.endsWith('demo-workspace.db') || String(info.clients) !== ownClients) {
        throw new Error(`back in ${JSON.stringify(info)}, want the own workspace with ${ownClients} clients`);
      }
      if (await page.getByRole('region', { name: 'Demo workspace' }).count()) throw new Error('the demo banner is still there');
    }],
  ];
}

/** restoreSteps restore a backup from the settings: the window says what the
 *  copy holds and where the workspace is kept, closes, restores, opens again
 *  and says so; a client added after the backup is gone, the rest is there. */
export function restoreSteps({ page, main, baseURL }) {
  const nav = () => page.getByRole('navigation', { name: 'Main' });
  return [
    ['a backup restored from the window: what it holds first, then the workspace as it was, the old one kept aside', async () => {
      const before = (await page.evaluate(() => window.go.ui.WorkspaceService.Info())).clients;
      await nav().getByRole('link', { name: 'Mail account' }).click();
      await main().getByRole('button', { name: 'Back up now' }).click();
      await page.getByRole('status').getByText(/^Backed up: /).waitFor();
      await page.evaluate(() => window.go.ui.ClientService.Create({ name: 'Zed After', email: 'zed.after@example.com' }));
      await main().getByText('Restore a backup…').click();
      await main().getByRole('list', { name: 'Backups' }).getByRole('button', { name: /^Restore the backup of / }).first().click();
      const confirm = page.getByRole('alertdialog', { name: 'Restore this backup?' });
      const text = await confirm.textContent();
      if (!text.includes(`holds ${before.toLocaleString('en')} client`) || !/kept as \S+\.before-restore-/.test(text)) throw new Error(`the confirmation reads: ${text}`);
      await confirm.getByRole('button', { name: 'Restore' }).click();
      await reopened(page, baseURL, false);
      const note = page.getByRole('status').getByText(/^Restored the backup of .+ The workspace as it was is kept as /);
      await note.waitFor();
      // It stays a while (a path to read); the coach can put it away.
      await page.getByRole('region', { name: 'Notifications' }).getByRole('button', { name: 'Dismiss' }).first().click();
      await note.waitFor({ state: 'detached' });
      const info = await page.evaluate(() => window.go.ui.WorkspaceService.Info());
      if (info.clients !== before) throw new Error(`${info.clients} clients after the restore, want the ${before} of the backup`);
    }],
  ];
}
