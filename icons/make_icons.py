#!/usr/bin/env python3
"""Draws the Classbook icon (a blue journal with a ruled page) as PNGs in the
sizes Tauri's bundler uses. Standard library only: `python3 icons/make_icons.py`."""
import os
import struct
import zlib

BLUE, PAGE, LINE, MARGIN = (38, 84, 160, 255), (250, 250, 245, 255), (120, 140, 170, 255), (200, 60, 60, 255)


def pixel(x: int, y: int, size: int):
    r = size * 0.18
    cx, cy = min(max(x + 0.5, r), size - r), min(max(y + 0.5, r), size - r)
    if (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 > r * r:
        return (0, 0, 0, 0)  # outside the rounded square
    u, v = (x + 0.5) / size, (y + 0.5) / size
    if not (0.22 < u < 0.78 and 0.18 < v < 0.82):
        return BLUE
    if u < 0.30:
        return MARGIN
    if 0.30 < u < 0.70 and any(abs(v - line) < 0.018 for line in (0.32, 0.44, 0.56, 0.68)):
        return LINE
    return PAGE


def png(size: int, path: str) -> None:
    raw = b"".join(b"\0" + b"".join(bytes(pixel(x, y, size)) for x in range(size)) for y in range(size))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for size, name in [(32, "32x32.png"), (128, "128x128.png"), (256, "128x128@2x.png"), (512, "icon.png")]:
        png(size, os.path.join(here, name))
