import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

vi.mock('../../wailsjs/go/ui/SessionService', () => ({
  List: vi.fn(),
  Get: vi.fn(),
  Create: vi.fn(),
  Cancel: vi.fn(),
  Update: vi.fn(),
  SetRSVP: vi.fn(() => Promise.resolve()),
  Reminders: vi.fn(),
  SetReminders: vi.fn(() => Promise.resolve()),
  SetAttendance: vi.fn(() => Promise.resolve()),
  SetNote: vi.fn(() => Promise.resolve()),
  SetAttendeeNote: vi.fn(() => Promise.resolve()),
}));

import * as svc from '../../wailsjs/go/ui/SessionService';
import SessionsSection from './SessionsSection.svelte';
import { sessions } from '../lib/stores/sessions.svelte';
import type { Cohort } from '../lib/api/types';

const mocked = <T>(f: T) => f as unknown as ReturnType<typeof vi.fn>;
const cohort = { id: 4, name: 'Circle', archivedAt: null } as unknown as Cohort;
const session = (over: object = {}) => ({
  id: 9, uid: 'u', cohortId: 4, cohort: 'Circle', clientId: 0, client: '', title: 'Mastermind call', start: '2026-03-03T17:00:00Z',
  minutes: 60, timeZone: 'Europe/Paris', link: '', location: '', agenda: '', everyWeeks: 0, until: '', count: 0, sequence: 0,
  status: 'scheduled', reminders: null, note: '', createdAt: '', updatedAt: '',
  attendees: [
    { clientId: 1, name: 'Ana Lima', email: 'ana@example.com', state: 'invited', rsvp: 'accepted', rsvpSource: 'calendar', note: '', attended: null },
    { clientId: 2, name: 'Ben Okafor', email: 'ben@example.com', state: 'invited', rsvp: 'needs-action', rsvpSource: '', note: '', attended: null },
  ],
  ...over,
});

beforeEach(() => {
  vi.clearAllMocks();
  sessions.cohortId = -1;
  sessions.clientId = -1;
  mocked(svc.List).mockResolvedValue([session()]);
  mocked(svc.Reminders).mockResolvedValue([1440, 60]);
});

describe('SessionsSection', () => {
  it('lists sessions with their answers and ticks attendance per member', async () => {
    render(SessionsSection, { cohort });
    const row = await screen.findByRole('button', { name: /Mastermind call/ });
    expect(row.textContent).toContain('1 coming, 0 not, 0 maybe, 1 no answer');
    expect(row.textContent).toContain('18:00');
    await fireEvent.click(row);
    const table = screen.getByRole('table', { name: 'Attendees of Mastermind call' });
    expect(table.textContent).toContain('Coming (from their calendar)');
    expect(table.textContent).toContain('No answer yet');
    mocked(svc.Get).mockResolvedValueOnce(session({ attendees: [{ ...session().attendees[0], attended: true }, session().attendees[1]] }));
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Ana Lima came' }));
    expect(svc.SetAttendance).toHaveBeenCalledWith(9, [1], true);
    await waitFor(() => expect((screen.getByRole('checkbox', { name: 'Ana Lima came' }) as HTMLInputElement).checked).toBe(true));
  });

  it('plans a session from the form, on the clock of the zone given', async () => {
    mocked(svc.List).mockResolvedValue([]);
    mocked(svc.Create).mockResolvedValue(session({ id: 10, title: 'Kick-off' }));
    render(SessionsSection, { cohort });
    await fireEvent.click(await screen.findByRole('button', { name: 'Plan a session' }));
    const form = screen.getByRole('form', { name: 'Plan a session' });
    await fireEvent.input(screen.getByLabelText('Title'), { target: { value: 'Kick-off' } });
    await fireEvent.input(screen.getByLabelText('Starts'), { target: { value: '2026-07-01T09:30' } });
    await fireEvent.input(screen.getByLabelText('Time zone'), { target: { value: 'America/New_York' } });
    await fireEvent.submit(form);
    await waitFor(() => expect(svc.Create).toHaveBeenCalled());
    expect(mocked(svc.Create).mock.calls[0][0]).toMatchObject({ cohortId: 4, title: 'Kick-off', start: '2026-07-01T13:30:00.000Z', timeZone: 'America/New_York', minutes: 60 });
    expect(await screen.findByRole('button', { name: /Kick-off/ })).toBeTruthy();
  });

  it('plans a client’s 1:1 from their page', async () => {
    mocked(svc.List).mockResolvedValue([]);
    mocked(svc.Create).mockResolvedValue(session({ id: 11, cohortId: 0, clientId: 5, title: '1:1' }));
    render(SessionsSection, { client: { id: 5, name: 'Ana Lima' } });
    expect(await screen.findByRole('heading', { name: '1:1 sessions' })).toBeTruthy();
    expect(mocked(svc.List).mock.calls[0][0]).toEqual({ cohortId: 0, clientId: 5 });
    await fireEvent.click(screen.getByRole('button', { name: 'Plan a session' }));
    await fireEvent.input(screen.getByLabelText('Title'), { target: { value: '1:1' } });
    await fireEvent.input(screen.getByLabelText('Starts'), { target: { value: '2026-07-01T09:30' } });
    await fireEvent.submit(screen.getByRole('form', { name: 'Plan a session' }));
    await waitFor(() => expect(svc.Create).toHaveBeenCalled());
    expect(mocked(svc.Create).mock.calls[0][0]).toMatchObject({ cohortId: 0, clientId: 5, title: '1:1' });
  });

  it('says the coach’s sentence when planning is refused', async () => {
    mocked(svc.List).mockResolvedValue([]);
    mocked(svc.Create).mockRejectedValue(JSON.stringify({ code: 'invalid', field: '', message: 'A session lasts between a minute and a day.' }));
    render(SessionsSection, { cohort });
    await fireEvent.click(await screen.findByRole('button', { name: 'Plan a session' }));
    await fireEvent.input(screen.getByLabelText('Title'), { target: { value: 'x' } });
    await fireEvent.input(screen.getByLabelText('Starts'), { target: { value: '2026-07-01T09:30' } });
    await fireEvent.submit(screen.getByRole('form', { name: 'Plan a session' }));
    expect((await screen.findByRole('alert')).textContent).toContain('A session lasts between a minute and a day.');
  });

  it('edits a session from the list: the form holds it on its own clock and sends the update', async () => {
    render(SessionsSection, { cohort });
    await fireEvent.click(await screen.findByRole('button', { name: /Mastermind call/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Edit session' }));
    const form = screen.getByRole('form', { name: 'Edit session' });
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Mastermind call');
    expect((screen.getByLabelText('Starts') as HTMLInputElement).value).toBe('2026-03-03T18:00');
    expect((screen.getByLabelText('Time zone') as HTMLInputElement).value).toBe('Europe/Paris');
    expect(form.textContent).toContain('Everyone invited gets the update');
    await fireEvent.input(screen.getByLabelText('Title'), { target: { value: 'Mastermind call (moved)' } });
    await fireEvent.input(screen.getByLabelText('Starts'), { target: { value: '2026-03-03T19:30' } });
    await fireEvent.input(screen.getByLabelText('Minutes'), { target: { value: '90' } });
    await fireEvent.input(screen.getByLabelText('Video link'), { target: { value: 'https://meet.example/new' } });
    mocked(svc.Update).mockResolvedValue(session({ title: 'Mastermind call (moved)', start: '2026-03-03T18:30:00Z', minutes: 90, sequence: 1 }));
    await fireEvent.click(screen.getByRole('button', { name: 'Send the update' }));
    await waitFor(() => expect(svc.Update).toHaveBeenCalled());
    expect(mocked(svc.Update).mock.calls[0][0]).toBe(9);
    expect(mocked(svc.Update).mock.calls[0][1]).toMatchObject({
      cohortId: 4, title: 'Mastermind call (moved)', start: '2026-03-03T18:30:00.000Z', minutes: 90, timeZone: 'Europe/Paris', link: 'https://meet.example/new',
    });
    const row = await screen.findByRole('button', { name: /Mastermind call \(moved\)/ });
    expect(row.textContent).toContain('19:30');
    expect(screen.queryByRole('form', { name: 'Edit session' })).toBeNull();
    expect(svc.Create).not.toHaveBeenCalled();
  });

  it('records an answer a member gave the coach by hand', async () => {
    render(SessionsSection, { cohort });
    await fireEvent.click(await screen.findByRole('button', { name: /Mastermind call/ }));
    const pick = screen.getByRole('combobox', { name: 'Answer Ben Okafor gave you' }) as HTMLSelectElement;
    expect(pick.value).toBe('');
    const [ana, ben] = session().attendees;
    mocked(svc.Get).mockResolvedValueOnce(session({ attendees: [ana, { ...ben, rsvp: 'declined', rsvpSource: 'coach' }] }));
    await fireEvent.change(pick, { target: { value: 'declined' } });
    expect(svc.SetRSVP).toHaveBeenCalledWith(9, 2, 'declined');
    const table = screen.getByRole('table', { name: 'Attendees of Mastermind call' });
    await waitFor(() => expect(table.textContent).toContain('Not coming (entered by you)'));
    expect((screen.getByRole('combobox', { name: 'Answer Ben Okafor gave you' }) as HTMLSelectElement).value).toBe('declined');
  });

  it('shows the cohort’s reminders, a day and an hour before, and changes them', async () => {
    render(SessionsSection, { cohort });
    const reminders = await screen.findByRole('group', { name: 'Reminders' });
    const day = screen.getByRole('checkbox', { name: 'A day before' }) as HTMLInputElement;
    const hour = screen.getByRole('checkbox', { name: 'An hour before' }) as HTMLInputElement;
    const quarter = screen.getByRole('checkbox', { name: '15 minutes before' }) as HTMLInputElement;
    expect(reminders.contains(day)).toBe(true);
    expect([day.checked, hour.checked, quarter.checked]).toEqual([true, true, false]);
    await fireEvent.click(hour);
    expect(svc.SetReminders).toHaveBeenCalledWith(4, [1440]);
    await fireEvent.click(quarter);
    expect(svc.SetReminders).toHaveBeenLastCalledWith(4, [1440, 15]);
    await waitFor(() => expect((screen.getByRole('checkbox', { name: '15 minutes before' }) as HTMLInputElement).checked).toBe(true));
  });

  it('offers no reminders on a client’s 1:1s (they are the cohort’s setting)', async () => {
    render(SessionsSection, { client: { id: 5, name: 'Ana Lima' } });
    await screen.findByRole('heading', { name: '1:1 sessions' });
    expect(screen.queryByRole('group', { name: 'Reminders' })).toBeNull();
    expect(svc.Reminders).not.toHaveBeenCalled();
  });

  it('keeps a private note on one member of a session', async () => {
    render(SessionsSection, { cohort });
    await fireEvent.click(await screen.findByRole('button', { name: /Mastermind call/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Private note on Ana Lima' }));
    const form = screen.getByRole('form', { name: 'Private note on Ana Lima' });
    await fireEvent.input(screen.getByLabelText(/Private note on Ana Lima in this session/), { target: { value: 'Stuck on **pricing**' } });
    const [ana, ben] = session().attendees;
    mocked(svc.Get).mockResolvedValueOnce(session({ attendees: [{ ...ana, note: 'Stuck on **pricing**' }, ben] }));
    await fireEvent.click(screen.getByRole('button', { name: 'Save note on Ana Lima' }));
    expect(svc.SetAttendeeNote).toHaveBeenCalledWith(9, 1, 'Stuck on **pricing**');
    await waitFor(() => expect(form.isConnected).toBe(false));
    expect(screen.getByRole('button', { name: 'Private note on Ana Lima' }).textContent).toContain('Edit note');
    expect(svc.SetNote).not.toHaveBeenCalled();
  });
});
