import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import MailFrame from './MailFrame.svelte';
import MailLinks from './MailLinks.svelte';

const opened = vi.hoisted(() => [] as string[]);
vi.mock('../lib/api/workspace', () => ({
  workspaceApi: { openInBrowser: (url: string) => (opened.push(url), Promise.resolve()) },
}));

describe('MailFrame', () => {
  it('shows mail in a frame that may run nothing: sandbox="" with no allow-* token', () => {
    render(MailFrame, { html: '<p>Hello Ada</p>', title: 'Message: Week 1' });
    const frame = screen.getByTitle('Message: Week 1');
    // Pinned: any allow-* token (scripts, popups, same-origin, top-navigation,
    // forms) would let member HTML act; the attribute must be present and empty.
    expect(frame.hasAttribute('sandbox')).toBe(true);
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toBe('<p>Hello Ada</p>');
    expect(frame.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(frame.getAttribute('src')).toBeNull();
  });
});

describe('MailLinks', () => {
  afterEach(() => opened.splice(0));

  it('opens a link in the browser only when the coach clicks it', async () => {
    render(MailLinks, { links: ['https://example.com/a', 'mailto:ada@example.com'] });
    expect(opened).toEqual([]);
    await fireEvent.click(screen.getByRole('button', { name: 'Open https://example.com/a in your browser' }));
    expect(opened).toEqual(['https://example.com/a']);
  });

  it('shows nothing when there are no links', () => {
    const { container } = render(MailLinks, { links: [] });
    expect(container.querySelector('ul')).toBeNull();
  });
});
