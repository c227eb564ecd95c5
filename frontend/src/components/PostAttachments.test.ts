import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent, waitFor } from '@testing-library/svelte';

vi.mock('../../wailsjs/go/ui/MailService', () => ({
  Attachments: vi.fn(),
  AddAttachment: vi.fn(),
  RemoveAttachment: vi.fn(),
}));

import * as svc from '../../wailsjs/go/ui/MailService';
import PostAttachments from './PostAttachments.svelte';

const mocked = <T>(f: T) => f as unknown as ReturnType<typeof vi.fn>;
const pdf = { id: 3, postId: 9, filename: 'worksheet.pdf', contentType: 'application/pdf', size: 12 * 1024 * 1024 };

beforeEach(() => {
  vi.clearAllMocks();
  mocked(svc.Attachments).mockResolvedValue({ files: null, warnings: null });
});

describe('PostAttachments', () => {
  it('saves a new draft first, then attaches the chosen file and shows the size note', async () => {
    mocked(svc.AddAttachment).mockResolvedValue({ files: [pdf], warnings: ['The attachments add up to more than 10 MB.'] });
    const ensureSaved = vi.fn(() => Promise.resolve(9));
    render(PostAttachments, { postId: 0, ensureSaved });
    await fireEvent.click(screen.getByRole('button', { name: 'Attach a file…' }));
    await waitFor(() => expect(screen.getByText('worksheet.pdf')).toBeTruthy());
    expect(ensureSaved).toHaveBeenCalled();
    expect(mocked(svc.AddAttachment)).toHaveBeenCalledWith(9);
    expect(screen.getByText('12.0 MB')).toBeTruthy();
    expect(screen.getByRole('note').textContent).toContain('more than 10 MB');
  });

  it('explains when there is nothing to attach to yet', async () => {
    render(PostAttachments, { postId: 0, ensureSaved: () => Promise.resolve(0) });
    await fireEvent.click(screen.getByRole('button', { name: 'Attach a file…' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Write a subject and a message first'));
    expect(mocked(svc.AddAttachment)).not.toHaveBeenCalled();
  });

  it('shows the Go sentence when a file is refused, and removes a file', async () => {
    mocked(svc.Attachments).mockResolvedValue({ files: [pdf], warnings: [] });
    mocked(svc.AddAttachment).mockRejectedValue('movie.mov is over 20 MB, more than many mail providers accept. Share a link to it instead.');
    mocked(svc.RemoveAttachment).mockResolvedValue({ files: [], warnings: [] });
    render(PostAttachments, { postId: 9, ensureSaved: () => Promise.resolve(9) });
    await waitFor(() => expect(screen.getByText('worksheet.pdf')).toBeTruthy());
    await fireEvent.click(screen.getByRole('button', { name: 'Attach a file…' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('over 20 MB'));
    await fireEvent.click(screen.getByRole('button', { name: 'Remove worksheet.pdf' }));
    await waitFor(() => expect(screen.queryByText('worksheet.pdf')).toBeNull());
    expect(mocked(svc.RemoveAttachment)).toHaveBeenCalledWith(9, 3);
  });
});
