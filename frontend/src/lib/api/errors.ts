// The one place that reads a rejected binding promise. The Go side (ui.fail)
// rejects with JSON text — {"code","field","message"} — because Wails passes an
// error across the bridge as its text only; here it becomes data again. Forms
// decide where a sentence goes from the code and field, never from its words.

const fallback = 'Something went wrong. Please try again.';

/** AppError is a bound method's error: what kind, which input, the coach's sentence. */
export interface AppError {
  /** code is app.Error's code: invalid, conflict, not_found, unavailable, ... ("" when unknown). */
  code: string;
  /** field names the input the sentence is about, as the json field name ("email"); "" for none. */
  field: string;
  message: string;
}

function rawText(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  if (reason instanceof Error) return reason.message;
  if (reason && typeof reason === 'object' && 'message' in reason) {
    const m = (reason as { message: unknown }).message;
    if (typeof m === 'string') return m;
  }
  return '';
}

/** parseError turns a rejection reason into an AppError; text that is not ours becomes the message as it is. */
export function parseError(reason: unknown): AppError {
  const text = rawText(reason).trim();
  if (text.startsWith('{')) {
    try {
      const v: unknown = JSON.parse(text);
      if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string).trim() : '');
        if (str('message') || str('code')) return { code: str('code'), field: str('field'), message: str('message') || fallback };
      }
    } catch {
      // not ours: fall through and show the text
    }
  }
  return { code: '', field: '', message: text || fallback };
}

/** errorMessage returns the sentence to show for a rejection reason. */
export function errorMessage(reason: unknown): string {
  return parseError(reason).message;
}

/**
 * needsFileConsent says the password could be kept only in a file and the coach
 * has not agreed yet (Go's secret.FieldFileConsent): ask, then save again with
 * keepInFile.
 */
export function needsFileConsent(e: AppError): boolean {
  return e.field === 'passwordFile';
}

/** ClientField names a client form field an error sentence can be pinned to. */
export type ClientField = 'name' | 'email' | 'aliases' | 'status' | 'form';

const clientFields: readonly string[] = ['name', 'email', 'aliases', 'status'];

/** clientErrorField says under which field of the client form the error belongs ('form' when none). */
export function clientErrorField(e: AppError): ClientField {
  return clientFields.includes(e.field) ? (e.field as ClientField) : 'form';
}

/** CohortField names a cohort form field an error sentence can be pinned to. */
export type CohortField = 'name' | 'kind' | 'dates' | 'capacity' | 'form';

/** cohortErrorField is clientErrorField for the cohort form, whose two dates share one line. */
export function cohortErrorField(e: AppError): CohortField {
  switch (e.field) {
    case 'name':
    case 'kind':
    case 'capacity':
      return e.field;
    case 'startDate':
    case 'endDate':
      return 'dates';
  }
  return 'form';
}
