import { firstCharacters } from '../../../src/domain/matching/first-characters';

describe('the first characters of a list of words', () => {
  it('When a text holds a character some word starts with, Then it is found, and only then', () => {
    const firsts = firstCharacters(['スナップショット', 'エージェント', 'ばっくあっぷ']);
    expect(firsts.test('VM の エージェント')).toBe(true);
    expect(firsts.test('ばっく')).toBe(true);
    // ト ends a word but starts none.
    expect(firsts.test('ト only, and an English log')).toBe(false);
  });

  it('When words start with characters that mean something in a class, Then each stands for itself', () => {
    const firsts = firstCharacters([']x', '-y', '^z', '\\w', '𠮷野家']);
    for (const text of [']', '-', '^', '\\', '𠮷']) expect(firsts.test(text)).toBe(true);
    for (const text of ['x', 'a', 'w', '\uD842']) expect(firsts.test(text)).toBe(false);
  });

  it('When there are no words, Then nothing is found', () => {
    expect(firstCharacters([]).test('anything at all')).toBe(false);
  });
});
