/** From the engine's lines to text the matcher takes: doubtful lines dropped, the language told. */
import { languageHintOf, MAX_OCR_CHARS, ocrTextOf } from '../../../../src/domain/paste/ocr/ocr-text';

describe('ocrTextOf', () => {
  test('When some lines are guesses or hold no word, Then only the confident lines with words are kept, tidied', () => {
    const text = ocrTextOf([
      { text: 'Error code\n\n', confidence: 96 },
      { text: '  UserErrorGuestAgentStatusUnavailable  \n', confidence: 83 },
      { text: 'oo ~ ,\n', confidence: 20 },
      { text: '— |\n', confidence: 90 },
      { text: 'VM  Agent unable\tto communicate\n', confidence: 95 },
    ]);
    expect(text).toBe('Error code\nUserErrorGuestAgentStatusUnavailable\nVM Agent unable to communicate');
  });

  test('When a picture is covered in text, Then at most MAX_OCR_CHARS are kept', () => {
    expect(ocrTextOf(Array.from({ length: 2000 }, () => ({ text: 'Backup failed with an internal error', confidence: 90 })))).toHaveLength(MAX_OCR_CHARS);
  });
});

describe('languageHintOf', () => {
  test.each([
    ['エラ ー コー ド ExtensionSnapshotFailedNoNetwork', 'ja'],
    ['内部エラー', 'ja'],
    ['Percentage CPU (Avg) 一 vm-web01', 'en'],
    ['12:00 16:00', undefined],
    ['', undefined],
  ])('When the text is "%s", Then the hint is %s', (text, hint) => {
    expect(languageHintOf(text)).toBe(hint);
  });
});
