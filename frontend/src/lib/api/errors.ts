// The one place that turns a rejected binding promise into a sentence for the
// coach. The Go side rejects with the coach's sentence as the message (ui.fail),
// sometimes as a bare string, sometimes as an Error.

const fallback = 'Something went wrong. Please try again.';

/** errorMessage returns the sentence to show for a rejection reason. */
export function errorMessage(reason: unknown): string {
  if (reason == null) return fallback;
  if (typeof reason === 'string') return reason.trim() || fallback;
  if (reason instanceof Error) return reason.message.trim() || fallback;
  if (typeof reason === 'object' && 'message' in reason) {
    const m = (reason as { message: unknown }).message;
    if (typeof m === 'string' && m.trim()) return m.trim();
  }
  return fallback;
}

/** ClientField names a client form field an error sentence can be pinned to. */
export type ClientField = 'name' | 'email' | 'aliases' | 'status' | 'form';

/**
 * clientErrorField guesses which field of the client form an error sentence is
 * about, so it can be shown under that field; otherwise it belongs to the form.
 */
export function clientErrorField(message: string): ClientField {
  const m = message.toLowerCase();
  if (m.includes('other address') || m.includes("client's main address")) return 'aliases';
  if (m.includes('email') || m.includes('address')) return 'email';
  if (m.includes('status')) return 'status';
  if (m.includes('name')) return 'name';
  return 'form';
}

/** CohortField names a cohort form field an error sentence can be pinned to. */
export type CohortField = 'name' | 'kind' | 'dates' | 'capacity' | 'form';

/** cohortErrorField is clientErrorField for the cohort form. */
export function cohortErrorField(message: string): CohortField {
  const m = message.toLowerCase();
  if (m.includes('capacity')) return 'capacity';
  if (m.includes('date') || m.includes('starts') || m.includes('ends')) return 'dates';
  if (m.includes('kind')) return 'kind';
  if (m.includes('name') || m.includes('called')) return 'name';
  return 'form';
}
