import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent, waitFor, within } from '@testing-library/svelte';

vi.mock('../../wailsjs/go/ui/ContentService', () => ({ Mark: vi.fn(), SaveProgressCSV: vi.fn() }));

import * as svc from '../../wailsjs/go/ui/ContentService';
import ProgressGrid from './ProgressGrid.svelte';
import type { ProgressGrid as Grid } from '../lib/api/types';

const mocked = <T>(f: T) => f as unknown as ReturnType<typeof vi.fn>;
const states = ['not_released', 'released', 'replied', 'done', 'excused'];

/** big is a cohort of members × lessons, each cell in a state by its place. */
function big(members: number, lessons: number): Grid {
  return {
    cohortId: 4,
    cohort: 'Big Course',
    lessons: Array.from({ length: lessons }, (_, j) => ({ lessonId: j + 1, title: `Lesson ${j + 1}`, released: members, replied: 0, done: 0 })),
    members: Array.from({ length: members }, (_, i) => ({
      clientId: i + 1,
      name: `Member ${i + 1}`,
      email: `m${i + 1}@example.com`,
      released: 0,
      replied: 0,
      done: 0,
      cells: Array.from({ length: lessons }, (_, j) => ({
        lessonId: j + 1,
        state: states[(i + j) % states.length],
        releasedAt: null,
        checkInText: i === 0 && j === 2 ? '<img src=x onerror=alert(1)> I walked.' : '',
        replyId: 0,
      })),
    })),
  };
}

beforeEach(() => vi.clearAllMocks());

describe('ProgressGrid', () => {
  it('shows 30 members × 24 lessons, each cell named for who, which and what, with headers that stay in view', () => {
    render(ProgressGrid, { grid: big(30, 24), cohortId: 4, cohortName: 'Big Course', onchange: vi.fn() });
    const table = screen.getByRole('table', { name: 'Progress of Big Course: members by lessons' });
    // By attribute, not by role: working out 720 accessible names is slow.
    const cells = [...table.querySelectorAll('tbody button')];
    expect(cells).toHaveLength(30 * 24);
    const byName = new Map(cells.map((b) => [b.getAttribute('aria-label'), b.textContent]));
    expect(byName.size).toBe(30 * 24);
    expect(byName.get('Member 1, Lesson 1: not released')).toBe('·');
    expect(byName.get('Member 1, Lesson 4: done')).toBe('✓');
    expect(byName.get('Member 30, Lesson 24: replied')).toBe('✎');
    for (const th of table.querySelectorAll('thead th, tbody th')) expect(th.className).toContain('sticky');
  }, 30000);

  it('opens a member’s answer as text and marks it complete', async () => {
    const onchange = vi.fn();
    mocked(svc.Mark).mockResolvedValue(undefined);
    render(ProgressGrid, { grid: big(2, 3), cohortId: 4, cohortName: 'Big Course', onchange });
    await fireEvent.click(screen.getByRole('button', { name: 'Member 1, Lesson 3: replied' }));
    const d = await screen.findByRole('dialog', { name: 'Member 1 — Lesson 3' });
    expect(within(d).getByTestId('checkin-text').textContent).toBe('<img src=x onerror=alert(1)> I walked.');
    expect(d.querySelector('img')).toBeNull();
    await fireEvent.click(within(d).getByRole('button', { name: 'Mark complete' }));
    await waitFor(() => expect(onchange).toHaveBeenCalled());
    expect(mocked(svc.Mark)).toHaveBeenCalledWith(4, 3, 1, 'done');
  });
});
