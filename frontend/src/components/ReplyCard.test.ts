import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import ReplyCard from './ReplyCard.svelte';
import type { Reply } from '../lib/api/types';

const hostile = '<script>window.__pwned=1</script><img src="https://evil.example/x.png" onerror="window.__pwned=2"> <b>bold</b>';
const reply = (over: Partial<Reply> = {}): Reply =>
  ({
    id: 4, postId: 7, clientId: 2, name: 'Grace Hopper', email: 'grace@example.com', subject: 'Re: Week 1',
    sentAt: '2026-03-02T09:00:00Z', receivedAt: '2026-03-02T09:05:00Z',
    text: 'My goal: ship it by March.\n\nGrace', quoted: 'On Monday, Coach wrote:\n> Hello Grace,',
    matchReason: 'subject and sender (a guess)', matchWords: 'The same subject, from a member', guess: true, unread: true, handled: false,
    trust: 'verified', trustReason: 'Your mail provider confirmed it comes from grace@example.com (DMARC).', approved: false, shared: false,
    attachments: [
      { id: 1, filename: 'plan.pdf', contentType: 'application/pdf', size: 12_400, omitted: false, inMailbox: false },
      { id: 2, filename: 'video.mov', contentType: 'video/quicktime', size: 80_000_000, omitted: true, inMailbox: false },
      { id: 3, filename: 'intake.pdf', contentType: 'application/pdf', size: 250_000, omitted: true, inMailbox: true },
    ],
    notes: ['The HTML part was left out.'],
    answers: [],
    ...over,
  }) as Reply;

function show(r: Reply) {
  const onreply = vi.fn(() => Promise.resolve(true));
  const onhandled = vi.fn();
  const onapprove = vi.fn();
  const onmark = vi.fn();
  render(ReplyCard, { reply: r, onreply, onhandled, onread: vi.fn(), onapprove, onmark });
  return { onreply, onhandled, onapprove, onmark };
}

describe('ReplyCard', () => {
  it('shows member markup as text, never as elements', () => {
    show(reply({ text: hostile }));
    const text = screen.getByTestId('reply-text');
    expect(text.textContent).toBe(hostile);
    expect(text.querySelector('img, script, b')).toBeNull();
  });

  it('offers web links as links, keeps everything else (javascript: too) as text', () => {
    const text = 'Slides: https://example.com/s. Or [x](javascript:window.__pwned=3) <a href="https://evil.example">y</a>';
    show(reply({ text }));
    const p = screen.getByTestId('reply-text');
    expect(p.textContent).toBe(text);
    const links = [...p.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(['https://example.com/s', 'https://evil.example']);
  });

  it('keeps the quote behind a disclosure and shows the match, the guess, attachments and notes', () => {
    show(reply());
    expect(screen.getByText('Show quoted text').closest('details')?.open).toBe(false);
    expect(screen.getByTestId('reply-quoted').textContent).toContain('> Hello Grace,');
    expect(screen.getByTestId('match-reason').textContent).toContain('The same subject, from a member');
    expect(screen.getByText('guess')).toBeTruthy();
    const files = screen.getByRole('list', { name: 'Attachments' }).textContent ?? '';
    expect(files).toContain('plan.pdf');
    expect(files).toContain('12 KB');
    expect(files).toContain('not kept: too large');
    // A file the sync left in the mailbox says so, and is not called too large.
    expect(files).toMatch(/intake\.pdf\s*250 KB\s*· in your mailbox/);
    expect(files.match(/too large/g)).toHaveLength(1);
    expect(screen.getByText('The HTML part was left out.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: /Grace Hopper\s*\(unread\)/ })).toBeTruthy();
  });

  it('shows the coach’s answers under the reply, and marks it answered', () => {
    show(reply());
    expect(screen.queryByText('Answered')).toBeNull();
    expect(screen.queryByRole('list', { name: 'Your answers to Grace' })).toBeNull();
    show(reply({ id: 5, answers: [{ postId: 9, body: 'March it is.\n', toAll: false, status: 'queued', queuedAt: '2026-03-02T10:00:00Z', counts: { sent: 1 } }] }));
    expect(screen.getByText('Answered')).toBeTruthy();
    const answer = screen.getByRole('article', { name: 'Your answer to Grace' });
    expect(answer.querySelector('[data-testid=answer-text]')?.textContent).toBe('March it is.');
    expect(answer.textContent).toContain('to Grace only');
    expect(answer.textContent).toMatch(/sent \S/);
  });

  it('answers to the member only unless the whole cohort is chosen', async () => {
    const { onreply, onhandled } = show(reply());
    await fireEvent.click(screen.getByRole('button', { name: 'Reply to Grace Hopper' }));
    await fireEvent.input(screen.getByLabelText('Your answer to Grace'), { target: { value: 'Great goal.' } });
    expect((screen.getByLabelText('To Grace only') as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(screen.getByLabelText('To the whole cohort'));
    await fireEvent.click(screen.getByRole('button', { name: 'Send answer' }));
    expect(onreply).toHaveBeenCalledWith('Great goal.', true);
    await fireEvent.click(screen.getByRole('button', { name: 'Mark handled' }));
    expect(onhandled).toHaveBeenCalledWith(true);
  });

  it('marks how sure Roundtable is of the sender, described by why', () => {
    show(reply());
    const mark = screen.getByRole('img', { name: 'Verified' });
    expect(mark.getAttribute('title')).toContain('DMARC');
    expect(document.getElementById(mark.getAttribute('aria-describedby') ?? '')?.textContent).toContain('confirmed it comes from grace@example.com');
  });

  it('says a reply the group does not see, and approves it', async () => {
    const { onapprove } = show(reply({ guess: true, shared: false }));
    const note = screen.getByRole('note', { name: 'Not shown to the group' });
    expect(note.textContent).toContain('guessed');
    await fireEvent.click(screen.getByRole('button', { name: 'Approve for the group' }));
    expect(onapprove).toHaveBeenCalledWith(true);
  });

  it('offers to undo an approval, and says nothing for a reply shared by the cohort’s setting', async () => {
    const { onapprove } = show(reply({ trust: 'unverified', approved: true, shared: true }));
    expect(screen.getByRole('img', { name: 'Unverified' })).toBeTruthy();
    expect(screen.queryByRole('note', { name: 'Not shown to the group' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Undo approval' }));
    expect(onapprove).toHaveBeenCalledWith(false);
  });

  it('has no approval controls for a reply the group sees by itself', () => {
    show(reply({ trust: 'plausible', guess: false, shared: true }));
    expect(screen.getByRole('img', { name: 'From their address' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /approv/i })).toBeNull();
  });
});

describe('ReplyCard digest marks', () => {
  it('pins, highlights and hides with pressed buttons, and shows the state', async () => {
    const { onmark } = show(reply({ pinned: true, hidden: false, highlighted: false }));
    const group = screen.getByRole('group', { name: 'In the digests' });
    const pinned = screen.getByRole('button', { name: 'Pinned' });
    expect(group.contains(pinned)).toBe(true);
    expect(pinned.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: 'Hide from digests' }).getAttribute('aria-pressed')).toBe('false');
    await fireEvent.click(screen.getByRole('button', { name: 'Hide from digests' }));
    expect(onmark).toHaveBeenCalledWith('hidden', true);
    await fireEvent.click(pinned);
    expect(onmark).toHaveBeenCalledWith('pinned', false);
    await fireEvent.click(screen.getByRole('button', { name: 'Highlight' }));
    expect(onmark).toHaveBeenCalledWith('highlighted', true);
  });

  it('marks a hidden reply so the coach sees it goes in no digest', () => {
    show(reply({ hidden: true }));
    expect(screen.getByRole('button', { name: 'Hidden from digests' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('article').getAttribute('data-hidden')).toBe('true');
  });
});
