import { checkText, decodePaste } from '../../src/domain/paste/decode-paste';

describe('accepting a paste', () => {
  it.each<[string, Uint8Array, string]>([
    ['empty', Buffer.from(''), 'empty'],
    ['only spaces', Buffer.from('  \n\t '), 'empty'],
    ['invalid UTF-8', Buffer.from([0x56, 0x4d, 0xff, 0xfe, 0x20]), 'invalid-utf8'],
    ['binary', Buffer.from([0x00, 0x01, 0x02, 0x41, 0x42]), 'binary'],
    ['too large', Buffer.alloc(3 * 1024 * 1024, 0x41), 'too-large'],
  ])('When the paste is %s, Then it is refused with a message', (_, bytes, problem) => {
    const result = decodePaste(bytes);
    expect(result).toMatchObject({ ok: false, problem });
    if (!result.ok) expect(result.message).toMatch(/paste/i);
  });

  it('When the paste is Japanese text with emoji, Then it is accepted as is', () => {
    const text = 'バックアップが失敗しました 😢 UserErrorGuestAgentStatusUnavailable';
    expect(decodePaste(Buffer.from(text))).toEqual({ ok: true, text });
  });

  it('When a string is over the limit given, Then it is refused', () => {
    expect(checkText('x'.repeat(11), 10)).toMatchObject({ ok: false, problem: 'too-large' });
  });
});
