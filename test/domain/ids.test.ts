import { describe, expect, it } from 'vitest';
import { assertEpicId, assertId, ID_PATTERN, InvalidId, idProblem, isBlank } from '../../src/domain/index.js';

describe('ids', () => {
  it.each([
    'EpicA',
    'a',
    'with inner spaces',
    'épique 史诗 эпик',
    '😀',
    '__proto__',
    'constructor',
    'toString',
    'a.b$c/d?e#f',
    'blocked',
  ])('accepts %j', (id) => {
    expect(idProblem(id)).toBeUndefined();
    expect(() => assertId(id)).not.toThrow();
    expect(new RegExp(ID_PATTERN, 'u').test(id)).toBe(true);
  });

  it.each([
    ['', /empty/],
    [' lead', /white space/],
    ['trail ', /white space/],
    ['\u00a0nbsp', /white space/],
    ['ideographic\u3000', /white space/],
    ['\ufeffbom', /white space/],
    ['tab\tinside', /control/],
    ['new\nline', /control/],
    ['nul\u0000', /control/],
    ['unit\u001f', /control/],
    ['del\u007f', /control/],
    ['\ttab', /control|white space/],
  ])('refuses %j, saying why', (id, reason) => {
    expect(idProblem(id)).toMatch(reason);
    expect(() => assertId(id)).toThrow(InvalidId);
    expect(new RegExp(ID_PATTERN, 'u').test(id)).toBe(false);
  });

  it('counts length in code points: 200 accepted, 201 refused', () => {
    expect(idProblem('a'.repeat(200))).toBeUndefined();
    expect(idProblem('a'.repeat(201))).toMatch(/at most 200/);
    const astral = '😀'.repeat(200);
    expect(astral.length).toBe(400);
    expect(idProblem(astral)).toBeUndefined();
    expect(new RegExp(ID_PATTERN, 'u').test(astral)).toBe(true);
    expect(idProblem(`${astral}a`)).toMatch(/at most 200/);
    expect(new RegExp(ID_PATTERN, 'u').test(`${astral}a`)).toBe(false);
  });

  it('names the id and the reason in the error', () => {
    expect(() => assertId(' x')).toThrow('Invalid id " x": must not start or end with white space');
  });

  it('reserves `blocked` for epics only', () => {
    expect(() => assertEpicId('blocked')).toThrow(/reserved/);
    expect(() => assertEpicId('Blocked')).not.toThrow();
    expect(() => assertEpicId('blocked ')).toThrow(InvalidId);
    expect(() => assertId('blocked')).not.toThrow();
  });

  it('knows blank strings', () => {
    for (const blank of ['', ' ', '\u00a0', '\u2028', '\t', '\r\n']) expect(isBlank(blank)).toBe(true);
    for (const text of ['a', ' a ', '\u0000']) expect(isBlank(text)).toBe(false);
  });
});
