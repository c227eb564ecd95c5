// The import mapping goes field → column index (app.ImportPreview.Mapping); the
// dialog shows it the other way round, one menu of fields per file column.
import type { Mapping } from './api/types';

/** fieldForColumn returns the field column col is imported into, or "" for none. */
export function fieldForColumn(mapping: Mapping, col: number): string {
  for (const [field, c] of Object.entries(mapping)) if (c === col) return field;
  return '';
}

/**
 * setColumnField imports column col into field ("" to skip the column). A field
 * holds one column, so a field taken from another column leaves that column unused.
 */
export function setColumnField(mapping: Mapping, col: number, field: string): Mapping {
  const next: Mapping = {};
  for (const [f, c] of Object.entries(mapping)) if (c !== col && f !== field) next[f] = c;
  if (field) next[field] = col;
  return next;
}

const fieldLabels: Record<string, string> = {
  name: 'Name',
  first_name: 'First name',
  last_name: 'Last name',
  email: 'Email',
  aliases: 'Other addresses',
  phone: 'Phone',
  time_zone: 'Time zone',
  tags: 'Tags',
  status: 'Status',
  goals: 'Goals',
  notes: 'Private notes',
};

/** fieldLabel names an import field as the coach reads it. */
export function fieldLabel(field: string): string {
  return fieldLabels[field] ?? field.replace(/_/g, ' ');
}
