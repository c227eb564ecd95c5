// The home screen's numbers as a coach reads them: replies per member per week,
// the bars and sparklines drawn from them (hand-written SVG: a chart library
// would add more to the bundle than the whole screen), and days and weeks in
// the coach's own time zone.
import type { AgendaItem, QuietMember, RosterActivity, WeekEngagement } from './api/types';

/** perMember is a week's replies and check-ins per member; null when the cohort had nobody that week. */
export function perMember(w: WeekEngagement): number | null {
  if (!w.members) return null;
  return (w.replies + w.checkIns) / w.members;
}

/** Bar is one week's bar in a chart of height h: its top (y) and height, in SVG units. */
export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  value: number | null;
}

/**
 * bars lays out one bar per value in a width × height box, scaled to the
 * largest value (at least `floor`, so one reply in a quiet cohort does not
 * look like a busy week). A null value (no members) gets no height.
 */
export function bars(values: (number | null)[], width: number, height: number, floor = 1, gap = 4): Bar[] {
  const n = values.length;
  if (!n) return [];
  const top = Math.max(floor, ...values.map((v) => v ?? 0));
  const w = (width - gap * (n - 1)) / n;
  return values.map((v, i) => {
    const h = v ? Math.max(1, (v / top) * height) : 0;
    return { x: i * (w + gap), y: height - h, width: w, height: h, value: v };
  });
}

/** sparkline returns the SVG points of a line through values in a width × height box (a flat line at the bottom for all zeros). */
export function sparkline(values: number[], width: number, height: number, pad = 1): string {
  if (!values.length) return '';
  const top = Math.max(1, ...values);
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const x = pad + i * step;
      const y = height - pad - (v / top) * (height - 2 * pad);
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** formatRate writes a per-member number as a person reads it: "0.5", "2", "—" for no members. */
export function formatRate(v: number | null): string {
  if (v === null) return '—';
  return v.toLocaleString(undefined, { maximumFractionDigits: 1 });
}

/** weekLabel names a week by its first day in the coach's zone: "16 Nov". */
export function weekLabel(start: string, zone: string): string {
  return new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: safeZone(zone) }).format(new Date(start));
}

/** chartSummary is the chart in a sentence, for screen readers: the trend and each week's number. */
export function chartSummary(weeks: WeekEngagement[], starts: string[], zone: string): string {
  const rates = weeks.map(perMember);
  const parts = rates.map((r, i) => `week of ${starts[i] ? weekLabel(starts[i], zone) : i + 1}: ${formatRate(r)}`);
  return `Replies per member per week, oldest first. ${parts.join('; ')}.`;
}

/** sparklineLabel says a member's weeks in words: "3 replies in 8 weeks, 1 this week". */
export function sparklineLabel(weekly: number[]): string {
  const total = weekly.reduce((a, b) => a + b, 0);
  const last = weekly[weekly.length - 1] ?? 0;
  return `${total} ${total === 1 ? 'reply' : 'replies'} in ${weekly.length} weeks, ${last} this week`;
}

function safeZone(zone: string): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/** dayKey is the calendar day of t in the zone, "2026-11-18", for grouping. */
export function dayKey(t: string | Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: safeZone(zone) }).format(new Date(t));
  return parts; // en-CA formats as YYYY-MM-DD
}

/** dayHeading names a day of the agenda: "Today", "Tomorrow", else "Friday 20 November", in the coach's zone. */
export function dayHeading(t: string, now: string, zone: string): string {
  const day = dayKey(t, zone);
  const today = dayKey(now, zone);
  const tomorrow = dayKey(new Date(new Date(now).getTime() + 86400000), zone);
  if (day === today) return 'Today';
  if (day === tomorrow) return 'Tomorrow';
  if (day < today) return 'Overdue';
  return new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', timeZone: safeZone(zone) }).format(new Date(t));
}

/** timeOfDay is t's wall-clock time in the coach's zone: "18:00". */
export function timeOfDay(t: string, zone: string): string {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: safeZone(zone) }).format(new Date(t));
}

/** AgendaDay is the agenda items of one day, under its heading. */
export interface AgendaDay {
  heading: string;
  items: AgendaItem[];
}

/** agendaDays groups the agenda (in time order) by day in the coach's zone. */
export function agendaDays(items: AgendaItem[], now: string, zone: string): AgendaDay[] {
  const out: AgendaDay[] = [];
  for (const it of items) {
    const heading = dayHeading(it.at, now, zone);
    const last = out[out.length - 1];
    if (last && last.heading === heading) last.items.push(it);
    else out.push({ heading, items: [it] });
  }
  return out;
}

/** writeHref is the one-click "write to them": a new message in the coach's own mail program, to the member, about the cohort. */
export function writeHref(q: Pick<QuietMember, 'email' | 'cohort' | 'name'>): string {
  const first = q.name.trim().split(/\s+/)[0] ?? '';
  const subject = `${q.cohort}: how are you doing${first ? ', ' + first : ''}?`;
  return `mailto:${encodeURIComponent(q.email).replace(/%40/g, '@')}?subject=${encodeURIComponent(subject)}`;
}

/** weeklyOf is one member's replies and check-ins per week from a roster's activity; zeros for a member with none. */
export function weeklyOf(a: RosterActivity, clientId: number): number[] {
  return a.members.find((m) => m.clientId === clientId)?.weekly ?? a.weeks.map(() => 0);
}
