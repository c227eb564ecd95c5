import { afterEach, describe, expect, it } from 'vitest';
import { guardLinks, openable, replyTargets, splitLinks } from './links';

describe('splitLinks', () => {
  const cases: [string, string, [string, string?][]][] = [
    ['plain text', 'See you Friday.', [['See you Friday.']]],
    ['a link in a sentence', 'Slides: https://example.com/s?a=1. Thanks', [['Slides: '], ['https://example.com/s?a=1', 'https://example.com/s?a=1'], ['. Thanks']]],
    ['a link in brackets', '(http://example.org)', [['('], ['http://example.org', 'http://example.org'], [')']]],
    ['a mail link', 'mailto:ada@example.com', [['mailto:ada@example.com', 'mailto:ada@example.com']]],
    ['a javascript: link stays text', '[x](javascript:window.__pwned=3)', [['[x](javascript:window.__pwned=3)']]],
    ['an address without a scheme stays text', 'www.example.com', [['www.example.com']]],
  ];
  for (const [name, text, want] of cases) {
    it(name, () => {
      const parts = splitLinks(text);
      expect(parts.map((p) => (p.href ? [p.text, p.href] : [p.text]))).toEqual(want);
      expect(parts.map((p) => p.text).join('')).toBe(text);
    });
  }
});

describe('openable', () => {
  const cases: [string, boolean][] = [
    ['https://example.com', true],
    ['HTTP://EXAMPLE.COM/x', true],
    ['mailto:ada@example.com', true],
    ['javascript:alert(1)', false],
    ['data:text/html,x', false],
    ['file:///etc/passwd', false],
    ['mailto:', false],
    ['not a url', false],
  ];
  for (const [href, want] of cases) it(`${href} → ${want}`, () => expect(openable(href)).toBe(want));
});

describe('guardLinks', () => {
  let stop = () => {};
  afterEach(() => {
    stop();
    document.body.innerHTML = '';
  });

  function click(html: string): { opened: string[]; prevented: boolean } {
    const opened: string[] = [];
    stop = guardLinks(document, (h) => opened.push(h));
    document.body.innerHTML = html;
    const a = document.querySelector('a')!;
    const e = new MouseEvent('click', { bubbles: true, cancelable: true });
    a.dispatchEvent(e);
    return { opened, prevented: e.defaultPrevented };
  }

  it('opens an outside web link in the browser, not the window', () => {
    expect(click('<a href="https://example.com/x"><b>go</b></a>')).toEqual({ opened: ['https://example.com/x'], prevented: true });
  });
  it('does nothing for a javascript: link', () => {
    expect(click('<a href="javascript:window.__pwned=1">x</a>')).toEqual({ opened: [], prevented: true });
  });
  it('leaves the app’s own views alone', () => {
    expect(click('<a href="#/clients">Clients</a>')).toEqual({ opened: [], prevented: false });
  });
});

describe('replyTargets', () => {
  it('lists the mailto: links a member could answer through, without the unsubscribe link', () => {
    const links = [
      'https://example.com/slides',
      'mailto:coach+rt-i-abc@example.com?subject=Re%3A%20Week%201',
      'mailto:coach+rt-i-def@example.com?subject=Re%3A%20Week%202',
      'mailto:coach+rt-i-abc@example.com?subject=Re%3A%20Week%201',
      'mailto:coach@example.com?subject=unsubscribe%20tok',
      'mailto:nobody',
    ];
    expect(replyTargets(links)).toEqual([
      { href: links[1], address: 'coach+rt-i-abc@example.com', subject: 'Re: Week 1' },
      { href: links[2], address: 'coach+rt-i-def@example.com', subject: 'Re: Week 2' },
    ]);
  });
});
