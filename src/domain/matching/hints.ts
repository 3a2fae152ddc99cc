/**
 * What else a paste tells: its language, the guest OS, and the identifiers the
 * helpdesk will ask for (VM, resource group, vault, job id, subscription).
 */
import type { GuestOs, Language } from '../knowledge/schema';

export interface Identifiers {
  vmName?: string;
  resourceGroup?: string;
  vault?: string;
  jobId?: string;
  subscriptionId?: string;
}

export interface Hints {
  language: Language;
  guestOs?: GuestOs;
  /** The words that gave the guest OS away, for the evidence shown to the user. */
  guestOsClue?: string;
  identifiers: Identifiers;
}

const JAPANESE_CHAR = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/g;
const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const NAME = '[A-Za-z0-9][A-Za-z0-9._()-]{0,89}';

const LINUX_CLUES =
  /\b(waagent|walinuxagent|vmsnapshotlinux|ubuntu|centos|red ?hat|rhel|suse|sles|debian|oracle linux|almalinux|rocky linux|linux)\b|\/var\/log\/|\/etc\/waagent\.conf/i;
// "core.windows.net" (storage endpoints) and "Windows Azure" (the old brand) say nothing about the guest.
const WINDOWS_CLUES =
  /\b(services\.msc|windows server|windows guest agent|windowsazureguestagent|rdagent|iaasvmprovider|windows vm|windows(?!\.net|\s+azure))\b|c:\\(?:windowsazure|packages)/i;

/** Identifier patterns, most specific first: ARM ids and CLI/PowerShell fields, then prose. */
const IDENTIFIER_PATTERNS: { key: keyof Identifiers; pattern: RegExp }[] = [
  { key: 'subscriptionId', pattern: new RegExp(`/subscriptions/(${GUID})`, 'i') },
  { key: 'resourceGroup', pattern: new RegExp(`/resourceGroups/(${NAME})`, 'i') },
  { key: 'vault', pattern: new RegExp(`/vaults/(${NAME})`, 'i') },
  { key: 'jobId', pattern: new RegExp(`/backupJobs/(${GUID})`, 'i') },
  { key: 'vmName', pattern: new RegExp(`/virtualMachines/(${NAME})`, 'i') },
  { key: 'vmName', pattern: new RegExp(`(?:iaasvmcontainer(?:v2)?;${NAME};|vm;iaasvmcontainerv2;${NAME};)(${NAME})`, 'i') },
  { key: 'vmName', pattern: new RegExp(`"(?:entityFriendlyName|virtualMachineName|vmName)"\\s*:\\s*"(${NAME})"`, 'i') },
  { key: 'resourceGroup', pattern: new RegExp(`"(?:resourceGroup|resourceGroupName)"\\s*:\\s*"(${NAME})"`, 'i') },
  { key: 'vault', pattern: new RegExp(`"(?:vaultName)"\\s*:\\s*"(${NAME})"`, 'i') },
  { key: 'jobId', pattern: new RegExp(`"(?:jobId|activityId)"\\s*:\\s*"(${GUID})"`, 'i') },
  { key: 'vmName', pattern: new RegExp(`^[ \\t]*(?:WorkloadName|VmName)[ \\t]*:[ \\t]*(${NAME})`, 'im') },
  { key: 'jobId', pattern: new RegExp(`^[ \\t]*JobId[ \\t]*:[ \\t]*(${GUID})`, 'im') },
  { key: 'vault', pattern: new RegExp(`^[ \\t]*VaultName[ \\t]*:[ \\t]*(${NAME})`, 'im') },
  { key: 'resourceGroup', pattern: new RegExp(`^[ \\t]*ResourceGroupName[ \\t]*:[ \\t]*(${NAME})`, 'im') },
  { key: 'subscriptionId', pattern: new RegExp(`(?:subscription(?:\\s*id)?|サブスクリプション(?:\\s*ID)?)\\s*[:=：]?\\s*(${GUID})`, 'i') },
  { key: 'jobId', pattern: new RegExp(`(?:job\\s*id|ジョブ\\s*ID|ジョブ)\\s*[:=：]?\\s*(${GUID})`, 'i') },
];

/**
 * Names in prose ("VM web-01", "リソース グループ: rg-tokyo", "the VM named prodserver").
 * A value counts when a marker says it is a name (a colon, "name", 名, "named",
 * "called", quotes) or when it looks like an identifier (a digit, "-", "_", ".",
 * or a capital inside): "the agent on the VM seems dead" names no VM.
 */
const MARKED = `(?<marked>\\s*(?:(?:named|called|name)\\b\\s*|名\\s*)?[:=：]\\s*[「"']?|\\s*(?:(?:named|called|name)\\b|名)\\s*[「"']?|\\s*[「"'])`;
const PROSE_PATTERNS: { key: keyof Identifiers; pattern: RegExp }[] = [
  { key: 'resourceGroup', pattern: new RegExp(`(?:resource\\s*group|リソース\\s*グループ)(?:${MARKED}|\\s+)(?<value>${NAME})`, 'i') },
  { key: 'vault', pattern: new RegExp(`(?:recovery services vault|vault|コンテナー|資格情報コンテナー)(?:${MARKED}|\\s+)(?<value>${NAME})`, 'i') },
  { key: 'vmName', pattern: new RegExp(`(?:\\bVM|virtual machine|仮想マシン)(?:${MARKED}|\\s+)(?<value>${NAME})`, 'i') },
];
const IDENTIFIER_SHAPED = /[0-9_.-]|[a-z][A-Z]/;

/** Words that follow "VM"/"vault" in prose but are not names. */
const NOT_A_NAME =
  /^(agent|agents|backup|backups|extension|has|is|was|the|a|an|and|or|to|for|in|on|of|with|status|name|named|snapshot|failed|fails|can|cannot|unable|sku|size|dashboard|settings|guest|from|that|this|it|vm|vms|id|ids|job|jobs|restore|not|be|\d{1,3})$/i;

export function detectLanguage(raw: string): Language {
  // A Japanese sentence around an English error is still a Japanese speaker: two
  // Japanese characters tell, so stop counting there rather than collect every one.
  let japanese = 0;
  JAPANESE_CHAR.lastIndex = 0;
  while (japanese < 2 && JAPANESE_CHAR.exec(raw)) japanese++;
  JAPANESE_CHAR.lastIndex = 0;
  return japanese >= 2 ? 'ja' : 'en';
}

export function detectGuestOs(raw: string): Pick<Hints, 'guestOs' | 'guestOsClue'> {
  const linux = LINUX_CLUES.exec(raw);
  const windows = WINDOWS_CLUES.exec(raw);
  if (linux && !windows) return { guestOs: 'linux', guestOsClue: linux[0] };
  if (windows && !linux) return { guestOs: 'windows', guestOsClue: windows[0] };
  return {};
}

/** "VM: ExtensionSnapshotFailedNoNetwork" names an error, not a VM: CamelCase of three humps or more is a code. */
const LOOKS_LIKE_CODE = /^[A-Z][a-z]+(?:[A-Z][a-z0-9]*){2,}$/;

export function findIdentifiers(raw: string): Identifiers {
  const identifiers: Identifiers = {};
  const accept = (key: keyof Identifiers, found: string | undefined) => {
    const value = found?.replace(/[.,)]+$/, '');
    if (value && !NOT_A_NAME.test(value) && !LOOKS_LIKE_CODE.test(value)) identifiers[key] = value;
  };
  for (const { key, pattern } of IDENTIFIER_PATTERNS) {
    if (identifiers[key] === undefined) accept(key, pattern.exec(raw)?.[1]);
  }
  for (const { key, pattern } of PROSE_PATTERNS) {
    if (identifiers[key] !== undefined) continue;
    const groups = pattern.exec(raw)?.groups;
    if (groups?.['value'] && (groups['marked'] !== undefined || IDENTIFIER_SHAPED.test(groups['value']))) accept(key, groups['value']);
  }
  return identifiers;
}

/** Hints are read from the paste as the user wrote it: names keep their case. */
export function findHints(raw: string): Hints {
  // Identifiers and OS words sit near the start of real pastes; a 1 MB log is
  // searched in its first 64 KB so that hints never dominate the cost.
  const head = (raw.length > 65_536 ? raw.slice(0, 65_536) : raw).normalize('NFKC');
  return { language: detectLanguage(head), ...detectGuestOs(head), identifiers: findIdentifiers(head) };
}
