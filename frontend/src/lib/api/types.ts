// Plain types for the values the Go services return, taken from the generated
// models so that a change on the Go side shows up in `npm run check`.
import type { app, due, outbox, ui } from '../../../wailsjs/go/models';

type Fields<T> = { [K in keyof T as T[K] extends (...a: any[]) => any ? never : K]: T[K] };

export type Client = Fields<app.Client>;
export type ClientInput = Fields<app.ClientInput>;
export type ClientRow = Fields<app.ClientRow>;
export type ClientFilter = Fields<app.ClientFilter>;
export type ClientPage = { rows: ClientRow[]; total: number };
export type Cohort = Fields<app.Cohort>;
export type CohortInput = Fields<app.CohortInput>;
export type Member = Fields<app.Member>;
export type ImportPreview = Fields<app.ImportPreview>;
export type ImportSummary = Fields<app.ImportSummary>;
export type ImportRow = Fields<app.ImportRow>;
export type RejectedRow = Fields<app.RejectedRow>;
export type WorkspaceInfo = Fields<app.WorkspaceInfo>;
export type Choices = Fields<ui.Choices>;
export type ClientEvent = Fields<app.ClientEvent>;
export type SuspectedBounce = Fields<app.SuspectedBounce>;
/** MailStatus mirrors app.MailStatus: what the inbox learned about mail to a client, and what is undecided. */
export type MailStatus = Omit<Fields<app.MailStatus>, 'history' | 'suspectedBounce'> & { history: ClientEvent[]; suspectedBounce?: SuspectedBounce | null };
export type About = Fields<app.About>;
export type Backup = Fields<app.Backup>;
export type BackupResult = { backup: Backup; removed: string[] };
/** RestoreResult mirrors app.RestoreResult: what a restore would do (done: false) or did. */
export type RestoreResult = Omit<Fields<app.RestoreResult>, 'backup'> & { backup: Backup };
/** BackupFolder mirrors app.BackupFolder: where backups go, the copies there, and why the last automatic one failed. */
export type BackupFolder = Omit<Fields<app.BackupFolder>, 'backups'> & { backups: Backup[] };
/** BackgroundRun mirrors app.BackgroundRun: the system job that runs `roundtable run-due` while the window is closed. */
export type BackgroundRun = Omit<Fields<app.BackgroundRun>, 'lastRun'> & { lastRun?: Fields<app.LastRun> | null };
export type ClientDetail = { client: Client; cohorts: Cohort[]; mail?: MailStatus };
export type Mapping = Record<string, number>;

/** Progress mirrors app.Progress, sent with import progress events. */
export interface Progress {
  job: string;
  done: number;
  total: number;
  note: string;
}

export type OnDuplicate = 'update' | 'skip' | 'merge';
export type Role = 'member' | 'co_host';

export type SMTPAccount = Fields<app.SMTPAccount>;
export type AccountStatus = Fields<app.AccountStatus>;
export type Profile = Fields<app.Profile>;
export type Preset = Fields<app.Preset>;
export type Post = Fields<app.Post>;
export type PostAttachment = Fields<app.PostAttachment>;
export type Attachments = { files: PostAttachment[]; warnings: string[] };
export type PostInput = Fields<app.PostInput>;
export type OutboxItem = Fields<app.OutboxItem>;
export type OutboxFilter = Fields<app.OutboxFilter>;
export type SandboxMailbox = Fields<app.SandboxMailbox>;
export type SandboxMessage = Fields<app.SandboxMessage>;
/** Preview mirrors ui.Preview: a member's copy, advice, and what stops the send. */
export type Preview = Omit<Fields<ui.Preview>, 'problems'> & { problems: Fields<app.PostProblem>[] };
export type MailView = Fields<ui.MailView>;
export type WorkerStatus = Fields<outbox.Status>;
export type OutboxState = { worker: WorkerStatus; counts: Record<string, number>; sandbox: boolean; nextDue?: string | null };

/** Security is how the connection to the mail server is protected. */
export type Security = 'tls' | 'starttls' | 'none';
/** OutboxItemState is one message's state (app/post.go). */
export type OutboxItemState = 'queued' | 'sending' | 'sent' | 'retrying' | 'failed' | 'skipped' | 'canceled';

export type ReplyAttachment = Fields<app.ReplyAttachment>;
export type Reply = Omit<Fields<app.Reply>, 'attachments' | 'answers'> & { attachments: ReplyAttachment[]; answers: Fields<app.Answer>[] };
export type ReplyMember = Fields<app.ReplyMember>;
/** Conversation mirrors app.Conversation: a post, its replies in order, who has and has not answered. */
export type Conversation = { post: Post; replies: Reply[]; replied: ReplyMember[]; notReplied: ReplyMember[] };
export type UnmatchedReply = Fields<app.UnmatchedReply>;
export type IMAPAccount = Fields<app.IMAPAccount>;
export type IMAPStatus = Fields<app.IMAPStatus>;
export type SyncSummary = Fields<app.SyncSummary>;
/** SyncState mirrors ui.SyncState: what the last inbox sync did, for the status line. */
export type SyncState = { running: boolean; at?: string | null; summary: SyncSummary; error: string; everyMinutes?: number };

/** DigestSettings mirrors app.DigestSettings: a cohort's schedule, approval rule and note, described. */
export type DigestSettings = Omit<Fields<app.DigestSettings>, 'next'> & { next?: string | null };
export type DigestItem = Fields<app.DigestItem>;
/** DigestPreview mirrors app.DigestPreview: the next digest as one member gets it. */
export type DigestPreview = Omit<Fields<app.DigestPreview>, 'items' | 'sendAt'> & { items: DigestItem[]; sendAt: string };
/** Digest mirrors app.Digest: one digest a member received, with its items. */
export type Digest = Omit<Fields<app.Digest>, 'items' | 'period' | 'since' | 'until'> & { items: DigestItem[]; period: string; since: string; until: string };
/** DueSummary mirrors due.Summary: what "Send what is due now" queued. */
export type DueSummary = Fields<due.Summary>;
/** DeliveryMode is how a member gets a cohort's mail (app.DeliveryIndividual …). */
export type DeliveryMode = 'individual' | 'digest' | 'none';
/** ReplyMark is a coach's mark on a reply (store.MarkHidden …). */
export type ReplyMark = 'hidden' | 'highlighted' | 'pinned' | 'private';
export type PostProblem = Fields<app.PostProblem>;
export type Recipient = Fields<app.Recipient>;
/** SendPlan mirrors app.SendPlan: what sending a draft would do, for the confirmation. */
export type SendPlan = Omit<Fields<app.SendPlan>, 'skipped' | 'notes' | 'problems'> & { skipped: Recipient[]; notes: string[]; problems: PostProblem[] };
/** Answer mirrors app.Answer: the coach's answer shown under the reply it answers. */
export type Answer = Fields<app.Answer>;

/** SessionAttendee mirrors app.SessionAttendee: one member invited, their answer and whether they came. */
export type SessionAttendee = Omit<Fields<app.SessionAttendee>, 'rsvpAt' | 'attended'> & { rsvpAt?: string | null; attended?: boolean | null };
/** Session mirrors app.Session: a live session of a cohort or a client, with its attendees. */
export type Session = Omit<Fields<app.Session>, 'attendees' | 'start' | 'createdAt' | 'updatedAt'> & {
  attendees: SessionAttendee[];
  start: string;
  createdAt: string;
  updatedAt: string;
};
/** SessionInput mirrors app.SessionInput; start is an RFC 3339 time. */
export type SessionInput = Omit<Fields<app.SessionInput>, 'start'> & { start: string };
export type SessionFilter = Fields<app.SessionFilter>;
/** RSVP is an answer to an invitation (app.RSVPAccepted …); needs-action is no answer yet. */
export type RSVP = 'needs-action' | 'accepted' | 'declined' | 'tentative';
/** TimelineEvent mirrors app.TimelineEvent: one thing on a client's timeline. */
export type TimelineEvent = Omit<Fields<app.TimelineEvent>, 'at'> & { at: string };
/** TimelineKind is a kind of timeline event (app.TimelineJoined …). */
export type TimelineKind = 'joined' | 'left' | 'post' | 'digest' | 'session_mail' | 'reply' | 'personal' | 'session' | 'note' | 'mail';

// The home screen (app/home.go). Times are RFC 3339 strings.
/** AgendaItem mirrors app.AgendaItem: a session occurrence, a scheduled announcement or a digest in the coming week. */
export type AgendaItem = Omit<Fields<app.AgendaItem>, 'at' | 'kind'> & { at: string; kind: 'session' | 'post' | 'digest' | 'lesson' };
export type OutboxFailure = Fields<app.OutboxFailure>;
export type HomeOutbox = Omit<Fields<app.HomeOutbox>, 'failed'> & { failed: OutboxFailure[] };
export type CohortCount = Fields<app.CohortCount>;
export type BounceRef = Omit<Fields<app.BounceRef>, 'receivedAt'> & { receivedAt: string };
/** QuietMember mirrors app.QuietMember: a member silent for their cohort's quiet days. */
export type QuietMember = Omit<Fields<app.QuietMember>, 'lastAt' | 'awayUntil'> & { lastAt?: string | null; awayUntil?: string | null };
export type WeekEngagement = Fields<app.WeekEngagement>;
export type MemberRef = Fields<app.MemberRef>;
export type HealthSignal = Omit<Fields<app.HealthSignal>, 'members'> & { members: MemberRef[] };
/** CohortEngagement mirrors app.CohortEngagement: a cohort's weeks and its health signals. */
export type CohortEngagement = Omit<Fields<app.CohortEngagement>, 'weeks' | 'signals'> & { weeks: WeekEngagement[]; signals: HealthSignal[] };
/** Home mirrors app.Home: everything the home screen shows. */
export type Home = Omit<Fields<app.Home>, 'now' | 'agenda' | 'outbox' | 'unread' | 'unapproved' | 'bounces' | 'quiet' | 'cohorts' | 'weeks'> & {
  now: string;
  agenda: AgendaItem[];
  outbox: HomeOutbox;
  unread: CohortCount[];
  unapproved: CohortCount[];
  bounces: BounceRef[];
  quiet: QuietMember[];
  cohorts: CohortEngagement[];
  weeks: string[];
};
export type MemberActivity = Fields<app.MemberActivity>;
/** RosterActivity mirrors app.RosterActivity: each member's replies and check-ins per week. */
export type RosterActivity = { weeks: string[]; members: MemberActivity[] };
/** SearchKind mirrors app.SearchKind: a kind search finds, and its group's heading. */
export type SearchKind = Fields<app.SearchKind>;
/** SnippetPart mirrors app.SnippetPart: a run of a snippet, found (hit) or not; shown as text, never markup. */
export type SnippetPart = Fields<app.SnippetPart>;
/** SearchHit mirrors app.SearchHit: one thing found. */
export type SearchHit = Omit<Fields<app.SearchHit>, 'at' | 'snippet'> & { at: string; snippet: SnippetPart[] };
/** SearchGroup mirrors app.SearchGroup: one kind's hits, best first. */
export type SearchGroup = Omit<Fields<app.SearchGroup>, 'hits'> & { hits: SearchHit[] };
export type SearchResults = { groups: SearchGroup[] };
/** SearchQuery mirrors app.SearchQuery; from and to are RFC 3339 times, left out for no bound. */
export type SearchQuery = Omit<Fields<app.SearchQuery>, 'from' | 'to'> & { from?: string; to?: string };
/** Lesson mirrors app.Lesson: one lesson of the coach's library. */
export type Lesson = Fields<app.Lesson>;
export type LessonInput = Fields<app.LessonInput>;
export type LessonImport = Fields<app.LessonImport>;
/** LessonUse mirrors app.LessonUse: where a lesson is used, asked before deleting it. */
export type LessonUse = Fields<app.LessonUse>;
/** CurriculumEntry mirrors app.CurriculumEntry: when one lesson is released in a cohort. */
export type CurriculumEntry = Omit<Fields<app.CurriculumEntry>, 'hour'> & { hour: number | null };
export type Curriculum = Omit<Fields<app.Curriculum>, 'entries'> & { entries: CurriculumEntry[] };
export type CurriculumInput = Omit<Fields<app.CurriculumInput>, 'hour'> & { hour: number | null };
/** ProgressCell mirrors app.ProgressCell: one member's state on one lesson. */
export type ProgressCell = Omit<Fields<app.ProgressCell>, 'releasedAt'> & { releasedAt: string | null };
export type ProgressRow = Omit<Fields<app.ProgressRow>, 'cells'> & { cells: ProgressCell[] };
export type ProgressLesson = Fields<app.ProgressLesson>;
export type ProgressGrid = Omit<Fields<app.ProgressGrid>, 'lessons' | 'members'> & { lessons: ProgressLesson[]; members: ProgressRow[] };
/** LessonState is a grid cell's state (app.LessonNotReleased …). */
export type LessonState = 'not_released' | 'released' | 'replied' | 'done' | 'excused';
