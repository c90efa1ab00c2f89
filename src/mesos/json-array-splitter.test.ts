import { describe, expect, it } from 'vitest';
import { JsonArraySplitter, JsonStreamError } from './json-array-splitter';

const utf8 = new TextEncoder();

const ARRAYS = [['state', 'tasks'], ['state', 'agents'], ['top']];

/** Splits `text` into chunks at the given byte offsets and returns the document and the elements seen. */
function split(text: string, cuts: number[] = [], arrays: string[][] = ARRAYS) {
  const bytes = utf8.encode(text);
  const seen: [number, unknown][] = [];
  const splitter = new JsonArraySplitter({
    arrays,
    onElement: (array, element) => seen.push([array, element]),
  });
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    splitter.push(bytes.subarray(from, cut));
    from = cut;
  }
  return { document: splitter.end(), seen, splitter };
}

/** A small deterministic random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const AWKWARD_STRINGS = [
  '',
  'a"b',
  'back\\slash',
  '\\"',
  '\\',
  ']',
  '}',
  '[{',
  ',',
  ':',
  'é⚙🚀',
  '\u0000\n\t',
  'tasks',
];

function randomValue(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 4 || pick < 0.35) {
    const kind = Math.floor(next() * 5);
    if (kind === 0) return AWKWARD_STRINGS[Math.floor(next() * AWKWARD_STRINGS.length)];
    if (kind === 1) return Math.floor(next() * 1e6) / 100 - 500;
    if (kind === 2) return next() < 0.5;
    if (kind === 3) return null;
    return `s${Math.floor(next() * 1000)}`;
  }
  if (pick < 0.65) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const object: Record<string, unknown> = {};
  const keys = ['tasks', 'agents', 'state', 'top', 'x"y', 'id', ''];
  for (let i = Math.floor(next() * 4); i > 0; i--) {
    object[keys[Math.floor(next() * keys.length)] as string] = randomValue(next, depth + 1);
  }
  return object;
}

/** A document with the chosen arrays in random key order, full of random elements. */
function randomDocument(seed: number): unknown {
  const next = random(seed);
  const list = () => Array.from({ length: Math.floor(next() * 5) }, () => randomValue(next, 1));
  const state: Record<string, unknown> = {};
  const parts: [string, () => unknown][] = [
    ['agents', list],
    ['tasks', list],
    ['other', () => randomValue(next, 1)],
  ];
  if (next() < 0.5) parts.reverse();
  for (const [key, make] of parts) state[key] = make();
  return next() < 0.5 ? { top: list(), state } : { state, top: list(), tail: randomValue(next, 1) };
}

describe('JsonArraySplitter', () => {
  it('reads random documents exactly as JSON.parse does, whatever two chunks they arrive in', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const document = randomDocument(seed);
      // Pretty-printed on odd seeds: whitespace between every token.
      const text = JSON.stringify(document, null, seed % 2 ? 1 : undefined);
      const size = utf8.encode(text).length;
      for (let cut = 0; cut <= size; cut++) {
        expect(split(text, [cut]).document, `seed ${seed}, cut at ${cut}`).toEqual(JSON.parse(text));
      }
    }
  });

  it('reads a document fed one byte at a time', () => {
    const text = JSON.stringify(randomDocument(7), null, 2);
    const size = utf8.encode(text).length;
    const cuts = Array.from({ length: size }, (_, i) => i);
    expect(split(text, cuts).document).toEqual(JSON.parse(text));
  });

  it('hands over every element of the chosen arrays, in order, and nothing else', () => {
    const text = JSON.stringify({
      top: [1, 'two', { three: [3] }],
      state: { other: { tasks: ['not chosen'] }, agents: [], tasks: [{ id: 'a' }, { id: 'b' }] },
      tasks: ['not chosen either'],
    });
    const { seen, splitter } = split(text);
    expect(seen).toEqual([
      [2, 1],
      [2, 'two'],
      [2, { three: [3] }],
      [0, { id: 'a' }],
      [0, { id: 'b' }],
    ]);
    expect(splitter.elements).toBe(5);
  });

  it('keeps what mapElement makes of each element, with its index, whether elements arrive whole or cut', () => {
    const tasks = Array.from({ length: 40 }, (_, i) => ({ id: `t${i}`, pad: 'x'.repeat(i * 7) }));
    const text = JSON.stringify({ state: { tasks, agents: [{ id: 'a' }] } });
    for (const cuts of [[], Array.from({ length: text.length / 13 }, (_, i) => i * 13)]) {
      const splitter = new JsonArraySplitter({
        arrays: ARRAYS,
        mapElement: (array, element, index) =>
          array === 0 ? `${index}:${(element as { id: string }).id}` : element,
      });
      const bytes = utf8.encode(text);
      let from = 0;
      for (const cut of [...cuts, bytes.length]) {
        splitter.push(bytes.subarray(from, cut));
        from = cut;
      }
      expect(splitter.end()).toEqual({
        state: { tasks: tasks.map((task, i) => `${i}:${task.id}`), agents: [{ id: 'a' }] },
      });
    }
  });

  it('parses no element the reader says it knows from its bytes, whether elements arrive whole or cut', () => {
    const tasks = Array.from({ length: 40 }, (_, i) => ({ id: `t${i}`, pad: 'x'.repeat(i * 7) }));
    const text = JSON.stringify({ state: { tasks, agents: [{ id: 'a' }] } });
    const decoder = new TextDecoder();
    for (const cuts of [[], [100, 101, 700], Array.from({ length: text.length / 13 }, (_, i) => i * 13)]) {
      const offered: string[] = [];
      const mapped: number[] = [];
      const splitter = new JsonArraySplitter({
        arrays: ARRAYS,
        // Every third task is known, and so is the agent.
        skipElement: (array, index, parts) => {
          const json = parts.map((part) => decoder.decode(part)).join('');
          if (array === 0) offered[index] = json;
          return array === 1 || index % 3 === 0;
        },
        mapElement: (array, element, index) => {
          if (array === 0) mapped.push(index);
          return element;
        },
      });
      const bytes = utf8.encode(text);
      let from = 0;
      for (const cut of [...cuts, bytes.length]) {
        splitter.push(bytes.subarray(from, cut));
        from = cut;
      }
      const unknown = (_: unknown, i: number) => i % 3 !== 0;
      expect(splitter.end()).toEqual({ state: { tasks: tasks.filter(unknown), agents: [] } });
      expect(offered).toEqual(tasks.map((task) => JSON.stringify(task)));
      expect(mapped).toEqual(tasks.map((_, i) => i).filter((i) => i % 3 !== 0));
      expect(splitter.elements).toBe(41);
    }
  });

  it('reads keys and strings with escapes, quotes and brackets inside', () => {
    const text =
      '{"st\\u0061te":{"tasks":["a\\"]",{"k\\\\":"}],["},"\\\\"],"agents":[["[",{"]":"{"}]]},"top":["🚀"]}';
    const { document, seen } = split(text);
    expect(document).toEqual(JSON.parse(text));
    // The escaped key is the same key once decoded.
    expect(seen.filter(([array]) => array === 0)).toHaveLength(3);
    for (let cut = 0; cut <= utf8.encode(text).length; cut++) {
      expect(split(text, [cut]).document).toEqual(JSON.parse(text));
    }
  });

  it('reads deep nesting inside an element', () => {
    const deep = JSON.parse(`${'['.repeat(500)}"deep"${']'.repeat(500)}`) as unknown;
    const text = JSON.stringify({ top: [deep, deep] });
    expect(split(text, [17, 600]).document).toEqual({ top: [deep, deep] });
  });

  it('reads a huge array of small elements in 64 KB chunks', () => {
    const tasks = Array.from({ length: 50_000 }, (_, i) => ({
      id: `task-${i}`,
      n: i,
      tags: ['x', { y: i }],
    }));
    const text = JSON.stringify({ state: { tasks } });
    const size = utf8.encode(text).length;
    const cuts = Array.from({ length: Math.floor(size / 65_536) }, (_, i) => (i + 1) * 65_536);
    const { document, seen } = split(text, cuts);
    expect(seen).toHaveLength(50_000);
    expect(document).toEqual({ state: { tasks } });
  });

  it('leaves a chosen key that is not an array as it is', () => {
    const text = '{"state":{"tasks":null,"agents":{"a":[1]}},"top":"text"}';
    expect(split(text).document).toEqual(JSON.parse(text));
    expect(split(text).seen).toEqual([]);
  });

  it('reads a document without any chosen array, and one that is not an object', () => {
    for (const text of ['{"a":[1,2,{"b":"c"}]}', '[1,2,3]', '"text"', '42', ' null ']) {
      expect(split(text).document).toEqual(JSON.parse(text));
    }
  });

  it('refuses what is not one JSON document, saying what is wrong', () => {
    const bad: [string, RegExp][] = [
      ['{"state":{"tasks":[{"id":1},]}}', /empty element/],
      ['{"state":{"tasks":[,{"id":1}]}}', /empty element/],
      ['{"state":{"tasks":[{"id":1}}]}}', /unexpected '}'/],
      ['{"state":{"tasks":[{"id":1]]}}', /not JSON/],
      ['{"state":{"tasks":[{"id":tru}]}}', /element 0 of state.tasks is not JSON/],
      ['{"state":{"tasks":[]}', /cut short/],
      ['{"state":{"tasks":[1,2', /cut short/],
      ['{"state":"open', /cut short/],
      ['{"a":1}}', /unexpected '}'/],
      ['{"a":1} {"b":2}', /not JSON/],
      ['{"a":nul}', /not JSON/],
      ['', /not JSON/],
    ];
    for (const [text, why] of bad) {
      expect(() => split(text), text).toThrow(JsonStreamError);
      expect(() => split(text), text).toThrow(why);
    }
  });

  it('refuses bytes that are not UTF-8, in an element or around it', () => {
    const inElement = new Uint8Array([...utf8.encode('{"top":["'), 0xff, ...utf8.encode('"]}')]);
    const around = new Uint8Array([...utf8.encode('{"x":"'), 0xc3, ...utf8.encode('","top":[]}')]);
    for (const bytes of [inElement, around]) {
      const splitter = new JsonArraySplitter({ arrays: ARRAYS });
      expect(() => {
        splitter.push(bytes);
        splitter.end();
      }).toThrow(/not valid UTF-8/);
    }
  });

  it('refuses bytes after the end', () => {
    const splitter = new JsonArraySplitter({ arrays: ARRAYS });
    splitter.push(utf8.encode('{}'));
    splitter.end();
    expect(() => splitter.push(utf8.encode('{}'))).toThrow(/after the end/);
  });

  it('refuses an element, or text outside the lists, bigger than one string should hold', () => {
    const feed = (text: string) => {
      const splitter = new JsonArraySplitter({ arrays: ARRAYS, maxPieceBytes: 100 });
      const bytes = utf8.encode(text);
      for (let at = 0; at < bytes.length; at += 30) splitter.push(bytes.subarray(at, at + 30));
      return splitter.end();
    };
    const long = 'x'.repeat(200);
    expect(() => feed(`{"state":{"tasks":[{"id":"a"},{"id":"${long}"}]}}`)).toThrow(
      /one element of a list takes more than 100 bytes/,
    );
    expect(() => feed(`{"note":"${long}","state":{"tasks":[]}}`)).toThrow(
      /outside the lists takes more than 100 bytes/,
    );
    const tasks = Array.from({ length: 20 }, (_, i) => ({ id: `task-${i}` }));
    expect(feed(JSON.stringify({ state: { tasks } }))).toEqual({ state: { tasks } });
  });
});
