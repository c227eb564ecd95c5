// Typed calls to ClientService (app/ui/clients.go).
import * as svc from '../../../wailsjs/go/ui/ClientService';
import type {
  Client,
  ClientDetail,
  ClientFilter,
  ClientInput,
  ClientPage,
  ImportPreview,
  ImportSummary,
  Mapping,
  OnDuplicate,
  RejectedRow,
  TimelineEvent,
  TimelineKind,
} from './types';

// Go's nil slices arrive as null: the window always gets arrays.
function detail(d: ClientDetail): ClientDetail {
  return d.mail ? { ...d, mail: { ...d.mail, history: d.mail.history ?? [], suspectedBounce: d.mail.suspectedBounce ?? null } } : d;
}

/** emptyFilter is the clients list as it first opens: current clients by name. */
export function emptyFilter(): ClientFilter {
  return { query: '', tags: [], status: '', cohortId: 0, archived: false, sort: 'name', desc: false, offset: 0, limit: 0 };
}

export const clientsApi = {
  /** timeline is what happened with a client, newest first; before pages back ('' from the newest). */
  timeline: (clientId: number, kinds: TimelineKind[], before: string, limit = 50): Promise<TimelineEvent[]> =>
    svc.Timeline(clientId, { kinds, before: before || '0001-01-01T00:00:00Z', limit } as any).then((es) => (es ?? []) as unknown as TimelineEvent[]),
  list: (f: ClientFilter): Promise<ClientPage> => svc.List(f as any),
  ids: (f: ClientFilter): Promise<number[]> => svc.IDs(f as any),
  get: (id: number): Promise<ClientDetail> => svc.Get(id).then((d) => detail(d as ClientDetail)),
  create: (input: ClientInput): Promise<Client> => svc.Create(input as any),
  update: (id: number, input: ClientInput): Promise<Client> => svc.Update(id, input as any),
  archive: (ids: number[]): Promise<void> => svc.Archive(ids),
  restore: (ids: number[]): Promise<void> => svc.Restore(ids),
  tags: (): Promise<string[]> => svc.Tags().then((t) => t ?? []),
  chooseImportFile: (): Promise<string> => svc.ChooseImportFile(),
  previewImport: (path: string, mapping: Mapping | null): Promise<ImportPreview> =>
    svc.PreviewImport(path, mapping as Mapping),
  import: (path: string, mapping: Mapping, onDuplicate: OnDuplicate): Promise<ImportSummary> =>
    svc.Import(path, mapping, onDuplicate),
  cancelImport: (): Promise<void> => svc.CancelImport(),
  export: (): Promise<string> => svc.Export(),
  exportSelected: (ids: number[]): Promise<string> => svc.ExportSelected(ids),
  /** saveRejected writes an import's skipped rows (with the file's header) to a CSV file to fix. */
  saveRejected: (header: string[], rows: RejectedRow[]): Promise<string> => svc.SaveRejected(header, rows as any),
  /** confirmBounce stops mail to the address a suspected delivery report is about. */
  confirmBounce: (bounceId: number): Promise<void> => svc.ConfirmBounce(bounceId),
  /** dismissBounce sets a suspected delivery report aside; nothing changes for the client. */
  dismissBounce: (bounceId: number): Promise<void> => svc.DismissBounce(bounceId),
  /** resubscribe mails a client again after an unsubscribe, or drops a pending request. */
  resubscribe: (clientId: number): Promise<void> => svc.Resubscribe(clientId),
};
