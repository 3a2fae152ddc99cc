/** Which attachment URLs the bot follows, and where its token may go. */
import type { Activity } from 'botbuilder';
import { imageAttachmentsOf, TEAMS_FILE_DOWNLOAD } from '../../../src/bot/images/attachments';
import { downloadDecision } from '../../../src/bot/images/download-policy';

const TEAMS_SERVICE = 'https://smba.trafficmanager.net/amer/';

describe('downloadDecision', () => {
  test.each([
    ['a Teams inline image on the serviceUrl host', 'https://smba.trafficmanager.net/amer/v3/attachments/0-eus/views/original', 'image', TEAMS_SERVICE, { allowed: true, sendToken: true }],
    ["Teams' attachment service", 'https://us-prod.asyncgw.teams.microsoft.com/v1/objects/0-eus/views/imgo', 'image', TEAMS_SERVICE, { allowed: true, sendToken: true }],
    ['a Teams file on SharePoint (pre-authenticated: no token)', 'https://contoso.sharepoint.com/personal/u/_layouts/15/download.aspx?UniqueId=1', 'file', TEAMS_SERVICE, { allowed: true, sendToken: false }],
    ['the local Direct Line on loopback over http', 'http://127.0.0.1:3978/v3/directline/attachments/abc', 'image', 'http://127.0.0.1:3978', { allowed: true, sendToken: true }],
  ] as const)('When the URL is %s, Then it is downloaded', (_, url, kind, serviceUrl, decision) => {
    expect(downloadDecision(url, kind, serviceUrl)).toEqual(decision);
  });

  test.each([
    ['another host', 'https://images.example.com/error.png', 'image', TEAMS_SERVICE],
    ['SharePoint for an inline image', 'https://contoso.sharepoint.com/x.png', 'image', TEAMS_SERVICE],
    ['a look-alike host', 'https://teams.microsoft.com.example.net/x.png', 'image', TEAMS_SERVICE],
    ['plain http to the serviceUrl host', 'http://smba.trafficmanager.net/amer/v3/attachments/x', 'image', TEAMS_SERVICE],
    ['http to another loopback name than the serviceUrl', 'http://localhost:3978/x.png', 'image', 'http://127.0.0.1:3978'],
    ['loopback when the serviceUrl is Teams', 'http://127.0.0.1:8080/x.png', 'image', TEAMS_SERVICE],
    ['a private address', 'http://10.0.0.5/x.png', 'image', TEAMS_SERVICE],
    ['credentials in the URL', 'https://user:pw@smba.trafficmanager.net/x.png', 'image', TEAMS_SERVICE],
    ['a file: URL', 'file:///etc/passwd', 'image', TEAMS_SERVICE],
    ['a data: URL', 'data:image/png;base64,iVBORw0KGgo=', 'image', TEAMS_SERVICE],
    ['no serviceUrl', 'https://smba.trafficmanager.net/x.png', 'image', undefined],
  ] as const)('When the URL is %s, Then it is refused', (_, url, kind, serviceUrl) => {
    expect(downloadDecision(url, kind, serviceUrl)).toEqual({ allowed: false });
  });
});

describe('imageAttachmentsOf', () => {
  test('When Teams sends an inline image, its HTML copy and a file, Then the image and the file are found, at most two', () => {
    const activity: Partial<Activity> = {
      attachments: [
        { contentType: 'image/*', contentUrl: 'https://smba.trafficmanager.net/amer/v3/attachments/a/views/original' },
        { contentType: 'text/html', content: '<div><img src="…"></div>' },
        { contentType: TEAMS_FILE_DOWNLOAD, name: 'error.PNG', content: { downloadUrl: 'https://contoso.sharepoint.com/d?x=1', fileType: 'PNG' } },
        { contentType: 'image/jpeg', contentUrl: 'https://smba.trafficmanager.net/amer/v3/attachments/c/views/original' },
      ],
    };
    expect(imageAttachmentsOf(activity)).toEqual([
      { url: 'https://smba.trafficmanager.net/amer/v3/attachments/a/views/original', kind: 'image', readable: true },
      { url: 'https://contoso.sharepoint.com/d?x=1', kind: 'file', readable: true },
    ]);
  });

  test('When a Teams file is a PDF, Then it is found but marked unreadable (answered without a download)', () => {
    const activity: Partial<Activity> = { attachments: [{ contentType: TEAMS_FILE_DOWNLOAD, content: { downloadUrl: 'https://contoso.sharepoint.com/d', fileType: 'pdf' } }] };
    expect(imageAttachmentsOf(activity)).toEqual([{ url: 'https://contoso.sharepoint.com/d', kind: 'file', readable: false }]);
  });

  test('When a message has no pictures (a card, a plain text), Then none are found', () => {
    expect(imageAttachmentsOf({ text: 'hello' })).toEqual([]);
    expect(imageAttachmentsOf({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: {} }] })).toEqual([]);
  });
});
