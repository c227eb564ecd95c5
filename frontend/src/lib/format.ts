// Dates and labels as the coach reads them, in the coach's locale.

// The formatters are made on first use: the first Intl object of a page loads
// the locale's data, which a window that starts on the clients list never needs.
let dateFmt: Intl.DateTimeFormat | undefined;
let dateTimeFmt: Intl.DateTimeFormat | undefined;

function dates(): Intl.DateTimeFormat {
  return (dateFmt ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }));
}

function dateTimes(): Intl.DateTimeFormat {
  return (dateTimeFmt ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
}

/** formatDate shows an RFC 3339 time from Go as a date; "" for none. */
export function formatDate(rfc3339: string | null | undefined): string {
  if (!rfc3339) return '';
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime()) || d.getFullYear() <= 1) return '';
  return dates().format(d);
}

/** formatDay shows a calendar day ("2026-01-31") in the coach's locale, with no time-zone shift. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  return dates().format(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

/** formatDays shows a cohort's dates: "Mar 1, 2026 – Jun 1, 2026", "from …", "until …". */
export function formatDays(start: string, end: string): string {
  if (start && end) return `${formatDay(start)} – ${formatDay(end)}`;
  if (start) return `from ${formatDay(start)}`;
  if (end) return `until ${formatDay(end)}`;
  return '';
}

const kindLabels: Record<string, string> = {
  mastermind: 'Mastermind',
  group_coaching: 'Group coaching',
  micro_community: 'Micro-community',
  course_cohort: 'Course cohort',
  community_of_practice: 'Community of practice',
  one_to_one: '1:1 clients',
  other: 'Other',
};

/** kindLabel names a cohort kind. */
export function kindLabel(kind: string): string {
  return kindLabels[kind] ?? capitalize(kind.replace(/_/g, ' '));
}

/** roleLabel names a membership role. */
export function roleLabel(role: string): string {
  return role === 'co_host' ? 'Co-host' : 'Member';
}

/** statusLabel names a client status. */
export function statusLabel(status: string): string {
  return capitalize(status);
}

/** plural writes "1 client", "3 clients", with the count in the coach's locale. */
export function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** formatDateTime shows an RFC 3339 time (or a Date) with its time of day; "" for none. */
export function formatDateTime(t: string | Date | null | undefined): string {
  if (!t) return '';
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime()) || d.getFullYear() <= 1) return '';
  return dateTimes().format(d);
}

/** toLocalInput writes a time as a datetime-local input's value ("2026-03-02T09:30"), in local time. */
export function toLocalInput(t: string | Date | null | undefined): string {
  if (!t) return '';
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime()) || d.getFullYear() <= 1) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** fromLocalInput reads a datetime-local input's value as local time; null when empty or unreadable. */
export function fromLocalInput(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(s);
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
}

/**
 * shortVersion is the version as the sidebar shows it: "0.1.0-dev" for
 * "0.1.0-dev+167.g8a51f88"; the build's commit stays in About.
 */
export function shortVersion(v: string): string {
  return v.split('+')[0];
}
