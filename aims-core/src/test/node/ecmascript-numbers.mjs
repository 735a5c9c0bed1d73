// ECMAScript Number::toString, the number form RFC 8785 prescribes, as Node's own String(x) writes it:
// the oracle for AIMS's canonical numbers (CanonicalJson.numberV2), which is not AIMS's code.
//
// Every output line is "<16 hex digits of the double's IEEE 754 bits> <String(x)>".
//
//   node aims-core/src/test/node/ecmascript-numbers.mjs fixture
//       writes the committed fixture aims-core/src/test/resources/numbers/ecmascript-numbers.txt:
//       a fixed plan of doubles (below) with random parts from a seeded generator, so every run
//       writes the same file. CI (.ci/run) regenerates it and fails if it differs from the commit.
//   node aims-core/src/test/node/ecmascript-numbers.mjs stdin
//       reads lines of 16 hex digits (bit patterns) on stdin and writes one line per input line;
//       CanonicalJsonNodeOracleTest pipes a million doubles through it.
import { mkdirSync, readSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const view = new DataView(new ArrayBuffer(8));

function bitsToDouble(hex) {
  view.setUint32(0, parseInt(hex.slice(0, 8), 16));
  view.setUint32(4, parseInt(hex.slice(8, 16), 16));
  return view.getFloat64(0);
}

function doubleToBits(x) {
  view.setFloat64(0, x);
  return view.getUint32(0).toString(16).padStart(8, "0") + view.getUint32(4).toString(16).padStart(8, "0");
}

function line(hex) {
  return hex + " " + String(bitsToDouble(hex));
}

// SplitMix64 over BigInt: a small, well-known generator, so the plan is the same on every Node.
const MASK64 = (1n << 64n) - 1n;
function splitMix64(seed) {
  let state = BigInt(seed) & MASK64;
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  };
}

function hex64(n) {
  return (BigInt.asUintN(64, n)).toString(16).padStart(16, "0");
}

function nextUp(x) {
  return bitsToDouble(hex64(BigInt("0x" + doubleToBits(x)) + 1n));
}

function nextDown(x) {
  return bitsToDouble(hex64(BigInt("0x" + doubleToBits(x)) - 1n));
}

/**
 * The fixture's doubles as bit patterns, in a fixed order, each once: the structured ones with
 * both signs, the random ones as they come (random bit patterns have either sign).
 */
function plan() {
  const seen = new Set();
  const out = [];
  const add = (x) => {
    const h = doubleToBits(x);
    if (!seen.has(h)) {
      seen.add(h);
      out.push(h);
    }
  };
  const addBits = (bits) => add(bitsToDouble(hex64(bits)));
  const withNeighbours = (x) => {
    for (const y of Number.isFinite(x) && x !== 0 ? [x, nextUp(x), nextDown(x)] : [x]) {
      add(y);
      add(-y);
    }
  };
  // specials and boundaries
  for (const x of [0, NaN, Infinity, Number.MIN_VALUE, 2.2250738585072014e-308, Number.MAX_VALUE,
    Number.EPSILON, 2 ** 53, 2 ** 53 + 2, 2 ** 53 - 1, 2 ** 63, 2 ** 64, 1e21, 1e-7, 1e-6, 0.1, 0.2, 0.3,
    0.1 + 0.2, 1 / 3, 2 / 3, 4.35, 123e-20, 9.5e-5, 8.41e21, 1.9400994884341945e25, 2.82879384806159e17]) {
    withNeighbours(x);
  }
  for (let k = -64; k <= 64; k++) {
    withNeighbours(2 ** 53 + k);
  }
  // every power of two with both neighbours: where the rounding interval is not symmetric
  for (let e = -1074; e <= 1023; e++) {
    withNeighbours(2 ** e);
  }
  // every power of ten that is a double, with both neighbours, and the thresholds 1e-7 and 1e21
  for (let e = -323; e <= 308; e++) {
    withNeighbours(Number("1e" + e));
  }
  // the first 2,000 subnormals, then random ones
  for (let i = 1n; i <= 2000n; i++) {
    addBits(i);
  }
  const random = splitMix64(20261203);
  for (let i = 0; i < 2000; i++) {
    addBits(random() & ((1n << 52n) - 1n));
  }
  // any bit pattern
  for (let i = 0; i < 6000; i++) {
    addBits(random());
  }
  // decimals applications log: m / 10^k, and m * 10^k
  for (let i = 0; i < 3000; i++) {
    const m = Number(random() % 10000000000n) + 1;
    const k = Number(random() % 23n);
    add(m / 10 ** k);
    add(m * 10 ** k);
  }
  // uniform in [0, 1) scaled by 10^-30 .. 10^30, as Math.random() * scale would give
  for (let i = 0; i < 2000; i++) {
    const unit = Number(random() >> 11n) / 2 ** 53;
    add(unit * 10 ** (Number(random() % 61n) - 30));
  }
  // integers up to 2^64
  for (let i = 0; i < 1000; i++) {
    add(Number(random() >> BigInt(Number(random() % 64n))));
  }
  return out;
}

function writeFixture() {
  const here = dirname(fileURLToPath(import.meta.url));
  const file = join(here, "..", "resources", "numbers", "ecmascript-numbers.txt");
  mkdirSync(dirname(file), { recursive: true });
  const lines = plan().map(line);
  writeFileSync(file, lines.join("\n") + "\n");
  process.stderr.write(`wrote ${lines.length} doubles to ${file} with Node ${process.version}\n`);
}

function filter() {
  const chunk = Buffer.alloc(1 << 20);
  let rest = "";
  for (;;) {
    let n;
    try {
      n = readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      if (e.code === "EAGAIN") {
        continue;
      }
      if (e.code === "EOF") {
        break;
      }
      throw e;
    }
    if (n === 0) {
      break;
    }
    const text = rest + chunk.toString("latin1", 0, n);
    const lines = text.split("\n");
    rest = lines.pop();
    const out = [];
    for (const l of lines) {
      if (l.length > 0) {
        out.push(line(l.trim()));
      }
    }
    if (out.length > 0) {
      writeAll(out.join("\n") + "\n");
    }
  }
  if (rest.trim().length > 0) {
    writeAll(line(rest.trim()) + "\n");
  }
}

function writeAll(text) {
  const bytes = Buffer.from(text, "latin1");
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(1, bytes, off, bytes.length - off);
    } catch (e) {
      if (e.code !== "EAGAIN") {
        throw e;
      }
    }
  }
}

const mode = process.argv[2];
if (mode === "fixture") {
  writeFixture();
} else if (mode === "stdin") {
  filter();
} else {
  process.stderr.write("usage: node ecmascript-numbers.mjs fixture | stdin\n");
  process.exit(2);
}
