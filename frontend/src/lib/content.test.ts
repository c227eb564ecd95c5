import { describe, expect, it } from 'vitest';
import { blankLesson, cellLabel, deleteQuestion, cellSymbol, importText, legend, modules, releasedWhen, scheduleForm, scheduleInput, stateLabel, unscheduled } from './content';
import type { CurriculumEntry, Lesson, ProgressCell, ProgressGrid } from './api/types';

const lesson = (id: number, title: string, module: string, order: number): Lesson =>
  ({ id, slug: title.toLowerCase(), title, module, order, body: 'x', checkIn: '', askDone: false, updatedAt: '' }) as unknown as Lesson;
const cell = (state: string, releasedAt: string | null = null): ProgressCell => ({ lessonId: 1, state, releasedAt, checkInText: '', replyId: 0 });

describe('the library', () => {
  const ls = [lesson(3, 'Habits', 'Week 2', 1), lesson(1, 'Welcome', 'Week 1', 2), lesson(2, 'Start', 'Week 1', 1), lesson(4, 'Loose', '', 1)];

  it('groups lessons by module, in the order listed, each module in its own order', () => {
    const g = modules(ls);
    expect(g.map((m) => m.name)).toEqual(['Week 2', 'Week 1', '']);
    expect(g[1].lessons.map((l) => l.title)).toEqual(['Start', 'Welcome']);
  });

  it('puts a new lesson after the last of its module', () => {
    expect(blankLesson(ls, 'Week 1').order).toBe(3);
    expect(blankLesson(ls, 'Week 9').order).toBe(1);
  });

  it('says what an import did', () => {
    expect(importText({ created: 2, updated: 1, unchanged: 3 })).toBe('Imported: 2 new lessons, 1 updated, 3 unchanged');
    expect(importText({ created: 0, updated: 0, unchanged: 0 })).toBe('The folder holds no lessons (Markdown files)');
  });
});

describe('the curriculum form', () => {
  const entry = { lessonId: 5, lesson: 'Week 1', module: '', order: 1, rule: 'join_day', date: '', day: 3, hour: 9, released: 0, described: '' } as CurriculumEntry;

  it('reads an entry and writes only the fields of its rule', () => {
    const f = scheduleForm(entry);
    expect(f).toEqual({ lessonId: 5, rule: 'join_day', date: '', day: 3, hour: '9' });
    expect(scheduleInput(7, f)).toEqual({ cohortId: 7, lessonId: 5, rule: 'join_day', date: '', day: 3, hour: 9 });
    expect(scheduleInput(7, { ...f, rule: 'date', date: '2026-03-02', hour: '' })).toEqual({ cohortId: 7, lessonId: 5, rule: 'date', date: '2026-03-02', day: 0, hour: null });
  });

  it('starts a new entry on day 1 of the cohort at the digest’s hour', () => {
    expect(scheduleForm()).toEqual({ lessonId: 0, rule: 'cohort_day', date: '', day: 1, hour: '' });
  });

  it('offers only the lessons not yet in the curriculum', () => {
    expect(unscheduled([lesson(5, 'A', '', 1), lesson(6, 'B', '', 2)], [entry]).map((l) => l.id)).toEqual([6]);
  });
});

describe('the progress grid', () => {
  it('tells every state apart by symbol and by name, not by colour', () => {
    const symbols = legend.map((l) => l.symbol);
    expect(new Set(symbols).size).toBe(symbols.length);
    expect(cellSymbol(cell('done'))).toBe('✓');
    expect(cellLabel('Ada Lovelace', 'Week 1', cell('replied'))).toBe('Ada Lovelace, Week 1: replied');
    expect(stateLabel(cell('not_released'))).toBe('Not released');
    expect(stateLabel(cell('weird'))).toBe('Not released');
  });

  it('says when a lesson went out, from the first to the last member', () => {
    const g = {
      cohortId: 1,
      cohort: 'C',
      lessons: [{ lessonId: 1, title: 'Week 1', released: 2, replied: 0, done: 0 }],
      members: [
        { clientId: 1, name: 'A', email: 'a@x', released: 1, replied: 0, done: 0, cells: [cell('released', '2026-03-03T10:00:00Z')] },
        { clientId: 2, name: 'B', email: 'b@x', released: 1, replied: 0, done: 0, cells: [cell('released', '2026-03-02T10:00:00Z')] },
        { clientId: 3, name: 'C', email: 'c@x', released: 0, replied: 0, done: 0, cells: [cell('not_released')] },
      ],
    } as ProgressGrid;
    const first = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date('2026-03-02T10:00:00Z'));
    expect(releasedWhen(g, 1)).toMatch(new RegExp(`^${first} – `));
    expect(releasedWhen(g, 2)).toBe('');
    expect(releasedWhen(null, 1)).toBe('');
  });
});

describe('deleteQuestion', () => {
  it('names what the lesson leaves and what stays', () => {
    expect(deleteQuestion({ title: 'Week 2', cohorts: 2, members: 14 })).toBe(
      'Delete “Week 2” from your library? It leaves the curriculum of 2 cohorts and the progress grid, with its marks. The 14 members who received it keep their mail, and their replies stay in the conversation.',
    );
    expect(deleteQuestion({ title: 'Draft', cohorts: 0, members: 0 })).toBe('Delete “Draft” from your library? No cohort has it in its curriculum.');
    expect(deleteQuestion({ title: 'Soon', cohorts: 1, members: 0 })).toBe('Delete “Soon” from your library? It leaves the curriculum of 1 cohort.');
  });
});
