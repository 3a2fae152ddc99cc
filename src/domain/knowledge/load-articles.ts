/**
 * Loads the article in both languages and checks it before anything runs:
 * each file against the schema, each error's causes against the causes written,
 * and the two languages against each other (same structure, and the same
 * commands, paths and links step for step, since users copy those verbatim).
 */
import rawEnglish from './content/en.json';
import rawJapanese from './content/ja.json';
import { DataFileError, parseDataFile } from '../validation/parse-data-file';
import { ArticleSchema, LANGUAGES, type Article, type Cause, type CauseId, type ErrorEntry, type ErrorId, type Language } from './schema';

export const CONTENT_FILES: Record<Language, string> = {
  en: 'src/domain/knowledge/content/en.json',
  ja: 'src/domain/knowledge/content/ja.json',
};

/** The checked article, with lookups by id. */
export interface Knowledge {
  readonly language: Language;
  readonly article: Article;
  error(id: ErrorId): ErrorEntry;
  cause(id: CauseId): Cause;
}

export type Library = Readonly<Record<Language, Knowledge>>;

export function parseArticle(file: string, raw: unknown): Article {
  const article = parseDataFile(file, raw, ArticleSchema);
  const problems: string[] = [];
  const seen = new Set<string>();
  article.causes.forEach((cause, index) => {
    if (seen.has(cause.id)) problems.push(`${file}: causes.${index}.id: cause "${cause.id}" is written twice`);
    seen.add(cause.id);
  });
  const errorIds = new Set<string>();
  article.errors.forEach((error, index) => {
    if (errorIds.has(error.id)) problems.push(`${file}: errors.${index}.id: error "${error.id}" is written twice`);
    errorIds.add(error.id);
    error.causes.forEach((causeId, position) => {
      if (!seen.has(causeId)) problems.push(`${file}: errors.${index}.causes.${position}: no cause "${causeId}" is written`);
    });
    if (new Set(error.causes).size !== error.causes.length) problems.push(`${file}: errors.${index}.causes: a cause is listed twice`);
  });
  if (problems.length > 0) throw new DataFileError(file, problems);
  return article;
}

/** Everything a user copies must be the same whichever language they read. */
export function compareLanguages(reference: Article, referenceFile: string, other: Article, otherFile: string): void {
  const problems: string[] = [];
  const differ = (path: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${otherFile}: ${path}: ${JSON.stringify(b)} differs from ${referenceFile} (${JSON.stringify(a)})`);
  };
  differ('errors', reference.errors.map((e) => [e.id, e.causes]), other.errors.map((e) => [e.id, e.causes]));
  reference.causes.forEach((cause, c) => {
    const twin = other.causes[c];
    if (!twin) return;
    differ(`causes.${c}`, [cause.id, cause.appliesTo], [twin.id, twin.appliesTo]);
    cause.sections.forEach((section, s) => {
      const twinSection = twin.sections[s];
      const shape = (x: typeof section | undefined) =>
        x && { id: x.id, kind: x.kind, os: x.os, steps: x.steps.map((step) => ({ code: step.code, url: step.link?.url, os: step.os })) };
      differ(`causes.${c}.sections.${s}`, shape(section), shape(twinSection));
    });
    differ(`causes.${c}.sections.length`, cause.sections.length, twin.sections.length);
  });
  if (problems.length > 0) throw new DataFileError(otherFile, problems);
}

function indexed(article: Article): Knowledge {
  const errors = new Map(article.errors.map((error) => [error.id, error]));
  const causes = new Map(article.causes.map((cause) => [cause.id, cause]));
  return {
    language: article.language,
    article,
    error: (id) => errors.get(id)!,
    cause: (id) => causes.get(id)!,
  };
}

export function loadLibrary(raw: Record<Language, unknown> = { en: rawEnglish, ja: rawJapanese }): Library {
  const articles = Object.fromEntries(LANGUAGES.map((language) => [language, parseArticle(CONTENT_FILES[language], raw[language])])) as Record<Language, Article>;
  for (const language of LANGUAGES) {
    if (articles[language].language !== language) {
      throw new DataFileError(CONTENT_FILES[language], [`${CONTENT_FILES[language]}: language: expected "${language}"`]);
    }
  }
  compareLanguages(articles.en, CONTENT_FILES.en, articles.ja, CONTENT_FILES.ja);
  return { en: indexed(articles.en), ja: indexed(articles.ja) };
}

let shared: Library | undefined;

/** The process-wide library, loaded and checked on first use. */
export function defaultLibrary(): Library {
  shared ??= loadLibrary();
  return shared;
}
