// The editor's toolbar: Markdown marks put around or in front of the selection,
// returned with the selection to restore, so the coach keeps typing where they were.

export type Mark = 'bold' | 'italic' | 'link' | 'list';

export interface Edited {
  text: string;
  start: number;
  end: number;
}

/** applyMark marks text[start:end] (the selection) and returns the new text and selection. */
export function applyMark(text: string, start: number, end: number, mark: Mark): Edited {
  const before = text.slice(0, start);
  const chosen = text.slice(start, end);
  const after = text.slice(end);
  switch (mark) {
    case 'bold':
    case 'italic': {
      const m = mark === 'bold' ? '**' : '_';
      const word = chosen || (mark === 'bold' ? 'bold text' : 'italic text');
      return { text: before + m + word + m + after, start: start + m.length, end: start + m.length + word.length };
    }
    case 'link': {
      const label = chosen || 'link text';
      const url = 'https://';
      const out = before + `[${label}](${url})` + after;
      const urlStart = start + label.length + 3;
      return { text: out, start: urlStart, end: urlStart + url.length };
    }
    case 'list': {
      // Every line the selection touches becomes a list item.
      const lineStart = before.lastIndexOf('\n') + 1;
      const head = text.slice(0, lineStart);
      const lines = text.slice(lineStart, end).split('\n');
      const listed = lines.map((l) => (l.startsWith('- ') ? l : '- ' + l)).join('\n');
      const added = listed.length - (end - lineStart);
      return { text: head + listed + after, start: start + (lines[0].startsWith('- ') ? 0 : 2), end: end + added };
    }
  }
}

/** insertAt puts s at the cursor, replacing the selection, and puts the cursor after it. */
export function insertAt(text: string, start: number, end: number, s: string): Edited {
  const at = start + s.length;
  return { text: text.slice(0, start) + s + text.slice(end), start: at, end: at };
}

/** placeholders are the personal fields an announcement can use, with what each becomes. */
export const placeholders: { name: string; help: string }[] = [
  { name: '{{first_name}}', help: 'the member’s first name' },
  { name: '{{name}}', help: 'their full name' },
  { name: '{{cohort}}', help: 'the cohort’s name' },
  { name: '{{coach_name}}', help: 'your name' },
];
