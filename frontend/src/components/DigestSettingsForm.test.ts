import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import DigestSettingsForm from './DigestSettingsForm.svelte';
import type { DigestSettings } from '../lib/api/types';

const weekly: DigestSettings = { every: 'weekly', weekday: 5, hour: 9, memberLocal: true, approval: false, note: '', described: "Every Friday at 09:00 (each member's time)", next: null };

function show(value: DigestSettings, onsave = vi.fn((_d: DigestSettings) => Promise.resolve())) {
  const oncancel = vi.fn();
  render(DigestSettingsForm, { id: 1, value, defaults: weekly, kindName: 'Mastermind', noteMax: 10, onsave, oncancel });
  return { onsave, oncancel };
}

describe('DigestSettingsForm', () => {
  it('shows the settings and the kind’s default', () => {
    show(weekly);
    expect((screen.getByRole('radio', { name: 'Weekly' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('On') as HTMLSelectElement).value).toBe('5');
    expect((screen.getByLabelText('At') as HTMLSelectElement).selectedOptions[0].textContent).toBe('09:00');
    expect((screen.getByRole('checkbox', { name: 'At that hour in each member’s own time zone' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByTestId('digest-default').textContent).toContain("Default for a mastermind: Every Friday at 09:00 (each member's time).");
    expect(screen.queryByRole('button', { name: 'Use the default' })).toBeNull();
  });

  it('saves daily at an hour in the coach’s time, with approval and a note', async () => {
    const { onsave } = show(weekly);
    await fireEvent.click(screen.getByRole('radio', { name: 'Daily' }));
    expect(screen.queryByLabelText('On')).toBeNull();
    await fireEvent.change(screen.getByLabelText('At'), { target: { value: '18' } });
    await fireEvent.click(screen.getByRole('checkbox', { name: 'At that hour in each member’s own time zone' }));
    await fireEvent.click(screen.getByRole('checkbox', { name: /Replies enter the digest only once I approve them/ }));
    await fireEvent.input(screen.getByLabelText('Your note for the top of the next digest'), { target: { value: 'Hi all' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save digest settings' }));
    expect(onsave).toHaveBeenCalledWith({ every: 'daily', weekday: 5, hour: 18, memberLocal: false, approval: true, note: 'Hi all', described: '', next: null });
  });

  it('offers the default back once the schedule differs from it', async () => {
    show({ ...weekly, every: 'daily', hour: 7 });
    await fireEvent.click(screen.getByRole('button', { name: 'Use the default' }));
    expect((screen.getByRole('radio', { name: 'Weekly' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('At') as HTMLSelectElement).value).toBe('9');
  });

  it('shows the note’s limit and refuses a note over it', async () => {
    const { onsave } = show(weekly);
    const note = screen.getByLabelText('Your note for the top of the next digest');
    await fireEvent.input(note, { target: { value: 'Hello' } });
    expect(screen.getByText(/5 of 10 characters/)).toBeTruthy();
    await fireEvent.input(note, { target: { value: 'Hello there, all' } });
    expect(note.getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByRole('button', { name: 'Save digest settings' }) as HTMLButtonElement).disabled).toBe(true);
    expect(onsave).not.toHaveBeenCalled();
  });

  it('shows the Go side’s sentence when saving fails', async () => {
    show(weekly, vi.fn(() => Promise.reject(JSON.stringify({ code: 'invalid', field: '', message: 'The digest hour must be between 0 and 23 (24 was given).' }))));
    await fireEvent.click(screen.getByRole('button', { name: 'Save digest settings' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The digest hour must be between 0 and 23 (24 was given).');
  });
});
