import { describe, expect, it } from 'vitest';
import type { Epic } from '../../src/domain/index.js';
import { checkStoredChange } from '../../src/repo/stored-epics.js';
import { backlog, epic } from '../helpers/backlogs.js';

const base = () =>
  backlog({
    A: { Tasks: ['a1'], Epics: ['B'] },
    B: { Tasks: ['b1'], Bugs: ['x'], Epics: ['C'] },
    C: {},
  });
const put = (...epics: Epic[]) => new Map(epics.map((e) => [e.id, e]));

describe('checkStoredChange: epics read back, checked at the cost of the change', () => {
  it('accepts a change that keeps every rule: a task moved, an epic deleted with its links, a new epic', () => {
    expect(() =>
      checkStoredChange(
        base(),
        put(epic('A', { tasks: ['a1', 'b1'], epics: ['B'] }), epic('B', { epics: [] }), epic('D', { epics: ['A'] })),
        new Set(['C']),
      ),
    ).not.toThrow();
  });

  it('refuses a task that another epic still holds, or two new epics claiming one task', () => {
    expect(() => checkStoredChange(base(), put(epic('C', { tasks: ['a1'] })), new Set())).toThrow(/a1/);
    expect(() =>
      checkStoredChange(base(), put(epic('D', { tasks: ['t'] }), epic('E', { tasks: ['t'] })), new Set()),
    ).toThrow(/"t"/);
  });

  it('refuses a link to a missing or deleted epic, and a deleted epic that an unchanged one still links to', () => {
    expect(() => checkStoredChange(base(), put(epic('C', { epics: ['Nowhere'] })), new Set())).toThrow(/Nowhere/);
    expect(() => checkStoredChange(base(), put(epic('D', { epics: ['C'] })), new Set(['C']))).toThrow(/C/);
    expect(() => checkStoredChange(base(), new Map(), new Set(['C']))).toThrow(/B/);
  });

  it('refuses a cycle through a changed epic, and an id listed twice or not well formed', () => {
    expect(() => checkStoredChange(base(), put(epic('C', { epics: ['A'] })), new Set())).toThrow(/cycle/i);
    expect(() => checkStoredChange(base(), put(epic('C', { bugs: ['y', 'y'] })), new Set())).toThrow(/twice/);
    expect(() => checkStoredChange(base(), put(epic('blocked')), new Set())).toThrow();
    expect(() => checkStoredChange(base(), put(epic('C', { tasks: [' '] })), new Set())).toThrow();
  });
});
