// The lessons area as the coach reads it: the library grouped by module, a
// curriculum entry as a form and back, and the progress grid's cells as text
// and symbols (never colour alone).
import type { CurriculumEntry, CurriculumInput, Lesson, LessonImport, LessonInput, LessonState, LessonUse, ProgressCell, ProgressGrid } from './api/types';
import { formatDate, plural } from './format';

/** Module is one group of the library: its name ("" for lessons in none) and its lessons in order. */
export interface Module {
  name: string;
  lessons: Lesson[];
}

/** modules groups the library by module, in the order the Go side lists it (module, then order). */
export function modules(lessons: Lesson[]): Module[] {
  const out: Module[] = [];
  const byName = new Map<string, Module>();
  for (const l of lessons) {
    const name = l.module.trim();
    let m = byName.get(name);
    if (!m) {
      m = { name, lessons: [] };
      byName.set(name, m);
      out.push(m);
    }
    m.lessons.push(l);
  }
  for (const m of out) m.lessons.sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
  return out;
}

/** blankLesson is a new lesson's form: in the module given, after its last lesson. */
export function blankLesson(lessons: Lesson[], module = ''): LessonInput {
  const orders = lessons.filter((l) => l.module.trim() === module).map((l) => l.order);
  return { slug: '', title: '', module, order: orders.length ? Math.max(...orders) + 1 : 1, body: '', checkIn: '', askDone: false };
}

/** lessonInput is a saved lesson as its form. */
export function lessonInput(l: Lesson): LessonInput {
  return { slug: l.slug, title: l.title, module: l.module, order: l.order, body: l.body, checkIn: l.checkIn, askDone: l.askDone };
}

/** importText says what importing a folder did: "2 new lessons, 1 updated, 3 unchanged". */
export function importText(s: LessonImport): string {
  const parts = [];
  if (s.created) parts.push(plural(s.created, 'new lesson'));
  if (s.updated) parts.push(`${s.updated.toLocaleString()} updated`);
  if (s.unchanged) parts.push(`${s.unchanged.toLocaleString()} unchanged`);
  return parts.length ? `Imported: ${parts.join(', ')}` : 'The folder holds no lessons (Markdown files)';
}

/** deleteQuestion is what the coach is asked before a lesson is deleted: what it leaves, and what stays. */
export function deleteQuestion(use: LessonUse): string {
  const where = use.cohorts
    ? `It leaves the curriculum of ${plural(use.cohorts, 'cohort')}` + (use.members ? ` and the progress grid, with its marks` : '')
    : 'No cohort has it in its curriculum';
  const stays = use.members ? ` The ${plural(use.members, 'member')} who received it keep their mail, and their replies stay in the conversation.` : '';
  return `Delete “${use.title}” from your library? ${where}.${stays}`;
}

/** Rule is when a curriculum entry releases its lesson (app.ReleaseOnDate …). */
export type Rule = 'date' | 'cohort_day' | 'join_day';

/** ScheduleForm is the curriculum form: a lesson and its rule; hour "" is the digest's hour. */
export interface ScheduleForm {
  lessonId: number;
  rule: Rule;
  date: string;
  day: number;
  hour: string;
}

/** scheduleForm is an entry as its form (a new one: cohort day 1 at the digest's hour). */
export function scheduleForm(e?: CurriculumEntry): ScheduleForm {
  if (!e) return { lessonId: 0, rule: 'cohort_day', date: '', day: 1, hour: '' };
  return { lessonId: e.lessonId, rule: e.rule as Rule, date: e.date, day: e.day || 1, hour: e.hour === null || e.hour === undefined ? '' : String(e.hour) };
}

/** scheduleInput is the form as the Go side takes it: only the fields its rule uses. */
export function scheduleInput(cohortId: number, f: ScheduleForm): CurriculumInput {
  const hour = f.hour === '' ? null : Number(f.hour);
  if (f.rule === 'date') return { cohortId, lessonId: f.lessonId, rule: f.rule, date: f.date, day: 0, hour };
  return { cohortId, lessonId: f.lessonId, rule: f.rule, date: '', day: Number(f.day) || 0, hour };
}

export const ruleChoices: { value: Rule; label: string }[] = [
  { value: 'cohort_day', label: 'Day N of the cohort' },
  { value: 'join_day', label: 'Day N after each member joined' },
  { value: 'date', label: 'On a date' },
];

/** unscheduled is the library's lessons not yet in the curriculum, for "Add a lesson". */
export function unscheduled(lessons: Lesson[], entries: CurriculumEntry[]): Lesson[] {
  const in_ = new Set(entries.map((e) => e.lessonId));
  return lessons.filter((l) => !in_.has(l.id));
}

/** cellState is a cell's state, anything unknown read as not released. */
function cellState(c: ProgressCell): LessonState {
  return (['released', 'replied', 'done', 'excused'].includes(c.state) ? c.state : 'not_released') as LessonState;
}

const states: Record<LessonState, { symbol: string; label: string }> = {
  not_released: { symbol: '·', label: 'not released' },
  released: { symbol: '○', label: 'released' },
  replied: { symbol: '✎', label: 'replied' },
  done: { symbol: '✓', label: 'done' },
  excused: { symbol: 'ex', label: 'excused' },
};

/** legend lists each state with the symbol the grid shows for it. */
export const legend = (Object.keys(states) as LessonState[]).map((s) => ({ state: s, ...states[s] }));

/** cellSymbol is what a grid cell shows. */
export function cellSymbol(c: ProgressCell): string {
  return states[cellState(c)].symbol;
}

/** cellLabel names a cell for a screen reader and a tooltip: "Ada Lovelace, Week 1: replied". */
export function cellLabel(member: string, lesson: string, c: ProgressCell): string {
  return `${member}, ${lesson}: ${states[cellState(c)].label}`;
}

/** stateLabel names a state: "Replied". */
export function stateLabel(c: ProgressCell): string {
  const l = states[cellState(c)].label;
  return l[0].toUpperCase() + l.slice(1);
}

/** releasedWhen says when a lesson went to the cohort's members, from the grid: "2 Dec 2026" or "1 Dec 2026 – 3 Dec 2026"; "" if never. */
export function releasedWhen(g: ProgressGrid | null, lessonId: number): string {
  if (!g) return '';
  const i = g.lessons.findIndex((l) => l.lessonId === lessonId);
  if (i < 0) return '';
  const times = g.members
    .map((m) => m.cells[i]?.releasedAt)
    .filter((t): t is string => !!t)
    .map((t) => new Date(t))
    .filter((d) => !Number.isNaN(d.getTime()) && d.getFullYear() > 1)
    .sort((a, b) => a.getTime() - b.getTime());
  if (!times.length) return '';
  const first = formatDate(times[0].toISOString());
  const last = formatDate(times[times.length - 1].toISOString());
  return first === last ? first : `${first} – ${last}`;
}
