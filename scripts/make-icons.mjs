#!/usr/bin/env node
// Regenerates the app and tray icons in resources/ from code.
//
//   node scripts/make-icons.mjs
//
// The icons are drawn procedurally and encoded with nothing but node's zlib so
// that anyone can rebuild them byte-for-byte without ImageMagick, a design tool
// or a network connection. The output is deterministic: same code, same PNGs.
//
// Motif: a rounded dark-blue square holding three stacked white shipping
// containers on a dock, i.e. "containers docked in one place", which is what the
// app does with MCP servers.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const RESOURCES = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources');

// ---------------------------------------------------------------------------
// PNG encoding (8-bit RGBA, non-interlaced)

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  // The CRC covers the chunk type as well as its data.
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method: adaptive
  ihdr[12] = 0; // interlace: none

  // Every scanline is prefixed with its filter type. Filter 0 (None) keeps the
  // encoder trivial; zlib still shrinks flat-colour artwork very well.
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }

  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------
// Drawing with signed distance fields
//
// Shapes are described in unit coordinates (0..1, y pointing down) so that one
// description renders crisply at any size. Anti-aliasing comes from turning the
// signed distance into a coverage value over one pixel width, which is cheaper
// than supersampling and looks just as smooth for straight edges and arcs.

/** Signed distance from (px, py) to a rounded rectangle; negative inside. */
function roundedRect(px, py, x0, y0, x1, y1, r) {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const hx = (x1 - x0) / 2 - r;
  const hy = (y1 - y0) / 2 - r;
  const qx = Math.abs(px - cx) - hx;
  const qy = Math.abs(py - cy) - hy;
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  const inside = Math.min(Math.max(qx, qy), 0);
  return outside + inside - r;
}

const hex = (s) => [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16) / 255);

const BG_TOP = hex('#1d4ed8');
const BG_BOTTOM = hex('#172554');
const WHITE = [1, 1, 1];
const RIB = hex('#1e3a8a');

/**
 * The artwork. `detailed` adds the container ribs and dock pillars, which turn
 * into mush at tray sizes and are therefore left out there.
 */
function scene(detailed) {
  const layers = [];
  // Background: a rounded square with a small margin, roughly the proportions
  // desktop launchers expect; the gradient is computed per pixel below.
  layers.push({ shape: (x, y) => roundedRect(x, y, 0.06, 0.06, 0.94, 0.94, 0.2), colour: 'gradient' });

  const boxR = detailed ? 0.025 : 0.03;
  const containers = [
    [0.2, 0.46, 0.485, 0.64], // bottom left
    [0.515, 0.46, 0.8, 0.64], // bottom right
    [0.3575, 0.26, 0.6425, 0.44], // top, centred over the gap
  ];
  for (const [x0, y0, x1, y1] of containers) {
    layers.push({ shape: (x, y) => roundedRect(x, y, x0, y0, x1, y1, boxR), colour: WHITE });
    if (detailed) {
      // Vertical corrugation ribs are what make a box read as a shipping container.
      const ribs = 4;
      const w = x1 - x0;
      for (let i = 1; i <= ribs; i++) {
        const rx = x0 + (w * i) / (ribs + 1);
        layers.push({
          shape: (x, y) => roundedRect(x, y, rx - 0.009, y0 + 0.035, rx + 0.009, y1 - 0.035, 0.009),
          colour: RIB,
        });
      }
    }
  }

  // The dock the containers stand on.
  layers.push({ shape: (x, y) => roundedRect(x, y, 0.15, 0.66, 0.85, 0.72, 0.02), colour: WHITE });
  if (detailed) {
    for (const px of [0.24, 0.5, 0.76]) {
      layers.push({
        shape: (x, y) => roundedRect(x, y, px - 0.025, 0.715, px + 0.025, 0.79, 0.01),
        colour: WHITE,
      });
    }
  }
  return layers;
}

function render(size, detailed) {
  const layers = scene(detailed);
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Sample at the pixel centre.
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (const layer of layers) {
        const d = layer.shape(x, y) * size; // distance in pixels
        const coverage = Math.min(Math.max(0.5 - d, 0), 1);
        if (coverage === 0) continue;
        const c =
          layer.colour === 'gradient' ? BG_TOP.map((top, i) => top + (BG_BOTTOM[i] - top) * y) : layer.colour;
        // Porter-Duff "over" with premultiplied accumulation.
        r = c[0] * coverage + r * (1 - coverage);
        g = c[1] * coverage + g * (1 - coverage);
        b = c[2] * coverage + b * (1 - coverage);
        a = coverage + a * (1 - coverage);
      }
      const o = (py * size + px) * 4;
      // Un-premultiply for PNG, which stores straight alpha.
      out[o] = a ? Math.round((r / a) * 255) : 0;
      out[o + 1] = a ? Math.round((g / a) * 255) : 0;
      out[o + 2] = a ? Math.round((b / a) * 255) : 0;
      out[o + 3] = Math.round(a * 255);
    }
  }
  return out;
}

const targets = [
  // 1024 is what electron-builder wants to derive .icns/.ico and Linux sizes from.
  { file: 'icon.png', size: 1024, detailed: true },
  { file: 'tray-icon.png', size: 32, detailed: false },
  { file: 'tray-icon@2x.png', size: 64, detailed: false },
];

mkdirSync(RESOURCES, { recursive: true });
for (const { file, size, detailed } of targets) {
  const png = encodePng(size, size, render(size, detailed));
  writeFileSync(join(RESOURCES, file), png);
  console.log(`wrote resources/${file} (${size}x${size}, ${png.length} bytes)`);
}
