import { describe, expect, it } from 'vitest';
import { busy, countStates, filterItems, outcomeText, rawAnswer, postProgress, progressText, workerSentence } from './outbox';
import type { OutboxItem } from './api/types';

describe('postProgress', () => {
  it('counts a post that is half way', () => {
    const p = postProgress({ sent: 2, queued: 1, sending: 1, retrying: 1, failed: 1, skipped: 1, canceled: 1 });
    expect(p).toMatchObject({ total: 8, sent: 2, waiting: 2, retrying: 1, failed: 1, skipped: 1, canceled: 1, settled: 5 });
    expect(p.percent).toBe(63);
  });

  it('is full when every message is sent', () => {
    const p = postProgress({ sent: 3 });
    expect(p.percent).toBe(100);
    expect(progressText(p)).toBe('3 of 3 sent');
  });

  it('is full but says so when some failed or were skipped', () => {
    const p = postProgress({ sent: 8, failed: 1, skipped: 1 });
    expect(p.percent).toBe(100);
    expect(progressText(p)).toBe('8 of 10 sent · 1 failed · 1 skipped');
  });

  it('is empty for a post with no messages, without dividing by zero', () => {
    for (const counts of [undefined, null, {}]) {
      const p = postProgress(counts);
      expect(p.total).toBe(0);
      expect(p.percent).toBe(0);
    }
  });

  it('ignores states it does not know, and negative numbers', () => {
    expect(postProgress({ sent: 1, bogus: 5, queued: -2 }).total).toBe(1);
  });

  it('says what is still to go', () => {
    expect(progressText(postProgress({ sent: 1, queued: 2, retrying: 1 }))).toBe('1 of 4 sent · 2 waiting · 1 retrying');
  });
});

describe('busy', () => {
  const cases: [string, Record<string, number> | undefined, boolean][] = [
    ['nothing sent yet', { queued: 3 }, true],
    ['one being handed over', { sending: 1, sent: 2 }, true],
    ['a retry waiting', { retrying: 1, sent: 2 }, true],
    ['all sent', { sent: 3 }, false],
    ['done with failures', { sent: 2, failed: 1, canceled: 4 }, false],
    ['no outbox at all', undefined, false],
  ];
  for (const [name, counts, want] of cases) {
    it(`is ${want} when ${name}`, () => expect(busy(counts)).toBe(want));
  }
});

describe('state filter', () => {
  const item = (id: number, state: string) => ({ id, state, name: `M${id}`, email: `m${id}@example.com` }) as OutboxItem;
  const items = [item(1, 'sent'), item(2, 'failed'), item(3, 'sent'), item(4, 'retrying')];

  it('keeps every recipient for "All"', () => {
    expect(filterItems(items, '')).toHaveLength(4);
  });

  it('keeps only the recipients in the chosen state', () => {
    expect(filterItems(items, 'sent').map((i) => i.id)).toEqual([1, 3]);
    expect(filterItems(items, 'failed').map((i) => i.id)).toEqual([2]);
    expect(filterItems(items, 'queued')).toEqual([]);
  });

  it('counts recipients by state for the filter’s numbers', () => {
    expect(countStates(items)).toEqual({ sent: 2, failed: 1, retrying: 1 });
  });
});

describe('workerSentence', () => {
  it('tells the coach that mail waits while offline', () => {
    expect(workerSentence({ state: 'offline', note: 'x', sent: 0, nextTry: '' })).toBe('Offline — messages wait and go when the connection is back.');
  });

  it('says paused and idle in plain words', () => {
    expect(workerSentence({ state: 'paused', note: '', sent: 0, nextTry: '' })).toMatch(/^Paused/);
    expect(workerSentence({ state: 'idle', note: '', sent: 0, nextTry: '' })).toMatch(/^Idle/);
  });
});

describe('what happened to one message', () => {
  it('says a sent message was accepted, with the server’s words one click away', () => {
    const sent = { state: 'sent', lastAnswer: 'Accepted by the server: 2.0.0 OK: queued' };
    expect(outcomeText(sent)).toBe('Accepted by your mail server');
    expect(rawAnswer(sent)).toBe('Accepted by the server: 2.0.0 OK: queued');
  });

  it('keeps the sentence recorded for the other states', () => {
    const skipped = { state: 'skipped', lastAnswer: 'Not sent: the client is archived.' };
    expect(outcomeText(skipped)).toBe('Not sent: the client is archived.');
    expect(rawAnswer(skipped)).toBe('');
    expect(outcomeText({ state: 'queued', lastAnswer: '' })).toBe('—');
  });
});
