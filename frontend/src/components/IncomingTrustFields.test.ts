import { describe, expect, it } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import IncomingTrustFields from './IncomingTrustFields.svelte';

const nameField = () => screen.getByLabelText('Your mail provider’s name (for checking senders)') as HTMLInputElement;

describe('IncomingTrustFields', () => {
  it('offers the name seen on synced mail while the field is empty, and fills it in', async () => {
    render(IncomingTrustFields, { authServId: '', keepPersonal: false, seen: 'mx.google.com' });
    expect(screen.getByRole('note', { name: 'Suggested provider name' }).textContent).toContain('Your mail seems to be checked by mx.google.com — use it?');
    await fireEvent.click(screen.getByRole('button', { name: 'Use mx.google.com' }));
    expect(nameField().value).toBe('mx.google.com');
    expect(screen.queryByRole('note', { name: 'Suggested provider name' })).toBeNull();
  });

  it('offers nothing once the coach named a provider', () => {
    render(IncomingTrustFields, { authServId: 'fastmail.com', keepPersonal: false, seen: 'mx.google.com' });
    expect(nameField().value).toBe('fastmail.com');
    expect(screen.queryByRole('button', { name: /^Use / })).toBeNull();
  });

  it('keeps no 1:1 mail with clients unless asked, and says what is stored otherwise', () => {
    render(IncomingTrustFields, { authServId: '', keepPersonal: false, seen: '' });
    const keep = screen.getByRole('checkbox', { name: 'Keep my 1:1 mail with clients' }) as HTMLInputElement;
    expect(keep.checked).toBe(false);
    expect(document.getElementById(keep.getAttribute('aria-describedby') ?? '')?.textContent).toContain('only mail about what it sent');
  });
});
