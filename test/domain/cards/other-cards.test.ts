import {
  casePreviewCard,
  chooseOsCard,
  didYouMeanCard,
  errorChoiceCard,
  exhaustedCard,
  fixedCard,
  helpCard,
  recognisedCard,
  switchErrorCard,
  welcomeCard,
  type CardContext,
} from '../../../src/domain/cards';
import { startWalk, type Walk } from '../../../src/domain/flow/walk';
import { defaultLibrary } from '../../../src/domain/knowledge/load-articles';
import { describeEvidence } from '../../../src/domain/i18n/evidence-texts';
import { HANDOFF_TEXTS } from '../../../src/domain/i18n/handoff-texts';
import { buildHandoffCase } from '../../../src/domain/handoff/build-case';
import { ERROR_IDS, LANGUAGES, type ErrorId, type Language } from '../../../src/domain/knowledge/schema';
import type { Classification, Evidence, EvidenceAbout, EvidenceKind } from '../../../src/domain/matching/classification';
import { textBlocks } from './card-checks';

const ctxFor = (language: Language): CardContext => ({ language, flowId: 'flow-other', step: 3 });
const stamp = { flowId: 'flow-other', step: 3 };
const texts = (card: unknown): string[] => textBlocks(card).map((block) => String(block.text));
const titleOf = (language: Language, category: (typeof ERROR_IDS)[number]): string => defaultLibrary()[language].error(category).title;
const labelOf = (language: Language, category: (typeof ERROR_IDS)[number]): string => defaultLibrary()[language].error(category).buttonLabel;

function evidence(kind: EvidenceKind, about: EvidenceAbout, categories: ErrorId[], score: number): Evidence {
  return { kind, about, text: describeEvidence(about, 'en'), categories, score };
}

/** The three strongest reasons pointing at the error, as the card words them. */
const REASONS: Record<Language, string[]> = {
  en: ['error code ExtensionOperationFailedForManagedDisks', 'message "VMSnapshot extension operation failed" (100%)', 'message "extension operation" (60%)'],
  ja: [
    'エラー コード ExtensionOperationFailedForManagedDisks が含まれています',
    'メッセージ「VMSnapshot extension operation failed」と一致しました (100%)',
    'メッセージ「extension operation」と一致しました (60%)',
  ],
};

function matched(language: Language): Classification {
  return {
    status: 'matched',
    category: 'vmsnapshot-extension-failed',
    confidence: 0.876,
    candidates: [{ category: 'vmsnapshot-extension-failed', confidence: 0.876 }],
    evidence: [
      evidence('phrase', { kind: 'message', message: 'weak reason', percent: 20, cutShort: false, elsewhere: false }, ['vmsnapshot-extension-failed'], 0.2),
      evidence('code', { kind: 'code', code: 'ExtensionOperationFailedForManagedDisks', elsewhere: false, cutShort: false }, ['vmsnapshot-extension-failed'], 1),
      evidence('other-error', { kind: 'unknown-code', code: 'UserErrorSomethingElse' }, [], 0.9),
      evidence('phrase', { kind: 'message', message: 'VMSnapshot extension operation failed', percent: 100, cutShort: false, elsewhere: false }, ['vmsnapshot-extension-failed'], 0.7),
      evidence('phrase', { kind: 'message', message: 'extension operation', percent: 60, cutShort: false, elsewhere: false }, ['vmsnapshot-extension-failed'], 0.5),
    ],
    hints: { language, guestOs: 'windows', guestOsClue: 'iaasvmprovider', identifiers: { vmName: 'vm-sql-02', vault: 'rsv-east', jobId: 'b1c2d3e4-0000-4000-8000-000000000001' } },
  };
}

describe.each(LANGUAGES)('cards in %s', (language) => {
  const ctx = ctxFor(language);
  const other = language === 'ja' ? 'en' : 'ja';

  it('When the welcome card is shown, Then it offers browsing and the other language, labelled in that language', () => {
    const rendered = welcomeCard(ctx);
    expect(rendered.buttons.map((button) => button.data)).toEqual([
      { action: 'browse', ...stamp },
      { action: 'set-language', ...stamp, language: other },
    ]);
    expect(rendered.buttons[1].title).toBe(language === 'ja' ? 'English' : '日本語');
    expect(rendered.text).toMatch(language === 'en' ? /Paste the error message of the failed backup job/ : /エラー メッセージを貼り付けてください/);
  });

  it.each(['browse', 'not-covered', 'none-of-these'] as const)(
    'When the error list is shown for %s, Then each of the five errors is a button with its category and short label, its full title in the list',
    (reason) => {
      const rendered = errorChoiceCard(ctx, reason);
      const choices = rendered.buttons.slice(0, 5);
      expect(choices.map((button) => button.data)).toEqual(ERROR_IDS.map((category) => ({ action: 'choose-category', ...stamp, category })));
      expect(choices.map((button) => button.title)).toEqual(ERROR_IDS.map((category) => labelOf(language, category)));
      expect(texts(rendered.card)).toEqual(expect.arrayContaining(ERROR_IDS.map((category) => titleOf(language, category))));
    },
  );

  it('When the paste is not covered, Then the card says so first and offers the helpdesk', () => {
    const rendered = errorChoiceCard(ctx, 'not-covered');
    const first = texts(rendered.card).slice(0, 2).join(' ');
    expect(first).toMatch(language === 'en' ? /not one of the five VM agent and backup extension errors/ : /5 つのエラーのいずれにも該当しません/);
    expect(rendered.buttons.map((button) => button.data.action)).toEqual([...ERROR_IDS.map(() => 'choose-category'), 'helpdesk']);
    expect(errorChoiceCard(ctx, 'browse').buttons.some((button) => button.data.action === 'helpdesk')).toBe(false);
  });

  it('When none of the candidates was right, Then the list opens with a short "here are all five"', () => {
    expect(texts(errorChoiceCard(ctx, 'none-of-these').card)[1]).toBe(
      language === 'en' ? 'Here are all five: select the one your backup job shows.' : '5 つすべてを並べました。バックアップ ジョブに表示されているものを選択してください。',
    );
  });

  it('When an error is recognised, Then the card names it with its codes, the confidence, three reasons and the hints, and has no buttons', () => {
    const rendered = recognisedCard(ctx, matched(language));
    const all = texts(rendered.card);
    expect(all).toContain(titleOf(language, 'vmsnapshot-extension-failed'));
    expect(rendered.text).toContain('ExtentionOperationFailed');
    expect(rendered.text).toContain('88%');
    const reasons = REASONS[language];
    expect(all.filter((text) => reasons.includes(text))).toEqual(reasons);
    expect(rendered.text).not.toContain('weak reason');
    expect(rendered.text).not.toContain('UserErrorSomethingElse');
    expect(rendered.text).toContain('Windows (iaasvmprovider)');
    expect(rendered.text).toContain('vm-sql-02');
    expect(rendered.text).toContain('rsv-east');
    expect(rendered.text).toContain('b1c2d3e4-0000-4000-8000-000000000001');
    expect(rendered.buttons).toEqual([]);
  });

  it('When the paste was read from a picture, Then each reason says so; with typed text beside it, one line says both were read', () => {
    const fromImage = texts(recognisedCard(ctx, matched(language), { image: { typed: false } }).card);
    const said = language === 'en' ? `Read from the image: ${REASONS.en[0]}` : `画像から読み取りました: ${REASONS.ja[0]}`;
    expect(fromImage).toContain(said);
    const both = texts(recognisedCard(ctx, matched(language), { image: { typed: true } }).card);
    expect(both).toContain(language === 'en' ? 'Read from the image and your message:' : '画像とメッセージから読み取りました:');
    expect(both).toContain(REASONS[language][0]);
  });

  it('When nothing but the error is known, Then the recognised card leaves the hint list out', () => {
    const bare: Classification = { ...matched(language), evidence: [], hints: { language, identifiers: {} } };
    const rendered = recognisedCard(ctx, bare);
    expect(rendered.card.body.some((element) => JSON.stringify(element).includes('FactSet'))).toBe(false);
  });

  it('When the classification is not a match, Then no recognised card is made', () => {
    expect(() => recognisedCard(ctx, { ...matched(language), status: 'ambiguous', category: null })).toThrow(/matched/);
  });

  it('When the paste is ambiguous, Then each candidate is a button, followed by "none of these"', () => {
    const rendered = didYouMeanCard(ctx, [
      { category: 'agent-unresponsive', confidence: 0.55 },
      { category: 'agent-unreachable', confidence: 0.5 },
    ]);
    expect(rendered.buttons.map((button) => button.data)).toEqual([
      { action: 'choose-category', ...stamp, category: 'agent-unresponsive' },
      { action: 'choose-category', ...stamp, category: 'agent-unreachable' },
      { action: 'none-of-these', ...stamp },
    ]);
    expect(rendered.buttons[0].title).toBe(labelOf(language, 'agent-unresponsive'));
    expect(texts(rendered.card)).toContain(titleOf(language, 'agent-unresponsive'));
  });

  it('When the guest OS is asked, Then the buttons are Windows, Linux and not sure', () => {
    const rendered = chooseOsCard(ctx, 'internal-error');
    expect(rendered.buttons.map((button) => button.data)).toEqual(
      (['windows', 'linux', 'unknown'] as const).map((os) => ({ action: 'choose-os', ...stamp, category: 'internal-error', os })),
    );
    expect(rendered.buttons[2].title).toBe(language === 'en' ? 'Not sure' : 'わからない');
  });

  it('When a cause fixed it, Then the card names the cause and the error and offers another error', () => {
    const walk: Walk = { ...startWalk(defaultLibrary()[language], 'no-network', 'linux'), position: 1, fixedBy: 'snapshot-status' };
    const rendered = fixedCard(ctx, walk);
    expect(rendered.text).toContain(defaultLibrary()[language].cause('snapshot-status').title);
    expect(rendered.text).toContain(titleOf(language, 'no-network'));
    expect(rendered.buttons.map((button) => button.data)).toEqual([{ action: 'start-over', ...stamp }]);
    expect(() => fixedCard(ctx, { ...walk, fixedBy: undefined })).toThrow(/fixedBy/);
  });

  it('When every cause failed, Then each is listed as still failing and the summary is a copyable monospace block', () => {
    const walk: Walk = { ...startWalk(defaultLibrary()[language], 'agent-unresponsive', 'unknown'), position: 3 };
    const summary = 'Error: GuestAgentSnapshotTaskStatusError\nVM: vm-sql-02\nTried: 3 causes';
    const rendered = exhaustedCard(ctx, walk, summary);
    const stillFailing = language === 'en' ? 'still failing' : 'まだ失敗';
    for (const causeId of walk.causes) {
      expect(texts(rendered.card).some((text) => text.includes(defaultLibrary()[language].cause(causeId).title) && text.includes(stillFailing))).toBe(true);
    }
    const monospace = textBlocks(rendered.card).filter((block) => block.fontType === 'Monospace');
    expect(monospace.map((block) => block.text)).toEqual([summary.split('\n').join('\n\n')]);
    expect(rendered.text).toContain(summary);
    expect(rendered.buttons.map((button) => button.data)).toEqual([
      { action: 'helpdesk', ...stamp, category: 'agent-unresponsive' },
      { action: 'start-over', ...stamp },
    ]);
  });

  it('When another error is pasted mid-walk, Then switching carries the new error and keeping carries the current one', () => {
    const rendered = switchErrorCard(ctx, 'no-network', 'internal-error');
    expect(rendered.buttons.map((button) => button.data)).toEqual([
      { action: 'switch-error', ...stamp, category: 'internal-error' },
      { action: 'keep-error', ...stamp, category: 'no-network' },
    ]);
    expect(rendered.text).toContain(titleOf(language, 'no-network'));
    expect(rendered.text).toContain(titleOf(language, 'internal-error'));
  });

  it('When the other error was read from a screenshot mid-walk, Then the switch card says it came from the image', () => {
    const pasted = switchErrorCard(ctx, 'no-network', 'internal-error');
    const fromImage = switchErrorCard(ctx, 'no-network', 'internal-error', { image: { typed: false } });
    const said = language === 'ja' ? '画像から読み取った' : 'Read from the image you just sent';
    expect(pasted.text).not.toContain(said);
    expect(fromImage.text).toContain(said);
    expect(fromImage.text).toContain(titleOf(language, 'internal-error'));
  });

  it('When help is asked for, Then the commands and typed answers are listed, with start over and helpdesk buttons', () => {
    const rendered = helpCard(ctx);
    for (const word of ['help', 'start over', '最初から', 'cancel', 'キャンセル', 'helpdesk', '担当者', 'yes', 'はい', 'next', '次']) {
      expect(rendered.text).toContain(word);
    }
    expect(rendered.buttons.map((button) => button.data)).toEqual([
      { action: 'start-over', ...stamp },
      { action: 'helpdesk', ...stamp },
    ]);
    expect(rendered.text.split('\n').slice(-2)).toEqual(rendered.buttons.map((button, index) => `${index + 1}. ${button.title}`));
  });
});

describe.each(LANGUAGES)('the case preview in %s', (language) => {
  const ctx = ctxFor(language);
  const t = HANDOFF_TEXTS[language].preview;
  const previewOf = (paste: string) => {
    const pasted = { text: paste, hints: { language, identifiers: {} }, at: '2026-01-05T09:30:00.000Z' };
    return casePreviewCard(ctx, buildHandoffCase(defaultLibrary(), { language, channelId: 'test', reason: 'not-covered', paste: pasted, transcript: [], caseId: 'case-p' }));
  };

  it('When the paste fits, Then it is shown whole under a heading that says nothing about shortening', () => {
    const rendered = previewOf('UserErrorGuestAgentStatusUnavailable on vm-web01');
    expect(texts(rendered.card)).toContain(t.pasteHeading(false));
    expect(rendered.text).not.toContain(t.pasteHeading(true));
    expect(rendered.text).toContain('UserErrorGuestAgentStatusUnavailable on vm-web01');
  });

  it('When the paste is longer than the preview shows, Then the heading says it was shortened and the text ends with …', () => {
    const rendered = previewOf(`${'waagent: unable to reach the wire server. '.repeat(20)}UserErrorGuestAgentStatusUnavailable`);
    expect(texts(rendered.card)).toContain(t.pasteHeading(true));
    expect(rendered.text).toMatch(/…/);
    expect(t.pasteHeading(true)).not.toBe(t.pasteHeading(false));
  });
});
