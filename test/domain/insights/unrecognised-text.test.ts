import { groupKey, KEPT_TEXT_CHARS, sightingOf } from '../../../src/domain/insights/unrecognised-text';

describe('unrecognised texts as kept', () => {
  it('When two texts differ only in names, numbers, case and spacing, Then they fall in one group', () => {
    expect(groupKey('Restore of vm-01 failed at 10:02!')).toBe(groupKey('restore of VM-07  failed at 11:45'));
    expect(groupKey('Restore of vm-01 failed')).not.toBe(groupKey('Backup of vm-01 failed'));
  });

  it('When a text holds a secret or an address, Then what is kept is redacted', () => {
    const sighting = sightingOf('restore fails, storage key AccountKey=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy== mail tanaka.taro@example.co.jp', true);
    expect(sighting.text).not.toMatch(/Zm9vYmFy|tanaka\.taro/);
    expect(sighting.text).toContain('REDACTED');
  });

  it('When a text is long, Then it is cut to 500 characters; with texts not kept, only the group is', () => {
    expect(sightingOf('x '.repeat(2_000), true).text).toHaveLength(KEPT_TEXT_CHARS);
    expect(sightingOf('how do I restore a file?', false)).toMatchObject({ text: null, key: groupKey('how do I restore a file?') });
  });
});
