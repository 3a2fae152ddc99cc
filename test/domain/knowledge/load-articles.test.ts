import en from '../../../src/domain/knowledge/content/en.json';
import ja from '../../../src/domain/knowledge/content/ja.json';
import { loadLibrary } from '../../../src/domain/knowledge/load-articles';
import { LANGUAGES, type CauseId, type ErrorId } from '../../../src/domain/knowledge/schema';

/**
 * The order of causes under each heading of the 08/17/2017 article
 * ("Cause 1: ... Cause 5:"), read off the article, not off our data.
 */
const ARTICLE_ORDER: Record<ErrorId, CauseId[]> = {
  'agent-unreachable': ['no-internet', 'agent-unresponsive-windows', 'agent-outdated-linux', 'snapshot-status', 'extension-update-load'],
  'no-network': ['no-internet', 'snapshot-status', 'extension-update-load'],
  'vmsnapshot-extension-failed': ['snapshot-status', 'extension-update-load', 'no-internet', 'agent-unresponsive-windows', 'agent-outdated-linux'],
  'agent-unresponsive': ['agent-unresponsive-windows', 'agent-outdated-linux', 'no-internet'],
  'internal-error': ['no-internet', 'agent-unresponsive-windows', 'agent-outdated-linux', 'snapshot-status', 'extension-update-load'],
};

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('the article as data', () => {
  const library = loadLibrary();

  describe.each(LANGUAGES)('in %s', (language) => {
    it.each(Object.entries(ARTICLE_ORDER))('When the error is %s, Then its causes come in the article order', (errorId, order) => {
      expect(library[language].error(errorId as ErrorId).causes).toEqual(order);
    });

    it('When a cause is referenced, Then it is written once with a title, a reason and steps', () => {
      const causes = library[language].article.causes;
      expect(new Set(causes.map((cause) => cause.id)).size).toBe(causes.length);
      for (const cause of causes) {
        expect(cause.sections.flatMap((section) => section.steps).length).toBeGreaterThan(0);
      }
    });
  });

  it('When the facts users copy are compared, Then they hold exactly', () => {
    const codes = (language: 'en' | 'ja') =>
      library[language].article.causes.flatMap((cause) => cause.sections.flatMap((section) => section.steps.map((step) => step.code ?? '')));
    for (const language of LANGUAGES) {
      const all = codes(language).join('\n');
      for (const fact of [
        'ps -e',
        'service walinuxagent start',
        'service waagent start',
        '[HKEY_LOCAL_MACHINE\\SOFTWARE\\MICROSOFT\\BCDRAGENT] "USEVSSCOPYBACKUP"="TRUE"',
        '1.0.91.0',
        '8443',
        '/var/lib/waagent/*.xml',
        '/var/log/waagent.log',
        '/var/log/azure/*',
        '/etc/waagent.conf',
      ]) {
        expect(all).toContain(fact);
      }
    }
    expect(codes('ja')).toEqual(codes('en'));
  });

  it('When the snapshot-status cause is read, Then it has the five situations in the article order', () => {
    const situations = library.en.cause('snapshot-status').sections.filter((section) => section.kind === 'situation');
    expect(situations.map((section) => section.id)).toEqual([
      'sql-server-backup',
      'shutdown-in-rdp',
      'many-vms-same-cloud-service',
      'high-cpu-or-memory',
      'dhcp-disabled',
    ]);
  });

  it('When the no-internet cause is read, Then it offers two ways out and the managed-disks port', () => {
    const sections = library.ja.cause('no-internet').sections;
    expect(sections.filter((section) => section.kind === 'alternative')).toHaveLength(2);
    expect(sections.flatMap((section) => section.steps).some((step) => step.code === '8443')).toBe(true);
  });

  it('When a file lacks a field, Then loading names the file and the field', () => {
    const broken = clone(ja) as { causes: { why?: string }[] };
    delete broken.causes[2]!.why;
    expect(() => loadLibrary({ en, ja: broken })).toThrow(/content\/ja\.json: causes\.2\.why/);
  });

  it('When an error lists a cause that is not written, Then loading names the position', () => {
    const broken = clone(en) as { causes: { id: string }[] };
    broken.causes[4]!.id = 'snapshot-status';
    expect(() => loadLibrary({ en: broken, ja })).toThrow(/content\/en\.json: causes\.4\.id: cause "snapshot-status" is written twice/);
  });

  it('When the languages disagree on a command, Then loading names the field', () => {
    const broken = clone(ja) as { causes: { sections: { steps: { code?: string }[] }[] }[] };
    broken.causes[2]!.sections[0]!.steps[1]!.code = 'ps -ef';
    expect(() => loadLibrary({ en, ja: broken })).toThrow(/content\/ja\.json: causes\.2\.sections\.0/);
  });
});
