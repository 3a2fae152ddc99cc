/**
 * The cards of the current guidance (issue 12), for every error × guest OS in
 * both languages: the cause cards with (and without) their "Changed since 2017"
 * box, the extra checks after the last cause, and the card of each other error
 * reached from its code and its messages in English and Japanese.
 */
import en from '../../../src/domain/knowledge/content/current-en.json';
import ja from '../../../src/domain/knowledge/content/current-ja.json';
import { causeCard, errorChoiceCard, recognisedCard, type CardContext } from '../../../src/domain/cards';
import { renderPromptCard } from '../../../src/domain/cards/prompt-cards';
import { GuestOsChoiceSchema, type GuestOsChoice } from '../../../src/domain/flow/card-action';
import { answerCause, currentCause, startWalk, walkState, type Walk } from '../../../src/domain/flow/walk';
import { defaultLibrary } from '../../../src/domain/knowledge/load-articles';
import { loadCurrentLibrary } from '../../../src/domain/knowledge/load-current';
import { OTHER_ERROR_CODES, type CheckId, type OtherErrorCode } from '../../../src/domain/knowledge/current-schema';
import { ERROR_IDS, LANGUAGES, type ErrorId, type Language } from '../../../src/domain/knowledge/schema';
import { defaultMatcher } from '../../../src/domain/matching/load-signatures';
import { otherErrorOf } from '../../../src/domain/matching/other-error';
import { cardProblems, textBlocks } from './card-checks';

const OSES = GuestOsChoiceSchema.options;
const ctxFor = (language: Language): CardContext => ({ language, flowId: 'flow-issue12', step: 3 });
const texts = (card: unknown): string[] => textBlocks(card).map((block) => String(block.text));
const PAGE: Record<Language, string> = {
  en: 'https://learn.microsoft.com/azure/backup/backup-azure-troubleshoot-vm-backup-fails-snapshot-timeout',
  ja: 'https://learn.microsoft.com/ja-jp/azure/backup/backup-azure-troubleshoot-vm-backup-fails-snapshot-timeout',
};
const NOTE_HEADING: Record<Language, string> = { en: 'Changed since 2017', ja: '2017 年以降の変更' };
const CONTENT = { en, ja };

/**
 * The extra checks per error and guest OS, read off the current article (11/12/2025):
 * GuestAgentSnapshotTaskStatusError's causes 4 (Linux) and 5 (any OS), BackUpOperationFailed's
 * causes 4 (any OS) and 5 (the Windows module iaasvmprovider.dll); the other three errors list none of them.
 */
const EXPECTED_CHECKS: Record<ErrorId, Record<GuestOsChoice, CheckId[]>> = {
  'agent-unreachable': { windows: [], linux: [], unknown: [] },
  'no-network': { windows: [], linux: [], unknown: [] },
  'vmsnapshot-extension-failed': { windows: [], linux: [], unknown: [] },
  'agent-unresponsive': { windows: ['current-app-control'], linux: ['current-linux-agent-config', 'current-app-control'], unknown: ['current-linux-agent-config', 'current-app-control'] },
  'internal-error': { windows: ['current-rg-lock', 'current-vcredist'], linux: ['current-rg-lock'], unknown: ['current-rg-lock', 'current-vcredist'] },
};

const cases = LANGUAGES.flatMap((language) => ERROR_IDS.flatMap((category) => OSES.map((os) => [language, category, os] as const)));

describe('cause cards with their "Changed since 2017" box', () => {
  it.each(cases)('When every cause of the walk is shown (%s, %s, %s), Then each card is valid and carries the notes for its cause and OS, linked to the current article', (language, category, os) => {
    const current = loadCurrentLibrary()[language];
    const walk = startWalk(defaultLibrary()[language], category, os);
    walk.causes.forEach((causeId, position) => {
      const ctx = ctxFor(language);
      const rendered = causeCard(ctx, { ...walk, position });
      expect(cardProblems(rendered, ctx)).toEqual([]);
      const all = texts(rendered.card);
      const notes = current.notesFor(causeId).filter((note) => os === 'unknown' || !note.os || note.os === os);
      expect(all.includes(NOTE_HEADING[language])).toBe(notes.length > 0);
      for (const note of notes) {
        expect(all).toContain(note.text);
        for (const code of note.code ?? []) expect(all).toContain(code);
        expect(all.some((text) => text.includes(`](${PAGE[language]}#${note.anchor})`))).toBe(true);
        if (note.moved) expect(all.some((text) => text.includes(`](${note.moved!.url})`))).toBe(true);
      }
      // A note for the other OS is left out, like a step.
      for (const note of current.notesFor(causeId).filter((candidate) => os !== 'unknown' && candidate.os && candidate.os !== os)) expect(all).not.toContain(note.text);
    });
  });

  it.each(LANGUAGES)('When a cause has no note (%s), Then its card has no box and no link to the current article', (language) => {
    const stripped = JSON.parse(JSON.stringify(CONTENT)) as typeof CONTENT;
    for (const file of [stripped.en, stripped.ja]) file.notes = file.notes.filter((note) => note.cause !== 'snapshot-status');
    const current = loadCurrentLibrary(stripped)[language];
    const walk: Walk = { ...startWalk(defaultLibrary()[language], 'no-network', 'windows'), position: 1 };
    expect(currentCause(walk)).toBe('snapshot-status');
    const rendered = causeCard(ctxFor(language), walk, current);
    expect(cardProblems(rendered, ctxFor(language))).toEqual([]);
    expect(texts(rendered.card)).not.toContain(NOTE_HEADING[language]);
    expect(JSON.stringify(rendered.card)).not.toContain('learn.microsoft.com');
  });

  it('When the Linux agent cause is shown, Then the current restart commands are there exactly, with the 2017 ones kept', () => {
    const walk = startWalk(defaultLibrary().en, 'agent-unresponsive', 'linux');
    const all = texts(causeCard(ctxFor('en'), { ...walk, position: walk.causes.indexOf('agent-outdated-linux') }).card);
    expect(all).toEqual(expect.arrayContaining(['service walinuxagent start', 'sudo systemctl restart walinuxagent', 'sudo systemctl restart waagent']));
  });
});

describe('the extra checks after the last cause', () => {
  it.each(cases)('When every cause still fails (%s, %s, %s), Then the current article\'s checks for this error and OS follow, one card each, and then the walk is exhausted', (language, category, os) => {
    const current = loadCurrentLibrary()[language];
    let walk = startWalk(defaultLibrary()[language], category, os);
    expect(walk.checks).toEqual(EXPECTED_CHECKS[category][os]);
    for (const _ of walk.causes) walk = answerCause(walk, 'still-failing');
    const shown: string[] = [];
    while (walkState(walk) === 'in-progress') {
      const ctx = ctxFor(language);
      const rendered = renderPromptCard({ kind: 'cause', walk }, ctx);
      expect(rendered.template).toBe('current-check');
      expect(cardProblems(rendered, ctx)).toEqual([]);
      const checkId = currentCause(walk) as CheckId;
      const check = current.check(checkId);
      const all = texts(rendered.card);
      const index = shown.length;
      // "The current article lists more checks" opens the first one only.
      expect(all.includes(language === 'en' ? 'The current article lists more checks' : '最新の記事には、ほかにも確認項目があります')).toBe(index === 0);
      expect(all).toContain(language === 'en' ? `Extra check ${index + 1} of ${walk.checks!.length}` : `追加の確認 ${index + 1} / ${walk.checks!.length}`);
      expect(all).toContain(check.title);
      expect(all.some((text) => text.includes(`](${PAGE[language]}#${check.anchor})`))).toBe(true);
      // Same buttons as a cause card, stamped with the check's own id.
      expect(rendered.buttons.map((button) => [button.data.action, button.data.causeId])).toEqual([
        ['resolved', checkId],
        ['next', checkId],
        ['helpdesk', checkId],
      ]);
      shown.push(checkId);
      walk = answerCause(walk, 'still-failing');
    }
    expect(shown).toEqual(EXPECTED_CHECKS[category][os]);
    expect(walkState(walk)).toBe('exhausted');
  });

  it('When an extra check fixes it, Then the walk is fixed by that check, kept apart from the article\'s causes', () => {
    let walk = startWalk(defaultLibrary().en, 'internal-error', 'windows');
    for (const _ of walk.causes) walk = answerCause(walk, 'still-failing');
    walk = answerCause(walk, 'fixed');
    expect(walk.fixedBy).toBe('current-rg-lock');
    expect(walk.causes).not.toContain('current-rg-lock');
  });
});

/** The messages Azure prints for each other error, in English (current article) and Japanese (the 2019/2020 ja-jp article, G-ja). */
const MESSAGES: Record<OtherErrorCode, { en: string; ja: string }> = {
  UserErrorVmProvisioningStateFailed: { en: 'The VM is in failed provisioning state', ja: 'VM がプロビジョニングに失敗した状態' },
  UserErrorRpCollectionLimitReached: { en: 'The Restore Point collection max limit has reached.', ja: '復元ポイント コレクションの上限に達しました。' },
  UserErrorKeyvaultPermissionsNotConfigured: {
    en: "Backup doesn't have sufficient permissions to the key vault for backup of encrypted VMs.",
    ja: 'Backup のキー コンテナーに対するアクセス許可は、暗号化された VM をバックアップするのに十分ではありません。',
  },
  UserErrorUnsupportedDiskSize: { en: 'The configured disk size(s) is currently not supported by Azure Backup.', ja: '構成されたディスク サイズは、現在、Azure Backup ではサポートされていません。' },
  UserErrorBackupOperationInProgress: {
    en: 'Unable to initiate backup as another backup operation is currently in progress',
    ja: '別のバックアップ操作が進行中であるためバックアップを開始できません',
  },
  UserErrorCrpReportedUserError: {
    en: 'Backup failed due to an error. For details, see Job Error Message Details.',
    ja: 'エラーが発生したため、バックアップに失敗しました。 詳細については、ジョブ エラー メッセージの詳細をご覧ください。',
  },
  UserErrorBcmDatasourceNotPresent: {
    en: 'Backup failed: This virtual machine is not (actively) protected by Azure Backup.',
    ja: 'バックアップ失敗: この仮想マシンは、Azure Backup によって (アクティブに) 保護されていません。',
  },
};

describe('the other errors of the current article', () => {
  const pastes = OTHER_ERROR_CODES.flatMap((code) => [
    [code, 'its code', `Error code: ${code}`],
    [code, 'its English message', MESSAGES[code].en],
    [code, 'its Japanese message', MESSAGES[code].ja],
  ] as const);

  it.each(pastes)('When %s is pasted as %s, Then the matcher still answers none and names it', (code, _, paste) => {
    const result = defaultMatcher().classify(paste);
    expect(result.status).toBe('none');
    expect(otherErrorOf(result)).toBe(code);
  });

  it.each(LANGUAGES.flatMap((language) => OTHER_ERROR_CODES.map((code) => [language, code] as const)))('When the card of %s %s is rendered, Then it names the error, says it is outside the five, links its section and offers the helpdesk', (language, code) => {
    const other = loadCurrentLibrary()[language].otherError(code);
    const ctx = ctxFor(language);
    const rendered = renderPromptCard({ kind: 'other-error', code }, ctx);
    expect(cardProblems(rendered, ctx)).toEqual([]);
    const all = texts(rendered.card);
    expect(all[0]).toBe(other.title);
    expect(all).toContain(language === 'en' ? `Error code: ${code}` : `エラー コード: ${code}`);
    expect(all.some((text) => text.includes(language === 'en' ? 'not one of the five' : '5 つのエラーには含まれません'))).toBe(true);
    expect(all.some((text) => text.includes(`](${PAGE[language]}#${other.anchor})`))).toBe(true);
    expect(rendered.buttons.map((button) => button.data.action)).toEqual(['helpdesk', 'browse']);
  });

  it.each([
    ['UserErrorBackupOperationInProgress', 'the backup fails because another backup job is already in progress'],
    ['UserErrorRpCollectionLimitReached', '復元ポイントの上限に達したのでバックアップできない'],
    ['UserErrorKeyvaultPermissionsNotConfigured', 'backup of our encrypted VM fails, something about the key vault'],
  ] as const)('When %s is described in the user\'s words, Then it is named too', (code, description) => {
    expect(otherErrorOf(defaultMatcher().classify(description))).toBe(code);
  });

  it.each(['How much does Azure Backup cost?', 'how do I restore a file from yesterday', 'UserErrorFsFreezeFailed'])('When %j is none of them, Then no other error is named', (paste) => {
    const result = defaultMatcher().classify(paste);
    expect(result.status).toBe('none');
    expect(otherErrorOf(result)).toBeUndefined();
  });
});

describe('how the portal words the five errors today (review O-9)', () => {
  /** The messages the newest docs give (error-codes.md), where they differ from the 2017 headings the bot uses as titles. */
  const TODAY: Record<Language, Partial<Record<ErrorId, string>>> = {
    en: { 'agent-unresponsive': 'Could not communicate with the VM agent for snapshot status' },
    ja: {
      'vmsnapshot-extension-failed': 'VMSnapshot の拡張操作に失敗しました',
      'agent-unresponsive': 'スナップショットの状態について VM エージェントと通信できませんでした',
      'internal-error': '内部エラーでバックアップに失敗しました',
    },
  };

  it.each(LANGUAGES)('When the five errors are listed or one is recognised in %s, Then today\'s portal message shows under the 2017 title, and only where it differs', (language) => {
    const ctx = ctxFor(language);
    const browse = texts(errorChoiceCard(ctx, 'browse').card);
    for (const category of ERROR_IDS) {
      const title = defaultLibrary()[language].error(category).title;
      const today = TODAY[language][category];
      const recognised = texts(
        recognisedCard(ctx, { status: 'matched', category, confidence: 1, candidates: [{ category, confidence: 1 }], evidence: [], hints: { language, identifiers: {} } }).card,
      );
      for (const shown of [browse, recognised]) {
        const line = shown.findIndex((text) => today !== undefined && text.includes(today));
        if (today === undefined) {
          expect(shown.filter((text) => text.includes(language === 'ja' ? '現在の Azure portal での表示' : 'The portal shows it today'))).toHaveLength(shown === browse ? Object.keys(TODAY[language]).length : 0);
          continue;
        }
        expect(line).toBeGreaterThan(shown.indexOf(title));
      }
    }
  });
});
