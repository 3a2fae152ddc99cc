/**
 * The shape of the troubleshooting article as data. One file per language
 * (content/en.json, content/ja.json) is parsed with these schemas at load, so a
 * broken file stops start-up with the file name and the path of the bad field.
 */
import { z } from 'zod';
import { buttonLabelProblem } from '../i18n/button-label';
import { CAUSE_IDS, ERROR_IDS, LANGUAGES } from './ids';

export { CAUSE_IDS, ERROR_IDS, LANGUAGES };

export const ErrorIdSchema = z.enum(ERROR_IDS);
export const CauseIdSchema = z.enum(CAUSE_IDS);
export const LanguageSchema = z.enum(LANGUAGES);
/** The guest OS a cause or a part of a cause is written for. */
export const GuestOsSchema = z.enum(['windows', 'linux']);

const kebabId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a kebab-case id');
const text = z.string().trim().min(1);

export const LinkSchema = z.strictObject({
  label: text,
  url: z.url({ protocol: /^https?$/ }),
});

/**
 * One instruction. `code` is copied verbatim by users (a command, a path, a
 * registry key and value) and is therefore identical in both languages.
 */
export const StepSchema = z.strictObject({
  text,
  code: text.optional(),
  link: LinkSchema.optional(),
  /** Set when only one guest OS can do this step (New-NetRoute is a Windows cmdlet). */
  os: GuestOsSchema.optional(),
});

/**
 * A titled group of steps inside a cause:
 * - `steps`: the main procedure;
 * - `alternative`: one of several ways out (the no-internet cause has two);
 * - `situation`: one condition with its own remedy (the snapshot-status cause has five);
 * - `os-part`: the part of a cause for one guest OS (`os` is then required);
 * Any section may name an `os` when it only concerns that guest OS (the SQL
 * Server situation is about Windows VMs); the card leaves it out for the other OS.
 * - `note`: supporting facts (a port to open, logs to collect, verbose logging).
 */
export const SectionKindSchema = z.enum(['steps', 'alternative', 'situation', 'os-part', 'note']);

export const SectionSchema = z
  .strictObject({
    id: kebabId,
    kind: SectionKindSchema,
    title: text,
    os: GuestOsSchema.optional(),
    steps: z.array(StepSchema).min(1),
  })
  .refine((section) => section.kind !== 'os-part' || section.os !== undefined, {
    message: 'an os-part section must name its os',
    path: ['os'],
  });

export const CauseSchema = z.strictObject({
  id: CauseIdSchema,
  /** `any` when the cause is not limited to one guest OS. */
  appliesTo: z.enum(['windows', 'linux', 'any']),
  title: text,
  /** Why this cause makes the backup fail, in a sentence or two. */
  why: text,
  sections: z.array(SectionSchema).min(1),
});

export const ErrorEntrySchema = z.strictObject({
  id: ErrorIdSchema,
  /** The error as the portal shows it in this language. */
  title: text,
  /**
   * The error on a button (the browse, not-covered and "Did you mean" cards):
   * short enough that Teams does not cut it (see button-label.ts). The full
   * title stays in the card's text.
   */
  buttonLabel: text,
  /** What the error means for the user, in a sentence or two. */
  summary: text,
  /** The article's causes for this error, in the article's order. */
  causes: z.array(CauseIdSchema).min(1),
});

export const ArticleSchema = z
  .strictObject({
    language: LanguageSchema,
    source: z.strictObject({ title: text, url: z.url(), revision: text }),
    errors: z.array(ErrorEntrySchema).length(ERROR_IDS.length),
    causes: z.array(CauseSchema).length(CAUSE_IDS.length),
  })
  .superRefine((article, context) => {
    // The limit depends on the file's language, so it is checked here rather than on the field.
    article.errors.forEach((error, index) => {
      const problem = buttonLabelProblem(error.buttonLabel, article.language);
      if (problem) context.addIssue({ code: 'custom', path: ['errors', index, 'buttonLabel'], message: problem });
    });
  });

export type ErrorId = z.infer<typeof ErrorIdSchema>;
export type CauseId = z.infer<typeof CauseIdSchema>;
export type Language = z.infer<typeof LanguageSchema>;
export type GuestOs = z.infer<typeof GuestOsSchema>;
export type Link = z.infer<typeof LinkSchema>;
export type Step = z.infer<typeof StepSchema>;
export type SectionKind = z.infer<typeof SectionKindSchema>;
export type Section = z.infer<typeof SectionSchema>;
export type Cause = z.infer<typeof CauseSchema>;
export type ErrorEntry = z.infer<typeof ErrorEntrySchema>;
export type Article = z.infer<typeof ArticleSchema>;
