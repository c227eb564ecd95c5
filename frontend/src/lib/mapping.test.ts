import { describe, expect, it } from 'vitest';
import { fieldForColumn, setColumnField } from './mapping';

describe('import mapping', () => {
  const guessed = { name: 0, email: 1, tags: 3 };

  it('shows which field each column fills', () => {
    expect([0, 1, 2, 3].map((c) => fieldForColumn(guessed, c))).toEqual(['name', 'email', '', 'tags']);
  });

  it('maps an unused column to a field', () => {
    expect(setColumnField(guessed, 2, 'phone')).toEqual({ name: 0, email: 1, tags: 3, phone: 2 });
  });

  it('skips a column when "Don’t import" is chosen', () => {
    expect(setColumnField(guessed, 3, '')).toEqual({ name: 0, email: 1 });
  });

  it('moves a field to its new column, leaving the old one unused', () => {
    const got = setColumnField(guessed, 2, 'email');
    expect(got).toEqual({ name: 0, email: 2, tags: 3 });
    expect(fieldForColumn(got, 1)).toBe('');
  });

  it('replaces the field a column filled', () => {
    expect(setColumnField(guessed, 0, 'first_name')).toEqual({ first_name: 0, email: 1, tags: 3 });
  });

  it('leaves the given mapping as it was', () => {
    setColumnField(guessed, 0, '');
    expect(guessed).toEqual({ name: 0, email: 1, tags: 3 });
  });
});
