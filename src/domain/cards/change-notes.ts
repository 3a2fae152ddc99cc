/**
 * The "Changed since 2017" box of a cause card (issue 12): what Microsoft's
 * current article says differently about this cause, with the new commands and
 * values, the current address of a moved page, and the link to the section that
 * says it. A cause the current article did not change has no box.
 */
import type { GuestOsChoice } from '../flow/card-action';
import { CURRENT_GUIDANCE_TEXTS } from '../i18n/current-guidance-texts';
import { defaultCurrentLibrary, type CurrentKnowledge } from '../knowledge/load-current';
import type { CauseId } from '../knowledge/schema';
import { markdownLink } from './markdown-link';
import type { CardContext } from './rendered-card';
import type { CauseData, ChangeNoteView } from './template-data';

export type ChangeNotesPart = Pick<CauseData, 'hasNotes' | 'notesHeading' | 'notes' | 'noteLinks'> & {
  /** The label of "Still failing" on the last cause when extra checks follow. */
  toChecks: string;
};

export function changeNotes(ctx: CardContext, causeId: CauseId, os: GuestOsChoice, current: CurrentKnowledge = defaultCurrentLibrary()[ctx.language]): ChangeNotesPart {
  const t = CURRENT_GUIDANCE_TEXTS[ctx.language];
  // A note about one guest OS is left out for the other, like the steps.
  const notes = current.notesFor(causeId).filter((note) => os === 'unknown' || note.os === undefined || note.os === os);
  const views: ChangeNoteView[] = notes.map((note) => ({
    text: note.text,
    codes: (note.code ?? []).map((code) => ({ text: code })),
    hasMoved: note.moved !== undefined,
    moved: note.moved ? markdownLink(t.note.movedLink(note.moved.label), note.moved.url) : '',
  }));
  const anchors = [...new Set(notes.map((note) => note.anchor))];
  return {
    hasNotes: views.length > 0,
    notesHeading: t.note.heading,
    notes: views,
    noteLinks: anchors.map((anchor) => ({ text: markdownLink(t.note.sectionLink(current.sectionTitle(anchor)), current.sectionUrl(anchor)) })),
    toChecks: t.checks.toChecks,
  };
}
