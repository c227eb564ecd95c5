import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import SendDialog from './SendDialog.svelte';
import type { SendPlan } from '../lib/api/types';

const plan = (over: Partial<SendPlan> = {}): SendPlan =>
  ({
    postId: 7, cohortId: 2, cohort: 'Spring', title: 'Week 1', recipients: 2, sendAt: null, ready: true, problems: [], notes: [],
    skipped: [{ clientId: 3, name: 'Cy Example', email: 'cy@example.com', skip: 'Not sent: the client is archived.' }],
    ...over,
  }) as SendPlan;

describe('SendDialog', () => {
  it('names the cohort, who gets it, who is skipped and why, and the attachment note; Send sends', async () => {
    const onconfirm = vi.fn();
    render(SendDialog, { open: true, plan: plan({ notes: ['The attachments add up to more than 10 MB.'] }), problems: [], subject: 'Week 1', onconfirm });
    expect(screen.getByText('Send “Week 1” to 2 of the 3 members of Spring now? Each gets their own copy.')).toBeTruthy();
    const skipped = screen.getByRole('list', { name: 'Not sent to 1 member' });
    expect(skipped.textContent).toBe('Cy Example — Not sent: the client is archived.');
    expect(screen.getByRole('note', { name: 'Worth knowing' }).textContent).toContain('more than 10 MB');
    await fireEvent.click(screen.getByRole('button', { name: 'Send to 2 members' }));
    expect(onconfirm).toHaveBeenCalledOnce();
  });

  it('lists what stops the send and keeps Send disabled with the reason', async () => {
    const onconfirm = vi.fn();
    const typo = '{{firstname}} in the text is not a placeholder Roundtable knows — did you mean {{first_name}}?';
    render(SendDialog, { open: true, plan: plan({ ready: false, problems: [{ field: 'body', message: typo }] }), problems: [{ field: 'body', message: typo }], subject: 'Week 1', onconfirm });
    expect(screen.getByRole('list', { name: 'To fix before sending' }).textContent).toBe(typo);
    const send = screen.getByRole('button', { name: 'Send to 2 members' }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    expect(document.getElementById(send.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Fix this first; nothing has been sent.');
    await fireEvent.click(send);
    expect(onconfirm).not.toHaveBeenCalled();
    expect(screen.queryByRole('list', { name: /Not sent to/ })).toBeNull();
  });

  it('refuses an unsaved empty draft from the editor’s own check', () => {
    render(SendDialog, { open: true, plan: null, problems: [{ field: 'subject', message: 'Give the announcement a subject: it is the first thing members see.' }], subject: '', onconfirm: vi.fn() });
    expect(screen.getByText('Not ready to send “(no subject)”.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
