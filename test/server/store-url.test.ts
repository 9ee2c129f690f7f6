import { describe, expect, it } from 'vitest';
import { parseStoreUrl } from '../../cli/store-url.ts';

describe('--store URLs (GONGJIAN_STORE)', () => {
  it('takes our parameters off and leaves the driver’s', () => {
    expect(
      parseStoreUrl('postgres://gj@db/gongjian?host=/run/pg&schema=chaling&maxConnections=4&statementTimeoutMs=5000'),
    ).toEqual({
      url: 'postgres://gj@db/gongjian?host=%2Frun%2Fpg',
      schema: 'chaling',
      maxConnections: 4,
      statementTimeoutMs: 5000,
    });
    expect(parseStoreUrl('postgresql://gj@db/gongjian')).toEqual({
      url: 'postgresql://gj@db/gongjian',
      schema: undefined,
    });
  });

  it('refuses another database, a non-URL and bad numbers, saying which', () => {
    expect(() => parseStoreUrl('mysql://x@y/z')).toThrow(/only postgres:\/\//);
    expect(() => parseStoreUrl('not a url')).toThrow(/not a URL/);
    expect(() => parseStoreUrl('postgres://db/g?maxConnections=0')).toThrow(/maxConnections must be a whole number/);
    expect(() => parseStoreUrl('postgres://db/g?statementTimeoutMs=1.5')).toThrow(/statementTimeoutMs/);
  });
});
