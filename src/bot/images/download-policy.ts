/**
 * Where the bot downloads a picture from, and with which credentials. A
 * message's attachment URL is whatever the sender wrote, so the bot only
 * follows it to the places channels keep attachments:
 *
 * - the host of the activity's own serviceUrl (Teams inline images, Direct Line uploads);
 * - `*.teams.microsoft.com` (Teams' attachment service);
 * - `*.sharepoint.com`, for Teams file downloads only (OneDrive/SharePoint keep the files).
 *
 * Over https; plain http only to a loopback address (the local Direct Line, tests).
 * The bot's token goes only to the serviceUrl's host and Teams' attachment hosts,
 * never to SharePoint: a file's downloadUrl is pre-authenticated, and the token is not SharePoint's business.
 */
import type { ImageAttachment } from './attachments';

export type DownloadDecision = { allowed: true; sendToken: boolean } | { allowed: false };

const TEAMS_ATTACHMENT_HOST = /(^|\.)teams\.microsoft\.com$/;
const SHAREPOINT_HOST = /(^|\.)sharepoint\.com$/;

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export function downloadDecision(url: string, kind: ImageAttachment['kind'], serviceUrl: string | undefined): DownloadDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { allowed: false };
  }
  const host = parsed.hostname.toLowerCase();
  if (parsed.username !== '' || parsed.password !== '') return { allowed: false };
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(host))) return { allowed: false };
  if (host === hostOf(serviceUrl)) return { allowed: true, sendToken: true };
  if (TEAMS_ATTACHMENT_HOST.test(host)) return { allowed: true, sendToken: kind === 'image' };
  if (kind === 'file' && SHAREPOINT_HOST.test(host)) return { allowed: true, sendToken: false };
  return { allowed: false };
}
