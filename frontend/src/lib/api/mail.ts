// Typed calls to MailService (app/ui/mail.go): the account, drafts and sending,
// the outbox and the sandbox mailboxes.
import * as svc from '../../../wailsjs/go/ui/MailService';
import type {
  AccountStatus,
  Attachments,
  MailView,
  OutboxFilter,
  OutboxItem,
  OutboxState,
  Post,
  PostInput,
  Preset,
  Preview,
  Profile,
  SandboxMailbox,
  SandboxMessage,
  SendPlan,
  SMTPAccount,
} from './types';

// Go's nil slices arrive as null: the window always gets arrays.
function attachments(a: { files?: unknown; warnings?: unknown } | null): Attachments {
  return { files: (a?.files ?? []) as Attachments['files'], warnings: (a?.warnings ?? []) as string[] };
}

export const mailApi = {
  account: (): Promise<AccountStatus> => svc.Account(),
  presets: (): Promise<Preset[]> => svc.Presets().then((p) => p ?? []),
  /** saveAccount saves; keepInFile is the coach's agreement to a password file where no keyring exists. */
  saveAccount: (a: SMTPAccount, password: string, keepInFile = false): Promise<void> => svc.SaveAccount(a, password, keepInFile),
  /** profile is the coach's own name as members see it, whatever the mail account. */
  profile: (): Promise<Profile> => svc.Profile(),
  saveProfile: (p: Profile): Promise<Profile> => svc.SaveProfile(p),
  testAccount: (a: SMTPAccount, password: string): Promise<void> => svc.TestAccount(a, password),
  useSandbox: (): Promise<void> => svc.UseSandbox(),
  /** findSettings looks the provider's servers up for an address (the network only for unknown domains). */
  findSettings: (email: string): Promise<Preset> => svc.FindSettings(email),
  appPasswordHelp: (): Promise<string> => svc.AppPasswordHelp(),
  posts: (cohortId: number): Promise<Post[]> => svc.Posts(cohortId).then((p) => p ?? []),
  post: (id: number): Promise<Post> => svc.Post(id),
  deleteDraft: (id: number): Promise<void> => svc.DeleteDraft(id),
  attachments: (postId: number): Promise<Attachments> => svc.Attachments(postId).then(attachments),
  addAttachment: (postId: number): Promise<Attachments> => svc.AddAttachment(postId).then(attachments),
  removeAttachment: (postId: number, id: number): Promise<Attachments> => svc.RemoveAttachment(postId, id).then(attachments),
  saveDraft: (id: number, input: PostInput): Promise<Post> => svc.SaveDraft(id, input as any),
  preview: (input: PostInput, clientId: number): Promise<Preview> =>
    svc.Preview(input as any, clientId).then((p) => ({ ...p, warnings: p.warnings ?? [], problems: p.problems ?? [] })),
  /** sendPlan is what sending the saved draft would do: the confirmation's cohort, count, skipped members, notes and problems. */
  sendPlan: (id: number): Promise<SendPlan> =>
    svc.SendPlan(id).then((p) => ({ ...p, skipped: p.skipped ?? [], notes: p.notes ?? [], problems: p.problems ?? [] })),
  sendTest: (id: number): Promise<void> => svc.SendTest(id),
  send: (id: number): Promise<Post> => svc.Send(id),
  outboxState: (): Promise<OutboxState> => svc.OutboxState().then((s) => ({ ...s, counts: s.counts ?? {} })),
  outbox: (f: OutboxFilter): Promise<OutboxItem[]> => svc.Outbox(f).then((i) => i ?? []),
  pause: (): Promise<void> => svc.PauseSending(),
  resume: (): Promise<void> => svc.ResumeSending(),
  retryNow: (postId: number): Promise<number> => svc.RetryNow(postId),
  cancelUnsent: (postId: number): Promise<number> => svc.CancelUnsent(postId),
  sandboxMailboxes: (): Promise<SandboxMailbox[]> => svc.SandboxMailboxes().then((m) => m ?? []),
  sandboxMessages: (address: string): Promise<SandboxMessage[]> => svc.SandboxMessages(address).then((m) => m ?? []),
  sandboxMessage: (address: string, id: number): Promise<MailView> =>
    svc.SandboxMessage(address, id).then((m) => ({ ...m, headers: m.headers ?? {} })),
};
