import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import DigestHistory from './DigestHistory.svelte';
import type { Digest } from '../lib/api/types';

const hostile = '<img src=x onerror="window.__pwned=1">Shipped it';
const digest: Digest = {
  id: 3, cohortId: 1, cohort: 'Spring Mastermind', clientId: 2, name: 'Ana Lima', email: 'ana@example.com',
  period: '2026-05-03T09:00:00Z', since: '2026-04-26T09:00:00Z', until: '2026-05-03T09:00:00Z', note: 'Great week!',
  delivery: 'individual', zone: 'Europe/Lisbon', state: 'sent', messageId: 'x@example.com',
  items: [
    { id: 1, postId: 7, postSubject: 'Week 1', replyId: 0, clientId: 0, author: '', at: '2026-04-27T09:00:00Z', text: '# Week 1', highlighted: false, pinned: false, alreadySent: true, replyTo: '' },
    { id: 2, postId: 7, postSubject: 'Week 1', replyId: 9, clientId: 4, author: 'Grace Hopper', at: '2026-04-28T09:00:00Z', text: hostile, highlighted: true, pinned: false, alreadySent: false, replyTo: '' },
  ],
} as unknown as Digest;

describe('DigestHistory', () => {
  it('lists each digest’s date, cohort and items, member words as text', () => {
    render(DigestHistory, { digests: [digest] });
    expect(screen.getByRole('heading', { name: 'Digests received' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Spring Mastermind' }).getAttribute('href')).toBe('#/cohorts/1');
    expect(screen.getByText(/2 items · Sent/)).toBeTruthy();
    const items = screen.getByRole('list', { name: /Items of the digest of/ });
    expect(items.textContent).toContain('Post: “Week 1”');
    expect(items.textContent).toContain('Grace Hopper');
    expect(items.textContent).toContain(hostile);
    expect(items.querySelector('img')).toBeNull();
    expect(screen.getByText('Great week!')).toBeTruthy();
  });

  it('says when there is none yet', () => {
    render(DigestHistory, { digests: [] });
    expect(screen.getByText(/No digest yet/)).toBeTruthy();
  });
});
