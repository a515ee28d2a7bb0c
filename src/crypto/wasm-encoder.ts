/**
 * A minimal WebAssembly binary encoder (WebAssembly Core Specification 2.0, chapter 5
 * "Binary Format"): one exported memory and exported functions whose parameters and locals
 * are all i32 or i64 and which return nothing. Enough for the generated F_p kernel of
 * fp-wasm.ts, so that the kernel's source is TypeScript and no toolchain or .wasm file is
 * checked in.
 */

/** Value types (spec 5.3.1). */
export const I32 = 0x7f;
export const I64 = 0x7e;

/** The opcodes the kernel uses (spec 5.4). Memory instructions take an alignment and offset immediate. */
export const op = {
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i64Load: 0x29,
  i64Store: 0x37,
  i64Const: 0x42,
  i64Add: 0x7c,
  i64Sub: 0x7d,
  i64Mul: 0x7e,
  i64And: 0x83,
  i64ShrS: 0x87,
  i64ShrU: 0x88,
} as const;

/** Unsigned LEB128 (spec 5.2.2). */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a bigint (spec 5.2.2), for i32.const and i64.const immediates. */
export function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A function: its parameter types, extra local types, and body (without the final `end`). */
export interface WasmFunction {
  name: string;
  params: number[];
  locals: number[];
  body: number[];
}

type Bytes = readonly number[] | Uint8Array;

/** The parts one after another (typed-array copies: the function bodies are ~20k bytes). */
function concat(...parts: Bytes[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function section(id: number, content: Bytes): Uint8Array<ArrayBuffer> {
  return concat([id], uleb(content.length), content);
}

function vector(items: Bytes[]): Uint8Array<ArrayBuffer> {
  return concat(uleb(items.length), ...items);
}

function name(s: string): Uint8Array<ArrayBuffer> {
  const bytes = new TextEncoder().encode(s);
  return concat(uleb(bytes.length), bytes);
}

/** The module's bytes: a memory of `pages` 64 KiB pages exported as "memory", and the functions, each exported under its name. */
export function encodeModule(pages: number, functions: readonly WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => concat([0x60], vector(f.params.map((t) => [t])), [0]));
  const codes = functions.map((f) => {
    // Locals as runs of one type (spec 5.5.13).
    const runs: number[][] = [];
    for (let i = 0; i < f.locals.length; ) {
      let j = i;
      while (j < f.locals.length && f.locals[j] === f.locals[i]) j++;
      runs.push([...uleb(j - i), f.locals[i]!]);
      i = j;
    }
    const code = concat(vector(runs), f.body, [op.end]);
    return concat(uleb(code.length), code);
  });
  const exports = [concat(name('memory'), [0x02, 0x00]), ...functions.map((f, i) => concat(name(f.name), [0x00], uleb(i)))];
  return concat(
    [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version 1
    section(1, vector(types)),
    section(3, vector(functions.map((_, i) => uleb(i)))),
    section(5, vector([concat([0x00], uleb(pages))])),
    section(7, vector(exports)),
    section(10, vector(codes)),
  );
}
