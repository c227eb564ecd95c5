import { describe, expect, it } from 'vitest';
import { firstField } from './focus';

function html(s: string): HTMLElement {
  const d = document.createElement('div');
  d.innerHTML = s;
  return d;
}

describe('firstField', () => {
  it('skips hidden and disabled inputs for the first field', () => {
    const b = html('<input type="hidden"><input id="a" disabled><select id="s"></select><input id="n">');
    expect(firstField(b)?.id).toBe('s');
  });
  it('prefers a field marked data-autofocus', () => {
    const b = html('<input id="a"><textarea id="t" data-autofocus></textarea>');
    expect(firstField(b)?.id).toBe('t');
  });
  it('takes the checked radio of a group', () => {
    const b = html('<input type="radio" name="c" id="r1"><input type="radio" name="c" id="r2" checked>');
    expect(firstField(b)?.id).toBe('r2');
  });
  it('falls back to a button in the body, then the footer main action', () => {
    expect(firstField(html('<p>Text</p><button id="b">Go</button>'))?.id).toBe('b');
    const footer = html('<button id="cancel">Cancel</button><button id="ok">Confirm</button><button disabled>x</button>');
    expect(firstField(html('<p>Sure?</p>'), footer)?.id).toBe('ok');
    expect(firstField(null, null)).toBeNull();
  });
});
