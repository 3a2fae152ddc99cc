/**
 * Loads the current guidance (issue 12) in both languages and checks it before
 * anything runs: each file against its schema, every anchor used against the
 * sections written, and the two languages against each other (same ids, causes,
 * guest OS, anchors, and the same commands, paths and links, since users copy those).
 */
import rawEnglish from './content/current-en.json';
import rawJapanese from './content/current-ja.json';
import { DataFileError, parseDataFile } from '../validation/parse-data-file';
import { LANGUAGES, type CauseId, type ErrorId, type Language } from './schema';
import { CurrentGuidanceSchema, type ChangeNote, type CheckId, type CurrentGuidance, type ExtraCheck, type OtherError, type OtherErrorCode } from './current-schema';

export const CURRENT_FILES: Record<Language, string> = {
  en: 'src/domain/knowledge/content/current-en.json',
  ja: 'src/domain/knowledge/content/current-ja.json',
};

/** The checked guidance of one language, with lookups. */
export interface CurrentKnowledge {
  readonly language: Language;
  readonly guidance: CurrentGuidance;
  /** The "Changed since 2017" items of a cause, in file order (none for a cause that did not change). */
  notesFor(cause: CauseId): ChangeNote[];
  check(id: CheckId): ExtraCheck;
  /** The extra checks the current article lists for this error, in its order. */
  checksFor(category: ErrorId): ExtraCheck[];
  otherError(code: OtherErrorCode): OtherError;
  /** How the portal words the error today, where it differs from the 2017 title; undefined where it does not. */
  portalMessage(category: ErrorId): string | undefined;
  /** The link to a section of the current article, in this language. */
  sectionUrl(anchor: string): string;
  sectionTitle(anchor: string): string;
}

export type CurrentLibrary = Readonly<Record<Language, CurrentKnowledge>>;

export function parseGuidance(file: string, raw: unknown): CurrentGuidance {
  const guidance = parseDataFile(file, raw, CurrentGuidanceSchema);
  const problems: string[] = [];
  const anchors = new Set(guidance.sections.map((section) => section.anchor));
  if (anchors.size !== guidance.sections.length) problems.push(`${file}: sections: an anchor is written twice`);
  const unique = (path: string, ids: readonly string[]) => {
    if (new Set(ids).size !== ids.length) problems.push(`${file}: ${path}: an id is written twice`);
  };
  unique('notes', guidance.notes.map((note) => note.id));
  unique('checks', guidance.checks.map((check) => check.id));
  unique('otherErrors', guidance.otherErrors.map((other) => other.code));
  unique('portalMessages', guidance.portalMessages.map((entry) => entry.category));
  const linked = (path: string, anchor: string) => {
    if (!anchors.has(anchor)) problems.push(`${file}: ${path}.anchor: no section "${anchor}" is written`);
  };
  guidance.notes.forEach((note, index) => linked(`notes.${index}`, note.anchor));
  guidance.checks.forEach((check, index) => linked(`checks.${index}`, check.anchor));
  guidance.otherErrors.forEach((other, index) => linked(`otherErrors.${index}`, other.anchor));
  if (problems.length > 0) throw new DataFileError(file, problems);
  return guidance;
}

/**
 * Learn serves each page in every language at the same path with a locale
 * segment (/ja-jp/), so a link is "the same" in both languages once that
 * segment is taken out. Learn keeps the English anchors on ja-jp pages, which
 * is why one anchor serves both languages.
 */
export function withoutLocale(url: string): string {
  return url.replace(/^https:\/\/learn\.microsoft\.com\/[a-z]{2}-[a-z]{2}\//, 'https://learn.microsoft.com/');
}

export function compareGuidance(reference: CurrentGuidance, referenceFile: string, other: CurrentGuidance, otherFile: string): void {
  const problems: string[] = [];
  const differ = (path: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${otherFile}: ${path}: ${JSON.stringify(b)} differs from ${referenceFile} (${JSON.stringify(a)})`);
  };
  differ('source.url', reference.source.url, withoutLocale(other.source.url));
  differ('sections', reference.sections.map((s) => s.anchor), other.sections.map((s) => s.anchor));
  const noteShape = (note: ChangeNote) => [note.id, note.cause, note.os, note.anchor, note.code, note.moved && withoutLocale(note.moved.url)];
  differ('notes', reference.notes.map(noteShape), other.notes.map(noteShape));
  const checkShape = (check: ExtraCheck) => [
    check.id,
    check.errors,
    check.appliesTo,
    check.anchor,
    check.steps.map((step) => [step.code, step.os, step.link && withoutLocale(step.link.url)]),
  ];
  differ('checks', reference.checks.map(checkShape), other.checks.map(checkShape));
  differ('otherErrors', reference.otherErrors.map((e) => [e.code, e.anchor]), other.otherErrors.map((e) => [e.code, e.anchor]));
  if (problems.length > 0) throw new DataFileError(otherFile, problems);
}

function indexed(guidance: CurrentGuidance): CurrentKnowledge {
  const checks = new Map(guidance.checks.map((check) => [check.id, check]));
  const others = new Map(guidance.otherErrors.map((other) => [other.code, other]));
  const sections = new Map(guidance.sections.map((section) => [section.anchor, section]));
  return {
    language: guidance.language,
    guidance,
    notesFor: (cause) => guidance.notes.filter((note) => note.cause === cause),
    check: (id) => checks.get(id)!,
    checksFor: (category) => guidance.checks.filter((check) => check.errors.includes(category)),
    otherError: (code) => others.get(code)!,
    portalMessage: (category) => guidance.portalMessages.find((entry) => entry.category === category)?.message,
    sectionUrl: (anchor) => `${guidance.source.url}#${anchor}`,
    sectionTitle: (anchor) => sections.get(anchor)?.title ?? guidance.source.title,
  };
}

export function loadCurrentLibrary(raw: Record<Language, unknown> = { en: rawEnglish, ja: rawJapanese }): CurrentLibrary {
  const all = Object.fromEntries(LANGUAGES.map((language) => [language, parseGuidance(CURRENT_FILES[language], raw[language])])) as Record<Language, CurrentGuidance>;
  for (const language of LANGUAGES) {
    if (all[language].language !== language) {
      throw new DataFileError(CURRENT_FILES[language], [`${CURRENT_FILES[language]}: language: expected "${language}"`]);
    }
  }
  compareGuidance(all.en, CURRENT_FILES.en, all.ja, CURRENT_FILES.ja);
  return { en: indexed(all.en), ja: indexed(all.ja) };
}

let shared: CurrentLibrary | undefined;

/** The process-wide current guidance, loaded and checked on first use. */
export function defaultCurrentLibrary(): CurrentLibrary {
  shared ??= loadCurrentLibrary();
  return shared;
}
