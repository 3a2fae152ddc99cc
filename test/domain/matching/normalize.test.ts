/** The normaliser's fold of the spaces OCR puts between Japanese characters, and what it leaves alone. */
import { normalizePaste } from '../../../src/domain/matching/normalize';
import { defaultMatcher } from '../../../src/domain/matching/load-signatures';

describe('normalizePaste: spaces between Japanese characters', () => {
  test.each([
    ['仮想 マシ ン の ネッ トワ ー ク 接続', '仮想マシンのネットワーク接続'],
    ['エラ ー コー ド', 'エラーコード'],
    ['失敗 し まし た 。 詳細', '失敗しました。詳細'],
    // Full-width spaces become ASCII ones under NFKC first, then fold the same way.
    ['バックアップ\u3000ジョブ', 'バックアップジョブ'],
  ])('When OCR gives "%s", Then the spaces between Japanese characters go', (raw, folded) => {
    expect(normalizePaste(raw)).toBe(folded);
  });

  test.each([
    ['VM エージェント が Azure Backup と', 'vm エージェントが azure backup と'],
    ['Error code: 12 3', 'error code: 12 3'],
    ['失敗しました\n詳細', '失敗しました\n詳細'],
  ])('When Japanese meets Latin letters, digits or a line break in "%s", Then that space or break stays', (raw, folded) => {
    expect(normalizePaste(raw)).toBe(folded);
  });

  test('When a Japanese message arrives spaced out as OCR reads it, Then the phrase matcher recognises the message itself', () => {
    const result = defaultMatcher().classify('VM エー ジェ ン ト が 応答 し て い な いた め 、 操作 を 実行 で き ませ ん');
    expect(result).toMatchObject({ status: 'matched', category: 'agent-unresponsive' });
    expect(result.evidence[0]).toMatchObject({ kind: 'phrase' });
  });
});
