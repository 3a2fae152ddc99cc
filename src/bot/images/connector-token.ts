/**
 * The bot's own token for the channel, to download what the channel keeps
 * behind it (Teams inline images). CloudAdapter puts the turn's ConnectorClient
 * in turn state, built with the credentials for this channel's connector and
 * scope; its credentials give the token (cached by botframework-connector).
 * Without an app id (local use, tests) there is none and downloads go plainly.
 */
import type { TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';

interface TokenCredentials {
  appId?: string | null;
  getToken(forceRefresh?: boolean): Promise<string>;
}

function hasToken(credentials: unknown): credentials is TokenCredentials {
  return typeof credentials === 'object' && credentials !== null && typeof (credentials as Partial<TokenCredentials>).getToken === 'function';
}

export async function connectorToken(context: TurnContext): Promise<string | undefined> {
  const connector = context.turnState.get<ConnectorClient | undefined>(context.adapter.ConnectorClientKey);
  const credentials: unknown = connector?.credentials;
  if (!hasToken(credentials) || !credentials.appId) return undefined;
  return credentials.getToken();
}
