import { describe, expect, it } from 'vitest';
import { isKnownStateValue, KINDS } from '../../engine/index.ts';

// The check a restore makes of every persisted snapshot (engine.ts assertKnownState): a state
// value that names states the machine does not have needs a migration, never a silent restore.
const root = KINDS.project.machine.root;
const valid = {
  lifecycle: 'signed',
  permits: 'pending',
  land: 'clearing',
  bond: 'none',
  statistics: 'unregistered',
  support: 'normal',
};

describe('isKnownStateValue: a persisted state value names only states the machine has', () => {
  it('accepts every region of the parallel project machine in one of its states', () => {
    expect(isKnownStateValue(root, valid)).toBe(true);
    expect(isKnownStateValue(root, { ...valid, lifecycle: 'atTarget', bond: 'disbursed' })).toBe(true);
  });

  it('refuses a renamed state, a missing region and a region the machine does not have', () => {
    expect(isKnownStateValue(root, { ...valid, lifecycle: 'started' })).toBe(false);
    const { support: _support, ...missing } = valid;
    expect(isKnownStateValue(root, missing)).toBe(false);
    expect(isKnownStateValue(root, { ...valid, audit: 'open' })).toBe(false);
  });

  it('refuses a string for the parallel root, and a compound region given two children or a child object', () => {
    expect(isKnownStateValue(root, 'lifecycle')).toBe(false);
    expect(isKnownStateValue(root, { ...valid, lifecycle: { signed: {}, dropped: {} } })).toBe(false);
    expect(isKnownStateValue(root, { ...valid, lifecycle: { signed: {} } })).toBe(true);
    expect(isKnownStateValue(root, { ...valid, lifecycle: { signed: 'x' } })).toBe(false);
  });

  it('refuses what is not a state value at all', () => {
    for (const value of [null, undefined, 42, [], {}]) expect(isKnownStateValue(root, value)).toBe(false);
    expect(isKnownStateValue(root.states.lifecycle!, null)).toBe(false);
  });

  it('ignores inherited keys, as the own keys of a parsed snapshot are all there is', () => {
    const inherited = Object.assign(Object.create({ audit: 'open' }) as object, valid);
    expect(isKnownStateValue(root, inherited)).toBe(true);
  });
});
