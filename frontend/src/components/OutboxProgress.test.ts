import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import OutboxProgress from './OutboxProgress.svelte';

describe('OutboxProgress', () => {
  it('fills the bar with what is settled and says what was sent', () => {
    render(OutboxProgress, { counts: { sent: 2, failed: 1, queued: 1 }, label: 'Progress of Week 1' });
    const bar = screen.getByRole('progressbar', { name: 'Progress of Week 1' });
    expect(bar.getAttribute('aria-valuenow')).toBe('75');
    expect(bar.getAttribute('aria-valuetext')).toBe('2 of 4 sent · 1 waiting · 1 failed');
    expect(screen.getByText('2 of 4 sent · 1 waiting · 1 failed')).toBeTruthy();
  });
});
