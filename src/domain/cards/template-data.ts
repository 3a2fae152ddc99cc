/**
 * The data each template in cards/ is expanded with. A field the template
 * names but the data lacks would stay in the card as literal `${field}` text,
 * so every field here is required: optional parts are an empty array (a `$data`
 * over an empty array drops the element) or a boolean read by `$when`.
 */
import type { CardActionData } from '../flow/card-action';

/** An Action.Submit: its title and the exact object the host sends back. */
export interface ButtonView {
  title: string;
  data: CardActionData;
}

export interface Paragraph {
  text: string;
}

export interface Fact {
  title: string;
  value: string;
}

/** One of the five errors in a list: its portal title and its documented codes. */
export interface ErrorView {
  title: string;
  codes: string;
  /** How the portal words the error today, where it differs from the 2017 title (empty otherwise). */
  hasPortalMessage: boolean;
  portalMessage: string;
}

/** Every card ends with its Action.Submit buttons (possibly none). */
interface WithButtons {
  buttons: ButtonView[];
}

export interface WelcomeData extends WithButtons {
  title: string;
  intro: string;
  order: string;
  pasteHeading: string;
  pasteKinds: string;
  browseHint: string;
}

export interface ErrorChoiceData extends WithButtons {
  title: string;
  /** The title and `notice` then open the card in a warning box: "this is not one of the five". */
  hasNotice: boolean;
  notice: string;
  intro: string;
  errors: ErrorView[];
  /**
   * The five choose-category buttons, in an ActionSet after the list: hosts
   * allow five actions per set, and the card's own actions keep the helpdesk.
   */
  choices: ButtonView[];
}

export interface RecognisedData extends WithButtons {
  title: string;
  errorTitle: string;
  codes: string;
  hasPortalMessage: boolean;
  portalMessage: string;
  summary: string;
  confidence: string;
  evidenceHeading: string;
  hasEvidence: boolean;
  evidence: Paragraph[];
  hintsHeading: string;
  hasHints: boolean;
  hints: Fact[];
}

export interface DidYouMeanData extends WithButtons {
  title: string;
  intro: string;
  errors: ErrorView[];
}

export interface ChooseOsData extends WithButtons {
  title: string;
  intro: string;
}

/** One step: one TextBlock of text, then its copyable code and its link when it has them. */
export interface StepView {
  text: string;
  hasCode: boolean;
  code: string;
  hasLink: boolean;
  /** A markdown link, `[label](url)`. */
  link: string;
}

export interface SectionView {
  title: string;
  hasOsLabel: boolean;
  osLabel: string;
  /** Situations start collapsed: the title, then a toggle that opens the steps container. */
  isSituation: boolean;
  /** The first situation of the cause carries the line that explains the toggles. */
  isFirstSituation: boolean;
  /** The id of the container holding the steps (the toggle's target); unique in the card. */
  stepsId: string;
  steps: StepView[];
}

/** One "Changed since 2017" item: what is different, the new commands or values, the moved page. */
export interface ChangeNoteView {
  text: string;
  codes: Paragraph[];
  hasMoved: boolean;
  /** A markdown link to the page's current address. */
  moved: string;
}

export interface CauseData extends WithButtons {
  position: string;
  errorLine: string;
  title: string;
  whyHeading: string;
  why: string;
  situationsIntro: string;
  showRemedy: string;
  sections: SectionView[];
  /** The "Changed since 2017" box (issue 12): absent for a cause the current article did not change. */
  hasNotes: boolean;
  notesHeading: string;
  notes: ChangeNoteView[];
  /** Markdown links to the sections of the current article that the notes come from. */
  noteLinks: Paragraph[];
  afterTrying: string;
}

/** An extra check of the current article, after the 2017 article's last cause (issue 12). */
export interface CurrentCheckData extends WithButtons {
  /** The first check opens with "The current article lists more checks". */
  hasIntro: boolean;
  introHeading: string;
  intro: string;
  position: string;
  errorLine: string;
  source: string;
  title: string;
  whyHeading: string;
  why: string;
  stepsId: string;
  steps: StepView[];
  /** A markdown link to the check's section of the current article. */
  sectionLink: string;
  afterTrying: string;
}

/** An error of the current article outside the five: named, linked, with the helpdesk (issue 12). */
export interface OtherErrorData extends WithButtons {
  title: string;
  code: string;
  notCovered: string;
  adviceHeading: string;
  summary: string;
  sectionLink: string;
  next: string;
}

export interface FixedData extends WithButtons {
  title: string;
  body: string;
  footer: string;
  /** "I will check back in 24 hours …" (empty: follow-ups are off). */
  checkBack: string;
  hasCheckBack: boolean;
}

/** The follow-up: did the next backup succeed? */
export interface FollowUpData extends WithButtons {
  title: string;
  body: string;
}

export interface ExhaustedData extends WithButtons {
  title: string;
  noneFixed: string;
  triedHeading: string;
  tried: Paragraph[];
  summaryHeading: string;
  summaryHint: string;
  summary: string;
}

export interface SwitchErrorData extends WithButtons {
  title: string;
  body: string;
  question: string;
}

export interface HelpData extends WithButtons {
  title: string;
  commandsIntro: string;
  commands: Fact[];
  answersHeading: string;
  answers: string;
}

/** Template file name (cards/<name>.json) → the data it is expanded with. */
/** A card after it was answered (Teams updates it in place): what it asked, and the choice. */
export interface AnsweredData extends WithButtons {
  heading: string;
  choice: string;
}

/** A submit button that may carry the card's inputs (`associatedInputs`: "auto" or "none"). */
export interface InputButtonView extends ButtonView {
  inputs: 'auto' | 'none';
}

/** What the user sees before the case goes to the helpdesk, with a note field. */
export interface CasePreviewData {
  title: string;
  intro: string;
  facts: Fact[];
  causesHeading: string;
  hasCauses: boolean;
  causes: Paragraph[];
  pasteHeading: string;
  hasPaste: boolean;
  paste: string;
  maskedNotice: string;
  noteLabel: string;
  notePlaceholder: string;
  note: string;
  buttons: InputButtonView[];
}

/** The case as posted to the helpdesk's Teams channel, with "Take this case". */
export interface SupportCaseData extends WithButtons {
  title: string;
  facts: Fact[];
  lines: Paragraph[];
  isTaken: boolean;
  takenBy: string;
}

export interface TemplateDataMap {
  welcome: WelcomeData;
  'error-choice': ErrorChoiceData;
  recognised: RecognisedData;
  'did-you-mean': DidYouMeanData;
  'choose-os': ChooseOsData;
  cause: CauseData;
  'current-check': CurrentCheckData;
  'other-error': OtherErrorData;
  fixed: FixedData;
  exhausted: ExhaustedData;
  'switch-error': SwitchErrorData;
  help: HelpData;
  answered: AnsweredData;
  'case-preview': CasePreviewData;
  'support-case': SupportCaseData;
  'follow-up': FollowUpData;
}

export type TemplateName = keyof TemplateDataMap;

export const TEMPLATE_NAMES: readonly TemplateName[] = [
  'welcome',
  'error-choice',
  'recognised',
  'did-you-mean',
  'choose-os',
  'cause',
  'current-check',
  'other-error',
  'fixed',
  'exhausted',
  'switch-error',
  'help',
  'answered',
  'case-preview',
  'support-case',
  'follow-up',
];
