/** The current guidance (issue 12) as data: schema, cross-language checks, anchors against the current article's headings. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import en from '../../../src/domain/knowledge/content/current-en.json';
import ja from '../../../src/domain/knowledge/content/current-ja.json';
import { CHECK_IDS, OTHER_ERROR_CODES } from '../../../src/domain/knowledge/current-schema';
import { loadCurrentLibrary } from '../../../src/domain/knowledge/load-current';
import { CAUSE_IDS, LANGUAGES } from '../../../src/domain/knowledge/schema';
import { defaultSignatures } from '../../../src/domain/matching/load-signatures';
import { loadConcepts } from '../../../src/domain/matching/matcher-data';
import { PROJECT_ROOT } from '../../../src/project-root';
import { anchorsOf } from '../../support/heading-anchors';

const HEADINGS_FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'reference', 'current-article-headings.md');
/** The reference file itself, where shared/ sits beside the repository (the worktrees, CI). */
const REFERENCE = join(PROJECT_ROOT, '..', 'shared', 'reference', 'newest-en_backup-azure-troubleshoot-vm-backup-fails-snapshot-timeout.md');
const ENGLISH_PAGE = 'https://learn.microsoft.com/azure/backup/backup-azure-troubleshoot-vm-backup-fails-snapshot-timeout';
const JAPANESE_PAGE = 'https://learn.microsoft.com/ja-jp/azure/backup/backup-azure-troubleshoot-vm-backup-fails-snapshot-timeout';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const library = loadCurrentLibrary();

describe('the current guidance as data', () => {
  it('When both files are loaded, Then they pass the schema and the cross-language checks', () => {
    expect(library.en.guidance.checks.map((check) => check.id)).toEqual([...CHECK_IDS]);
    expect(library.ja.guidance.otherErrors.map((other) => other.code)).toEqual([...OTHER_ERROR_CODES]);
  });

  it.each([
    ['a command differs', (file: typeof ja) => (file.notes[5]!.code![0] = 'sudo systemctl start walinuxagent'), 'notes'],
    ['a check lists another error', (file: typeof ja) => (file.checks[0]!.errors = ['internal-error']), 'checks'],
    ['a check path differs', (file: typeof ja) => (file.checks[3]!.steps[0]!.code = 'C:\\Packages\\iaasvmprovider.dll'), 'checks'],
    ['an anchor differs', (file: typeof ja) => (file.otherErrors[0]!.anchor = file.otherErrors[1]!.anchor), 'otherErrors'],
    ['a moved link differs beyond its locale', (file: typeof ja) => (file.notes[7]!.moved!.url = 'https://learn.microsoft.com/ja-jp/azure/virtual-machines/linux/update-agent'), 'notes'],
  ])('When in Japanese %s, Then loading fails and names the field', (_, change, field) => {
    const broken = clone(ja);
    change(broken);
    expect(() => loadCurrentLibrary({ en, ja: broken })).toThrow(new RegExp(`current-ja\\.json: ${field}`));
  });

  it('When a note links a section that is not written, Then loading fails and names the note', () => {
    const broken = clone(en);
    broken.notes[0]!.anchor = 'no-such-section';
    expect(() => loadCurrentLibrary({ en: broken, ja })).toThrow(/current-en\.json: notes\.0\.anchor: no section "no-such-section"/);
  });

  it('When a note names a cause the article does not have, Then the schema refuses it', () => {
    const broken = clone(en) as { notes: { cause: string }[] };
    broken.notes[0]!.cause = 'no-such-cause';
    expect(() => loadCurrentLibrary({ en: broken, ja })).toThrow(/current-en\.json: notes\.0\.cause/);
  });

  it('When links are built, Then English users get the learn.microsoft.com page and Japanese users its ja-jp twin, with the same anchor', () => {
    const anchor = 'vm-agent-configuration-options-are-not-set-for-linux-vms';
    expect(library.en.sectionUrl(anchor)).toBe(`${ENGLISH_PAGE}#${anchor}`);
    expect(library.ja.sectionUrl(anchor)).toBe(`${JAPANESE_PAGE}#${anchor}`);
  });

  it('When every cause of the 2017 article is looked at, Then each that the current article changed has its notes, in both languages alike', () => {
    for (const language of LANGUAGES) {
      const noted = CAUSE_IDS.filter((cause) => library[language].notesFor(cause).length > 0);
      // Every one of the five changed: the two articles were read side by side (test-output/issue12-changes.md).
      expect(noted).toEqual([...CAUSE_IDS]);
    }
  });

  it('When the facts users copy are compared with the current article, Then they hold exactly in both languages', () => {
    // Read off the 11/12/2025 article, not off our data.
    const facts = [
      'sudo systemctl restart walinuxagent',
      'sudo systemctl restart waagent',
      '168.63.129.16',
      '80, 443, 32526',
      'Windows Azure Guest Agent',
      '/etc/waagent.conf',
      'Extensions.Enable=y',
      'Provisioning.Agent=auto',
      '/var/lib',
      'IaaSBcdrExtension.exe',
      'AzureBackupRG_<Geo>_<number>',
      'C:\\Packages\\Plugins\\Microsoft.Azure.RecoveryServices.VMSnapshot\\<extension version>\\iaasvmprovider.dll',
      'C:\\Packages\\Plugins\\Microsoft.Azure.RecoveryServices.VMSnapshot\\<LatestVersion>',
      'vcredist2013_x64',
    ];
    for (const language of LANGUAGES) {
      const { guidance } = library[language];
      const codes = [...guidance.notes.flatMap((note) => note.code ?? []), ...guidance.checks.flatMap((check) => check.steps.flatMap((step) => step.code ?? []))];
      for (const fact of facts) expect(codes).toContain(fact);
    }
  });

  it('When the extra checks are read, Then each belongs to the errors whose cause list in the current article has it, in its order', () => {
    const errorsOf = Object.fromEntries(library.en.guidance.checks.map((check) => [check.id, check.errors]));
    // GuestAgentSnapshotTaskStatusError: causes 4 and 5; BackUpOperationFailed: causes 4 and 5.
    expect(errorsOf).toEqual({
      'current-linux-agent-config': ['agent-unresponsive'],
      'current-app-control': ['agent-unresponsive'],
      'current-rg-lock': ['internal-error'],
      'current-vcredist': ['internal-error'],
    });
    expect(library.en.checksFor('agent-unresponsive').map((check) => check.id)).toEqual(['current-linux-agent-config', 'current-app-control']);
    expect(library.en.checksFor('internal-error').map((check) => check.id)).toEqual(['current-rg-lock', 'current-vcredist']);
  });
});

describe('the anchors of the current article', () => {
  const fixture = readFileSync(HEADINGS_FIXTURE, 'utf8');
  const anchors = anchorsOf(fixture);

  it('When the headings are slugged, Then the anchors the article itself links to come out', () => {
    // The article's own in-page links, as written in it: the slugging agrees with Learn's.
    for (const linked of [
      'usererrorvmprovisioningstatefailed---the-vm-is-in-failed-provisioning-state',
      'the-agent-installed-in-the-vm-is-out-of-date-for-linux-vms',
      'vm-agent-configuration-options-are-not-set-for-linux-vms',
      'application-control-solution-is-blocking-iaasbcdrextensionexe',
      'the-snapshot-status-cannot-be-retrieved-or-a-snapshot-cannot-be-taken',
      'remove_lock_from_the_recovery_point_resource_group',
    ]) {
      expect(anchors).toContain(linked);
    }
  });

  it.each(LANGUAGES)('When the %s guidance links a section, Then its anchor is a heading of the current article', (language) => {
    const { guidance } = library[language];
    const used = [...guidance.sections.map((s) => s.anchor), ...guidance.notes.map((n) => n.anchor), ...guidance.checks.map((c) => c.anchor), ...guidance.otherErrors.map((o) => o.anchor)];
    expect(used.filter((anchor) => !anchors.has(anchor))).toEqual([]);
  });

  it('When an other error is linked, Then its anchor is the slug of its own heading', () => {
    const headings = fixture.split('\n').filter((line) => line.startsWith('## '));
    for (const other of library.en.guidance.otherErrors) {
      const heading = headings.find((line) => line.startsWith(`## ${other.code} - `));
      expect(heading).toBeDefined();
      expect(anchorsOf(heading!)).toContain(other.anchor);
    }
  });

  (existsSync(REFERENCE) ? it : it.skip)('When the reference file is beside the repository, Then the fixture holds its headings verbatim', () => {
    const fromReference = readFileSync(REFERENCE, 'utf8').split('\n').filter((line) => /^#{2,3} /.test(line));
    expect(fixture.split('\n').filter((line) => /^#{2,3} /.test(line))).toEqual(fromReference);
  });
});

describe('the other errors and the matcher', () => {
  it('When an other error is looked up in the signatures, Then its code points to it, out of scope', () => {
    const { codes } = defaultSignatures();
    for (const code of OTHER_ERROR_CODES) {
      expect(codes.find((signature) => signature.code === code)).toMatchObject({ targets: [], otherError: code });
    }
  });

  it('When a signature or a topic names an other error, Then it points away from the five', () => {
    const { codes, phrases } = defaultSignatures();
    for (const signature of [...codes, ...phrases].filter((entry) => entry.otherError)) expect(signature.targets).toEqual([]);
    expect(loadConcepts().topics.filter((topic) => topic.otherError).map((topic) => topic.id).sort()).toEqual(
      ['disk-size', 'in-progress', 'key-vault', 'not-protected', 'provisioning-state', 'restore-point-limit'],
    );
  });
});
