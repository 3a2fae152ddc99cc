import { readdirSync, readFileSync } from 'node:fs';
import type * as Templating from 'adaptivecards-templating';
import { join } from 'node:path';
import { TEMPLATE_NAMES, type WelcomeData } from '../../../src/domain/cards/template-data';
import { CARDS_DIR, expandTemplate } from '../../../src/domain/cards/templates';

describe('the templates in cards/', () => {
  it('When cards/ is listed, Then it holds exactly one JSON template per template name', () => {
    expect(readdirSync(CARDS_DIR).sort()).toEqual(TEMPLATE_NAMES.map((name) => `${name}.json`).sort());
  });

  it.each(TEMPLATE_NAMES)('When %s.json is read, Then it declares schema 1.5 and a full-width Teams card', (name) => {
    const template = JSON.parse(readFileSync(join(CARDS_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
    expect(template).toMatchObject({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.5',
      msteams: { width: 'Full' },
    });
  });

  it('When a field is missing from the data, Then it stays as literal ${…} text (which is why every field is required)', () => {
    const partial = { title: 'T', intro: 'I', order: 'O', pasteHeading: 'P', pasteKinds: 'K', buttons: [] };
    const card = expandTemplate('welcome', partial as unknown as WelcomeData);
    expect(JSON.stringify(card)).toContain('${browseHint}');
  });

  it('When many cards are rendered, Then each template is constructed only once per process', async () => {
    let constructed = 0;
    await jest.isolateModulesAsync(async () => {
      jest.doMock('adaptivecards-templating', () => {
        const actual = jest.requireActual<typeof Templating>('adaptivecards-templating');
        class CountingTemplate extends actual.Template {
          constructor(payload: unknown) {
            super(payload);
            constructed += 1;
          }
        }
        return { ...actual, Template: CountingTemplate };
      });
      const cards = await import('../../../src/domain/cards');
      const ctx = { language: 'en' as const, flowId: 'flow-once', step: 1 };
      for (let round = 0; round < 3; round++) {
        cards.welcomeCard(ctx);
        cards.helpCard({ ...ctx, language: 'ja' });
        cards.errorChoiceCard(ctx, 'browse');
      }
    });
    expect(constructed).toBe(3);
  });
});
