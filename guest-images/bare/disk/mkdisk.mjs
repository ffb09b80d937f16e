#!/usr/bin/env node
// Writes the virtio-blk test disk (guest-images/bare/disk/test.img, committed): 64 KiB =
// 128 sectors of 512 bytes. Sector s holds
//   bytes 0..15    the ASCII text "hv440-disk-SSSS\n" (SSSS = s in 4 lower-case hex digits)
//   words 4..127   big-endian 32-bit words w(s, k) = (s * 0x9E3779B1) ^ (k * 0x85EBCA77) mod 2^32
// src/virtio-blk.c computes the same pattern. The test writes sector 100 and restores it, so the
// image is unchanged after a successful run even when the emulator writes through to the file.
// Usage: node disk/mkdisk.mjs [output]   (default: test.img next to this script)

import { writeFileSync } from "node:fs";
import { join } from "node:path";

export const SECTORS = 128;
export const SECTOR_SIZE = 512;

export function word(s, k) {
  return (Math.imul(s, 0x9e3779b1) ^ Math.imul(k, 0x85ebca77)) >>> 0;
}

export function sector(s) {
  const b = Buffer.alloc(SECTOR_SIZE);
  b.write(`hv440-disk-${s.toString(16).padStart(4, "0")}\n`, 0, "ascii");
  for (let k = 4; k < SECTOR_SIZE / 4; k++) b.writeUInt32BE(word(s, k), 4 * k);
  return b;
}

export function image() {
  return Buffer.concat(Array.from({ length: SECTORS }, (_, s) => sector(s)));
}

const isMain = process.argv[1] && import.meta.filename === process.argv[1];
if (isMain) {
  const out = process.argv[2] ?? join(import.meta.dirname, "test.img");
  writeFileSync(out, image());
  console.log(`${out}: ${SECTORS} sectors`);
}
