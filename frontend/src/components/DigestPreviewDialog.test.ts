import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import DigestPreviewDialog from './DigestPreviewDialog.svelte';
import type { DigestPreview, Member } from '../lib/api/types';

const members = [
  { clientId: 1, name: 'Ana Lima', email: 'ana@example.com', status: 'active', role: 'member', joinedAt: '2026-01-01T00:00:00Z', leftAt: null, delivery: 'individual' },
  { clientId: 2, name: 'Ben Ode', email: 'ben@example.com', status: 'active', role: 'member', joinedAt: '2026-01-01T00:00:00Z', leftAt: null, delivery: 'digest' },
] as Member[];

const preview = (over: Partial<DigestPreview> = {}): DigestPreview => ({
  subject: 'Spring: 2 new replies', sendAt: '2026-12-04T09:00:00Z', items: [], text: 'Plain words\nReply to this: mailto:x', html: '<p>Hello</p>', empty: false, ...over,
});

describe('DigestPreviewDialog', () => {
  it('shows the subject, the mail in the sandboxed frame and the plain text behind a toggle', async () => {
    render(DigestPreviewDialog, { open: true, cohortName: 'Spring', members, clientId: 1, preview: preview(), onpick: vi.fn() });
    expect(screen.getByTestId('digest-subject').textContent).toBe('Spring: 2 new replies');
    const frame = screen.getByTitle('Digest for Ana Lima') as HTMLIFrameElement;
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toBe('<p>Hello</p>');
    expect(screen.queryByLabelText('Plain-text part')).toBeNull();
    const toggle = screen.getByRole('button', { name: 'Show the plain text' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(toggle);
    expect(screen.getByLabelText('Plain-text part').textContent).toContain('Plain words');
    expect(screen.getByRole('button', { name: 'Hide the plain text' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('says an empty digest will not be sent, and shows no mail', () => {
    render(DigestPreviewDialog, { open: true, cohortName: 'Spring', members, clientId: 2, preview: preview({ empty: true }), onpick: vi.fn() });
    expect(screen.getByTestId('digest-empty').textContent).toBe('Nothing new for Ben since their last digest; it will not be sent.');
    expect(screen.queryByTitle('Digest for Ben Ode')).toBeNull();
  });

  it('picks another member', async () => {
    const onpick = vi.fn();
    render(DigestPreviewDialog, { open: true, cohortName: 'Spring', members, clientId: 1, preview: preview(), onpick });
    const select = screen.getByLabelText('As') as HTMLSelectElement;
    expect(select.value).toBe('1');
    await fireEvent.change(select, { target: { value: '2' } });
    expect(onpick).toHaveBeenCalledWith(2);
  });

  it('shows the Go side’s sentence when it cannot render', () => {
    render(DigestPreviewDialog, { open: true, cohortName: 'Spring', members, clientId: 1, preview: null, error: 'Roundtable is still starting; try again in a moment.', onpick: vi.fn() });
    expect(screen.getByRole('alert').textContent).toBe('Roundtable is still starting; try again in a moment.');
  });
});
