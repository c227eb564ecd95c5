import { describe, expect, it } from 'vitest';
import { applyMark, insertAt } from './markdown';

describe('applyMark', () => {
  it('makes the selection bold and keeps it selected', () => {
    const r = applyMark('one two three', 4, 7, 'bold');
    expect(r.text).toBe('one **two** three');
    expect(r.text.slice(r.start, r.end)).toBe('two');
  });

  it('puts a sample word in italics when nothing is selected', () => {
    const r = applyMark('Hi ', 3, 3, 'italic');
    expect(r.text).toBe('Hi _italic text_');
    expect(r.text.slice(r.start, r.end)).toBe('italic text');
  });

  it('turns the selection into a link and selects the address to type', () => {
    const r = applyMark('see the notes', 8, 13, 'link');
    expect(r.text).toBe('see the [notes](https://)');
    expect(r.text.slice(r.start, r.end)).toBe('https://');
  });

  it('turns every selected line into a list item', () => {
    const text = 'Intro\nfirst\nsecond\nafter';
    const r = applyMark(text, 8, 15, 'list');
    expect(r.text).toBe('Intro\n- first\n- second\nafter');
    expect(r.text.slice(r.start, r.end)).toBe('rst\n- sec');
  });

  it('leaves lines that already are list items', () => {
    expect(applyMark('- a\nb', 0, 5, 'list').text).toBe('- a\n- b');
  });
});

describe('insertAt', () => {
  it('puts a placeholder at the cursor and the cursor after it', () => {
    const r = insertAt('Hello ,', 6, 6, '{{first_name}}');
    expect(r.text).toBe('Hello {{first_name}},');
    expect(r.start).toBe(20);
    expect(r.end).toBe(20);
  });
});
