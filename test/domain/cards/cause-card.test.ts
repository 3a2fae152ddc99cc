import { causeCard, type CardContext } from '../../../src/domain/cards';
import { markdownLink } from '../../../src/domain/cards/cause';
import { startWalk, type Walk } from '../../../src/domain/flow/walk';
import { defaultLibrary } from '../../../src/domain/knowledge/load-articles';
import { defaultCurrentLibrary } from '../../../src/domain/knowledge/load-current';
import { ERROR_IDS, LANGUAGES, type Language } from '../../../src/domain/knowledge/schema';
import { cardObjects, submits, textBlocks } from './card-checks';

const ctxFor = (language: Language): CardContext => ({ language, flowId: 'flow-cause', step: 9 });
const walkFor = (language: Language, ...args: [Walk['category'], Walk['os']]): Walk => startWalk(defaultLibrary()[language], ...args);
const texts = (card: unknown): string[] => textBlocks(card).map((block) => String(block.text));

describe('the cause card', () => {
  it.each([
    ['en', 'Cause 2 of 4'],
    ['ja', '原因 2 / 4'],
  ] as const)('When the second of four causes is shown in %s, Then the card says "%s"', (language, expected) => {
    const walk = walkFor(language, 'agent-unreachable', 'windows');
    expect(walk.causes).toHaveLength(4);
    const rendered = causeCard(ctxFor(language), { ...walk, position: 1 });
    expect(texts(rendered.card)[0]).toBe(expected);
    expect(rendered.text.split('\n')[0]).toBe(expected);
  });

  describe.each(LANGUAGES)('in %s', (language) => {
    const knowledge = defaultLibrary()[language];

    it('When a step has code, Then the code is in its own Monospace TextBlock, exactly as written', () => {
      let checked = 0;
      for (const cause of knowledge.article.causes) {
        const walk: Walk = { category: 'agent-unreachable', os: 'unknown', causes: [cause.id], position: 0, tried: [] };
        const blocks = textBlocks(causeCard(ctxFor(language), walk).card);
        const monospace = blocks.filter((block) => block.fontType === 'Monospace').map((block) => block.text);
        const codes = cause.sections.flatMap((section) => section.steps.flatMap((step) => (step.code ? [step.code] : [])));
        // Then the commands and values of the "Changed since 2017" box (issue 12), also exactly as written.
        const noteCodes = defaultCurrentLibrary()[language].notesFor(cause.id).flatMap((note) => note.code ?? []);
        expect(monospace).toEqual([...codes, ...noteCodes]);
        checked += codes.length;
      }
      expect(checked).toBeGreaterThan(10);
    });

    it('When a step has several siblings, Then each is one TextBlock numbered by its text, not a markdown list', () => {
      const walk = walkFor(language, 'agent-unreachable', 'linux');
      const position = walk.causes.indexOf('agent-outdated-linux');
      const all = texts(causeCard(ctxFor(language), { ...walk, position }).card);
      const steps = knowledge.cause('agent-outdated-linux').sections[0].steps;
      steps.forEach((step, index) => expect(all).toContain(`${index + 1}.\u00a0${step.text}`));
      expect(all.filter((text) => /^\d+\. /.test(text))).toEqual([]);
    });

    it('When a step has a link, Then the card carries it as a markdown link', () => {
      const walk = walkFor(language, 'agent-unreachable', 'unknown');
      const all = texts(causeCard(ctxFor(language), walk).card);
      const link = knowledge.cause('no-internet').sections[0].steps[0].link!;
      expect(all).toContain(`[${link.label}](${link.url})`);
    });

    it('When the snapshot-status cause is shown, Then its five situations are collapsed behind five toggles', () => {
      const walk = walkFor(language, 'vmsnapshot-extension-failed', 'unknown');
      expect(walk.causes[0]).toBe('snapshot-status');
      const { card } = causeCard(ctxFor(language), walk);
      const objects = cardObjects(card);
      const toggles = objects.filter((o) => o.type === 'Action.ToggleVisibility');
      expect(toggles).toHaveLength(5);
      const targets = toggles.flatMap((toggle) => toggle.targetElements as string[]);
      expect(new Set(targets).size).toBe(5);
      for (const target of targets) {
        const container = objects.find((o) => o.id === target)!;
        expect(container).toMatchObject({ type: 'Container', isVisible: false });
        expect(textBlocks(container).length).toBeGreaterThan(0);
      }
      const situationTitles = knowledge.cause('snapshot-status').sections.map((section) => section.title);
      expect(texts(card)).toEqual(expect.arrayContaining(situationTitles));
    });

    it('When the OS is known, Then the os-part for the other OS is left out; when it is not, Then both show their OS', () => {
      const osTitles = (os: Walk['os']): string[] => {
        const walk = walkFor(language, 'no-network', os);
        const card = causeCard(ctxFor(language), { ...walk, position: walk.causes.indexOf('extension-update-load') }).card;
        const parts = knowledge.cause('extension-update-load').sections.filter((section) => section.kind === 'os-part');
        return parts.filter((part) => texts(card).includes(part.title)).map((part) => part.os!);
      };
      expect(osTitles('windows')).toEqual(['windows']);
      expect(osTitles('linux')).toEqual(['linux']);
      expect(osTitles('unknown')).toEqual(['windows', 'linux']);
      const unknownWalk = walkFor(language, 'no-network', 'unknown');
      const card = causeCard(ctxFor(language), { ...unknownWalk, position: 2 }).card;
      const labels = language === 'en' ? ['For Windows VMs', 'For Linux VMs'] : ['Windows VM の場合', 'Linux VM の場合'];
      expect(texts(card)).toEqual(expect.arrayContaining(labels));
    });

    it.each(ERROR_IDS)('When a cause of %s is shown, Then every button carries the category, the cause and the stamp', (category) => {
      const walk = walkFor(language, category, 'unknown');
      walk.causes.forEach((causeId, position) => {
        const rendered = causeCard(ctxFor(language), { ...walk, position });
        expect(rendered.buttons.map((button) => button.data)).toEqual([
          { action: 'resolved', flowId: 'flow-cause', step: 9, category, causeId },
          { action: 'next', flowId: 'flow-cause', step: 9, category, causeId },
          { action: 'helpdesk', flowId: 'flow-cause', step: 9, category, causeId },
        ]);
        expect(submits(rendered.card).map((submit) => submit.data)).toEqual(rendered.buttons.map((button) => button.data));
      });
    });

    // Issue 12: the last cause of an error with extra checks of the current article leads to them, not to the summary.
    it('When the last cause is shown and no extra check follows, Then the next button says that the summary follows instead of a next cause', () => {
      const walk = walkFor(language, 'no-network', 'windows');
      expect(walk.checks).toEqual([]);
      const titles = (position: number): string[] => causeCard(ctxFor(language), { ...walk, position }).buttons.map((button) => button.title);
      const [middle, last] = [titles(0)[1], titles(walk.causes.length - 1)[1]];
      expect(middle).not.toBe(last);
      expect(last).toBe(language === 'en' ? 'Still failing: see summary' : 'まだ失敗する: 概要を表示');
    });

    it('When the last cause is shown and extra checks follow, Then the next button says that more checks follow', () => {
      const walk = walkFor(language, 'agent-unresponsive', 'windows');
      expect(walk.checks).toEqual(['current-app-control']);
      const last = causeCard(ctxFor(language), { ...walk, position: walk.causes.length - 1 }).buttons.map((button) => button.title)[1];
      expect(last).toBe(language === 'en' ? 'Still failing: more checks' : 'まだ失敗する: 追加の確認へ');
    });

    it('When the card is rendered, Then its text numbers the buttons after the body', () => {
      const rendered = causeCard(ctxFor(language), walkFor(language, 'no-network', 'linux'));
      const lines = rendered.text.split('\n');
      expect(lines.slice(-3)).toEqual(rendered.buttons.map((button, index) => `${index + 1}. ${button.title}`));
      expect(rendered.text).toContain(knowledgeTitle(language, 'no-internet'));
      expect(rendered.text).not.toContain('\u00a0');
      expect(rendered.card.fallbackText).toBe(rendered.text);
    });
  });

  it('When the walk is past its last cause, Then no cause card is made', () => {
    const walk = walkFor('en', 'no-network', 'linux');
    expect(() => causeCard(ctxFor('en'), { ...walk, position: walk.causes.length })).toThrow(/no cause at position 3/);
  });

  it('When a link label or URL holds brackets, Then the markdown link stays one link', () => {
    expect(markdownLink('a [b] c', 'https://example.com/x_(y)')).toBe('[a \\[b\\] c](https://example.com/x_%28y%29)');
  });
});

function knowledgeTitle(language: Language, causeId: 'no-internet'): string {
  return defaultLibrary()[language].cause(causeId).title;
}

describe('steps and situations for one guest OS', () => {
  const ctx: CardContext = { language: 'en', flowId: 'flow-os', step: 1 };
  const card = (cause: Walk['causes'][number], os: Walk['os']) =>
    causeCard(ctx, { category: 'internal-error', os, causes: [cause], position: 0, tried: [] }).text;

  it('When the VM runs Linux, Then Windows-only steps and situations are left out', () => {
    expect(card('no-internet', 'linux')).not.toContain('New-NetRoute');
    expect(card('snapshot-status', 'linux')).not.toContain('USEVSSCOPYBACKUP');
    expect(card('snapshot-status', 'linux')).toContain('DHCP');
  });

  it('When the VM runs Windows, Then they are shown', () => {
    expect(card('no-internet', 'windows')).toContain('New-NetRoute');
    expect(card('snapshot-status', 'windows')).toContain('USEVSSCOPYBACKUP');
  });

  it('When the OS is not known, Then a Windows-only step says so before its text', () => {
    expect(card('no-internet', 'unknown')).toContain('2. Windows VMs only: In the VM, open PowerShell');
  });
});
