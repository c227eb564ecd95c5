import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent, within } from '@testing-library/svelte';
import ClientMailNotices from './ClientMailNotices.svelte';
import MailHistory from './MailHistory.svelte';
import type { MailStatus } from '../lib/api/types';

const status = (over: Partial<MailStatus> = {}): MailStatus =>
  ({
    away: false, awayNote: '', bouncing: false, bounceReason: '', softBounce: '', unsubscribed: false, unsubscribePending: false, history: [],
    ...over,
  }) as MailStatus;

const report = {
  id: 31, email: 'mailer-daemon@example.net', subject: 'Undelivered Mail Returned to Sender', reason: 'It names grace@example.com but cites nothing Roundtable sent.',
  text: '<b>550 5.1.1</b> User unknown', receivedAt: '2026-03-02T09:05:00Z',
};

function show(mail: MailStatus) {
  const onbounce = vi.fn(() => Promise.resolve());
  const onresubscribe = vi.fn(() => Promise.resolve());
  render(ClientMailNotices, { name: 'Grace Hopper', mail, onbounce, onresubscribe });
  return { onbounce, onresubscribe };
}

describe('ClientMailNotices', () => {
  it('shows nothing when the inbox is sure of everything', () => {
    show(status());
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('asks about a suspected delivery report, its text behind a disclosure and shown as text', async () => {
    const { onbounce } = show(status({ suspectedBounce: report }));
    const notice = screen.getByRole('region', { name: 'A delivery report may be about this address' });
    expect(notice.textContent).toContain('cites nothing Roundtable sent');
    expect(within(notice).getByText('Show the report').closest('details')?.open).toBe(false);
    const text = screen.getByTestId('bounce-text');
    expect(text.textContent).toBe(report.text);
    expect(text.querySelector('b')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Stop mailing this address' }));
    expect(onbounce).toHaveBeenCalledWith(31, true);
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(onbounce).toHaveBeenLastCalledWith(31, false);
  });

  it('keeps mailing a member whose unsubscribe waits for their confirmation', async () => {
    const { onresubscribe } = show(status({ unsubscribePending: true }));
    expect(screen.getByText('Someone asked to unsubscribe Grace Hopper; we asked them by email to confirm.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Keep mailing them' }));
    expect(onresubscribe).toHaveBeenCalledOnce();
  });

  it('mails an unsubscribed member again only after a confirmation', async () => {
    const { onresubscribe } = show(status({ unsubscribed: true }));
    await fireEvent.click(screen.getByRole('button', { name: 'Mail them again' }));
    expect(onresubscribe).not.toHaveBeenCalled();
    const dialog = await screen.findByRole('alertdialog');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Mail them again' }));
    expect(onresubscribe).toHaveBeenCalledOnce();
  });
});

describe('MailHistory', () => {
  it('lists what happened, newest first as given', () => {
    render(MailHistory, {
      history: [
        { at: '2026-03-03T10:00:00Z', kind: 'resubscribed', note: 'by you' },
        { at: '2026-03-02T10:00:00Z', kind: 'unsubscribed', note: 'the member’s own link' },
      ],
    });
    const items = within(screen.getByRole('list', { name: 'Mail history' })).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([expect.stringContaining('Resubscribed'), expect.stringContaining('Unsubscribed')]);
    expect(items[1].textContent).toContain('the member’s own link');
  });
});
