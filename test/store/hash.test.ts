import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashText } from '../../store/hash.ts';

describe('a journal entry is chained by SHA-256 of the previous hash, a newline and its text', () => {
  const independently = (prev: string, text: string) =>
    createHash('sha256')
      .update(Buffer.from(`${prev}\n${text}`, 'utf8'))
      .digest('hex');

  it('hashes the UTF-8 bytes, Chinese included, as any SHA-256 tool would', () => {
    const text = JSON.stringify({
      seq: 1,
      kind: 'create',
      entity: 'project',
      id: 'P-1',
      input: { name: '茶陵县征地拆迁' },
    });
    expect(hashText(GENESIS_HASH, text)).toBe(independently(GENESIS_HASH, text));
    // `printf '%s\n{}' 000…000 | sha256sum`: the bytes, not a JavaScript detail.
    expect(hashText(GENESIS_HASH, '{}')).toBe('5649d09ed68c17156095d175eef152856c5b1a81c117c409c1e00f096aa6838e');
  });

  it('changes with the previous hash and with one character of the text', () => {
    const text = '{"seq":2}';
    const prev = hashText(GENESIS_HASH, '{"seq":1}');
    expect(hashText(prev, text)).not.toBe(hashText(GENESIS_HASH, text));
    expect(hashText(prev, text)).not.toBe(hashText(prev, '{"seq":3}'));
  });
});
