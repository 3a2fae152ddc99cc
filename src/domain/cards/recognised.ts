/** The card that names the recognised error and shows why the bot thinks so. */
import type { Classification, Evidence } from '../matching/classification';
import type { Hints } from '../matching/hints';
import type { CardTexts } from '../i18n/card-texts';
import { errorView, knowledgeFor, textsFor } from './common';
import { describeEvidence } from '../i18n/evidence-texts';
import { renderCard } from './render';
import type { CardContext, RenderedCard } from './rendered-card';
import type { Fact } from './template-data';

const MAX_EVIDENCE = 3;

/** The strongest reasons that point at the recognised error (any reasons if none does). */
function strongestEvidence(evidence: readonly Evidence[], category: string): Evidence[] {
  const pointing = evidence.filter((item) => item.categories.some((target) => target === category));
  return [...(pointing.length > 0 ? pointing : evidence)].sort((a, b) => b.score - a.score).slice(0, MAX_EVIDENCE);
}

function hintFacts(hints: Hints, t: CardTexts): Fact[] {
  const facts: Fact[] = [];
  if (hints.guestOs) {
    const os = t.osNames[hints.guestOs];
    // "Linux (Linux)" says nothing twice: show the clue only when it adds something.
    const clue = hints.guestOsClue && hints.guestOsClue.toLowerCase() !== os.toLowerCase() ? ` (${hints.guestOsClue})` : '';
    facts.push({ title: t.recognised.guestOs, value: `${os}${clue}` });
  }
  const { vmName, resourceGroup, vault, jobId } = hints.identifiers;
  if (vmName) facts.push({ title: t.recognised.vm, value: vmName });
  if (resourceGroup) facts.push({ title: t.recognised.resourceGroup, value: resourceGroup });
  if (vault) facts.push({ title: t.recognised.vault, value: vault });
  if (jobId) facts.push({ title: t.recognised.jobId, value: jobId });
  return facts;
}

/** Where the classified text came from, when not (only) from what the user typed. */
export interface TextSource {
  /** Text was read from a picture; `typed`: the user typed text beside it. */
  image: { typed: boolean };
}

/** The evidence lines: each says it was read from the picture, or (picture and typed text) one line says both were read. */
function evidenceLines(lines: string[], t: CardTexts, source: TextSource | undefined): { text: string }[] {
  if (!source || lines.length === 0) return lines.map((text) => ({ text }));
  if (source.image.typed) return [t.recognised.readFromImageAndText, ...lines].map((text) => ({ text }));
  return lines.map((text) => ({ text: t.recognised.readFromImage(text) }));
}

/** For a `matched` classification: the error, its codes, the confidence, the evidence and the hints. No buttons. */
export function recognisedCard(ctx: CardContext, result: Classification, source?: TextSource): RenderedCard {
  const category = result.category;
  if (result.status !== 'matched' || category === null) {
    throw new Error(`recognisedCard needs a matched classification, got status "${result.status}"`);
  }
  const t = textsFor(ctx);
  const error = knowledgeFor(ctx).error(category);
  const evidence = evidenceLines(
    strongestEvidence(result.evidence, category).map((item) => describeEvidence(item.about, ctx.language)),
    t,
    source,
  );
  const hints = hintFacts(result.hints, t);
  const view = errorView(ctx, category);
  return renderCard(ctx, 'recognised', {
    title: t.recognised.title,
    errorTitle: view.title,
    codes: view.codes,
    hasPortalMessage: view.hasPortalMessage,
    portalMessage: view.portalMessage,
    summary: error.summary,
    confidence: t.recognised.confidence(Math.round(result.confidence * 100)),
    evidenceHeading: t.recognised.evidenceHeading,
    hasEvidence: evidence.length > 0,
    evidence,
    hintsHeading: t.recognised.hintsHeading,
    hasHints: hints.length > 0,
    hints,
    buttons: [],
  });
}
