import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent, waitFor } from '@testing-library/svelte';

vi.mock('../../wailsjs/go/ui/ContentService', () => ({
  SaveLesson: vi.fn(),
  LessonMail: vi.fn(),
  LessonAttachments: vi.fn(),
  AddLessonAttachment: vi.fn(),
  RemoveLessonAttachment: vi.fn(),
}));
vi.mock('../../wailsjs/go/ui/MailService', () => ({ Preview: vi.fn() }));

import * as svc from '../../wailsjs/go/ui/ContentService';
import * as mail from '../../wailsjs/go/ui/MailService';
import LessonEditor from './LessonEditor.svelte';
import type { Lesson } from '../lib/api/types';

const mocked = <T>(f: T) => f as unknown as ReturnType<typeof vi.fn>;
const week1 = { id: 7, slug: 'week-1', title: 'Week 1', module: 'Start', order: 1, body: 'Pick one habit.', checkIn: 'Which one?', askDone: true, updatedAt: '' } as unknown as Lesson;
const input = { slug: 'week-1', title: 'Week 1', module: 'Start', order: 1, body: 'Pick one habit.', checkIn: 'Which one?', askDone: true };

beforeEach(() => {
  vi.clearAllMocks();
  mocked(svc.LessonMail).mockImplementation(async (l: { title: string; body: string }) => ({ cohortId: 0, subject: l.title, body: l.body, sendNow: false }));
  mocked(mail.Preview).mockImplementation(async (p: { subject: string }) => ({ subject: p.subject, html: '<p>x</p>', text: 'x', member: 'Alex', warnings: null, problems: null }));
  mocked(svc.LessonAttachments).mockResolvedValue({ files: null, warnings: null });
});

describe('LessonEditor', () => {
  it('saves a change without the correction unless the coach ticks it', async () => {
    mocked(svc.SaveLesson).mockResolvedValue(week1);
    const onsaved = vi.fn();
    render(LessonEditor, { lesson: week1, initial: input, onsaved, oncancel: vi.fn() });
    const box = screen.getByRole('checkbox', { name: /^Send the correction/ }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    await fireEvent.click(screen.getByRole('button', { name: 'Save lesson' }));
    await waitFor(() => expect(onsaved).toHaveBeenCalledWith(week1, false));
    expect(mocked(svc.SaveLesson)).toHaveBeenLastCalledWith(7, input, false);
    await fireEvent.click(box);
    await fireEvent.click(screen.getByRole('button', { name: 'Save lesson' }));
    await waitFor(() => expect(onsaved).toHaveBeenLastCalledWith(week1, true));
    expect(mocked(svc.SaveLesson)).toHaveBeenLastCalledWith(7, input, true);
  });

  it('offers no correction for a new lesson, and shows the Go sentence under its field', async () => {
    mocked(svc.SaveLesson).mockRejectedValue(JSON.stringify({ code: 'invalid', field: 'body', message: 'Write the lesson first.' }));
    render(LessonEditor, { lesson: null, initial: { ...input, slug: '', body: '' }, onsaved: vi.fn(), oncancel: vi.fn() });
    expect(screen.queryByRole('checkbox', { name: /^Send the correction/ })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Add lesson' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Write the lesson first.'));
    expect(screen.getByLabelText('Lesson (Markdown)').getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(screen.getByTestId('lesson-preview-subject').textContent).toBe('Week 1'));
  });

  it('offers "Delete lesson…" for a lesson of the library only, and asks the view to confirm', async () => {
    const ondelete = vi.fn();
    const { unmount } = render(LessonEditor, { lesson: null, initial: input, onsaved: vi.fn(), oncancel: vi.fn(), ondelete });
    expect(screen.queryByRole('button', { name: 'Delete lesson…' })).toBeNull();
    unmount();
    render(LessonEditor, { lesson: week1, initial: input, onsaved: vi.fn(), oncancel: vi.fn(), ondelete });
    await fireEvent.click(screen.getByRole('button', { name: 'Delete lesson…' }));
    expect(ondelete).toHaveBeenCalledExactlyOnceWith(week1);
    expect(mocked(svc.SaveLesson)).not.toHaveBeenCalled();
  });
});
