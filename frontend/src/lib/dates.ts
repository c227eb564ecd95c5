// Dates as the forms keep them (the Go side's "2026-03-02", or a
// datetime-local style "2026-03-02T09:30" for a time) and as the date picker
// works with them (@internationalized/date values).
import { CalendarDate, CalendarDateTime, parseDate, parseDateTime, type DateValue } from '@internationalized/date';

/** toDateValue reads a stored date (or date and time); undefined when empty or unreadable. */
export function toDateValue(s: string, withTime: boolean): DateValue | undefined {
  if (!s) return undefined;
  try {
    return withTime ? parseDateTime(s.length === 10 ? `${s}T09:00` : s) : parseDate(s.slice(0, 10));
  } catch {
    return undefined;
  }
}

/** fromDateValue writes a picked value back: "2026-03-02" or "2026-03-02T09:30". */
export function fromDateValue(v: DateValue | undefined, withTime: boolean): string {
  if (!v) return '';
  if (!withTime) return new CalendarDate(v.year, v.month, v.day).toString();
  const t = v as CalendarDateTime;
  return new CalendarDateTime(v.year, v.month, v.day, t.hour ?? 0, t.minute ?? 0).toString().slice(0, 16);
}

/** appLocale is the coach's locale for date order: the system's, as the window reports it. */
export function appLocale(): string {
  return (typeof navigator !== 'undefined' && navigator.language) || 'en-GB';
}
