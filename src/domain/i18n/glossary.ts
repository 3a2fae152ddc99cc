/**
 * The bot's glossary: one term per thing in each language, and the variants
 * not to use. The single source of truth for wording: writers read it, and
 * test/domain/i18n/wording.test.ts scans every text the bot can show (the
 * content files, every text table in this folder, every card as rendered) for
 * the variants, the en-US spellings and the English left on Japanese cards.
 *
 * Japanese follows current Microsoft Japanese documentation (Azure portal,
 * マネージド ディスク, 選択します); English follows the Microsoft Writing Style
 * Guide in en-US (select, email, canceled). A variant is a string (found as
 * is) or a pattern (for a word that is fine inside a longer term, such as
 * コンテナー inside Recovery Services コンテナー).
 */
export type Variant = string | RegExp;

export interface Usage {
  /** The term to write. */
  use: string;
  /** What not to write instead. */
  avoid: readonly Variant[];
}

export interface GlossaryEntry {
  concept: string;
  ja?: Usage;
  en?: Usage;
  /** Why, when it is not obvious. */
  note?: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    concept: 'the text of the error the user pastes',
    ja: { use: 'エラー メッセージ', avoid: ['エラー文', 'エラー テキスト', 'エラーの文字列', 'エラーテキスト'] },
    en: { use: 'error message', avoid: [/\berror texts?\b/i] },
    note: 'Microsoft names it the error message; the codes and log lines around it are named as such.',
  },
  {
    concept: 'the case summary for the helpdesk',
    ja: { use: '概要', avoid: ['まとめ', '要約'] },
    en: { use: 'summary', avoid: [/\brecap\b/i] },
  },
  {
    concept: 'the Recovery Services vault',
    // Azure Key Vault (キー コンテナー, key vault) is another service: its name is not this term.
    ja: { use: 'Recovery Services コンテナー', avoid: [/(?<!Recovery Services |キー )コンテナー/, '資格情報コンテナー', 'ボールト'] },
    // A vault's name ("vault-backup-jpw") is data, not the term.
    en: { use: 'Recovery Services vault', avoid: [/(?<!Recovery Services |key |-)\bvaults?\b(?!-)/i] },
  },
  {
    concept: 'the answer "the backup still fails" (button, tried-causes list, case)',
    ja: { use: 'まだ失敗する', avoid: [/まだ失敗(?!する|して|しま)/] },
    en: { use: 'still failing', avoid: [] },
  },
  {
    concept: 'the Azure portal',
    ja: { use: 'Azure portal', avoid: ['Azure ポータル', 'Azure Portal'] },
    en: { use: 'Azure portal', avoid: ['Azure Portal'] },
    note: 'Current Japanese docs keep "Azure portal" untranslated; 「ポータル」 alone is fine.',
  },
  {
    concept: 'managed disks',
    ja: { use: 'マネージド ディスク', avoid: ['Managed Disks', '管理ディスク', 'マネージドディスク'] },
    en: { use: 'managed disks', avoid: ['Managed Disks'] },
  },
  {
    concept: 'acting on a button or a UI element',
    ja: { use: '選択します', avoid: ['クリック', /選[んぶび]/, 'ボタンを押'] },
    en: { use: 'select', avoid: [/\bclick(?:s|ed|ing)?\b/i, /\bpick(?:s|ed|ing)?\b/i] },
  },
  {
    concept: 'the Services snap-in of Windows',
    ja: { use: '[サービス] (services.msc)', avoid: ['サービス コンソール', 'サービスの一覧'] },
    en: { use: 'Services console', avoid: [/\bservices snap-in\b/i] },
  },
  {
    concept: 'how sure the bot is of its answer',
    ja: { use: '信頼度', avoid: ['確信度'] },
    en: { use: 'confidence', avoid: [/\bcertainty\b/i] },
    note: 'Microsoft: 信頼度スコア / confidence score.',
  },
  {
    concept: 'why the bot thinks it is this error',
    ja: { use: '判断の根拠', avoid: ['決め手'] },
    en: { use: 'Why I think so', avoid: ['What points to it'] },
  },
  {
    concept: 'referring to what follows',
    ja: { use: '次の', avoid: ['下記'] },
    note: 'Microsoft style prefers 次の; a card that names "the causes below" must show them.',
  },
  {
    concept: 'email',
    ja: { use: 'メール', avoid: ['Eメール', 'E メール', 'eメール'] },
    en: { use: 'email', avoid: [/\be-mail\b/i] },
  },
  {
    concept: 'the backup of Azure VMs (the activity) and Azure Backup (the service)',
    ja: { use: 'Azure VM バックアップ', avoid: ['Azure VM Backup', 'Azure VM のバックアップ サービス'] },
    en: { use: 'Azure VM backup', avoid: ['Azure VM Backup'] },
  },
  {
    concept: 'the helpdesk',
    ja: { use: 'ヘルプデスク', avoid: ['ヘルプ デスク', 'サービスデスク'] },
    en: { use: 'helpdesk', avoid: [/\bhelp desk\b/i, /\bservice desk\b/i] },
  },
  {
    concept: 'a person at the helpdesk',
    ja: { use: '担当者', avoid: [/\S+ さん/, 'エージェントさん'] },
    en: { use: 'helpdesk agent', avoid: [/\ban agent さん/] },
    note: 'No honorific after a name the bot cannot vouch for; 担当者 (name) instead.',
  },
  {
    concept: 'voice: です/ます, friendly and professional',
    ja: {
      use: 'です/ます',
      avoid: ['やめましょう', '大丈夫です', '直って', 'よかったです', '流す', 'わかったら', '見分け', '当たりません', 'おつなぎ', 'てしまい', '終わります', 'だよ', 'だね', 'じゃない', 'ちゃん'],
    },
    en: { use: 'plain, friendly, professional', avoid: [/\bgonna\b/i, /\bwanna\b/i, /\bokay\b/i, /\bguys\b/i] },
  },
];

/** British spellings and their en-US form (Microsoft writes en-US). */
export const EN_US_SPELLINGS: readonly { british: RegExp; american: string }[] = [
  { british: /\brecognis(?:e|ed|es|ing)\b/i, american: 'recognize' },
  { british: /\borganis(?:e|ed|es|ing|ation)\b/i, american: 'organize' },
  { british: /\bauthoris(?:e|ed|es|ing|ation)\b/i, american: 'authorize' },
  { british: /\bcustomis(?:e|ed|es|ing|ation)\b/i, american: 'customize' },
  { british: /\bsummaris(?:e|ed|es|ing)\b/i, american: 'summarize' },
  { british: /\bprioritis(?:e|ed|es|ing)\b/i, american: 'prioritize' },
  { british: /\boptimis(?:e|ed|es|ing|ation)\b/i, american: 'optimize' },
  { british: /\binitialis(?:e|ed|es|ing|ation)\b/i, american: 'initialize' },
  { british: /\bnormalis(?:e|ed|es|ing|ation)\b/i, american: 'normalize' },
  { british: /\bsynchronis(?:e|ed|es|ing|ation)\b/i, american: 'synchronize' },
  { british: /\bminimis(?:e|ed|es|ing)\b/i, american: 'minimize' },
  { british: /\bmaximis(?:e|ed|es|ing)\b/i, american: 'maximize' },
  { british: /\butilis(?:e|ed|es|ing|ation)\b/i, american: 'utilize' },
  { british: /\brealis(?:e|ed|es|ing)\b/i, american: 'realize' },
  { british: /\bapologis(?:e|ed|es|ing)\b/i, american: 'apologize' },
  { british: /\bcategoris(?:e|ed|es|ing)\b/i, american: 'categorize' },
  { british: /\bfinalis(?:e|ed|es|ing)\b/i, american: 'finalize' },
  { british: /\bemphasis(?:e|ed|es|ing)\b/i, american: 'emphasize' },
  { british: /\banalys(?:e|ed|es|ing)\b/i, american: 'analyze' },
  { british: /\b(?:colour|behaviour|favour|honour|labour|neighbour|flavour)s?\b/i, american: 'color, behavior, favor…' },
  { british: /\b(?:centre|metre|litre|fibre|theatre)s?\b/i, american: 'center, meter…' },
  { british: /\b(?:cancell(?:ed|ing)|label{2}(?:ed|ing)|model{2}(?:ed|ing)|travel{2}(?:ed|ing)|signal{2}(?:ed|ing))\b/i, american: 'canceled, labeled, modeled…' },
  { british: /\b(?:catalogue|dialogue|analogue)s?\b/i, american: 'catalog, dialog' },
  { british: /\b(?:licence|defence|offence)s?\b/i, american: 'license, defense' },
  { british: /\b(?:whilst|amongst|learnt|spelt|enrol|programme|grey|judgement|acknowledgement|artefact)s?\b/i, american: 'while, among, learned…' },
];

/**
 * English a Japanese text may keep: product and feature names as Microsoft
 * Japanese docs write them, the words the user can type (help, start over…),
 * and the labels that are the same in both languages. Commands, codes, paths,
 * URLs and quoted error messages are recognised by their form (see the test).
 */
export const ENGLISH_KEPT_IN_JAPANESE: readonly string[] = [
  'Azure', 'Azure Backup', 'Azure portal', 'Azure Storage', 'Azure Linux', 'Backup', 'Recovery Services', 'Site Recovery',
  'VM', 'VMs', 'IaaS', 'VMSnapshot', 'VMSnapshot for Linux', 'Vmsnapshot', 'Microsoft', 'Windows', 'Linux', 'Ubuntu', 'GitHub',
  'PowerShell', 'New-NetRoute', 'SQL Server', 'VSS', 'RDP', 'DHCP', 'HTTP', 'HTTPS', 'URL', 'IP', 'CPU', 'MSI', 'OS', 'ID',
  'NET', 'NET Framework', 'Framework', 'Teams', 'waagent', 'WALinuxAgent', 'Logs', 'Verbose', 'KB', 'MB', 'UTF', 'PNG', 'JPEG', 'az',
  'English', 'help', 'start over', 'cancel', 'helpdesk', 'yes', 'next', 'iaasvmprovider', 'XML',
  // Guest OS names as the user's paste gives them (the recognized card repeats the clue).
  'Windows Server', 'Ubuntu', 'CentOS', 'Red Hat', 'RHEL', 'SUSE', 'SLES', 'Debian', 'Oracle Linux', 'AlmaLinux', 'Rocky Linux',
  'walinuxagent', 'rdagent', 'vmsnapshotlinux',
  // The current article's checks and notes (issue 12): product names, commands and values as the article writes them.
  'Windows Azure Guest Agent', 'Guest Agent', 'Microsoft Learn', 'Learn', 'sudo', 'systemctl', 'Python', 'auto',
  'Visual Studio', 'Visual C++ Redistributable', 'Visual', 'Redistributable', 'AppLocker',
];

