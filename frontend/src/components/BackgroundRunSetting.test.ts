import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import BackgroundRunSetting from './BackgroundRunSetting.svelte';

const notInstalled = {
  kind: 'a systemd user timer',
  installed: false,
  command: '/usr/bin/roundtable --workspace "/home/ana/My Coaching/workspace.db" run-due',
  everyMinutes: 15,
  lastRun: null,
};

describe('BackgroundRunSetting', () => {
  it('offers to install the job and says it has not run', async () => {
    const api = { backgroundRun: vi.fn(async () => notInstalled), installBackgroundRun: vi.fn(), removeBackgroundRun: vi.fn() };
    render(BackgroundRunSetting, { api });
    expect(await screen.findByRole('button', { name: 'Install a systemd user timer' })).toBeTruthy();
    expect(screen.getByText('It has not run yet.')).toBeTruthy();
    expect(screen.getByText(/nothing is sent and no replies come in/)).toBeTruthy();
  });

  it('installs, then shows the last run and offers removal', async () => {
    const installed = { ...notInstalled, installed: true, lastRun: { at: '2026-05-08T07:00:00Z', digests: 3, posts: 0, reminders: 0, lessons: 0 } };
    const api = { backgroundRun: vi.fn(async () => notInstalled), installBackgroundRun: vi.fn(async () => installed), removeBackgroundRun: vi.fn() };
    render(BackgroundRunSetting, { api });
    await fireEvent.click(await screen.findByRole('button', { name: 'Install a systemd user timer' }));
    expect(api.installBackgroundRun).toHaveBeenCalledOnce();
    expect(await screen.findByRole('button', { name: 'Remove' })).toBeTruthy();
    expect(screen.getByTestId('background-last-run').textContent).toMatch(/^Last ran .*: queued 3 digests\.$/);
  });

  it('shows the system’s refusal in words and keeps the offer', async () => {
    const api = {
      backgroundRun: vi.fn(async () => notInstalled),
      installBackgroundRun: vi.fn(async () => {
        throw JSON.stringify({ code: 'unavailable', message: 'The system did not start a systemd user timer (no user session).' });
      }),
      removeBackgroundRun: vi.fn(),
    };
    render(BackgroundRunSetting, { api });
    await fireEvent.click(await screen.findByRole('button', { name: 'Install a systemd user timer' }));
    expect((await screen.findByRole('alert')).textContent).toContain('did not start a systemd user timer');
    expect(screen.getByRole('button', { name: 'Install a systemd user timer' })).toBeTruthy();
  });

  it('says when the last run failed', async () => {
    const failed = { ...notInstalled, installed: true, lastRun: { at: '2026-05-08T07:00:00Z', digests: 0, posts: 0, reminders: 0, lessons: 0, error: 'The password was refused.' } };
    const api = { backgroundRun: vi.fn(async () => failed), installBackgroundRun: vi.fn(), removeBackgroundRun: vi.fn() };
    render(BackgroundRunSetting, { api });
    expect((await screen.findByTestId('background-last-run')).textContent).toMatch(/and failed: The password was refused\.$/);
  });
});
