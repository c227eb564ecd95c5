// Sending safely in words: the problems beside each field of the editor, and
// the send confirmation's sentences from the Go side's plan (app.SendPlan).
// Pure functions, so the editor and the dialog only render.
import type { PostProblem, SendPlan } from './api/types';
import { plural } from './format';

/** problemsOf keeps the problems about one field ("subject", "body"). */
export function problemsOf(problems: PostProblem[] | null | undefined, field: string): PostProblem[] {
  return (problems ?? []).filter((p) => p.field === field);
}

/**
 * planSentence asks the question of the confirmation: whom it goes to, in which
 * cohort, counting those skipped. "Send “Week 1” to 2 of the 3 members of Circle now?"
 */
export function planSentence(plan: Pick<SendPlan, 'title' | 'cohort' | 'recipients' | 'skipped'>, fallbackTitle = ''): string {
  const title = plan.title.trim() || fallbackTitle.trim() || '(no subject)';
  const total = plan.recipients + plan.skipped.length;
  const whom = plan.skipped.length ? `${plan.recipients.toLocaleString()} of the ${plural(total, 'member')}` : `the ${plural(total, 'member')}`;
  return `Send “${title}” to ${whom} of ${plan.cohort} now? Each gets their own copy.`;
}

/** skippedLine says who is left out and why: "Alan Turing — Not sent: the client is archived." */
export function skippedLine(r: { name: string; email: string; skip: string }): string {
  return `${r.name || r.email} — ${r.skip}`;
}

/** sendLabel is the confirmation's button: "Send to 3 members". */
export function sendLabel(recipients: number): string {
  return `Send to ${plural(recipients, 'member')}`;
}

/** blockedSentence is the reason shown beside a disabled Send: how many things to fix first. */
export function blockedSentence(problems: PostProblem[]): string {
  if (!problems.length) return '';
  return problems.length === 1 ? 'Fix this first; nothing has been sent.' : `Fix these ${problems.length} things first; nothing has been sent.`;
}
