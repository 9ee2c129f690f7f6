import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/index.ts';
import { asciiJson, FileStore } from '../../store/index.ts';
import { input } from '../engine/helpers.ts';
import { tempDir } from '../support/temp-dir.ts';

/** Whether V8 holds the string at one byte per character (the serialiser's tag says so). */
function oneByte(text: string): boolean {
  return serialize(text)[2] === 0x22;
}

describe('snapshot texts are escaped to ASCII and held at one byte a character', () => {
  it('asciiJson keeps the value — Chinese, a character outside the BMP, a lone surrogate — and is ASCII', () => {
    const value = { name: '茶陵县项目', note: '𠀀 ok', odd: '\ud800', plain: 'abc' };
    const text = asciiJson(JSON.stringify(value));
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toMatch(/^[\u0020-\u007e]*$/);
    expect(text).toContain('\\u8336\\u9675');
    expect(oneByte(text)).toBe(true);
    expect(oneByte(JSON.stringify(value))).toBe(false);
  });

  it('a text that is ASCII already is answered as it is', () => {
    const text = JSON.stringify({ a: 1 });
    expect(asciiJson(text)).toBe(text);
  });

  it("the engine's record of a Chinese-named project is escaped and one-byte, created and after an event", async () => {
    const dir = await tempDir();
    const engine = new Engine({ store: new FileStore(dir), clock: () => '2023-01-01T00:00:00.000Z' });
    await engine.open();
    await engine.create('project', input({ id: 'p1', name: '茶陵县新材料产业园', bond: { allocated: 1 } }), {
      actor: 'hq',
    });
    const created = engine.store.get('project', 'p1')!.snapshot;
    expect(oneByte(created)).toBe(true);
    expect(JSON.parse(created).context.name).toBe('茶陵县新材料产业园');
    await engine.send('project', 'p1', { type: 'ALLOCATE_BOND', amount: 1, at: '2022-08-02' }, { actor: 'fin' });
    const moved = engine.store.get('project', 'p1')!.snapshot;
    expect(oneByte(moved)).toBe(true);
    expect(JSON.parse(moved).context.bond.allocated).toBe(2);
    await engine.close();
  });

  it('a checkpoint written before the escaping (texts as they were) is read escaped, to the same values', async () => {
    const dir = await tempDir();
    const engine = new Engine({ store: new FileStore(dir), clock: () => '2023-01-01T00:00:00.000Z' });
    await engine.open();
    await engine.create('project', input({ id: 'p1', name: '茶陵县新材料产业园' }), { actor: 'hq' });
    await engine.close();
    // Unescape every snapshot text in store.json, as an earlier release wrote it.
    const path = join(dir, 'store.json');
    const earlier = (await readFile(path, 'utf8')).replace(/\\\\u([0-9a-f]{4})/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
    expect(earlier).toContain('茶陵县新材料产业园');
    await writeFile(path, earlier);
    const again = new Engine({ store: new FileStore(dir) });
    await again.open();
    const text = again.store.get('project', 'p1')!.snapshot;
    expect(oneByte(text)).toBe(true);
    expect(again.get('project', 'p1')!.context.name).toBe('茶陵县新材料产业园');
    await again.close();
  });
});
