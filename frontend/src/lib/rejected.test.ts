import { describe, expect, it } from 'vitest';
import { rowsToFix } from './rejected';

describe('rowsToFix', () => {
  it('keeps the file header and cells and adds the reason, quoting what would split', () => {
    const text = rowsToFix(
      ['Prénom', 'Nom', 'Adresse e-mail'],
      [
        { line: 3, reason: '"not an email" is not an email address.', cells: ['Bo', 'Li, Jr', 'not an email'] },
        { line: 9, reason: 'The line could not be read as CSV: a quote is not closed.' },
      ],
    );
    expect(text).toBe(
      'Prénom,Nom,Adresse e-mail,Why it was skipped\n' +
        'Bo,"Li, Jr",not an email,"Line 3: ""not an email"" is not an email address."\n' +
        ',,,Line 9: The line could not be read as CSV: a quote is not closed.\n',
    );
  });
});
