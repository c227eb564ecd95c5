import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import ReplySharingSetting from './ReplySharingSetting.svelte';

describe('ReplySharingSetting', () => {
  it('shows the cohort’s setting, the recommended one when unset', () => {
    render(ReplySharingSetting, { id: 1, value: '', onchange: vi.fn(() => Promise.resolve()) });
    expect((screen.getByRole('radio', { name: 'From their own address (recommended)' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('radio', { name: 'Only verified senders' }) as HTMLInputElement).checked).toBe(false);
    expect(screen.getByRole('group', { name: 'Members see each other’s replies' })).toBeTruthy();
  });

  it('saves a choice, and shows the saved setting again when saving fails', async () => {
    const onchange = vi.fn(() => Promise.resolve());
    render(ReplySharingSetting, { id: 1, value: 'plausible', onchange });
    const verified = screen.getByRole('radio', { name: 'Only verified senders' }) as HTMLInputElement;
    await fireEvent.click(verified);
    expect(onchange).toHaveBeenCalledWith('verified');
    await Promise.resolve();
    // value did not change: not saved.
    expect(verified.checked).toBe(false);
    expect((screen.getByRole('radio', { name: 'From their own address (recommended)' }) as HTMLInputElement).checked).toBe(true);
  });
});
