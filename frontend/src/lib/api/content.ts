// Typed calls to ContentService (app/ui/content.go): the lesson library, a
// cohort's curriculum and its progress grid.
import * as svc from '../../../wailsjs/go/ui/ContentService';
import type { Attachments, Curriculum, CurriculumInput, Lesson, LessonImport, LessonInput, LessonUse, PostInput, ProgressGrid } from './types';

// Go's nil slices arrive as null: the window always gets arrays.
function attachments(a: { files?: unknown; warnings?: unknown } | null): Attachments {
  return { files: (a?.files ?? []) as Attachments['files'], warnings: (a?.warnings ?? []) as string[] };
}

function grid(g: unknown): ProgressGrid {
  const v = g as ProgressGrid;
  return { ...v, lessons: v.lessons ?? [], members: (v.members ?? []).map((m) => ({ ...m, cells: m.cells ?? [] })) };
}

export const contentApi = {
  lessons: (): Promise<Lesson[]> => svc.Lessons().then((ls) => (ls ?? []) as unknown as Lesson[]),
  /** saveLesson creates (id 0) or changes a lesson; sendCorrection mails the corrected lesson to who already had it. */
  saveLesson: (id: number, input: LessonInput, sendCorrection: boolean): Promise<Lesson> =>
    svc.SaveLesson(id, input as any, sendCorrection) as unknown as Promise<Lesson>,
  /** lessonUse is how many cohorts schedule a lesson and how many members received it, asked before deleting. */
  lessonUse: (id: number): Promise<LessonUse> => svc.LessonUse(id),
  /** deleteLesson removes it from the library and every curriculum; mail members received stays. */
  deleteLesson: (id: number): Promise<LessonUse> => svc.DeleteLesson(id),
  /** lessonMail is the subject and Markdown members receive, for the post preview. */
  lessonMail: (input: LessonInput): Promise<PostInput> => svc.LessonMail(input as any) as unknown as Promise<PostInput>,
  /** chooseFolder asks for a folder with the system's dialog; "" when cancelled. */
  chooseFolder: (title: string): Promise<string> => svc.ChooseFolder(title),
  importFolder: (dir: string): Promise<LessonImport> => svc.ImportFolder(dir),
  exportFolder: (dir: string): Promise<number> => svc.ExportFolder(dir),
  curriculum: (cohortId: number): Promise<Curriculum> =>
    svc.Curriculum(cohortId).then((c) => ({ ...(c as unknown as Curriculum), entries: (c.entries ?? []) as unknown as Curriculum['entries'] })),
  schedule: (input: CurriculumInput): Promise<void> => svc.Schedule(input as any),
  unschedule: (cohortId: number, lessonId: number): Promise<void> => svc.Unschedule(cohortId, lessonId),
  setLateJoiners: (cohortId: number, rule: string): Promise<void> => svc.SetLateJoiners(cohortId, rule),
  progress: (cohortId: number): Promise<ProgressGrid> => svc.Progress(cohortId).then(grid),
  /** saveProgressCSV writes the grid to a CSV file the coach chooses; "" when cancelled. */
  saveProgressCSV: (cohortId: number): Promise<string> => svc.SaveProgressCSV(cohortId),
  /** mark records the coach's word: "done", "excused", or "" to clear it. */
  mark: (cohortId: number, lessonId: number, clientId: number, state: '' | 'done' | 'excused'): Promise<void> => svc.Mark(cohortId, lessonId, clientId, state),
  attachments: (lessonId: number): Promise<Attachments> => svc.LessonAttachments(lessonId).then(attachments),
  addAttachment: (lessonId: number): Promise<Attachments> => svc.AddLessonAttachment(lessonId).then(attachments),
  removeAttachment: (lessonId: number, id: number): Promise<Attachments> => svc.RemoveLessonAttachment(lessonId, id).then(attachments),
};
