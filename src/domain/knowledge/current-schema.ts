/**
 * The shape of the current guidance (issue 12): what Microsoft's current article
 * (11/12/2025) says beside the 2017 article the walk follows. One file per
 * language (content/current-en.json, content/current-ja.json), parsed at load
 * like the article itself. The 2017 content is not touched: this file holds
 * - `sections`: the current article's sections the cards link to, by anchor;
 * - `notes`: "Changed since 2017" items for a cause of the 2017 article;
 * - `checks`: the current article's extra checks, shown after the last cause;
 * - `otherErrors`: the current article's errors outside the five.
 */
import { z } from 'zod';
import { CauseIdSchema, ErrorIdSchema, GuestOsSchema, LanguageSchema, LinkSchema, StepSchema } from './schema';

/**
 * The extra checks. The `current-` prefix keeps them apart from the article's
 * causes wherever both are counted (outcomes, insights, the helpdesk case).
 */
export const CHECK_IDS = ['current-linux-agent-config', 'current-app-control', 'current-rg-lock', 'current-vcredist'] as const;
export const CheckIdSchema = z.enum(CHECK_IDS);

/** The errors of the current article that are not one of the five, by their error code. */
export const OTHER_ERROR_CODES = [
  'UserErrorVmProvisioningStateFailed',
  'UserErrorRpCollectionLimitReached',
  'UserErrorKeyvaultPermissionsNotConfigured',
  'UserErrorUnsupportedDiskSize',
  'UserErrorBackupOperationInProgress',
  'UserErrorCrpReportedUserError',
  'UserErrorBcmDatasourceNotPresent',
] as const;
export const OtherErrorCodeSchema = z.enum(OTHER_ERROR_CODES);

const kebabId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a kebab-case id');
const text = z.string().trim().min(1);
/** A heading anchor of the current article (checked against its headings in tests). */
const anchor = z.string().regex(/^[a-z0-9_-]+$/, 'an anchor is lower-case letters, digits, "-" and "_"');

export const CurrentSectionSchema = z.strictObject({
  anchor,
  /** The section's heading in this language, as the link label. */
  title: text,
});

/** One thing the current article says differently from the 2017 article, for one cause. */
export const ChangeNoteSchema = z.strictObject({
  id: kebabId,
  cause: CauseIdSchema,
  /** Set when the change only concerns one guest OS; left out for the other OS. */
  os: GuestOsSchema.optional(),
  /** What is different today, in our own words. */
  text,
  /** The new command, value or path, exactly as the current article writes it. */
  code: z.array(text).min(1).optional(),
  /** The section of the current article that says it. */
  anchor,
  /** Where a page the 2017 article links to lives now (the 2017 link stays as it is). */
  moved: LinkSchema.optional(),
});

export const ExtraCheckSchema = z.strictObject({
  id: CheckIdSchema,
  /** The errors whose cause list in the current article has this check, in the current article's order. */
  errors: z.array(ErrorIdSchema).min(1),
  appliesTo: z.enum(['windows', 'linux', 'any']),
  anchor,
  title: text,
  why: text,
  steps: z.array(StepSchema).min(1),
});

export const OtherErrorSchema = z.strictObject({
  code: OtherErrorCodeSchema,
  /** The error's title in this language (its message, or its heading in the current article). */
  title: text,
  /** The message Azure prints in this language, where the references have it. */
  message: text.optional(),
  /** What the current article advises, in a sentence or two. */
  summary: text,
  anchor,
});

/**
 * How the portal words one of the five errors today, where it differs from the 2017 heading the bot uses as
 * its title (review O-9): shown under the title so that a user can find the message they see.
 */
export const PortalMessageSchema = z.strictObject({
  category: ErrorIdSchema,
  message: text,
});

export const CurrentGuidanceSchema = z.strictObject({
  language: LanguageSchema,
  source: z.strictObject({ title: text, url: z.url({ protocol: /^https$/ }), revision: text }),
  sections: z.array(CurrentSectionSchema).min(1),
  notes: z.array(ChangeNoteSchema).min(1),
  checks: z.array(ExtraCheckSchema).length(CHECK_IDS.length),
  otherErrors: z.array(OtherErrorSchema).length(OTHER_ERROR_CODES.length),
  /** Per language: the English and the Japanese messages changed at different times, so the lists differ. */
  portalMessages: z.array(PortalMessageSchema),
});

export type CheckId = z.infer<typeof CheckIdSchema>;
export type OtherErrorCode = z.infer<typeof OtherErrorCodeSchema>;
export type CurrentSection = z.infer<typeof CurrentSectionSchema>;
export type ChangeNote = z.infer<typeof ChangeNoteSchema>;
export type ExtraCheck = z.infer<typeof ExtraCheckSchema>;
export type OtherError = z.infer<typeof OtherErrorSchema>;
export type CurrentGuidance = z.infer<typeof CurrentGuidanceSchema>;
